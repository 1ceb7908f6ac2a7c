"use strict";
(function () {
  const RATE = 16000;
  const FRAME_SAMPLES = RATE / 50; // 20 ms
  const state = document.getElementById("state");
  const dial = document.getElementById("dial");
  const hangup = document.getElementById("hangup");
  let socket = null, context = null, source = null, processor = null, playAt = 0, pending = [];

  function stop(text) {
    if (processor) processor.disconnect();
    if (source) source.mediaStream.getTracks().forEach((t) => t.stop());
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "hangup" }));
    socket = null; processor = null; source = null;
    dial.disabled = false; hangup.disabled = true;
    state.textContent = text || "通话已结束";
  }

  function play(buffer) {
    const samples = new Int16Array(buffer);
    const audio = context.createBuffer(1, samples.length, RATE);
    const channel = audio.getChannelData(0);
    for (let i = 0; i < samples.length; i++) channel[i] = samples[i] / 32768;
    const node = context.createBufferSource();
    node.buffer = audio;
    node.connect(context.destination);
    playAt = Math.max(playAt, context.currentTime);
    node.start(playAt);
    playAt += audio.duration;
  }

  dial.addEventListener("click", async () => {
    try {
      context = new AudioContext({ sampleRate: RATE });
      const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true } });
      source = context.createMediaStreamSource(stream);
    } catch (e) {
      state.textContent = "无法使用麦克风：" + e.message + "（仍可用按键）";
    }
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/voice/ws");
    socket.binaryType = "arraybuffer";
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: "start", rate: RATE }));
      dial.disabled = true; hangup.disabled = false; state.textContent = "已接通";
      if (source) {
        processor = context.createScriptProcessor(1024, 1, 1);
        processor.onaudioprocess = (event) => {
          const input = event.inputBuffer.getChannelData(0);
          for (let i = 0; i < input.length; i++) pending.push(Math.max(-1, Math.min(1, input[i])) * 32767);
          while (pending.length >= FRAME_SAMPLES && socket && socket.readyState === WebSocket.OPEN) {
            socket.send(Int16Array.from(pending.splice(0, FRAME_SAMPLES)).buffer);
          }
        };
        source.connect(processor); processor.connect(context.destination);
      }
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== "string") { play(event.data); return; }
      const message = JSON.parse(event.data);
      if (message.type === "call") state.textContent = message.keypad_only ? "已接通（按键模式）" : "已接通，请说话";
      if (message.type === "hangup") stop(message.reason === "busy" ? "线路繁忙，请稍后再拨" : "对方已挂断");
    };
    socket.onclose = () => { if (socket) stop(); };
  });
  hangup.addEventListener("click", () => stop());
  document.querySelectorAll(".keys button").forEach((key) => key.addEventListener("click", () => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "dtmf", digit: key.textContent }));
  }));
})();
