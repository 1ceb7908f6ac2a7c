"use strict";
(function () {
  const SENDER_KEY = "hotline96110.sender";
  const messages = document.getElementById("messages");
  const form = document.getElementById("composer");
  const input = document.getElementById("input");
  const sendButton = document.getElementById("send");
  const statusLine = document.getElementById("status");

  function newSenderId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function senderId() {
    let id = null;
    try { id = window.localStorage.getItem(SENDER_KEY); } catch (e) { /* storage disabled */ }
    if (!id) {
      id = newSenderId();
      try { window.localStorage.setItem(SENDER_KEY, id); } catch (e) { /* keep for this page */ }
    }
    return id;
  }
  const sender = senderId();

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
      const data = await postJson("/api/chat", { sender: sender, message: text });
      if (!data.replies.length) show("bot", "（没有收到回复，请换个说法再试。）");
      data.replies.forEach((reply) => show("bot", reply.text));
    } catch (error) {
      show("error", error.message || "网络连接失败，请检查网络后重试。紧急情况请直接拨打110。");
    } finally {
      sendButton.disabled = false;
      statusLine.textContent = "";
      input.focus();
    }
  }

  async function restoreHistory() {
    try {
      const response = await fetch("/api/chat/history?sender=" + encodeURIComponent(sender));
      if (!response.ok) return;
      const data = await response.json();
      data.messages.forEach((line) => show(line.from === "user" ? "user" : "bot", line.text));
    } catch (e) { /* a new conversation: nothing to restore */ }
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
  restoreHistory();
})();
