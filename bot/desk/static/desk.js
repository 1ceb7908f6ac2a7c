"use strict";
(function () {
  const CHANNELS = { bank_transfer: "银行转账", alipay: "支付宝", wechat_pay: "微信支付", unionpay_quickpass: "云闪付", other: "其他" };
  const FROM = { citizen: "群众", bot: "智能助手", officer: "民警" };
  const STATUS = { waiting: "待认领", claimed: "处理中", closed: "已结案" };
  const TRANSFER_FIELDS = [
    ["amount", "金额(元)"], ["time", "转账时间"], ["channel", "方式"], ["from_account", "付款账户"],
    ["to_account", "收款账号"], ["to_bank", "开户行"], ["to_name", "户名"],
  ];
  const state = { me: null, csrf: null, outcomes: {}, status: "waiting", cases: [], selected: null, card: null, known: null, editing: false };

  // --- small DOM helpers (text only: nothing a citizen typed is ever parsed as HTML) -----------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    children.flat().forEach((child) => {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(child instanceof Node ? child : document.createTextNode(asText(child)));
    });
    return node;
  }
  // Whatever a case holds is shown as text, even a value of an unexpected type.
  const asText = (v) => (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
  const asList = (v) => (Array.isArray(v) ? v : []);
  const shown = (v) => (v === null || v === undefined || v === "" ? "不详" : asText(v));
  const money = (v) => (typeof v === "number" && isFinite(v) ? v.toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " 元" : shown(v));
  const clock = (iso) => (iso ? new Date(iso).toLocaleString("zh-CN", { hour12: false }) : "不详");

  function since(iso) {
    if (!iso) return "不详";
    let s = Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 1000));
    const d = Math.floor(s / 86400); s %= 86400;
    const h = Math.floor(s / 3600); s %= 3600;
    const m = Math.floor(s / 60); s %= 60;
    if (d) return `${d}天${h}小时`;
    if (h) return `${h}小时${m}分`;
    return `${m}分${String(s).padStart(2, "0")}秒`;
  }
  function ticker(iso) { return el("b", { "data-since": iso || "" }, since(iso)); }
  function tick() { document.querySelectorAll("[data-since]").forEach((n) => { n.textContent = since(n.dataset.since); }); }

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
    const registration = item.reason === "registration" && !item.handoff_active;
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

  function renderQueue(fresh) {
    ["waiting", "claimed", "closed"].forEach((s) => {
      document.getElementById("count-" + s).textContent = state.cases.filter((c) => c.status === s).length;
    });
    const list = document.getElementById("case-list");
    const items = state.cases.filter((c) => c.status === state.status);
    list.replaceChildren(...items.map((c) => el("li", {
      className: `case-item ${c.urgency.level}${c.id === state.selected ? " selected" : ""}${fresh && fresh.has(c.id) ? " new" : ""}`,
      "data-case-id": c.id, onclick: () => select(c.id),
    },
    el("div", { className: "line" }, el("span", {}, el("span", { className: "score" }, `#${c.id}`), " ", c.scam_type.label),
      el("span", { className: "tag" + (c.urgency.level === "high" ? " hot" : "") }, `紧急度 ${c.urgency.score}`)),
    el("div", { className: "line muted" }, el("span", {}, c.reason_label + (c.in_progress ? " · 进行中" : "")),
      el("span", {}, c.total_amount ? money(c.total_amount) : "")),
    el("div", { className: "line muted" },
      el("span", {}, "转人工 ", ticker(c.handoff_at), " 前"),
      el("span", {}, c.claimed_by ? `${c.claimed_by} 处理中` : STATUS[c.status])),
    asList(c.linked_case_ids).length ? el("div", {}, el("span", { className: "tag warn" }, `串并 ${c.linked_case_ids.length} 案`)) : null,
    )));
    document.getElementById("empty-queue").hidden = items.length > 0;
  }

  document.querySelectorAll(".tabs button").forEach((tab) => tab.addEventListener("click", () => {
    document.querySelectorAll(".tabs button").forEach((t) => t.classList.toggle("active", t === tab));
    state.status = tab.dataset.status;
    renderQueue();
  }));

  // --- the case card --------------------------------------------------------------------------------
  async function select(id) {
    state.selected = id; state.editing = false;
    renderQueue();
    await loadCard();
  }

  async function loadCard() {
    if (state.selected === null) return;
    const typing = document.getElementById("reply");
    const draft = typing ? typing.value : "";
    state.card = await api("GET", `/api/cases/${state.selected}`);
    renderCard(draft);
  }

  function transferRows(c, editable) {
    return asList(c.transfers).map((t, i) => el("tr", {},
      el("td", {}, String(i + 1)),
      TRANSFER_FIELDS.map(([key]) => {
        let value = t[key];
        if (editable) return el("td", {}, el("input", { "data-transfer": i, "data-field": key, value: value === null || value === undefined ? "" : asText(value) }));
        if (key === "amount") value = money(value);
        else if (key === "time") value = value && value !== "不详" ? clock(value) : "不详";
        else if (key === "channel") value = CHANNELS[value] || shown(value);
        else value = shown(value);
        return el("td", { className: key.endsWith("account") ? "mono" : "" }, value);
      })));
  }

  function renderCard(draft) {
    const c = state.card;
    const victim = c.victim && typeof c.victim === "object" ? c.victim : {};
    const transfers = asList(c.transfers), warnings = asList(c.warnings), contacts = asList(c.fraudster_contacts), linked = asList(c.linked_case_ids);
    const mine = c.claimed_by === state.me;
    const open = c.status !== "closed";
    const card = document.getElementById("card");
    const outcomeSelect = el("select", { id: "outcome" }, Object.entries(state.outcomes).map(([k, v]) => el("option", { value: k }, v)));
    card.replaceChildren(
      el("h2", {}, `案件 #${c.id} · ${c.scam_type.label}`, " ", el("span", { className: "tag" + (c.urgency.level === "high" ? " hot" : "") }, `紧急度 ${c.urgency.score}`)),
      el("p", { className: "muted" }, `${c.reason_label} · 渠道 ${c.channel} · 会话 ${c.conversation_id} · 分类置信度 ${Math.round(c.scam_type.confidence * 100)}%`,
        c.in_progress ? el("span", { className: "tag hot" }, "诈骗进行中") : null),
      el("p", {}, c.urgency.reasons.join("；")),
      el("div", { className: "timers" },
        el("span", {}, "距最近一笔转账 ", c.last_transfer_at ? ticker(c.last_transfer_at) : el("b", {}, transfers.length ? "时间不详" : "无转账")),
        el("span", {}, "距转人工 ", ticker(c.handoff_at))),
      el("dl", { className: "facts" },
        el("dt", {}, "状态"), el("dd", { id: "case-status" }, STATUS[c.status] + (c.claimed_by ? `（${c.claimed_by}）` : "") + (open ? (c.handoff_active ? " · 民警对话中" : c.reason === "registration" ? " · 登记待跟进，请电话联系报案人" : " · 已交回智能助手") : "")),
        el("dt", {}, "报案人"), el("dd", {}, `${shown(victim.name)}，电话 ${shown(victim.phone)}`),
        el("dt", {}, "对方联系方式"), el("dd", {}, contacts.length ? contacts.map(asText).join("、") : "不详"),
        el("dt", {}, "串并案件"), el("dd", { id: "linked" }, linked.length ? linked.map((id) => el("a", { href: "#", onclick: (e) => { e.preventDefault(); select(id); } }, `#${id} `)) : "无"),
        c.outcome ? el("dt", {}, "结果") : null, c.outcome ? el("dd", {}, c.outcome.label + (c.outcome.frozen_amount !== null ? `，冻结 ${money(c.outcome.frozen_amount)}` : "")) : null),
      el("h3", {}, "转账（止付账户）"),
      transfers.length ? el("table", { className: "transfers" },
        el("tr", {}, el("th", {}, "#"), TRANSFER_FIELDS.map(([, label]) => el("th", {}, label))),
        transferRows(c, state.editing)) : el("p", { className: "muted" }, "暂无转账信息"),
      mine && open ? el("div", { className: "actions" }, state.editing
        ? [el("button", { type: "button", className: "primary", onclick: saveCorrections }, "保存更正"), el("button", { type: "button", onclick: () => { state.editing = false; renderCard(); } }, "取消")]
        : el("button", { type: "button", id: "edit", onclick: () => { state.editing = true; renderCard(); } }, "更正信息")) : null,
      warnings.length ? [el("h3", {}, "核对提示"), el("ul", { className: "warnings" }, warnings.map((w) => el("li", {}, w)))] : null,
      c.scam_detail || c.narrative ? [el("h3", {}, "案情"), el("p", {}, c.scam_detail || ""), el("p", { className: "muted" }, c.narrative || "")] : null,
      el("div", { className: "actions" },
        c.status === "waiting" ? el("button", { type: "button", id: "claim", className: "primary", onclick: claim }, "认领") : null,
        el("a", { href: `/desk/cases/${c.id}/stop-payment`, target: "_blank", rel: "noopener", id: "print" }, el("button", { type: "button" }, "打印止付申请")),
        el("a", { href: `/api/cases/${c.id}/stop-payment`, download: `stop-payment-${c.id}.json` }, el("button", { type: "button" }, "导出 JSON")),
        mine && open && c.handoff_active ? el("button", { type: "button", id: "handback", onclick: handback }, "交回智能助手") : null),
      mine && open ? el("div", { className: "actions" }, "结案：", outcomeSelect,
        el("input", { id: "frozen", type: "number", min: "0", step: "0.01", placeholder: "冻结金额（元）" }),
        el("button", { type: "button", id: "close", className: "danger", onclick: closeCase }, "结案")) : null,
      el("h3", {}, "对话记录"),
      el("ol", { className: "transcript", id: "transcript" }, asList(c.transcript).map((m) => el("li", { className: m.from },
        el("span", { className: "who" }, `${FROM[m.from] || m.from}${m.officer ? "·" + m.officer : ""} ${clock(m.at)}`), m.text))),
      mine && open && c.handoff_active ? el("form", { className: "composer", id: "composer", onsubmit: sendReply },
        el("textarea", { id: "reply", placeholder: "回复群众（经其原渠道送达）", maxlength: "2000" }),
        el("button", { type: "submit", className: "primary", id: "send" }, "发送")) : null,
    );
    const reply = document.getElementById("reply");
    if (reply && draft) reply.value = draft;
    const transcript = document.getElementById("transcript");
    transcript.scrollTop = transcript.scrollHeight;
  }

  async function claim() {
    try { await api("POST", `/api/cases/${state.selected}/claim`); } catch (e) { report(e); }
    await Promise.all([loadQueue(), loadCard()]);
  }
  async function sendReply(event) {
    event.preventDefault();
    const box = document.getElementById("reply");
    const text = box.value.trim();
    if (!text) return;
    try { await api("POST", `/api/cases/${state.selected}/messages`, { text }); box.value = ""; } catch (e) { report(e); }
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
      const value = input.value.trim();
      transfers[Number(input.dataset.transfer)][input.dataset.field] = value === "" ? null : value;
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
        // A citizen handed back earlier asks for an officer again: alert, even though the case is known.
        const again = change.kind === "handoff_reopened" && state.cases.find((c) => c.id === change.case_id);
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
    state.me = me.username; state.csrf = me.csrf_token; state.outcomes = me.outcomes;
    document.getElementById("me").textContent = `民警 ${me.username}`;
    await loadQueue();
    connect();
    setInterval(tick, 1000);
    showLine();
    setInterval(showLine, 10000);
  }
  start().catch(report);
})();
