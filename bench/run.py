"""The benchmark suite against the real running system on embedded defaults: `make bench`.

Starts the whole system (as `make run` does) on free ports with fresh SQLite stores, measures, prints a
table and writes bench/results.json (every figure with its unit, the core count and the commit).
Medians of repeated runs where a figure is repeated. `--quick` is the smoke version the tests run.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import aiohttp

from actions.handoff import OFFICER_JOINED
from bench.citizen import SCAM_REPORTS, report_until_handoff
from bot.settings import REPO_ROOT
from tests.running import RunningSystem, http_call, start_system, stop_system

RESULTS = REPO_ROOT / "bench" / "results.json"
QUESTIONS = ["出租银行卡犯法吗", "什么是安全账户", "接到96110的电话是真的吗", "刷单是真的吗", "你好",
             "网上贷款先交保证金正常吗", "怎么识别冒充客服退款", "谢谢"]
SERVICES = {"actions": "bot.action_server", "rasa": "bot.rasa_server", "web": "bot.web serve",
            "voice": "speech serve"}


def percentile(values: List[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank); NaN for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Figures:
    def __init__(self) -> None:
        self.items: List[Dict[str, Any]] = []

    def add(self, name: str, value: Any, unit: str, note: str = "", runs: Optional[List[Any]] = None) -> None:
        self.items.append({"name": name, "value": value, "unit": unit, **({"note": note} if note else {}),
                           **({"runs": runs} if runs is not None else {})})
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"  {name:58} {shown:>12} {unit}{'  (' + note + ')' if note else ''}", flush=True)

    def add_median(self, name: str, runs: List[float], unit: str, note: str = "") -> None:
        """The median of repeated runs, with every run's value kept in the results."""
        spread = f"median of {len(runs)}, {min(runs):.4g}–{max(runs):.4g}" if len(runs) > 1 else ""
        self.add(name, statistics.median(runs), unit, "; ".join(filter(None, [spread, note])), runs)


# --- resources -------------------------------------------------------------------------------------
def _children(pid: int) -> List[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return found


def service_rss_mb(root_pid: int) -> Dict[str, float]:
    """Resident memory per service: each child of bot.run with everything it started."""
    rss: Dict[str, float] = {}
    for child in _children(root_pid):
        try:
            command = (Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")).decode()
        except OSError:
            continue
        name = next((n for n, marker in SERVICES.items() if marker in command), None)
        if name is None:
            continue
        total, stack = 0, [child]
        while stack:
            pid = stack.pop()
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                total += int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmRSS:")))
            except (OSError, StopIteration):
                pass
            stack += _children(pid)
        rss[name] = total / 1024
    return rss


# --- turn latency over the REST channel ----------------------------------------------------------
TURNS_PER_CONVERSATION = 8
MIN_TURNS_PER_LEVEL = 100  # enough for a p95 that is not just the slowest turn
P95_TARGET_MS = 200


async def conversation(session: aiohttp.ClientSession, url: str, sender: str, turns: int,
                       latencies: List[float], errors: List[str]) -> None:
    for i in range(turns):
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": QUESTIONS[i % len(QUESTIONS)]}) as answer:
                body = await answer.json()
                if answer.status != 200 or not body:
                    errors.append(f"HTTP {answer.status}")
                    continue
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            errors.append(type(error).__name__)
            continue
        latencies.append(time.perf_counter() - started)


async def turn_latency(system: RunningSystem, concurrency: int, min_turns: int = MIN_TURNS_PER_LEVEL,
                       turns: int = TURNS_PER_CONVERSATION) -> Dict[str, float]:
    """`concurrency` simulated citizens, each sending its next message as soon as the bot answered,
    in fresh conversations of `turns` messages, until at least `min_turns` turns were measured."""
    latencies: List[float] = []
    errors: List[str] = []
    url = system.rasa_url + "/webhooks/rest/webhook"
    rounds = max(1, -(-min_turns // (concurrency * turns)))
    run = f"lat{concurrency}-{random.randrange(10**6)}"

    async def citizen(session: aiohttp.ClientSession, index: int) -> None:
        for round_ in range(rounds):
            await conversation(session, url, f"{run}-{index}-{round_}", turns, latencies, errors)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=120),
                                     headers=system.service_headers) as session:
        started = time.perf_counter()
        await asyncio.gather(*(citizen(session, i) for i in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {**{f"p{round(share * 100)}": 1000 * percentile(latencies, share) for share in (0.50, 0.95, 0.99)},
            "turns_per_s": len(latencies) / elapsed, "errors": len(errors), "turns": len(latencies)}


def meets_target(result: Dict[str, float]) -> bool:
    return result["p95"] < P95_TARGET_MS and not result["errors"]


def highest_concurrency_within_target(system: RunningSystem, measured: Dict[int, Dict[str, float]]) -> int:
    """Bisects between the highest measured level that met the p95 target and the lowest that did not."""
    passing = [level for level, result in measured.items() if meets_target(result)]
    low = max(passing, default=0)
    high = min((level for level in measured if level > low and not meets_target(measured[level])), default=None)
    if high is None:
        return low
    while high - low > 1:
        middle = (low + high) // 2
        result = asyncio.run(turn_latency(system, middle))
        low, high = (middle, high) if meets_target(result) else (low, middle)
    return low


def warm_up(system: RunningSystem) -> None:
    """The first turns after start load lazily (TensorFlow graphs, caches): not what a citizen meets."""
    asyncio.run(turn_latency(system, 1, min_turns=2 * len(QUESTIONS), turns=len(QUESTIONS)))


# --- time to hand-off -----------------------------------------------------------------------------------
class DeskFeed:
    """An officer's open desk page: the SSE feed, with when each case first appeared."""

    def __init__(self, system: RunningSystem, token: str) -> None:
        self.seen: Dict[int, float] = {}
        self._request = urllib.request.Request(system.web_url + "/api/events",
                                               headers={"Authorization": f"Bearer {token}"})
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        with urllib.request.urlopen(self._request, timeout=3600) as stream:
            for raw in stream:
                line = raw.decode("utf-8").strip()
                if line.startswith("data:") and '"case_created"' in line:
                    self.seen.setdefault(json.loads(line[5:])["case_id"], time.monotonic())


def time_to_handoff(system: RunningSystem, scam_types: List[str]) -> Dict[str, List[float]]:
    """Per scam type: citizen turns and seconds to a complete case on the desk API, and the delay until
    an officer's open desk feed shows it."""
    token = system.officer("bench-officer")
    feed = DeskFeed(system, token)
    time.sleep(0.5)
    measured: Dict[str, List[float]] = {"turns": [], "seconds": [], "shown": []}
    for scam_type in scam_types:
        sender = f"handoff-{scam_type}-{random.randrange(10**6)}"
        run = report_until_handoff(system, sender, scam_type)
        status, body = http_call("GET", system.web_url + "/api/cases?status=waiting",
                                 headers={"Authorization": f"Bearer {token}"})
        case = next(c for c in body["cases"] if c["conversation_id"] == sender)
        assert case["transfers"] and case["transfers"][0]["to_account"], case
        deadline = time.monotonic() + 10
        while case["id"] not in feed.seen and time.monotonic() < deadline:
            time.sleep(0.01)
        measured["turns"].append(run.turns)
        measured["seconds"].append(run.seconds)
        measured["shown"].append(feed.seen.get(case["id"], float("nan")) - run.handed_off_at)
    return measured


# --- soak -----------------------------------------------------------------------------------------------
async def soak(system: RunningSystem, figures: Figures, conversations: int, seconds: float) -> None:
    """Conversations with hand-offs for `seconds`, the desk killed once in the middle; every message
    the citizens and officers sent is then looked for exactly once where it belongs."""
    token = system.officer("soak-officer")
    officer = {"Authorization": f"Bearer {token}"}
    sent_by_citizens: Dict[str, List[str]] = {}
    sent_by_officers: Dict[str, List[str]] = {}
    officer_sent_at: Dict[str, float] = {}  # words → wall-clock time the desk accepted them
    turn_s: List[float] = []
    errors: List[str] = []
    stop_at = time.monotonic() + seconds
    rest = system.rasa_url + "/webhooks/rest/webhook"

    async def desk(session, method, path, body=None):
        for _ in range(60):  # the desk may be restarting: retry, as an officer's page would
            try:
                async with session.request(method, system.web_url + path, json=body, headers=officer) as answer:
                    if answer.status < 500:
                        return answer.status, await answer.json()
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.5)
        errors.append(f"desk {method} {path} never answered")
        return 0, {}

    async def say(session, sender, text):
        started = time.monotonic()
        async with session.post(rest, json={"sender": sender, "message": text},
                                headers=system.service_headers) as answer:
            if answer.status != 200:
                errors.append(f"REST {answer.status}")
            replies = await answer.json()
        turn_s.append(time.monotonic() - started)
        return replies

    async def citizen(session, index: int) -> None:
        sender = f"soak-{index}-{random.randrange(10**6)}"
        round_ = 0
        while time.monotonic() < stop_at:
            round_ += 1
            await say(session, sender, QUESTIONS[(index + round_) % len(QUESTIONS)])
            if index % 5:
                continue
            await say(session, sender, "转人工")
            status, cases = await desk(session, "GET", "/api/cases")
            case = next((c for c in cases.get("cases", []) if c["conversation_id"] == sender), None)
            if case is None:
                errors.append(f"no case for {sender}")
                continue
            if case["status"] == "waiting":
                await desk(session, "POST", f"/api/cases/{case['id']}/claim")
            for n in range(2):
                words = f"群众{sender}第{round_}轮消息{n}"
                replies = [r for r in await say(session, sender, words) if r.get("text") != OFFICER_JOINED]
                if replies:  # the notice that the officer took over may answer the first one, nothing else
                    errors.append(f"the bot answered during a hand-off: {replies}")
                sent_by_citizens.setdefault(sender, []).append(words)
                words = f"民警对{sender}第{round_}轮消息{n}"
                await desk(session, "POST", f"/api/cases/{case['id']}/messages", {"text": words})
                officer_sent_at[words] = time.time()
                sent_by_officers.setdefault(sender, []).append(words)
            await desk(session, "POST", f"/api/cases/{case['id']}/handback")
            await asyncio.sleep(1.0)

    async def kill_desk_midway() -> None:
        await asyncio.sleep(seconds / 2)
        status, health = http_call("GET", system.web_url + "/api/health")
        os.kill(health["pid"], signal.SIGKILL)

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        await asyncio.gather(kill_desk_midway(), *(citizen(session, i) for i in range(conversations)))
    drained_at = time.monotonic()
    while time.monotonic() - drained_at < 120:  # officer messages still queued for Rasa go out first
        try:
            if http_call("GET", system.web_url + "/api/health", timeout=5)[1].get("undelivered") == 0:
                break
        except OSError:
            pass
        await asyncio.sleep(0.5)
    backlog_s = time.monotonic() - drained_at
    lost = duplicated = misrouted = 0
    problems: List[str] = []
    async with aiohttp.ClientSession() as session:
        status, body = await desk(session, "GET", "/api/cases")
        transcripts = {}
        for case in body.get("cases", []):
            _, full = await desk(session, "GET", f"/api/cases/{case['id']}")
            transcripts[case["conversation_id"]] = [m["text"] for m in full.get("transcript", [])]
    for sender, words in sent_by_citizens.items():
        for text in words:
            found = transcripts.get(sender, []).count(text)
            lost += found == 0
            duplicated += found > 1
            if found != 1:
                problems.append(f"citizen message {text!r} found {found}×")
    reached_after: List[float] = []
    for sender, words in sent_by_officers.items():
        tracker = http_call("GET", f"{system.rasa_url}/conversations/{sender}/tracker?token={system.token}")[1]
        bot_events = [e for e in tracker["events"] if e["event"] == "bot"]
        said = [e.get("text") for e in bot_events]
        for text in words:
            found = said.count("【民警】" + text)
            reached_after += [e["timestamp"] - officer_sent_at[text] for e in bot_events
                              if e.get("text") == "【民警】" + text]
            lost += found == 0
            duplicated += found > 1
            if found != 1:
                problems.append(f"officer message {text!r} found {found}×")
        misrouted += sum(1 for t in said if t and t.startswith("【民警】民警对") and sender not in t)
    figures.add("soak: conversations / seconds", f"{conversations} / {seconds:.0f}", "", "desk killed once midway")
    figures.add("soak: messages checked", sum(map(len, sent_by_citizens.values())) +
                sum(map(len, sent_by_officers.values())), "messages")
    figures.add("soak: lost", lost, "messages")
    figures.add("soak: duplicated", duplicated, "messages")
    figures.add("soak: misrouted", misrouted, "messages")
    figures.add("soak: errors", len(errors), "errors", "; ".join(sorted(set(errors)))[:200])
    figures.add("soak: officer-message backlog drained after the end", backlog_s, "s")
    def spread(values: List[float]) -> str:
        return " / ".join(f"{percentile(values, share):.1f}" for share in (0.50, 0.95, 1.0))

    figures.add("soak: citizen turn p50 / p95 / max", spread(turn_s), "s",
                f"{len(turn_s)} turns; back to back, so Rasa runs saturated")
    if reached_after:
        figures.add("soak: officer message → citizen's conversation p50 / p95 / max", spread(reached_after), "s",
                    "queued behind the citizen's own messages")
    for problem in problems[:5]:
        print(f"    {problem}")


# --- understanding (offline, on the project's data) ------------------------------------------------------
def understanding(figures: Figures, repeats: int, scam_baseline_repeats: int) -> None:
    """Scam type and entities, each against Rasa's default pipeline with jieba trained on the same folds
    (the first `scam_baseline_repeats` shuffles of the shipped classifier's: one 5-fold run of the
    baseline on the narratives trains for about 18 minutes on 2 cores)."""
    from bench.entities_eval import evaluate as evaluate_entities
    from bench.scam_type_cv import RASA_DEFAULT, SHIPPED, evaluate
    from bot.scam.narratives import load_narratives

    texts, labels = load_narratives(REPO_ROOT / "nlu_data" / "scam_types")
    shipped = evaluate(SHIPPED, texts, labels, 5, repeats)
    paired = evaluate(SHIPPED, texts, labels, 5, scam_baseline_repeats)
    baseline = evaluate(RASA_DEFAULT, texts, labels, 5, scam_baseline_repeats)
    figures.add("scam type macro-F1, shipped", shipped["macro_f1"], "F1",
                f"5-fold CV on {len(texts)} narratives, median of {repeats} shuffles")
    figures.add("scam type macro-F1, plain baseline (Rasa default + jieba)", baseline["macro_f1"], "F1",
                f"median of {scam_baseline_repeats} shuffle(s); shipped on the same folds {paired['macro_f1']:.3f}, "
                f"{paired['macro_f1'] / baseline['macro_f1']:.2f}× the baseline")
    for name, row in shipped["per_type"].items():
        figures.add(f"scam type F1: {name}", row["f1"], "F1", f"P {row['precision']:.2f} R {row['recall']:.2f} "
                    f"n={row['support']}; baseline F1 {baseline['per_type'][name]['f1']:.2f}")
    scam_types(figures)
    entities = evaluate_entities(5, repeats)
    mine, base = entities["shipped"], entities["baseline"]
    for name, row in mine["span"].items():
        label = "all entities (micro)" if name == "micro" else name
        figures.add(f"entity span F1: {label}", row["f1"], "F1",
                    f"n={row['support']}; baseline {base['span'][name]['f1']:.2f}")
        figures.add(f"entity value F1: {label}", mine["value"][name]["f1"], "F1",
                    f"normalised value right; baseline {base['value'][name]['f1']:.2f}")


def scam_types(figures: Figures) -> None:
    """Scam type on texts in every register: grouped by form, and on the development set written apart."""
    from bench.scam_type_eval import evaluate as evaluate_types
    from bot.scam.classifier import BASELINE, SHIPPED

    results = evaluate_types([SHIPPED, BASELINE])
    for kind, label in ((SHIPPED, "shipped"), (BASELINE, "plain baseline (jieba words, naive Bayes)")):
        entry = results[kind]
        for key, what in (("grouped_cv", "CV grouped by form of text"), ("dev_tune", "development set, tune half"),
                          ("dev_frozen", "development set, frozen half")):
            value = entry[key]
            figures.add(f"scam type macro-F1, {what}, {label}", value["macro_f1"], "F1",
                        f"n={value['n']}; none threshold {entry['none_threshold']}")
            figures.add(f"scam type false alarms on none, {what}, {label}", 100 * value["none_false_alarms"], "%",
                        "share of genuine notifications, ordinary calls and money talk given a scam type")
    for name, row in results[SHIPPED]["dev_frozen"]["per_register"].items():
        figures.add(f"scam type accuracy, frozen development half: {name}", row["accuracy"], "share", f"n={row['n']}")
    warnings = results["warnings_on_ordinary_texts"]
    figures.add("scam-in-progress warnings on ordinary texts", 100 * warnings["false_alarms"], "%",
                f"{warnings['n']} genuine notifications, service calls and descriptions of ordinary calls")
    field_figures(figures)


def field_figures(figures: Figures) -> None:
    """Scam type on texts shaped like issue 15's external collections (bench/scam_type_field.py)."""
    from bench.scam_type_field import STRESSES, describe, evaluate as evaluate_field
    from bot.scam.classifier import BASELINE, SHIPPED

    results = evaluate_field([SHIPPED, BASELINE], stresses=tuple(STRESSES))
    for kind, label in ((SHIPPED, "shipped"), (BASELINE, "plain baseline (jieba words, naive Bayes)")):
        for key, scored in results[kind].items():
            if key == "via":
                continue
            part = key.split("/")[1]
            unit = {"false_alarms": "%", "accuracy": "share"}.get(scored["measure"], "F1")
            value = 100 * scored["value"] if unit == "%" else scored["value"]
            figures.add(f"scam type, field-like {key}, {scored['measure']}, {label}", value, unit,
                        describe(part, scored))
    warnings = results["warnings_on_ordinary"]
    figures.add("scam-in-progress warnings on field-like ordinary calls, SMS and news",
                100 * warnings["false_alarms"], "%", f"{warnings['n']} ordinary texts of tests/corpus/scam_types_field")


HELDOUT = REPO_ROOT / "tests" / "nlu" / "faq_heldout.yml"


def heldout_questions() -> List[tuple]:
    import yaml

    data = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    return [(line.strip()[2:], block["intent"]) for block in data["nlu"]
            for line in block["examples"].splitlines() if line.strip()]


def predicted_question(parse: Dict[str, Any]) -> str:
    """What the citizen is answered: a question that also states a loss gets its public answer first,
    then the report starts (actions/report.py), so it counts as that answer."""
    from actions.report import answer_first

    intent = parse["intent"]["name"]
    if intent == "report_fraud" and answer_first(parse):
        intent = "faq"
    if intent != "faq":
        return intent
    selectors = parse.get("response_selector") or {}
    selector = selectors.get("faq") or selectors.get("default") or {}  # the baseline's has no retrieval_intent
    return (selector.get("response") or {}).get("intent_response_key") or intent


def faq_accuracy(system: RunningSystem, figures: Figures) -> None:
    """Held-out public questions: the shipped model (served) against Rasa's default pipeline with
    jieba trained here on the same data."""
    from bench.rasa_baseline import parse_all, train_on

    questions = heldout_questions()
    right = sum(predicted_question(system.parse(text)) == intent for text, intent in questions)
    figures.add("public-question accuracy, shipped (held-out)", right / len(questions), "accuracy",
                f"{right}/{len(questions)}")
    started = time.monotonic()
    agent = train_on(REPO_ROOT / "nlu_data", REPO_ROOT / "domain.yml")
    parses = parse_all(agent, [text for text, _ in questions])
    baseline = sum(predicted_question(parse) == intent for parse, (_, intent) in zip(parses, questions))
    figures.add("public-question accuracy, plain baseline (Rasa default + jieba)", baseline / len(questions),
                "accuracy", f"{baseline}/{len(questions)}, trained in {time.monotonic() - started:.0f} s")


def wechat_under_load(figures: Figures, conversations: int) -> None:
    """Concurrent WeChat messages (safe mode, signed and encrypted as WeChat does): the share answered
    inside WeChat's 5-second window, passively or through the customer-service API."""
    from tests.conftest import WECHAT
    from tests.e2e.test_wechat import WeChat, text_message
    from tests.wechat_api import FakeWeChatApi

    api = FakeWeChatApi(WECHAT["WECHAT_APP_ID"], WECHAT["WECHAT_APP_SECRET"]).start()
    work = Path(tempfile.mkdtemp(prefix="hotline-bench-wechat-"))
    system = start_system(work, dict(os.environ, RASA_TELEMETRY_ENABLED="false", WECHAT_API_BASE=api.url, **WECHAT))
    try:
        wechat = WeChat(system.rasa_url)
        times: List[float] = []
        passive = 0
        lock = threading.Lock()

        def user(index: int) -> None:
            nonlocal passive
            for turn in range(3):
                started = time.monotonic()
                status, body = wechat.post(text_message(f"bench-wx-{index}", QUESTIONS[(index + turn) % len(QUESTIONS)]))
                with lock:
                    times.append(time.monotonic() - started)
                    passive += status == 200 and body != "success"

        threads = [threading.Thread(target=user, args=(i,)) for i in range(conversations)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        within = sum(t <= 5.0 for t in times)
        figures.add(f"WeChat: answered within 5 s at {conversations} concurrent users", within / len(times), "share",
                    f"{passive} passive of {len(times)}; p95 {percentile(times, 0.95):.2f} s")
    finally:
        stop_system(system)


def voice_figures(figures: Figures) -> None:
    from bench.voice_calls import main as voice_main
    from speech.tts import EspeakTts

    if not EspeakTts.available():
        figures.add("voice line", "n/a", "", "espeak-ng not installed")
        return
    result = asyncio.run(voice_main([1, 10, 20, 40], 10, 3))
    for row in result["levels"]:
        figures.add(f"voice: CPU per call-second at {row['calls']} calls", row["cpu_ms_per_call_s"], "ms",
                    f"burst stretch {row['worst_stretch']:.3f}, p99 gap {row['p99_gap_ms']:.0f} ms")
    figures.add("voice: concurrent calls kept in real time (no recognition)", result["sustained"], "calls")
    figures.add("voice: recognition real-time factor", result["rtf"], "")
    voice_recognition_figures(figures)


def voice_recognition_figures(figures: Figures) -> None:
    """The voice line with the recogniser in the loop (bench/voice_recognition.py)."""
    from bench.voice_recognition import run as recognition_run

    result = recognition_run([])
    if not result.get("measured"):
        figures.add("voice with recognition", "n/a", "", result.get("reason", ""))
        return
    model = Path(result["model"]).parent.name if Path(result["model"]).name == "model" else Path(result["model"]).name
    engine = result["engine"]
    figures.add("voice: recognition real-time factor, warm recogniser, 8 kHz", engine["rtf_warm_8000"], "",
                f"16 kHz {engine['rtf_warm_16000']:.3f}; a new one {engine['rtf_new_8000']:.3f}; model {model}")
    figures.add("voice: model memory / per warm recogniser", f"{engine['model_mib']:.0f} / {engine['recognizer_mib']:.0f}",
                "MiB", f"model {model}")
    for row in result["levels"]:
        figures.add(f"voice+recognition: {row['calls']} calls, CPU per call-second", row["cpu_ms_per_call_s"], "ms",
                    f"reply p50/p95 {row['latency_p50_s']:.2f}/{row['latency_p95_s']:.2f} s, max lag {row['max_lag_ms']:.0f} ms, "
                    f"p99 gap {row['p99_gap_ms']:.0f} ms, {row['mib_per_call']:.0f} MiB per call"
                    f"{'' if row['real_time'] else ', behind real time'}")
    figures.add("voice+recognition: concurrent calls kept in real time", result["sustained"], "calls",
                f"{result['cores']} cores, model {model}")
    scenario = result["scenario"]
    figures.add("voice+recognition: 12 callers within 12 s, reply latency p50 / p95",
                f"{scenario['latency_p50_s']:.2f} / {scenario['latency_p95_s']:.2f}", "s", f"model {model}")


def turn_cost_figures(figures: Figures) -> None:
    from bench.turn_cost import run as measure_turn_cost, show

    result = measure_turn_cost(rounds=2)
    show(result)
    for kind in ("faq", "report"):
        for name in ("rasa", "actions"):
            before, after = result["before"][kind][name], result["after"][kind][name]
            figures.add(f"CPU per {kind} turn: {name} server, before / after", f"{before:.0f} / {after:.0f}", "ms",
                        "mean, turns one at a time; before = Rasa as shipped (RASA_TUNING=off), side by side")


def realistic_load_figures(figures: Figures, repeats: int) -> None:
    """The realistic load model (bench/realistic_load.py, its own fresh systems): citizens pausing 3–8 s,
    70 % reports, 50–400 at once; the officer-message delay meanwhile; then the same with two Rasa servers
    behind the balancer on the same machine (a Redis lock store)."""
    from bench.realistic_load import LEVELS, add_figures, run as realistic_run, show

    for servers in (1, 2):
        result = realistic_run(LEVELS, repeats=repeats, rasa_servers=servers)
        show(result)
        add_figures(figures, result)


def section(figures: Figures, name: str, measure, *args) -> None:
    """One section failing is reported, not fatal to the others."""
    try:
        measure(*args)
    except Exception as error:  # noqa: BLE001 (the report names it)
        figures.add(f"{name}: not measured", "error", "", f"{type(error).__name__}: {error}"[:200])


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def measure_system(system: RunningSystem, quick: bool, samples: Dict[str, List[float]]) -> None:
    """One run's system figures, appended to samples (name → one value per run)."""
    samples["start to ready (all services)"].append(system.ready_after_s)
    for name, mb in service_rss_mb(system.process.pid).items():
        samples[f"resident memory at idle: {name}"].append(mb)
    warm_up(system)
    measured: Dict[int, Dict[str, float]] = {}
    for level in LEVELS_QUICK if quick else LEVELS:
        result = measured[level] = asyncio.run(turn_latency(system, level, 20 if quick else MIN_TURNS_PER_LEVEL))
        for key in ("p50", "p95", "p99", "turns_per_s", "errors", "turns"):
            samples[f"{key} at {level}"].append(result[key])
    for name, mb in service_rss_mb(system.process.pid).items():
        samples[f"resident memory after load: {name}"].append(mb)
    samples["highest concurrency"].append(highest_concurrency_within_target(system, measured))
    for key, values in time_to_handoff(system, sorted(SCAM_REPORTS)[:1] if quick else sorted(SCAM_REPORTS)).items():
        samples[f"hand-off {key}"].append(statistics.median(values))
        samples[f"hand-off {key} max"].append(max(values))


def openings_started(system: RunningSystem, figures: Figures, quick: bool) -> None:
    """Openings (tests/corpus/openings): losses in a report at once, no loss never asked a transfer's details."""
    from bench.openings import FILES, play_file

    for name in FILES:
        result = play_file(name, system.say, every=20 if quick else 1)
        figures.add(result.summary().split(":")[0], f"{result.right}/{result.played} ({result.rate:.0%})", "",
                    "started a report" if result.lost else "not treated as a loss")


def answer_banks(figures: Figures) -> None:
    """One reply to one question (tests/corpus/answers): recorded as a careful officer would."""
    import yaml

    from bench.answer_bank import ANSWERS_DIR, BANKS, score

    for part, files in BANKS.items():
        items = [i for name in files for i in yaml.safe_load((ANSWERS_DIR / name).read_text(encoding="utf-8"))]
        counts = score(items, verbose=False)
        right = sum(c["ok"] for c in counts.values())
        figures.add(f"answer bank ({part}): replies recorded as an officer would", f"{right}/{len(items)} ({right / len(items):.0%})",
                    "", ", ".join(f"{f} {c['ok']}/{c['ok'] + c['miss']}" for f, c in sorted(counts.items())))


def report_corpus(system: RunningSystem, figures: Figures, quick: bool) -> None:
    """Messy citizens' reports (tests/corpus): complete stop-payment packets on the desk, both parts."""
    from bench.report_corpus import PARTS, desk_case_lookup, run_part

    for part in PARTS:
        result = run_part(part, system.say, desk_case_lookup(system), prefix="bench", limit=3 if quick else None)
        played = result.played
        figures.add(f"report corpus ({part}): complete stop-payment packets",
                    f"{sum(p.complete for p in played)}/{len(played)} ({result.complete_rate:.0%})", "",
                    "all transfer and victim fields right on the desk case")
        figures.add(f"report corpus ({part}): with the scam type right too", f"{result.all_fields_rate:.0%}", "")
        figures.add(f"report corpus ({part}): median citizen turns to a complete packet", result.median_turns, "turns")
        figures.add(f"report corpus ({part}): generic errors / conversations looping",
                    f"{sum(p.generic_errors for p in played)} / {sum(p.looped for p in played)}", "")


def report_system(figures: Figures, samples: Dict[str, List[float]], quick: bool) -> None:
    figures.add_median("start to ready (all services)", samples["start to ready (all services)"], "s")
    for prefix in ("resident memory at idle: ", "resident memory after load: "):
        for name in sorted(n for n in samples if n.startswith(prefix)):
            figures.add_median(name, samples[name], "MiB")
    for level in LEVELS_QUICK if quick else LEVELS:
        p50, p95, p99 = (statistics.median(samples[f"{k} at {level}"]) for k in ("p50", "p95", "p99"))
        figures.add(f"turn latency p50 / p95 / p99 at {level} concurrent", f"{p50:.0f} / {p95:.0f} / {p99:.0f}", "ms",
                    f"median of {len(samples[f'p95 at {level}'])} run(s) of ≥{int(min(samples[f'turns at {level}']))} "
                    f"turns; p95 runs {', '.join(f'{v:.0f}' for v in samples[f'p95 at {level}'])}")
        figures.add_median(f"throughput at {level} concurrent", samples[f"turns_per_s at {level}"], "turns/s",
                           f"{sum(samples[f'errors at {level}']):.0f} errors")
    figures.add_median(f"highest concurrency with p95 < {P95_TARGET_MS} ms", samples["highest concurrency"],
                       "conversations", "citizens sending back to back, no pause to read or type")
    figures.add_median("time to hand-off: citizen turns (median over scam types)", samples["hand-off turns"], "turns",
                       f"{1 if quick else len(SCAM_REPORTS)} scam types, simulated citizens")
    figures.add_median("time to hand-off: first message → case on the desk API (median)",
                       samples["hand-off seconds"], "s")
    figures.add_median("hand-off → case on an open desk page (median)", samples["hand-off shown"], "s")
    figures.add_median("hand-off → case on an open desk page (max)", samples["hand-off shown max"], "s")


LEVELS = [1, 10, 50, 100]
LEVELS_QUICK = [1, 2]


def measure_running(system: RunningSystem, quick: bool, samples: Dict[str, List[float]],
                    figures: Optional[Figures], soak_seconds: float = 180) -> None:
    """One system run's measurements into samples; on the last run (figures given) also the figures of
    all runs, the soak under overload and the report corpus (and public questions unless quick)."""
    measure_system(system, quick, samples)
    if figures is None:
        return
    report_system(figures, samples, quick)
    asyncio.run(soak(system, figures, 5 if quick else 50, 10 if quick else soak_seconds))
    section(figures, "report corpus", report_corpus, system, figures, quick)
    section(figures, "openings", openings_started, system, figures, quick)
    section(figures, "answer banks", answer_banks, figures)
    if not quick:
        section(figures, "public-question accuracy", faq_accuracy, system, figures)
        section(figures, "field replies", field_reply_figures, system, figures)


def write_report(out: Path, figures: Figures, quick: bool, repeats: int) -> None:
    report = {"commit": commit(), "cores": os.cpu_count(), "quick": quick, "repeats": repeats,
              "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "figures": figures.items}
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {out}")


def field_reply_figures(system: RunningSystem, figures: Figures) -> None:
    """What a citizen is answered when they forward or tell each field-like text (bench/scam_type_field.py)."""
    from bench.scam_type_field import reply_figures

    for key, row in reply_figures(system.rasa_url, token=system.token).items():
        if row["ordinary"]:
            figures.add(f"replies to field-like {key}: ordinary texts alarmed", 100 * row["ordinary_alarmed"]
                        / row["ordinary"], "%", f"{row['ordinary_alarmed']}/{row['ordinary']}: {row['kinds_ordinary']}")
        if row["scams"]:
            figures.add(f"replies to field-like {key}: scams caught", 100 * row["scams_caught"] / row["scams"], "%",
                        f"{row['scams_caught']}/{row['scams']}: {row['kinds_scams']}")


def merge_report(out: Path, figures: Figures) -> None:
    """Figures of one part measured now replace theirs in `out`; each carries its own commit and time (the
    others keep the file's)."""
    stamp = {"commit": commit(), "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    report = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {
        "commit": stamp["commit"], "cores": os.cpu_count(), "quick": False, "repeats": 1,
        "measured_at": stamp["measured_at"], "figures": []}
    fresh = [{**item, **stamp} for item in figures.items]
    names = {item["name"] for item in fresh}
    report["figures"] = [item for item in report["figures"] if item["name"] not in names] + fresh
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"updated {len(fresh)} figures in {out}")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--quick", action="store_true", help="a small version (what the tests run)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--repeats", type=int, default=3,
                        help="system runs (each a fresh start); figures are their medians")
    parser.add_argument("--soak-seconds", type=float, default=180)
    parser.add_argument("--scam-baseline-repeats", type=int, default=1,
                        help="shuffles of the scam-type CV for the Rasa baseline (about 18 min each on 2 cores)")
    parser.add_argument("--only", choices=["scam-types", "field-replies"],
                        help="measure only this part and update its figures in --out")
    args = parser.parse_args(argv)
    if args.only:
        figures = Figures()
        print(f"benchmark: {args.only} only, commit {commit()}", flush=True)
        if args.only == "scam-types":
            section(figures, "scam types", scam_types, figures)
        else:
            env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
            system = start_system(Path(tempfile.mkdtemp(prefix="hotline-bench-")), env)
            try:
                section(figures, "field replies", field_reply_figures, system, figures)
            finally:
                stop_system(system)
        merge_report(args.out, figures)
        return 0
    repeats = 1 if args.quick else args.repeats
    figures = Figures()
    print(f"benchmark: {os.cpu_count()} cores, commit {commit()}{', quick' if args.quick else ''}", flush=True)
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
    samples: Dict[str, List[float]] = defaultdict(list)
    for run in range(repeats):
        print(f"system run {run + 1} of {repeats}", flush=True)
        work = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
        system = start_system(work, env)
        try:
            measure_running(system, args.quick, samples, figures if run == repeats - 1 else None,
                            args.soak_seconds)
        finally:
            stop_system(system)
    if not args.quick:
        section(figures, "understanding", understanding, figures, args.repeats, args.scam_baseline_repeats)
        section(figures, "WeChat under load", wechat_under_load, figures, 20)
        section(figures, "voice line", voice_figures, figures)
        section(figures, "CPU per turn", turn_cost_figures, figures)
        section(figures, "realistic load", realistic_load_figures, figures, args.repeats)
    write_report(args.out, figures, args.quick, repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
