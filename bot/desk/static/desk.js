"use strict";
(function () {
  const FROM = { citizen: "群众", bot: "智能助手", officer: "民警" };
  const TRANSFER_FIELDS = [
    ["amount", "金额(元)"], ["time", "转账时间"], ["channel", "方式"], ["from_account", "付款账户"],
    ["to_account", "收款账号"], ["to_bank", "开户行"], ["to_name", "户名"], ["to_branch", "开户网点"], ["serial", "流水号"],
  ];
  const LINK_KINDS = { account: "收款账号", phone: "电话", contact: "联系方式" };
  const TABS = {
    waiting: (c) => c.status === "waiting" && !isRegistration(c),
    claimed: (c) => c.status === "claimed" && !isRegistration(c),
    registration: (c) => c.status !== "closed" && isRegistration(c),
    closed: (c) => c.status === "closed",
  };
  const state = {
    me: null, csrf: null, outcomes: {}, zone: "Asia/Shanghai", checked: {}, victimChecked: {}, payment: {}, channels: {}, contactKinds: {}, stopActions: {}, stopHours: 48,
    goldenMinutes: 30, tab: "waiting", cases: [], selected: null, card: null, known: null, editing: false, found: null,
  };
  const isRegistration = (c) => c.reason === "registration" && !c.handoff_active;

  // --- small DOM helpers (text only: nothing a citizen typed is ever parsed as HTML) -----------
  // Children may be nodes, text, arrays of them, or null/undefined/false (skipped).
  function nodes(children) {
    return children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false)
      .map((c) => (c instanceof Node ? c : document.createTextNode(asText(c))));
  }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    node.append(...nodes(children));
    return node;
  }
  function fill(node, ...children) { node.replaceChildren(...nodes(children)); }
  // Whatever a case holds is shown as text, even a value of an unexpected type.
  const asText = (v) => (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
  const asList = (v) => (Array.isArray(v) ? v : []);
  const known = (v) => !(v === null || v === undefined || v === "" || v === "不详");
  const shown = (v) => (known(v) ? asText(v) : "不详");
  const money = (v) => (typeof v === "number" && isFinite(v) ? v.toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " 元" : shown(v));

  // --- times: always the centre's zone (DESK_TIME_ZONE), whatever this computer's is ----------
  // As bot/desk/timefmt.py writes them: 20:36 today, 12月1日 20:36 this year, 2025年12月1日 20:36 before.
  let zoneParts = null;
  const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$/;
  function wall(value) {
    if (typeof value === "string") {
      const naive = NAIVE.exec(value.trim());  // no offset: already the centre's wall clock (a date alone: a day)
      if (naive) return { y: +naive[1], m: +naive[2], d: +naive[3], hh: naive[4], mm: naive[5] };
      value = new Date(value);
    }
    if (!(value instanceof Date) || isNaN(value.getTime())) return null;
    const parts = {};
    zoneParts.formatToParts(value).forEach((p) => { parts[p.type] = p.value; });
    return { y: +parts.year, m: +parts.month, d: +parts.day, hh: parts.hour, mm: parts.minute };
  }
  function when(value) {
    if (!known(value)) return "不详";
    const w = wall(value);
    if (!w) return asText(value);
    const today = wall(new Date());
    const clock = w.hh === undefined ? "" : `${w.hh}:${w.mm}`;
    if (clock && w.y === today.y && w.m === today.m && w.d === today.d) return clock;
    const date = w.y === today.y ? `${w.m}月${w.d}日` : `${w.y}年${w.m}月${w.d}日`;
    return clock ? `${date} ${clock}` : date;
  }
  const epochMs = (iso) => (iso ? new Date(iso).getTime() : NaN);

  function elapsed(iso) {
    const at = epochMs(iso);
    if (!isFinite(at)) return "不详";
    let s = Math.max(0, Math.floor((Date.now() - at) / 1000));
    const d = Math.floor(s / 86400); s %= 86400;
    const h = Math.floor(s / 3600); s %= 3600;
    const m = Math.floor(s / 60); s %= 60;
    if (d) return `${d}天${h}小时`;
    if (h) return `${h}小时${m}分`;
    return `${m}分${String(s).padStart(2, "0")}秒`;
  }
  function ticker(iso) { return el("b", { "data-since": iso || "" }, elapsed(iso)); }
  // How long a closed case took: fixed, it no longer counts.
  function took(fromIso, toIso) {
    const s = Math.max(0, Math.floor((epochMs(toIso) - epochMs(fromIso)) / 1000));
    if (!isFinite(s)) return null;
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    if (d) return `${d}天${h}小时`;
    if (h) return `${h}小时${m}分`;
    return m ? `${m}分钟` : "不到1分钟";
  }
  // The golden window: time since the latest transfer, green within GOLDEN_MINUTES, red past it; the queue
  // and the card use this one rule (tick() keeps the colour as time passes).
  const isLate = (iso) => Date.now() - epochMs(iso) > state.goldenMinutes * 60000;
  function golden(c) {
    if (c.status === "closed") return null;
    if (!asList(c.transfers).length) return null;
    if (!c.last_transfer_at) return el("span", { className: "golden unknown", title: "至少一笔转账时间不详" }, "转账时间不详");
    return el("span", { className: "golden" + (isLate(c.last_transfer_at) ? " late" : ""), "data-golden": c.last_transfer_at, title: "距最近一笔转账（黄金止付时间）" }, "距转账 ", ticker(c.last_transfer_at));
  }
  function tick() {
    document.querySelectorAll("[data-since]").forEach((n) => { n.textContent = elapsed(n.dataset.since); });
    document.querySelectorAll("[data-golden]").forEach((n) => { n.classList.toggle("late", isLate(n.dataset.golden)); });
  }
  // A registration (登记) was never handed to an officer: its time is when it was registered.
  const arrivedBy = (c) => (isRegistration(c) || (c.promoted_at && !c.handoff_active) ? "登记" : "转人工");

  // --- wording ----------------------------------------------------------------------------------
  // One place for a case's status: the queue and the card say the same.
  function statusText(c) {
    if (c.status === "closed") return `已结案${c.claimed_by ? `（${c.claimed_by}）` : ""}`;
    const who = c.status === "claimed" ? `处理中（${c.claimed_by}）` : "待认领";
    let detail;
    if (c.handoff_active) detail = c.status === "claimed" ? "民警对话中" : "群众在线等待民警";
    else if (isRegistration(c)) detail = "报案登记，请电话联系报案人";
    else if (c.promoted_at) detail = "登记已转紧急，请电话联系报案人";
    else detail = "对话已交回智能助手";
    return `${who} · ${detail}`;
  }
  const channelName = (name) => state.channels[name] || name;

  // --- server calls ----------------------------------------------------------------------------
  async function api(method, url, body) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = state.csrf;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(url, { method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401) { window.location.href = "/desk/login"; throw new Error("请重新登录"); }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.message || `操作失败（HTTP ${response.status}）`);
    return data;
  }
  function report(error) { window.alert(error.message || String(error)); }

  // --- alerts -------------------------------------------------------------------------------------
  let audio = null;
  function beep() {
    if (!document.getElementById("sound").checked) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
      [0, 0.35].forEach((offset) => {
        const osc = audio.createOscillator(); const gain = audio.createGain();
        osc.frequency.value = 880; gain.gain.value = 0.25;
        osc.connect(gain).connect(audio.destination);
        osc.start(audio.currentTime + offset); osc.stop(audio.currentTime + offset + 0.2);
      });
    } catch (e) { /* no audio device: the visible alert remains */ }
  }
  function announce(item) {
    const banner = document.getElementById("alert");
    const registration = isRegistration(item);
    banner.textContent = `${registration ? "新登记" : "新警情"} #${item.id}：${item.scam_type.label}，${item.reason_label}` + (item.total_amount ? `，涉案 ${money(item.total_amount)}` : "");
    banner.hidden = false;
    document.body.dataset.alerts = String(Number(document.body.dataset.alerts) + 1);
    document.title = `(${document.body.dataset.alerts}) 新警情 · 民警工作台`;
    if (!registration) beep();  // a registration waits for follow-up: no alarm
  }
  document.getElementById("alert").addEventListener("click", (e) => { e.currentTarget.hidden = true; document.title = "民警工作台 · 96110 反诈中心"; });

  // --- the queue ----------------------------------------------------------------------------------
  async function loadQueue() {
    const data = await api("GET", "/api/cases");
    const fresh = [];
    data.cases.forEach((c) => {
      if (state.known && !state.known.has(c.id) && c.status === "waiting") fresh.push(c);
    });
    state.known = new Set(data.cases.map((c) => c.id));
    state.cases = data.cases;
    fresh.forEach(announce);
    renderQueue(new Set(fresh.map((c) => c.id)));
  }

  function queueItem(c, fresh) {
    const alert = c.stop_alert === "expired" ? "止付已到期" : c.stop_alert === "soon" ? `止付 ${when(c.next_stop_expiry)} 到期` : null;
    return el("li", {
      className: `case-item ${c.urgency.level}${c.id === state.selected ? " selected" : ""}${fresh && fresh.has(c.id) ? " new" : ""}`,
      "data-case-id": c.id, onclick: () => select(c.id),
    },
    el("div", { className: "line" }, el("span", {}, el("span", { className: "score" }, `#${c.id}`), " ", c.scam_type.label),
      golden(c)),
    el("div", { className: "line muted" }, el("span", {}, c.reason_label + (c.in_progress ? " · 进行中" : "")),
      el("span", {}, c.total_amount ? money(c.total_amount) : "")),
    el("div", { className: "line muted" },
      el("span", {}, `${channelName(c.channel)} · ${arrivedBy(c)} ${when(c.handoff_at)}`),
      el("span", { className: "tag" + (c.urgency.level === "high" ? " hot" : "") }, `紧急度 ${c.urgency.score}`)),
    el("div", { className: "line status" }, statusText(c)),
    asList(c.linked_case_ids).length || alert ? el("div", {},
      asList(c.linked_case_ids).length ? el("span", { className: "tag warn" }, `串并 ${c.linked_case_ids.length} 案`) : null,
      alert ? el("span", { className: "tag hot" }, alert) : null) : null);
  }

  function renderQueue(fresh) {
    Object.entries(TABS).forEach(([tab, test]) => {
      document.getElementById("count-" + tab).textContent = state.cases.filter(test).length;
    });
    // Stops about to run out, wherever their case is (closed ones too): renew or freeze in time.
    const due = state.cases.filter((c) => c.stop_alert);
    const notice = document.getElementById("stop-alerts");
    notice.textContent = due.length ? `${due.length} 案止付即将到期或已到期：${due.map((c) => `#${c.id}`).join(" ")}` : "";
    notice.hidden = !due.length;
    const list = document.getElementById("case-list");
    const items = state.found || state.cases.filter(TABS[state.tab]);
    fill(list, items.map((c) => queueItem(c, fresh)));
    const empty = document.getElementById("empty-queue");
    empty.textContent = state.found ? "没有案件报告过这个号码" : "暂无案件";
    empty.hidden = items.length > 0;
  }

  function showTab(tab) {
    state.tab = tab; state.found = null;
    document.getElementById("search-result").hidden = true;
    document.querySelectorAll(".tabs button").forEach((t) => t.classList.toggle("active", t.dataset.tab === tab));
    renderQueue();
  }
  document.querySelectorAll(".tabs button").forEach((tab) => tab.addEventListener("click", () => showTab(tab.dataset.tab)));

  // --- search (串并查询) ---------------------------------------------------------------------------
  async function search(query) {
    const data = await api("GET", "/api/search?q=" + encodeURIComponent(query));
    state.found = data.cases;
    document.querySelectorAll(".tabs button").forEach((t) => t.classList.remove("active"));
    const banner = document.getElementById("search-result");
    fill(banner, el("span", {}, `查询结果：${data.cases.length} 案`), el("button", { type: "button", onclick: () => showTab(state.tab) }, "返回队列"));
    banner.hidden = false;
    renderQueue();
  }
  document.getElementById("search").addEventListener("submit", (event) => {
    event.preventDefault();
    const query = document.getElementById("search-q").value.trim();
    if (query) search(query).catch(report);
  });

  // --- the case card --------------------------------------------------------------------------------
  async function select(id) {
    state.selected = id; state.editing = false;
    if (window.location.hash !== `#case-${id}`) history.replaceState(null, "", `#case-${id}`);
    renderQueue();
    await loadCard();
  }

  async function loadCard() {
    if (state.selected === null) return;
    const id = state.selected;
    const card = await api("GET", `/api/cases/${id}`);
    if (state.selected !== id) return;  // another case was opened meanwhile
    state.card = card;
    renderCard();
  }

  // What the officer is typing survives a re-render (a change pushed while they write); read at render
  // time, not before the fetch, or an update that was already on its way wipes the words typed since.
  const KEPT_INPUTS = ["reply", "outcome", "frozen"];
  function typedInputs() {
    const kept = {};
    KEPT_INPUTS.forEach((id) => { const input = document.getElementById(id); if (input) kept[id] = input.value; });
    const focused = document.activeElement;
    const focus = focused && KEPT_INPUTS.includes(focused.id)
      ? { id: focused.id, start: focused.selectionStart, end: focused.selectionEnd } : null;
    return { kept, focus };
  }
  function restoreInputs({ kept, focus }) {
    Object.entries(kept).forEach(([id, value]) => {
      const input = document.getElementById(id);
      if (input && value) input.value = value;
    });
    const input = focus && document.getElementById(focus.id);
    if (!input) return;
    input.focus();
    try { if (focus.start !== null) input.setSelectionRange(focus.start, focus.end); } catch (e) { /* number inputs */ }
  }

  function linkIndex(c) {
    const index = {};
    asList(c.links).forEach((l) => { index[`${l.kind}:${l.value}`] = asList(l.case_ids); });
    return index;
  }
  function caseLinks(ids) {
    return ids.map((id) => el("a", { href: `#case-${id}`, className: "case-link", onclick: (e) => { e.preventDefault(); select(id); } }, `#${id}`));
  }
  // "另 2 案：#3 #5" beside an account, phone or contact other cases reported too.
  function linkBadge(ids) {
    if (!ids || !ids.length) return null;
    return el("span", { className: "linked" }, `共 ${ids.length + 1} 案报告：`, caseLinks(ids));
  }
  const accountKey = (v) => {
    const text = known(v) ? String(v).trim() : "";
    const digits = text.replace(/[\s-]/g, "");
    return /^\d{6,}$/.test(digits) ? digits : text ? text.toLowerCase() : null;
  };
  const phoneKey = (v) => String(v || "").replace(/\D/g, "").slice(-11);
  const contactKey = (v) => {
    const [kind, ...rest] = String(v).split(":");
    const value = rest.join(":").trim();
    return kind === "phone" ? `phone:${phoneKey(value)}` : `contact:${kind}:${value.toLowerCase()}`;
  };
  const contactText = (v) => { const [kind, ...rest] = String(v).split(":"); return rest.length ? `${state.contactKinds[kind] || kind} ${rest.join(":")}` : String(v); };

  function transferCell(t, key, links) {
    let value = t[key];
    const missing = key in state.checked && !known(value);
    if (key === "amount") value = money(value);
    else if (key === "time") value = when(value);
    else if (key === "channel") value = state.payment[value] || shown(value);
    else value = shown(value);
    if (missing) return el("td", { className: "missing" }, state.checked[key]);
    const badge = key === "to_account" ? linkBadge(links[`account:${accountKey(t.to_account)}`]) : null;
    return el("td", { className: /account|serial/.test(key) ? "mono" : "" }, value, badge);
  }

  // A value in the correction form as the card shows it ("12月2日 22:15", "银行转账"); the server reads it back.
  function editable(t, key) {
    const value = t[key];
    if (value === "不详") return "不详";
    if (!known(value)) return "";
    if (key === "time") return when(value);
    if (key === "channel") return state.payment[value] || asText(value);
    return asText(value);
  }
  function transferRows(c, editing) {
    const links = linkIndex(c);
    return asList(c.transfers).map((t, i) => el("tr", {},
      el("td", {}, String(i + 1)),
      TRANSFER_FIELDS.map(([key]) => editing
        ? el("td", {}, el("input", { "data-transfer": i, "data-field": key, value: editable(t, key),
          placeholder: key === "time" ? "如 12月2日 22:05" : null, list: key === "channel" ? "payment-channels" : null }))
        : transferCell(t, key, links))));
  }

  // One stop-payment request per receiving account: what the bank will check, and what was done.
  function stopSection(c, mine) {
    const accounts = asList(c.accounts);
    if (!accounts.length) return null;
    const links = linkIndex(c);
    return [el("h3", {}, `紧急止付（每个收款账户一份申请，止付 ${state.stopHours} 小时，可续一次）`),
      el("ol", { className: "stops" }, accounts.map((a) => {
        const transfers = a.transfers.map((i) => c.transfers[i]);
        const victim = c.victim && typeof c.victim === "object" ? c.victim : {};
        const missing = Object.entries(state.checked).filter(([key]) => transfers.some((t) => !known(t[key]))).map(([, label]) => label)
          .concat(Object.entries(state.victimChecked).filter(([key]) => !known(victim[key])).map(([, label]) => label));
        const stop = asList(c.stops).find((s) => a.key && s.key === a.key);
        const total = transfers.reduce((sum, t) => sum + (typeof t.amount === "number" ? t.amount : 0), 0);
        return el("li", { className: "stop", "data-account": a.number },
          el("div", { className: "line" },
            el("b", { className: "mono" }, a.key ? a.account : "收款账号不详"),
            el("span", {}, `${shown(transfers.map((t) => t.to_bank).find(known))} · ${transfers.length} 笔 · ${money(total)}`),
            linkBadge(links[`account:${a.key}`])),
          missing.length ? el("p", { className: "missing" }, missing.join("；")) : null,
          stop ? stopState(stop) : el("p", { className: "muted" }, "尚未申请止付"),
          el("div", { className: "actions" },
            el("a", { href: `/desk/cases/${c.id}/stop-payment?account=${a.number}`, target: "_blank", rel: "noopener", className: "button print-account" }, "打印本账户申请"),
            el("a", { href: `/api/cases/${c.id}/stop-payment?account=${a.number}`, download: `stop-payment-${c.id}-${a.number}.json`, className: "button" }, "导出 JSON"),
            mine && a.key ? stopButtons(a, stop, c.status === "closed") : null));
      }))];
  }
  function stopState(stop) {
    if (stop.status === "frozen") return el("p", { className: "stop-state" }, `已冻结${stop.frozen_amount !== null ? ` ${money(stop.frozen_amount)}` : ""}（${stop.officer}，申请于 ${when(stop.requested_at)}）`);
    if (stop.status === "lifted") return el("p", { className: "stop-state muted" }, `已解除止付（申请于 ${when(stop.requested_at)}）`);
    const css = stop.expired || stop.expiring_soon ? "stop-state late" : "stop-state";
    const renew = stop.expired ? "止付已到期：请重新申请或办理冻结" : stop.expiring_soon ? (stop.can_renew ? "即将到期：请续止付或办理冻结" : "即将到期且已续过一次：请尽快办理冻结") : "";
    return el("p", { className: css }, `止付中：${when(stop.requested_at)} 申请，${when(stop.expires_at)} 到期${stop.renewals ? "（已续一次）" : ""}`, renew ? el("b", { className: "renew" }, ` ${renew}`) : null);
  }
  // A closed case asks no new stop, but a stop still running can be renewed, marked frozen or lifted.
  function stopButtons(a, stop, closed) {
    const act = (action) => () => recordStop(a.account, action);
    const running = stop && stop.status === "requested" && !stop.expired;
    return [
      !closed && !running && !(stop && stop.status === "frozen") ? el("button", { type: "button", className: "primary stop-requested", onclick: act("requested") }, "已向银行申请止付") : null,
      running && stop.can_renew ? el("button", { type: "button", className: "stop-renewed", onclick: act("renewed") }, "已续止付") : null,
      stop && stop.status === "requested" ? el("button", { type: "button", className: "stop-frozen", onclick: act("frozen") }, "已冻结") : null,
      stop && stop.status !== "lifted" ? el("button", { type: "button", className: "stop-lifted", onclick: act("lifted") }, "解除止付") : null,
    ];
  }
  async function recordStop(account, action) {
    let frozen = null;
    if (action === "frozen") {
      const answer = window.prompt("冻结金额（元，可留空）", "");
      if (answer === null) return;
      frozen = answer.trim() === "" ? null : answer.trim();
    } else if (!window.confirm(`${state.stopActions[action]}：${account}？`)) return;
    try { await api("POST", `/api/cases/${state.selected}/stops`, { account, action, frozen_amount: frozen }); } catch (e) { report(e); }
    await Promise.all([loadQueue(), loadCard()]);
  }

  // The victim's name or phone, or what the bank lacks without it (red, as on the printed request).
  function victimPart(victim, key) {
    return known(victim[key]) ? asText(victim[key]) : el("span", { className: "missing" }, state.victimChecked[key] || "不详");
  }

  function renderCard() {
    const c = state.card;
    const typed = c.id === renderCard.shownId ? typedInputs() : { kept: {}, focus: null };
    renderCard.shownId = c.id;
    const victim = c.victim && typeof c.victim === "object" ? c.victim : {};
    const transfers = asList(c.transfers), warnings = asList(c.warnings), contacts = asList(c.fraudster_contacts);
    const links = linkIndex(c);
    const mine = c.claimed_by === state.me;
    const open = c.status !== "closed";
    const outcomeSelect = el("select", { id: "outcome" }, Object.entries(state.outcomes).map(([k, v]) => el("option", { value: k }, v)));
    fill(document.getElementById("card"),
      el("h2", {}, `案件 #${c.id} · ${c.scam_type.label}`, " ", open  // a closed case is no longer urgent
        ? el("span", { className: "tag" + (c.urgency.level === "high" ? " hot" : "") }, `紧急度 ${c.urgency.score}`) : null),
      el("p", { className: "muted" }, `${c.reason_label} · ${channelName(c.channel)} · 分类置信度 ${Math.round(c.scam_type.confidence * 100)}%`,
        c.in_progress ? [" ", el("span", { className: "tag hot" }, "诈骗进行中")] : null),
      open && asList(c.urgency.reasons).length ? el("p", {}, c.urgency.reasons.join("；")) : null,
      open ? el("div", { className: "timers" },
        c.last_transfer_at
          ? el("span", { className: "golden-clock" + (isLate(c.last_transfer_at) ? " late" : ""), "data-golden": c.last_transfer_at, title: "黄金止付时间：转账后30分钟内" },
            "距最近一笔转账 ", ticker(c.last_transfer_at), el("small", { className: "muted" }, `（${when(c.last_transfer_at)}）`))
          : el("span", {}, "距最近一笔转账 ", el("b", { className: transfers.length ? "unknown" : "" }, transfers.length ? "时间不详" : "无转账")),
        el("span", {}, `距${arrivedBy(c)} `, ticker(c.handoff_at), el("small", { className: "muted" }, `（${when(c.handoff_at)}）`)))
        : el("div", { className: "timers closed" }, el("span", {}, `${arrivedBy(c)} ${when(c.handoff_at)} → 结案 ${when(c.closed_at)}`,
          took(c.handoff_at, c.closed_at) ? `，用时 ${took(c.handoff_at, c.closed_at)}` : "")),
      el("dl", { className: "facts" },
        el("dt", {}, "状态"), el("dd", { id: "case-status" }, statusText(c)),
        el("dt", {}, "报案人"), el("dd", { id: "victim" }, victimPart(victim, "name"), "，电话 ", victimPart(victim, "phone"), known(victim.phone) ? linkBadge(links[`phone:${phoneKey(victim.phone)}`]) : null),
        el("dt", {}, "对方联系方式"), el("dd", { id: "contacts" }, contacts.length ? contacts.map((v, i) => [i ? "、" : "", contactText(v), linkBadge(links[contactKey(v)])]) : "不详"),
        el("dt", {}, "串并案件"), el("dd", { id: "linked" }, asList(c.linked_case_ids).length ? caseLinks(c.linked_case_ids).map((a, i) => [i ? " " : "", a]) : "无"),
        c.outcome ? [el("dt", {}, "结果"), el("dd", {}, c.outcome.label + (c.outcome.frozen_amount !== null ? `，冻结 ${money(c.outcome.frozen_amount)}` : ""))] : null),
      el("h3", {}, "转账"),
      state.editing ? el("datalist", { id: "payment-channels" }, Object.values(state.payment).map((v) => el("option", { value: v }))) : null,
      transfers.length ? el("table", { className: "transfers" },
        el("tr", {}, el("th", {}, "#"), TRANSFER_FIELDS.map(([, label]) => el("th", {}, label))),
        transferRows(c, state.editing)) : el("p", { className: "muted" }, "暂无转账信息"),
      mine && open ? el("div", { className: "actions" }, state.editing
        ? [el("button", { type: "button", className: "primary", onclick: saveCorrections }, "保存更正"), el("button", { type: "button", onclick: () => { state.editing = false; renderCard(); } }, "取消")]
        : el("button", { type: "button", id: "edit", onclick: () => { state.editing = true; renderCard(); } }, "更正信息")) : null,
      stopSection(c, mine),
      warnings.length ? [el("h3", {}, "核对提示"), el("ul", { className: "warnings" }, warnings.map((w) => el("li", {}, w)))] : null,
      c.scam_detail || c.narrative ? [el("h3", {}, "案情"), c.scam_detail ? el("p", {}, c.scam_detail) : null, c.narrative ? el("p", { className: "muted" }, c.narrative) : null] : null,
      el("div", { className: "actions" },
        c.status === "waiting" ? el("button", { type: "button", id: "claim", className: "primary", onclick: claim }, "认领") : null,
        isRegistration(c) && open ? el("button", { type: "button", id: "promote", className: "danger", onclick: promote }, "转为紧急") : null,
        el("a", { href: `/desk/cases/${c.id}/stop-payment`, target: "_blank", rel: "noopener", id: "print", className: "button" }, "打印全部止付申请"),
        el("a", { href: `/api/cases/${c.id}/stop-payment`, download: `stop-payment-${c.id}.json`, className: "button" }, "导出 JSON"),
        mine && open && c.handoff_active ? el("button", { type: "button", id: "handback", onclick: handback }, "交回智能助手") : null),
      mine && open ? el("div", { className: "actions" }, "结案：", outcomeSelect,
        el("input", { id: "frozen", type: "number", min: "0", step: "0.01", placeholder: "冻结金额（元）" }),
        el("button", { type: "button", id: "close", className: "danger", onclick: closeCase }, "结案")) : null,
      el("h3", {}, "对话记录"),
      el("ol", { className: "transcript", id: "transcript" }, asList(c.transcript).map((m) => el("li", { className: m.from },
        el("span", { className: "who" }, `${FROM[m.from] || m.from}${m.officer ? "·" + m.officer : ""} ${when(m.at)}`), m.text))),
      mine && open && c.handoff_active ? el("form", { className: "composer", id: "composer", onsubmit: sendReply },
        el("textarea", { id: "reply", placeholder: "回复群众（经其原渠道送达）", maxlength: "2000" }),
        el("button", { type: "submit", className: "primary", id: "send" }, "发送")) : null,
    );
    restoreInputs(typed);
    const transcript = document.getElementById("transcript");
    transcript.scrollTop = transcript.scrollHeight;
  }

  async function claim() {
    try { await api("POST", `/api/cases/${state.selected}/claim`); } catch (e) { report(e); }
    await Promise.all([loadQueue(), loadCard()]);
  }
  async function promote() {
    if (!window.confirm("把这份报案登记转为紧急警情？它会进入待认领队列并提醒所有民警。")) return;
    try { await api("POST", `/api/cases/${state.selected}/promote`); } catch (e) { report(e); }
    await Promise.all([loadQueue(), loadCard()]);
  }
  async function sendReply(event) {
    event.preventDefault();
    const box = document.getElementById("reply");
    const text = box.value.trim();
    if (!text) return;
    try {
      await api("POST", `/api/cases/${state.selected}/messages`, { text });
      const current = document.getElementById("reply");  // the box may have been re-rendered meanwhile
      if (current && current.value.trim() === text) current.value = "";
    } catch (e) { report(e); }
    await loadCard();
  }
  async function handback() {
    if (!window.confirm("把对话交回智能助手？群众之后的消息将由智能助手回答。")) return;
    try { await api("POST", `/api/cases/${state.selected}/handback`); } catch (e) { report(e); }
    await Promise.all([loadQueue(), loadCard()]);
  }
  async function closeCase() {
    const outcome = document.getElementById("outcome").value;
    const frozen = document.getElementById("frozen").value;
    try { await api("POST", `/api/cases/${state.selected}/close`, { outcome, frozen_amount: frozen === "" ? null : Number(frozen) }); } catch (e) { report(e); }
    await Promise.all([loadQueue(), loadCard()]);
  }
  async function saveCorrections() {
    const transfers = asList(state.card.transfers).map((t) => Object.assign({}, t));
    document.querySelectorAll("input[data-transfer]").forEach((input) => {
      const transfer = transfers[Number(input.dataset.transfer)], key = input.dataset.field;
      const value = input.value.trim();
      if (value === editable(transfer, key)) return;  // unchanged: sent back as stored
      transfer[key] = value === "" ? null : value;
    });
    try { await api("PATCH", `/api/cases/${state.selected}`, { transfers }); state.editing = false; } catch (e) { report(e); }
    await Promise.all([loadQueue(), loadCard()]);
  }

  // --- live updates -------------------------------------------------------------------------------
  let refreshTimer = null;
  function connect() {
    const live = document.getElementById("live-state");
    const source = new EventSource("/api/events");
    source.addEventListener("ready", () => { live.textContent = "实时"; live.classList.remove("off"); loadQueue().catch(() => {}); });
    source.addEventListener("case", (event) => {
      const change = JSON.parse(event.data);
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(async () => {
        await loadQueue().catch(() => {});
        // Asked for an officer again, or a registration made urgent: alert, even though the case is known.
        const again = (change.kind === "handoff_reopened" || change.kind === "promoted") && state.cases.find((c) => c.id === change.case_id);
        if (again) announce(again);
      }, 50);
      if (change.case_id === state.selected && !state.editing) loadCard().catch(() => {});
    });
    source.onerror = () => { live.textContent = "重新连接中…"; live.classList.add("off"); };
  }

  // --- the voice line ------------------------------------------------------------------------------
  async function showLine() {
    const node = document.getElementById("line-state");
    try {
      const voice = (await api("GET", "/api/line")).voice;
      if (!voice.reachable) {
        node.textContent = "语音热线：未连接"; node.className = "line warn"; return;
      }
      const speech = voice.speech_recognition ? `，语音识别 ${voice.speech_calls}/${voice.speech_limit} 路` : "，仅按键服务";
      const busy = voice.saturated ? " · 识别繁忙，新来电改用按键" : "";
      node.textContent = `语音热线：通话 ${voice.calls} 路${speech}${busy}`;
      node.className = voice.saturated || voice.calls >= voice.max_calls ? "line warn" : "line";
    } catch (e) { node.textContent = "语音热线：状态未知"; node.className = "line warn"; }
  }

  document.getElementById("logout").addEventListener("click", async () => {
    try { await api("POST", "/desk/logout"); } finally { window.location.href = "/desk/login"; }
  });

  async function start() {
    const me = await api("GET", "/api/me");
    Object.assign(state, {
      me: me.username, csrf: me.csrf_token, outcomes: me.outcomes, zone: me.time_zone, checked: me.bank_checked_fields,
      victimChecked: me.victim_checked_fields || {}, payment: me.payment_channels || {},
      channels: me.channels, contactKinds: me.contact_kinds, stopActions: me.stop_actions, stopHours: me.stop_hours, goldenMinutes: me.golden_minutes,
    });
    zoneParts = new Intl.DateTimeFormat("en-US", { timeZone: state.zone, year: "numeric", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    document.getElementById("me").textContent = `民警 ${me.username}`;
    const zoneName = state.zone === "Asia/Shanghai" ? "北京时间" : state.zone;
    const showClock = () => { const w = wall(new Date()); document.getElementById("zone-clock").textContent = `${zoneName} ${w.m}月${w.d}日 ${w.hh}:${w.mm}`; };
    showClock();
    setInterval(showClock, 10000);
    await loadQueue();
    connect();
    setInterval(tick, 1000);
    tick();
    showLine();
    setInterval(showLine, 1000 * (me.line_refresh_s || 10));
    const wanted = /^#case-(\d+)$/.exec(window.location.hash);
    if (wanted) await select(Number(wanted[1]));
  }
  start().catch(report);
})();
