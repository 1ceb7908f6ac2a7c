"use strict";
(function () {
  const messages = document.getElementById("messages");
  const form = document.getElementById("composer");
  const input = document.getElementById("input");
  const sendButton = document.getElementById("send");
  const statusLine = document.getElementById("status");

  // The conversation is this browser's: the server keeps it by an HttpOnly session cookie.
  const OFFICER_PREFIX = "【民警】";
  const OFFICER_NOTE = "民警已在线处理您的情况，您发的消息会直接送到民警那里。";
  let withOfficer = false;
  const greeting = messages.firstElementChild.cloneNode(true);
  const kindOf = (text) => (text.startsWith(OFFICER_PREFIX) ? "officer" : "bot");

  function show(kind, text) {
    const item = document.createElement("li");
    item.className = "msg " + kind;
    item.textContent = text;
    messages.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  async function postJson(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.message || "发送失败，请稍后再试。紧急情况请直接拨打110。");
    return data;
  }

  async function send(text) {
    text = text.trim();
    if (!text) return;
    show("user", text);
    sendButton.disabled = true;
    statusLine.textContent = "正在回复…";
    try {
      const data = await postJson("/api/chat", { message: text });
      data.replies.forEach((reply) => show("bot", reply.text));
      if (!data.replies.length && !(await restoreHistory()).with_officer) {
        show("bot", "（没有收到回复，请换个说法再试。）");
      }
    } catch (error) {
      show("error", error.message || "网络连接失败，请检查网络后重试。紧急情况请直接拨打110。");
    } finally {
      sendButton.disabled = false;
      statusLine.textContent = withOfficer ? OFFICER_NOTE : "";
      input.focus();
    }
  }

  // The transcript in the conversation store is the truth: shown on load and whenever something is
  // pushed (an officer's message), so a push missed while offline is never lost. A pushed message is
  // shown at once and kept until the transcript has it: the desk pushes an officer's message before
  // Rasa records it.
  let pushed = [];

  async function restoreHistory() {
    try {
      const response = await fetch("/api/chat/history");
      if (!response.ok) return {};
      const data = await response.json();
      messages.replaceChildren(greeting.cloneNode(true));
      data.messages.forEach((line) => show(line.from === "user" ? "user" : kindOf(line.text), line.text));
      const stored = data.messages.filter((line) => line.from !== "user").map((line) => line.text);
      pushed = pushed.filter((text) => !stored.includes(text));
      pushed.forEach((text) => show(kindOf(text), text));
      withOfficer = Boolean(data.with_officer) || pushed.some((text) => text.startsWith(OFFICER_PREFIX));
      statusLine.textContent = withOfficer ? OFFICER_NOTE : "";
      return data;
    } catch (e) { return {}; /* a new conversation: nothing to restore */ }
  }

  function listen() {
    if (!window.EventSource) { restoreHistory(); return; }
    const events = new EventSource("/api/chat/events");
    events.addEventListener("message", (event) => {
      let text = "";
      try { text = JSON.parse(event.data).text || ""; } catch (e) { /* reload only */ }
      const shownLately = Array.from(messages.querySelectorAll(".msg.officer, .msg.bot")).slice(-5)
        .some((item) => item.textContent === text);  // the same message pushed again (desk, then Rasa)
      if (text && !pushed.includes(text) && !shownLately) {
        pushed.push(text);
        show(kindOf(text), text);  // at once: the transcript may take a while when Rasa is busy
        if (text.startsWith(OFFICER_PREFIX)) { withOfficer = true; statusLine.textContent = OFFICER_NOTE; }
      }
      restoreHistory();
      setTimeout(restoreHistory, 3000);  // by then the transcript holds it
    });
    events.addEventListener("ready", () => {
      restoreHistory();
      setTimeout(restoreHistory, 5000);  // an officer's message pushed while this page was away, recorded since
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  document.querySelectorAll(".suggestion").forEach((button) => {
    button.addEventListener("click", () => send(button.textContent));
  });
  restoreHistory().then(listen);  // the stream opens once the session cookie is certainly set
})();
