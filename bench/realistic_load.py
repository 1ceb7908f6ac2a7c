"""The realistic load model of issue 16: the whole system as `make run` starts it (tests/running.py, free
ports, fresh SQLite stores), loaded by citizens who pause to read and type, most of them reporting a fraud.

A level keeps N citizens at once (an open population). The N places fill over a ramp, one after the
other; each citizen holds one conversation over the REST channel (the protocol the web chat and WeChat
channels speak to Rasa), pausing 3–8 s before every message (drawn per message), and leaves when the
conversation is over; a new citizen takes the place at once. 70 % play a report from the development
part of tests/corpus/ (answering what the bot asks, as bench/report_corpus.py does; the held-out files are
never read), 30 % ask one to three public questions taken from nlu_data/nlu/faq_*.yml, with a greeting
before or thanks after now and then.

A turn is one message sent → all replies received. It fails on a timeout (30 s), an HTTP error, a
connection error, an empty answer or the bot's generic error reply (utter_default). Turns sent during
the measurement window (after the ramp) are measured; the load goes on until all of them are answered,
so the last ones meet the same load. Latency percentiles are over every measured turn, a timed-out turn
counting as 30 s (a lower bound).

Meanwhile an officer talks to citizens handed over on the web chat (their pages' event streams open):
each officer message is timed from the desk API POST to its text on the citizen's page (SSE), and the
citizen answers it after a pause, as a person would.

The load client is this one asyncio process; its CPU (getrusage) is printed beside the services' and
the rest of the machine's, so a saturated client or a busy machine shows in the figures.

    .venv/bin/python -m bench.realistic_load [--quick] [--levels 50,100] [--repeats 1] [--json out.json]
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import aiohttp
import yaml

from bench.citizen import HANDED_OFF
from bench.report_corpus import GENERIC_ERROR, MAX_TURNS, PARTS, SAME_QUESTION_LIMIT, Citizen, load_part, question_field
from bench.run import SERVICES, Figures, _children, percentile
from bot.settings import REPO_ROOT
from tests.running import RunningSystem, start_system, stop_system

LEVELS = [50, 100, 200, 400]
LEVELS_QUICK = [10, 20]
THINK_S = (3.0, 8.0)           # a citizen's pause before each message: reading the answer, typing
REPORT_SHARE = 0.7
TURN_TIMEOUT_S = 30.0
P95_TARGET_MS = 300
MEASURE_S, MEASURE_S_QUICK = 75.0, 12.0  # quick: still ≥ 10 turns a level and a message from each officer
RAMP_S, RAMP_S_QUICK = 30.0, 5.0
OFFICER_CHATS = 3              # citizens handed over on the web chat, each written to by an officer
OFFICER_PAUSE_S = (4.0, 8.0)   # between one officer's messages to the same citizen
OFFICER_WAIT_S = 150.0         # after the window, how long an officer message may still arrive
BISECT_RESOLUTION = 10         # citizens
QUIET_CORES = 0.3              # a level starts when the rest of the machine uses less than this …
QUIET_WAIT_S = 60.0            # … or after this long waiting for it (not in --quick)
SETTLE_LIMIT_S = 240.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WAIT_KEY = "rasa waiting for a core"
NLU_DIR = REPO_ROOT / "nlu_data" / "nlu"


# --- what citizens say --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Material:
    reports: List[Dict[str, Any]]   # development corpus conversations (tests/corpus/README.md)
    questions: List[str]            # public questions (training examples of the faq/* intents)
    greetings: List[str]
    thanks: List[str]


def _examples(path: Path) -> Dict[str, List[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {block["intent"]: [line.strip()[2:] for line in block["examples"].splitlines() if line.strip()]
            for block in data.get("nlu") or [] if "intent" in block}


def load_material() -> Material:
    assert not any("heldout" in name for name in PARTS["development"]), "the held-out corpus is never played here"
    faq: Dict[str, List[str]] = {}
    for path in sorted(NLU_DIR.glob("faq_*.yml")):
        faq.update(_examples(path))
    chat = _examples(NLU_DIR / "chitchat.yml")
    return Material(reports=load_part("development"),
                    questions=[q for intent, qs in sorted(faq.items()) if intent.startswith("faq/") for q in qs],
                    greetings=chat["greet"], thanks=chat["thank"] + chat["goodbye"])


def handed_off(replies: List[str]) -> bool:
    return any(HANDED_OFF in reply for reply in replies)


# --- CPU: the services, this load client, the rest of the machine ---------------------------------------
def _process_cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _tree_cpu_s(pid: int) -> float:
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        total += _process_cpu_s(current)
        stack += _children(current)
    return total


def _tree_cpu_wait_s(pid: int) -> float:
    """Seconds the threads of a process and its children spent runnable but waiting for a CPU (schedstat)."""
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        for task in Path(f"/proc/{current}/task").glob("*/schedstat"):
            try:
                total += int(task.read_text().split()[1]) / 1e9
            except (OSError, IndexError, ValueError):
                pass
        stack += _children(current)
    return total


def _machine_busy_s() -> float:
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def cpu_snapshot(system: RunningSystem) -> Dict[str, float]:
    """CPU seconds so far: each service (with what it started), the supervisor, this process, the machine."""
    root = system.process.pid
    snapshot = {"wall": time.monotonic(), "machine": _machine_busy_s(), "supervisor": _process_cpu_s(root)}
    for child in _children(root):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        name = next((n for n, marker in SERVICES.items() if marker in command), "other service")
        snapshot[name] = snapshot.get(name, 0.0) + _tree_cpu_s(child)
        if name == "rasa":
            snapshot[WAIT_KEY] = snapshot.get(WAIT_KEY, 0.0) + _tree_cpu_wait_s(child)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    snapshot["load client"] = usage.ru_utime + usage.ru_stime
    return snapshot


def cpu_cores(before: Dict[str, float], after: Dict[str, float]) -> Dict[str, float]:
    """Cores used on average between two snapshots, by whom; `rest of machine`: everything not ours. Also
    WAIT_KEY: how many of Rasa's threads were on average ready to run but waiting for a core."""
    wall = after["wall"] - before["wall"]
    used = {name: (after[name] - before.get(name, 0.0)) / wall for name in after
            if name not in ("wall", "machine", WAIT_KEY)}
    used["rest of machine"] = max(0.0, (after["machine"] - before["machine"]) / wall - sum(used.values()))
    if WAIT_KEY in after:
        used[WAIT_KEY] = (after[WAIT_KEY] - before.get(WAIT_KEY, 0.0)) / wall
    return used


# --- officers writing to handed-over web chat citizens -----------------------------------------------------
@dataclass
class OfficerChat:
    index: int
    session: aiohttp.ClientSession    # the citizen's browser: its own cookie jar
    case_id: int
    ready: asyncio.Event
    stream: Optional[aiohttp.ClientResponse] = None
    reader: Optional[asyncio.Task] = None


class OfficerChats:
    """Citizens handed over to an officer on the web chat with their pages' event streams open. The
    officer writes to each every few seconds during the window; each message is timed from the POST to
    its text on the page, and the citizen answers it after a pause."""

    def __init__(self, system: RunningSystem, officer_token: str, count: int, rng: random.Random, tag: str) -> None:
        self.system = system
        self.officer = {"Authorization": f"Bearer {officer_token}"}
        self.count = count
        self.rng = rng
        self.tag = tag
        self.chats: List[OfficerChat] = []
        self.sent_at: Dict[str, float] = {}       # the text as the page shows it → when the officer posted it
        self.arrived_at: Dict[str, float] = {}
        self.errors: List[str] = []
        self._answers: List[asyncio.Task] = []

    async def open(self, desk: aiohttp.ClientSession) -> None:
        from bot.web.session import COOKIE, conversation_of

        web = self.system.web_url
        for index in range(self.count):
            session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                            timeout=aiohttp.ClientTimeout(total=None, sock_connect=10))
            chat = OfficerChat(index, session, 0, asyncio.Event())
            self.chats.append(chat)
            async with session.post(web + "/api/chat", json={"message": "转人工"},
                                    timeout=aiohttp.ClientTimeout(total=60)) as answer:
                body = await answer.json()
            if answer.status != 200 or not handed_off([r.get("text", "") for r in body.get("replies", [])]):
                raise RuntimeError(f"web chat not handed over: HTTP {answer.status} {body}")
            cookie = next(c.value for c in session.cookie_jar if c.key == COOKIE)
            conversation = conversation_of(cookie)
            async with desk.get(web + "/api/cases?status=waiting", headers=self.officer) as answer:
                cases = (await answer.json())["cases"]
            chat.case_id = next(c["id"] for c in cases if c["conversation_id"] == conversation)
            async with desk.post(f"{web}/api/cases/{chat.case_id}/claim", headers=self.officer) as answer:
                if answer.status != 200:
                    raise RuntimeError(f"claim of case {chat.case_id}: HTTP {answer.status}")
            chat.stream = await session.get(web + "/api/chat/events")
            chat.reader = asyncio.create_task(self._read(chat), name=f"officer-chat-{index}")
            await asyncio.wait_for(chat.ready.wait(), 30)

    async def _read(self, chat: OfficerChat) -> None:
        async for raw in chat.stream.content:
            line = raw.decode("utf-8").strip()
            if line == "event: ready":
                chat.ready.set()
            elif line.startswith("data:"):
                text = json.loads(line[5:]).get("text", "")
                if text in self.sent_at and text not in self.arrived_at:
                    self.arrived_at[text] = time.monotonic()
                    self._answers.append(asyncio.create_task(self._answer(chat)))

    async def _answer(self, chat: OfficerChat) -> None:
        """The citizen reads the officer's message and answers; the bot stays silent during a hand-off."""
        await asyncio.sleep(self.rng.uniform(*THINK_S))
        try:
            async with chat.session.post(self.system.web_url + "/api/chat", json={"message": "好的，我明白了"},
                                         timeout=aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)) as answer:
                body = await answer.json(content_type=None)
            if answer.status != 200:
                self.errors.append(f"citizen's answer to the officer: HTTP {answer.status}")
            elif body.get("replies"):
                said = [r.get("text") for r in body["replies"]]
                self.errors.append(f"the bot answered during the hand-off: {said}"[:160])
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            self.errors.append(f"citizen's answer to the officer: {type(error).__name__}")

    async def talk(self, desk: aiohttp.ClientSession, window_start: float, window_end: float) -> None:
        async def officer(chat: OfficerChat) -> None:
            await asyncio.sleep(max(0.0, window_start - time.monotonic()) + self.rng.uniform(*OFFICER_PAUSE_S))
            number = 0
            while time.monotonic() < window_end:
                number += 1
                words = f"民警{self.tag}-{chat.index}-{number}：请保持电话畅通，我们正在联系银行止付。"
                shown = f"【民警】{words}"
                self.sent_at[shown] = time.monotonic()  # before the POST: the page may show it before it returns
                try:
                    async with desk.post(f"{self.system.web_url}/api/cases/{chat.case_id}/messages",
                                         json={"text": words}, headers=self.officer) as answer:
                        failure = None if answer.status == 202 else f"HTTP {answer.status}"
                except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                    failure = type(error).__name__
                if failure:
                    self.errors.append(f"officer message: {failure}")
                    del self.sent_at[shown]
                await asyncio.sleep(self.rng.uniform(*OFFICER_PAUSE_S))

        await asyncio.gather(*(officer(chat) for chat in self.chats))

    def all_arrived(self) -> bool:
        return set(self.sent_at) <= set(self.arrived_at)

    def delays_s(self) -> List[float]:
        """Each message's delay; infinite for one that never arrived (it counts in the percentiles)."""
        return [self.arrived_at.get(text, float("inf")) - sent for text, sent in self.sent_at.items()]

    async def close(self) -> None:
        for task in self._answers:
            task.cancel()
        for chat in self.chats:
            if chat.reader:
                chat.reader.cancel()
            if chat.stream:
                chat.stream.close()
        await asyncio.gather(*self._answers, *(c.reader for c in self.chats if c.reader), return_exceptions=True)
        for chat in self.chats:
            await chat.session.close()


# --- one level ------------------------------------------------------------------------------------------
@dataclass
class Turn:
    kind: str                  # "report" or "question"
    latency_s: float           # a timed-out turn: TURN_TIMEOUT_S
    error: Optional[str] = None


class Level:
    """`citizens` at once on a running system, measured for `measure_s` after a ramp of `ramp_s`."""

    def __init__(self, system: RunningSystem, material: Material, officer_token: str, citizens: int,
                 measure_s: float, ramp_s: float, seed: int, tag: str) -> None:
        self.system = system
        self.material = material
        self.officer_token = officer_token
        self.citizens = citizens
        self.measure_s = measure_s
        self.ramp_s = ramp_s
        self.rng = random.Random(seed)
        self.tag = tag
        self.url = system.rasa_url + "/webhooks/rest/webhook"
        self.turns: List[Turn] = []
        self.in_flight = 0               # measured turns not answered yet
        self.arrived: Counter = Counter()  # citizens by kind
        self.window = (float("inf"), float("inf"))
        self.session: Optional[aiohttp.ClientSession] = None

    async def turn(self, kind: str, sender: str, text: str) -> Optional[List[str]]:
        """Pauses as a person reading and typing, sends, waits for every reply; None when the turn failed."""
        await asyncio.sleep(self.rng.uniform(*THINK_S))
        started = time.monotonic()
        measured = self.window[0] <= started < self.window[1]
        self.in_flight += measured
        texts: Optional[List[str]] = None
        error: Optional[str] = None
        try:
            async with self.session.post(self.url, json={"sender": sender, "message": text}) as answer:
                if answer.status != 200:
                    error = f"HTTP {answer.status}"
                else:
                    body = await answer.json(content_type=None)
                    texts = [r["text"] for r in body if isinstance(r, dict) and r.get("text")]
                    if not texts:
                        error = "empty answer"
                    elif any(GENERIC_ERROR in t for t in texts):
                        error = "the bot's generic error reply"
        except asyncio.CancelledError:
            error = "cancelled"  # only when a level is aborted: never counted as an answer
            raise
        except asyncio.TimeoutError:
            error = "timeout"
        except aiohttp.ClientError as failure:
            error = f"connection: {type(failure).__name__}"
        except ValueError:
            error = "not JSON"
        finally:
            if measured:
                self.in_flight -= 1
                latency = TURN_TIMEOUT_S if error == "timeout" else time.monotonic() - started
                self.turns.append(Turn(kind, latency, error))
        return None if error else texts

    async def reporter(self, sender: str, conversation: Dict[str, Any]) -> None:
        """A report from the corpus: the opening, then an answer to whatever the bot asks (as
        bench/report_corpus.py plays it), until the hand-off or the bot asks nothing more."""
        citizen = Citizen(conversation)
        queue = [str(m) for m in conversation["opening"]]
        previous, repeat, in_report = None, 0, False
        for _ in range(MAX_TURNS):
            replies = await self.turn("report", sender, queue.pop(0))
            if replies is None or handed_off(replies):
                return
            if queue:
                continue
            asked = question_field(replies, in_report)
            in_report = in_report or asked not in (None, "detail")
            repeat = repeat + 1 if asked == previous and asked is not None else 1
            previous = asked
            if asked is None or repeat > SAME_QUESTION_LIMIT + 2:
                return
            queue.append(citizen.reply(asked))

    async def questioner(self, sender: str) -> None:
        rng, material = self.rng, self.material
        messages = [rng.choice(material.greetings)] if rng.random() < 0.5 else []
        messages += rng.sample(material.questions, rng.randint(1, 3))
        messages += [rng.choice(material.thanks)] if rng.random() < 0.5 else []
        for text in messages:
            replies = await self.turn("question", sender, text)
            if replies is None or handed_off(replies):
                return

    async def place(self, index: int) -> None:
        """One place among the N: its first citizen arrives at its point of the ramp, then each leaving
        citizen is replaced by a new one."""
        await asyncio.sleep(index * self.ramp_s / self.citizens)
        for serial in range(10**9):
            sender = f"{self.tag}-{index}-{serial}"
            if self.rng.random() < REPORT_SHARE:
                self.arrived["report"] += 1
                await self.reporter(sender, self.rng.choice(self.material.reports))
            else:
                self.arrived["question"] += 1
                await self.questioner(sender)

    async def run(self) -> Dict[str, Any]:
        officers = OfficerChats(self.system, self.officer_token, OFFICER_CHATS, random.Random(self.rng.random()),
                                self.tag)
        connector = aiohttp.TCPConnector(limit=self.citizens + 50)
        timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                         headers=self.system.service_headers) as session, \
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as desk:
            self.session = session
            places: List[asyncio.Task] = []
            talking: Optional[asyncio.Task] = None
            try:
                await officers.open(desk)
                start = time.monotonic()
                # measured from when the last place's first citizen has sent its first message
                self.window = (start + self.ramp_s + THINK_S[1], start + self.ramp_s + THINK_S[1] + self.measure_s)
                places = [asyncio.create_task(self.place(i)) for i in range(self.citizens)]
                talking = asyncio.create_task(officers.talk(desk, *self.window))
                await asyncio.sleep(self.window[0] - time.monotonic())
                before = cpu_snapshot(self.system)
                await asyncio.sleep(self.window[1] - time.monotonic())
                cores = cpu_cores(before, cpu_snapshot(self.system))
                officer_deadline = self.window[1] + OFFICER_WAIT_S
                # the load goes on until the measured turns are answered and the officer's messages arrived
                while self.in_flight or (not officers.all_arrived() and time.monotonic() < officer_deadline):
                    await asyncio.sleep(0.2)
                drained_after_s = time.monotonic() - self.window[1]
            finally:
                tasks = places + ([talking] if talking else [])
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                await officers.close()
        return self.summary(cores, officers, drained_after_s)

    def summary(self, cores: Dict[str, float], officers: OfficerChats, drained_after_s: float) -> Dict[str, Any]:
        latencies = [t.latency_s for t in self.turns]
        by_kind = {kind: [t.latency_s for t in self.turns if t.kind == kind] for kind in ("report", "question")}
        errors = Counter(t.error for t in self.turns if t.error)
        delays = officers.delays_s()
        ms = lambda values, share: 1000 * percentile(values, share)  # noqa: E731
        return {
            "citizens": self.citizens, "measure_s": self.measure_s, "ramp_s": self.ramp_s,
            "turns": len(self.turns), "turns_per_s": sum(not t.error for t in self.turns) / self.measure_s,
            "p50_ms": ms(latencies, 0.50), "p95_ms": ms(latencies, 0.95), "p99_ms": ms(latencies, 0.99),
            "max_ms": 1000 * max(latencies, default=float("nan")),
            **{f"{kind}_{name}_ms": ms(values, share) for kind, values in by_kind.items()
               for name, share in (("p50", 0.50), ("p95", 0.95))},
            "report_turn_share": len(by_kind["report"]) / max(1, len(self.turns)),
            "citizens_arrived": dict(self.arrived),
            "errors": sum(errors.values()), "error_kinds": dict(errors),
            "officer_sent": len(delays), "officer_arrived": sum(d != float("inf") for d in delays),
            "officer_p50_s": percentile(delays, 0.50), "officer_p95_s": percentile(delays, 0.95),
            "officer_max_s": max(delays, default=float("nan")), "officer_errors": dict(Counter(officers.errors)),
            "cpu_cores": cores, "drained_after_s": drained_after_s,
            # what a turn costs under this load, whatever else ran on the machine: the window's CPU per turn sent
            "rasa_cpu_ms_per_turn": 1000 * cores.get("rasa", 0.0) * self.measure_s / max(1, len(self.turns)),
            "services_cpu_ms_per_turn": 1000 * sum(v for k, v in cores.items() if k in SERVICES or k == "supervisor")
            * self.measure_s / max(1, len(self.turns)),
        }


# --- a system run ---------------------------------------------------------------------------------------
def warm_up(system: RunningSystem, material: Material) -> None:
    """The first turns after start load lazily (TensorFlow graphs, caches): not what a citizen meets."""
    from bench.citizen import SCAM_REPORTS, report_until_handoff

    for i, question in enumerate(material.questions[::40]):
        system.say(f"warm-question-{i}", question)
    report_until_handoff(system, f"warm-report-{random.randrange(10**6)}", sorted(SCAM_REPORTS)[0])


async def settle(system: RunningSystem) -> float:
    """Waits until the last level's queued work is done: the desk delivered everything and a question is
    answered in under half a second again. Returns the seconds waited."""
    started = time.monotonic()
    async with aiohttp.ClientSession(headers=system.service_headers,
                                     timeout=aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)) as session:
        while time.monotonic() - started < SETTLE_LIMIT_S:
            await asyncio.sleep(2.0)
            try:
                async with session.get(system.web_url + "/api/health") as answer:
                    if (await answer.json()).get("undelivered"):
                        continue
                asked = time.monotonic()
                async with session.post(system.rasa_url + "/webhooks/rest/webhook",
                                        json={"sender": f"settle-{random.randrange(10**9)}",
                                              "message": "你好"}) as answer:
                    await answer.read()
                if answer.status == 200 and time.monotonic() - asked < 0.5:
                    break
            except (aiohttp.ClientError, asyncio.TimeoutError):
                continue
    return time.monotonic() - started


@dataclass(frozen=True)
class Plan:
    measure_s: float
    ramp_s: float
    quiet_wait_s: float   # how long a level may wait for the rest of the machine to be quiet


def other_load_cores(system: RunningSystem, seconds: float = 5.0) -> float:
    before = cpu_snapshot(system)
    time.sleep(seconds)
    return cpu_cores(before, cpu_snapshot(system))["rest of machine"]


def wait_for_quiet(system: RunningSystem, limit_s: float) -> Tuple[float, float]:
    """Waits (up to limit_s) until what else runs on the machine uses under QUIET_CORES: others' work
    on a 2-core machine takes Rasa's CPU and would be measured as the system's latency. Returns the
    seconds waited and the other load last seen."""
    started = time.monotonic()
    other = other_load_cores(system)
    while other >= QUIET_CORES and time.monotonic() - started < limit_s:
        other = other_load_cores(system, 10.0)
    return time.monotonic() - started, other


def measure_level(system: RunningSystem, material: Material, officer_token: str, citizens: int, plan: Plan,
                  seed: int, tag: str) -> Dict[str, Any]:
    async def both() -> Dict[str, Any]:
        result = await Level(system, material, officer_token, citizens, plan.measure_s, plan.ramp_s, seed, tag).run()
        result["settled_after_s"] = await settle(system)
        return result

    waited_s, other = wait_for_quiet(system, plan.quiet_wait_s) if plan.quiet_wait_s else (0.0, float("nan"))
    result = asyncio.run(both())
    result.update(waited_for_quiet_s=waited_s, other_load_before_cores=other)
    show_level(result)
    return result


def meets_target(result: Dict[str, Any]) -> bool:
    return result["p95_ms"] < P95_TARGET_MS and not result["errors"]


def bisect(system: RunningSystem, material: Material, officer_token: str, summary: Dict[int, Dict[str, Any]],
           plan: Plan, seed: int) -> Tuple[int, List[Dict[str, Any]]]:
    """Between the highest level whose median met the target and the lowest above it that did not, one
    run per probe, down to BISECT_RESOLUTION citizens."""
    low = max((n for n, row in summary.items() if meets_target(row)), default=0)
    high = min((n for n in summary if n > low and not meets_target(summary[n])), default=None)
    probes: List[Dict[str, Any]] = []
    while high is not None and high - low > BISECT_RESOLUTION:
        middle = (low + high) // 2
        print(f"bisecting: {middle} citizens", flush=True)
        probe = measure_level(system, material, officer_token, middle, plan, seed + middle, f"rlb{middle}")
        probes.append(probe)
        low, high = (middle, high) if meets_target(probe) else (low, middle)
    return low, probes


def median_row(runs: List[Dict[str, Any]]) -> Dict[str, Any]:
    """One level over repeated runs: medians of the rates and percentiles, sums of turns and errors."""
    row: Dict[str, Any] = {"citizens": runs[0]["citizens"], "runs": len(runs)}
    for key in ("turns_per_s", "p50_ms", "p95_ms", "p99_ms", "report_p95_ms", "question_p95_ms",
                "officer_p50_s", "officer_p95_s", "officer_max_s", "rasa_cpu_ms_per_turn", "services_cpu_ms_per_turn"):
        row[key] = statistics.median(r[key] for r in runs)
    row["p95_ms_runs"] = [r["p95_ms"] for r in runs]
    for key in ("turns", "errors", "officer_sent", "officer_arrived"):
        row[key] = sum(r[key] for r in runs)
    row["error_kinds"] = dict(sum((Counter(r["error_kinds"]) for r in runs), Counter()))
    row["cpu_cores"] = {name: statistics.median(r["cpu_cores"].get(name, 0.0) for r in runs)
                        for name in runs[0]["cpu_cores"]}
    return row


def run(levels: List[int], repeats: int = 1, quick: bool = False, search: bool = True, seed: int = 16,
        progress: Optional[Callable[[Dict[str, Any]], None]] = None,
        running: Optional[RunningSystem] = None, rasa_servers: int = 1) -> Dict[str, Any]:
    """Each repeat: a fresh system (or `running`, the tests' shared one), warmed up, then the levels in
    ascending order (idle again between them); after the last repeat, the bisection for the highest
    concurrency meeting the target. `progress` gets the result so far after every level (a long run
    stopped midway keeps what it measured). rasa_servers > 1: that many Rasa servers behind the balancer,
    their locks in a Redis started for the run (Debian's redis-server)."""
    material = load_material()
    plan = Plan(MEASURE_S_QUICK, RAMP_S_QUICK, 0.0) if quick else Plan(MEASURE_S, RAMP_S, QUIET_WAIT_S)
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
    by_level: Dict[int, List[Dict[str, Any]]] = {n: [] for n in sorted(levels)}
    result: Dict[str, Any] = {"cores": os.cpu_count(), "quick": quick, "repeats": repeats,
                              "measure_s": plan.measure_s, "ramp_s": plan.ramp_s, "quiet_wait_s": plan.quiet_wait_s,
                              "think_s": list(THINK_S), "report_share": REPORT_SHARE,
                              "turn_timeout_s": TURN_TIMEOUT_S, "p95_target_ms": P95_TARGET_MS,
                              "material": {"report_conversations": len(material.reports),
                                           "questions": len(material.questions)},
                              "levels": by_level, "searched": search, "bisect_probes": [],
                              "rasa_servers": rasa_servers}
    started = time.monotonic()
    saved = progress or (lambda _: None)
    for repeat in range(repeats):
        print(f"realistic load: system run {repeat + 1} of {repeats}", flush=True)
        with contextlib.ExitStack() as cleanup:
            system = running
            if system is None:
                work = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="hotline-realistic-"))
                system_env = dict(env)
                if rasa_servers > 1:
                    from tests.redis_server import start_redis, stop_redis
                    (Path(work) / "redis").mkdir()
                    redis = start_redis(Path(work) / "redis")
                    cleanup.callback(stop_redis, redis)
                    system_env.update(RASA_SERVERS=str(rasa_servers), LOCK_STORE_URL=redis.url())
                system = start_system(Path(work), system_env)
                cleanup.callback(stop_system, system)
            officer_token = system.officer("load-officer")
            warm_up(system, material)
            for citizens in by_level:
                by_level[citizens].append(measure_level(system, material, officer_token, citizens, plan,
                                                        seed + 1000 * repeat + citizens, f"rl{citizens}r{repeat}"))
                saved(result)
            if repeat == repeats - 1:
                summary = result["summary"] = {n: median_row(runs) for n, runs in by_level.items()}
                result["highest_within_target"] = max((n for n, row in summary.items() if meets_target(row)),
                                                      default=0)
                saved(result)
                if search:
                    result["highest_within_target"], result["bisect_probes"] = bisect(
                        system, material, officer_token, summary, plan, seed)
    result["seconds"] = time.monotonic() - started
    saved(result)
    return result


# --- output ---------------------------------------------------------------------------------------------
def _delay(seconds: float) -> str:
    """An officer-message delay; one that never arrived shows as over the wait."""
    return f">{OFFICER_WAIT_S:.0f}" if seconds == float("inf") else f"{seconds:.2f}"


def _cpu_text(cores: Dict[str, float]) -> str:
    order = ["rasa", "actions", "web", "voice", "supervisor", "load client", "rest of machine"]
    return ", ".join(f"{name} {cores[name]:.2f}" for name in order + sorted(set(cores) - set(order)) if name in cores)


def show_level(r: Dict[str, Any]) -> None:
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(r["error_kinds"].items())) or "none"
    print(f"  {r['citizens']:>4} citizens: {r['turns']} turns, {r['turns_per_s']:.1f} turns/s; latency p50 / p95 / "
          f"p99 / max {r['p50_ms']:.0f} / {r['p95_ms']:.0f} / {r['p99_ms']:.0f} / {r['max_ms']:.0f} ms "
          f"(report p95 {r['report_p95_ms']:.0f}, question p95 {r['question_p95_ms']:.0f}); errors {r['errors']} "
          f"({kinds})", flush=True)
    print(f"        officer → web chat page: {r['officer_arrived']}/{r['officer_sent']} arrived, p50 / p95 / max "
          f"{_delay(r['officer_p50_s'])} / {_delay(r['officer_p95_s'])} / {_delay(r['officer_max_s'])} s"
          + "".join(f"; {problem} ×{times}" for problem, times in r["officer_errors"].items()), flush=True)
    print(f"        CPU (cores, over the window): {_cpu_text(r['cpu_cores'])}; per turn: Rasa "
          f"{r['rasa_cpu_ms_per_turn']:.0f} ms, all services {r['services_cpu_ms_per_turn']:.0f} ms; citizens arrived "
          f"{r['citizens_arrived']}; drained {r['drained_after_s']:.1f} s, "
          f"settled {r.get('settled_after_s', 0):.1f} s; "
          f"waited {r.get('waited_for_quiet_s', 0):.0f} s for a quiet machine (other load then "
          f"{r.get('other_load_before_cores', float('nan')):.2f} cores)", flush=True)


def show(result: Dict[str, Any]) -> None:
    servers = result.get("rasa_servers", 1)
    print(f"\nrealistic load on {result['cores']} cores, {servers} Rasa server{'s' if servers > 1 else ''} "
          f"({result['repeats']} system run(s); pauses "
          f"{result['think_s'][0]:.0f}–{result['think_s'][1]:.0f} s, {result['report_share']:.0%} reports; ramp "
          f"{result['ramp_s']:.0f} s, {result['measure_s']:.0f} s measured per level; medians over runs)")
    print(f"{'citizens':>8} {'turns/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>12} "
          f"{'officer p50/p95 s':>18} {'Rasa cores':>10} {'Rasa waits':>10} {'Rasa ms/turn':>12} {'client cores':>12} "
          f"{'other load':>10}")
    for n, row in result["summary"].items():
        print(f"{n:>8} {row['turns_per_s']:8.1f} {row['p50_ms']:8.0f} {row['p95_ms']:8.0f} {row['p99_ms']:8.0f} "
              f"{row['errors']:>5} of {row['turns']:<5} {_delay(row['officer_p50_s']):>8} / {_delay(row['officer_p95_s']):<7} "
              f"{row['cpu_cores'].get('rasa', 0):10.2f} {row['cpu_cores'].get(WAIT_KEY, float('nan')):10.2f} "
              f"{row['rasa_cpu_ms_per_turn']:12.0f} "
              f"{row['cpu_cores'].get('load client', 0):12.2f} {row['cpu_cores'].get('rest of machine', 0):10.2f}")
    print(f"highest concurrency with p95 < {P95_TARGET_MS} ms and no errors: {result['highest_within_target']} "
          f"citizens{'' if result['searched'] else ' (of the measured levels; no bisection)'}")


def add_figures(figures: Figures, result: Dict[str, Any]) -> None:
    """The figures, through bench/run.py's mechanism (printed and kept in bench/results.json)."""
    runs = result["repeats"]
    servers = result.get("rasa_servers", 1)
    label = "realistic load" + (f" ({servers} Rasa servers)" if servers > 1 else "")
    for n, row in result["summary"].items():
        prefix = f"{label}, {n} citizens"
        figures.add(f"{prefix}: turns/s", row["turns_per_s"], "turns/s",
                    f"median of {runs} run(s); Rasa used {row['cpu_cores'].get('rasa', 0):.2f} cores, the rest of "
                    f"the machine {row['cpu_cores'].get('rest of machine', 0):.2f}")
        figures.add(f"{prefix}: turn latency p50 / p95 / p99",
                    f"{row['p50_ms']:.0f} / {row['p95_ms']:.0f} / {row['p99_ms']:.0f}", "ms",
                    f"median of {runs} run(s) of {row['turns']} turns in all; p95 runs "
                    f"{', '.join(f'{v:.0f}' for v in row['p95_ms_runs'])}; report turns p95 "
                    f"{row['report_p95_ms']:.0f}, questions p95 {row['question_p95_ms']:.0f}")
        figures.add(f"{prefix}: errors", row["errors"], "turns",
                    f"of {row['turns']}; " + (", ".join(f"{k} {v}" for k, v in sorted(row["error_kinds"].items()))
                                             or "none"))
        figures.add(f"{prefix}: officer message → web chat page p50 / p95",
                    f"{_delay(row['officer_p50_s'])} / {_delay(row['officer_p95_s'])}", "s",
                    f"{row['officer_arrived']}/{row['officer_sent']} arrived within {OFFICER_WAIT_S:.0f} s of the "
                    f"window's end (the load still on); max {_delay(row['officer_max_s'])} s")
        figures.add(f"{prefix}: CPU cores used", _cpu_text(row["cpu_cores"]), "cores",
                    "over the measurement window; rest of machine: work not ours (others' tests on a shared machine)")
        figures.add(f"{prefix}: CPU per turn, Rasa / all services", f"{row['rasa_cpu_ms_per_turn']:.0f} / "
                    f"{row['services_cpu_ms_per_turn']:.0f}", "ms", "the window's CPU over the turns sent in it")
    searched = f"bisected to {BISECT_RESOLUTION}" if result["searched"] else "of the measured levels"
    figures.add(f"{label}: highest concurrency with p95 < {P95_TARGET_MS} ms", result["highest_within_target"],
                "citizens", f"no errors either; {searched}; pauses 3–8 s, {REPORT_SHARE:.0%} reports")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.realistic_load")
    parser.add_argument("--quick", action="store_true",
                        help=f"levels {LEVELS_QUICK}, {MEASURE_S_QUICK:.0f} s each, no bisection (what the tests run)")
    parser.add_argument("--levels", help=f"comma-separated citizens at once (default {LEVELS})")
    parser.add_argument("--repeats", type=int, default=1, help="fresh system runs; figures are their medians")
    parser.add_argument("--no-bisect", action="store_true", help="no search between the measured levels")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--json", type=Path, help="also write the result and the figures here")
    parser.add_argument("--rasa-servers", type=int, default=1,
                        help="Rasa servers behind the balancer (> 1: a Redis lock store is started for the run)")
    args = parser.parse_args(argv)
    levels = [int(v) for v in args.levels.split(",")] if args.levels else (LEVELS_QUICK if args.quick else LEVELS)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))  # still stops the system it started

    def save(result: Dict[str, Any], figures: Optional[Figures] = None) -> None:
        if args.json:
            args.json.write_text(json.dumps({"result": result, "figures": figures.items if figures else []},
                                            ensure_ascii=False, indent=2), encoding="utf-8")

    result = run(levels, args.repeats, args.quick, search=not (args.quick or args.no_bisect), seed=args.seed,
                 progress=save, rasa_servers=args.rasa_servers)
    show(result)
    figures = Figures()
    add_figures(figures, result)
    print(f"took {result['seconds'] / 60:.1f} min")
    save(result, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
