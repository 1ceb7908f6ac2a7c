"""Scale-out, as `make run` starts it with RASA_SERVERS=2: two Rasa servers behind HAProxy, their locks in a
real Redis (with a password), conversations and cases in a real PostgreSQL, plus a second web instance as a
second machine would run it. One system is shared by the tests of this module; they run in file order (the
officer's test runs while the killed server loads its model again, to keep the module short).

What must hold: conversations whose messages alternate between the servers arrive in order, none lost or
doubled, also when one server is SIGKILLed in the middle (the supervisor restarts it) and when one
conversation's messages reach both servers at once; a WeChat retry that lands on the other server is answered
once; an officer's message reaches a web-chat page connected through the other web instance.
"""
from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

import psycopg2
import pytest

from actions.handoff import OFFICER_JOINED
from tests.conftest import WECHAT
from tests.e2e.citizen import ANSWERS, CARD
from tests.e2e.test_wechat import WeChat, text_message
from tests.running import (
    REPO_ROOT, WebChat, free_port, http_call, http_json, pid_of_rasa_server, start_system, stop_system,
)

pytestmark = [pytest.mark.slow, pytest.mark.integration]

CONVERSATIONS = 30
WORKERS = 10  # conversations in flight at once
KILLED_SERVER = 0  # index into rasa_server_urls: "rasa-1" in the supervisor's log


def wait_for(condition: Callable[[], object], timeout: float = 30.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(interval)


def answers(url: str) -> bool:
    try:
        return http_call("GET", url, timeout=2)[0] == 200
    except OSError:
        return False


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def create_database(admin_url: str, name: str) -> str:
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return admin_url.rsplit("/", 1)[0] + "/" + name


class Web:
    """A second web instance (chat and desk), started as another machine would: same settings, own port."""

    def __init__(self, env: Dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        with open(log_path, "w") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "bot.web", "serve"], cwd=REPO_ROOT,
                                            env=dict(env, WEB_PORT=str(self.port)), stdout=log,
                                            stderr=subprocess.STDOUT)
        wait_for(lambda: self.process.poll() is not None or answers(self.url + "/api/health"), timeout=60)
        assert self.process.poll() is None, log_path.read_text()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def scaleout(trained_model, tmp_path_factory, rasa_env, wechat_api, redis_server, postgres_url):
    work = tmp_path_factory.mktemp("scaleout")
    settings = {
        "RASA_SERVERS": "2",
        "LOCK_STORE_URL": redis_server.url(3),
        "TRACKER_STORE_URL": create_database(postgres_url, "scaleout_tracker"),
        "CASE_STORE_URL": create_database(postgres_url, "scaleout_cases"),
    }
    try:
        system = start_system(work, dict(rasa_env, WECHAT_API_BASE=wechat_api.url, **WECHAT), settings)
    except RuntimeError as error:
        pytest.fail(str(error))
    try:
        system.second_web = Web(system.env, work / "web-2.log")
        try:
            yield system
        finally:
            system.second_web.stop()
    finally:
        stop_system(system)


def say(url: str, token: str, sender: str, message: str) -> List[str]:
    replies = http_json("POST", f"{url}/webhooks/rest/webhook", {"sender": sender, "message": message},
                        headers={"Authorization": f"Bearer {token}"})
    return [reply["text"] for reply in replies if "text" in reply]


def tracker_events(system, sender: str) -> List[dict]:
    return http_json("GET", f"{system.rasa_url}/conversations/{sender}/tracker?token={system.token}")["events"]


def user_texts(system, sender: str) -> List[str]:
    return [e["text"] for e in tracker_events(system, sender) if e["event"] == "user"]


class Citizen:
    """One conversation: an FAQ, then a report whose questions it answers (tests/e2e/citizen.py), so every
    turn depends on what the earlier turns, possibly on the other server, left in the tracker."""

    OPENING = ("出租银行卡犯法吗", "我被骗了，钱已经转出去了")

    def __init__(self, number: int) -> None:
        self.number = number
        self.sender = f"scaleout-{number:02d}-{uuid.uuid4().hex[:6]}"
        self.said: List[str] = []
        self.last_reply: List[str] = []

    def next_message(self) -> str:
        if len(self.said) < len(self.OPENING):
            return self.OPENING[len(self.said)]
        question = self.last_reply[-1] if self.last_reply else ""
        answer = next((answer for words, answer in ANSWERS if words in question), None)
        assert answer is not None, f"{self.sender}: the bot lost track of the report: {self.last_reply}"
        return answer

    def turn(self, url: str, token: str) -> None:
        message = self.next_message()
        replies = say(url, token, self.sender, message)
        self.said.append(message)
        assert replies, f"{self.sender}: no answer to {message!r}"
        self.last_reply = replies


def play_round(citizens: List[Citizen], url_of: Callable[[Citizen], str], token: str) -> None:
    with ThreadPoolExecutor(WORKERS) as pool:
        for future in [pool.submit(c.turn, url_of(c), token) for c in citizens]:
            future.result()


@dataclass
class Conversations:
    """The 30 conversations, shared by the tests before and after the killed server's restart."""
    citizens: List[Citizen] = field(default_factory=lambda: [Citizen(n) for n in range(CONVERSATIONS)])
    started_at: float = 0.0
    killed_at: Optional[float] = None


@pytest.fixture(scope="module")
def conversations() -> Conversations:
    return Conversations()


def check_conversations(system, conversations: Conversations) -> None:
    for citizen in conversations.citizens:
        assert user_texts(system, citizen.sender) == citizen.said  # in order; none lost, none doubled


def test_conversations_alternating_between_servers_go_on_when_one_is_killed(scaleout, conversations):
    system, citizens = scaleout, conversations.citizens
    first, second = system.rasa_server_urls
    conversations.started_at = time.monotonic()
    for round_number in range(4):  # message k of conversation n goes to server (k + n) % 2, directly
        play_round(citizens, lambda c: (first, second)[(round_number + c.number) % 2], system.token)

    killed_port = int(system.rasa_server_urls[KILLED_SERVER].rsplit(":", 1)[1])
    os.kill(pid_of_rasa_server(killed_port), signal.SIGKILL)  # a crash between turns, not a polite stop
    conversations.killed_at = time.monotonic()
    wait_for(lambda: not port_open(killed_port), timeout=10, interval=0.01)  # the kernel closed its socket
    for _ in range(2):  # at once through the balancer: it must skip the dead server
        play_round(citizens, lambda c: system.rasa_url, system.token)
    check_conversations(system, conversations)
    wait_for(lambda: "rasa-1 exited with code -9; restarting" in system.log_path.read_text(errors="replace"),
             timeout=10)


class EventStream:
    """A page's open event stream (server-sent events), read in a thread."""

    def __init__(self, response) -> None:
        self.response = response
        self.events: "queue.Queue[tuple]" = queue.Queue()
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        kind = None
        try:
            for raw in self.response:
                line = raw.decode("utf-8").strip()
                if line.startswith("event:"):
                    kind = line[6:].strip()
                    if kind == "ready":
                        self.ready.set()
                elif line.startswith("data:") and kind != "ready":
                    self.events.put((time.monotonic(), kind, json.loads(line[5:])))
        except (OSError, ValueError, AttributeError):  # closed by close(), from the test's thread
            pass

    def next(self, timeout: float) -> Optional[tuple]:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        self.response.close()


def test_an_officers_message_reaches_a_page_connected_to_the_other_web_instance(scaleout, record_figure):
    system = scaleout
    token = system.officer("scaleout-officer")
    desk_feed = EventStream(desk_events(system.second_web.url, token))  # an officer's desk on the second instance
    assert desk_feed.ready.wait(10)
    citizen = WebChat(system.second_web.url)  # the citizen's page, and its event stream, on the second instance
    assert "转接值班民警" in citizen.send("转人工")[0]
    page = EventStream(citizen.events(timeout=60))
    assert page.ready.wait(10)
    try:
        case = system.case_of(citizen.conversation_id, officer="scaleout-officer")
        # the case, written by the action server, shows on the other instance's desk feed too
        wait_for(lambda: (desk_feed.next(1) or (0, "", {}))[2].get("case_id") == case["id"], timeout=15)

        assert system.desk("POST", f"/api/cases/{case['id']}/claim", officer="scaleout-officer")[0] == 200
        sent_at = time.monotonic()
        status, _ = system.desk("POST", f"/api/cases/{case['id']}/messages", {"text": "我是值班民警，请别挂断"},
                                officer="scaleout-officer")  # on the first web instance, which Rasa pushes to
        assert status == 202
        notice = page.next(timeout=10)  # put on the page at the claim, not after Rasa's turn
        assert notice is not None and notice[1:] == ("message", {"text": OFFICER_JOINED}), notice
        arrived = page.next(timeout=10)
        assert arrived is not None, "the officer's message never reached the page on the other web instance"
        assert arrived[1:] == ("message", {"text": "【民警】我是值班民警，请别挂断"})
        assert page.next(timeout=3) is None  # once, and nothing after it
        record_figure(f"scale-out: officer's message → page on the other web instance: {arrived[0] - sent_at:.2f} s")
        def recorded() -> List[str]:  # by Rasa, after the page had it
            return [e["text"] for e in tracker_events(system, citizen.conversation_id)
                    if e["event"] == "bot" and e.get("text") in (OFFICER_JOINED, "【民警】我是值班民警，请别挂断")]
        assert wait_for(lambda: len(recorded()) == 2 and recorded()) == [OFFICER_JOINED, "【民警】我是值班民警，请别挂断"]
    finally:
        page.close()
        desk_feed.close()


def test_the_supervisor_restarts_the_killed_server_and_the_conversations_go_on_there(
        scaleout, conversations, record_figure):
    system, citizens = scaleout, conversations.citizens
    assert conversations.killed_at is not None, "runs after the test that kills a server"
    restarted = system.rasa_server_urls[KILLED_SERVER]
    wait_for(lambda: answers(f"{restarted}/status?token={system.token}"), timeout=240, interval=1)
    restarted_s = time.monotonic() - conversations.killed_at
    play_round(citizens, lambda c: restarted, system.token)
    play_round(citizens, lambda c: system.rasa_url, system.token)
    check_conversations(system, conversations)
    other = system.rasa_server_urls[1 - KILLED_SERVER]
    for citizen in citizens:  # what was answered on one server is in the report the other server keeps
        slots = http_json("GET", f"{other}/conversations/{citizen.sender}/tracker?token={system.token}")["slots"]
        transfer = ((slots.get("report_draft") or {}).get("report") or {}).get("transfers", [{}])[-1]
        assert CARD in citizen.said and transfer.get("to_account") == CARD, (citizen.said, transfer)
        assert "两万" not in citizen.said or transfer.get("amount") == 20000, (citizen.said, transfer)
    record_figure(f"scale-out: {CONVERSATIONS} conversations × 8 turns over 2 Rasa servers, one SIGKILLed: "
                  f"{time.monotonic() - conversations.started_at:.0f} s; the killed server answered again after "
                  f"{restarted_s:.0f} s")


def test_one_conversations_messages_reaching_both_servers_at_once_are_handled_one_after_the_other(scaleout):
    system = scaleout
    senders = [f"both-{n}-{uuid.uuid4().hex[:6]}" for n in range(10)]
    questions = ("出租银行卡犯法吗", "什么是安全账户")

    def both_at_once(sender: str) -> None:
        barrier = threading.Barrier(2)

        def send(url: str, text: str) -> List[str]:
            barrier.wait()
            return say(url, system.token, sender, text)
        with ThreadPoolExecutor(2) as pool:
            replies = list(pool.map(send, system.rasa_server_urls, questions))
        assert all(replies), replies

    with ThreadPoolExecutor(5) as pool:
        list(pool.map(both_at_once, senders))
    for sender in senders:
        kinds = [e["event"] for e in tracker_events(system, sender) if e["event"] in ("user", "bot")]
        assert sorted(user_texts(system, sender)) == sorted(questions)
        # each message answered before the next was read: no interleaved turns, no lost events
        assert kinds[0] == "user" and kinds.count("user") == 2 and kinds[1] == "bot" and kinds[-1] == "bot", kinds


def test_a_wechat_retry_on_the_other_server_is_answered_once(scaleout, wechat_api):
    system = scaleout
    to_first, to_second = (WeChat(url) for url in system.rasa_server_urls)
    openid = f"o-scaleout-{uuid.uuid4().hex[:8]}"
    message = text_message(openid, "什么是安全账户", msg_id=str(uuid.uuid4().int % 10**18))
    status, body = to_first.post(message)
    assert status == 200
    status, retried = to_second.post(message)  # WeChat's retry, sent by the balancer to the other server
    assert status == 200 and to_second.reply_text(retried) == to_first.reply_text(body)

    message = text_message(openid, "出租银行卡犯法吗", msg_id=str(uuid.uuid4().int % 10**18))
    with ThreadPoolExecutor(2) as pool:  # a retry while the first is still being answered
        results = list(pool.map(lambda wechat: wechat.post(message), (to_first, to_second)))
    assert [status for status, _ in results] == [200, 200]
    assert len({to_first.reply_text(body) for _, body in results}) == 1
    assert user_texts(system, openid) == ["什么是安全账户", "出租银行卡犯法吗"]
    time.sleep(1)
    assert wechat_api.texts_to(openid) == []  # answered passively, nothing sent twice through the API


def test_behind_the_balancer_rasa_still_asks_for_the_token(scaleout):
    system = scaleout
    body = {"sender": "no-token", "message": "你好"}
    assert http_call("POST", f"{system.rasa_url}/webhooks/rest/webhook", body)[0] == 401
    assert http_call("POST", f"{system.rasa_url}/webhooks/rest/webhook", body,
                     headers={"Authorization": "Bearer wrong"})[0] == 401
    assert http_call("GET", f"{system.rasa_url}/conversations/no-token/tracker")[0] == 401
    assert http_call("GET", f"{system.rasa_url}/conversations/no-token/tracker?token=wrong")[0] == 401
    assert http_call("GET", f"{system.rasa_url}/status?token={system.token}")[0] == 200

def desk_events(web_url: str, token: str):
    request = urllib.request.Request(web_url + "/api/events", headers={"Authorization": f"Bearer {token}"})
    return urllib.request.urlopen(request, timeout=60)
