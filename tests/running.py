"""The whole system as `make run` starts it, on free ports and fresh stores: for tests and benchmarks."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import http.cookiejar
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Tuple

from bot.desk.crypto import generate_key

REPO_ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 300
# bot.run prints it when every service answers; "ready" alone also matches a log line such as PostgreSQL's
# "already exists" when two Rasa servers create the tracker table at once.
READY_LINE = "(ready)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_port_block(count: int, attempts: int = 200) -> int:
    """The first of `count` consecutive free ports (the balancer's and its Rasa servers')."""
    for _ in range(attempts):
        first = free_port()
        if first + count > 65535:
            continue
        socks = []
        try:
            for port in range(first, first + count):
                sock = socket.socket()
                socks.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise RuntimeError(f"no {count} consecutive free ports found")


def http_json(method: str, url: str, body: Any = None, timeout: float = 60,
              headers: Dict[str, str] = None) -> Any:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


OFFICER_PASSWORD = "desk-password-123"


class WebChat:
    """One citizen's browser on the web chat: its own cookie jar, so its own conversation."""

    def __init__(self, web_url: str) -> None:
        self.web_url = web_url
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def call(self, method: str, path: str, body: Any = None, timeout: float = 60) -> Tuple[int, Any]:
        return http_call(method, self.web_url + path, body, timeout=timeout, opener=self._opener)

    def send(self, text: str) -> List[str]:
        status, body = self.call("POST", "/api/chat", {"message": text})
        assert status == 200, body
        return [reply["text"] for reply in body["replies"]]

    def history(self) -> Dict[str, Any]:
        status, body = self.call("GET", "/api/chat/history")
        assert status == 200, body
        return body

    def events(self, timeout: float = 30):
        """The page's event stream (a file-like response of server-sent events)."""
        return self._opener.open(self.web_url + "/api/chat/events", timeout=timeout)

    @property
    def conversation_id(self) -> str:
        from bot.web.session import COOKIE, conversation_of
        token = next(c.value for c in self.cookies if c.name == COOKIE)
        return conversation_of(token)


def http_call(method: str, url: str, body: Any = None, headers: Dict[str, str] = None,
              timeout: float = 60, opener: urllib.request.OpenerDirector = None) -> Tuple[int, Any]:
    """(status, JSON body) without raising on HTTP errors; opener: e.g. one with a browser's cookies."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw or b"null")
        except ValueError:
            return error.code, raw.decode("utf-8", "replace")


@dataclass
class RunningSystem:
    web_url: str
    rasa_url: str
    actions_url: str
    voice_url: str
    audiosocket_port: int
    token: str
    tracker_db: Path
    process: subprocess.Popen
    env: Dict[str, str] = field(default_factory=dict)
    case_db: Path = None
    log_path: Path = None
    ready_after_s: float = 0.0
    rasa_server_urls: List[str] = field(default_factory=list)  # each Rasa server; rasa_url is the balancer if several
    _officer_tokens: Dict[str, str] = field(default_factory=dict)

    def officer(self, username: str) -> str:
        """An officer account (made with the real CLI, as an admin would); returns its API token."""
        if username not in self._officer_tokens:
            subprocess.run([sys.executable, "-m", "bot.desk", "add-officer", username, "--password-stdin"],
                           cwd=REPO_ROOT, env=self.env, input=OFFICER_PASSWORD + "\n", text=True, check=True,
                           capture_output=True)
            issued = subprocess.run([sys.executable, "-m", "bot.desk", "issue-token", username], cwd=REPO_ROOT,
                                    env=self.env, text=True, check=True, capture_output=True)
            self._officer_tokens[username] = issued.stdout.strip()
        return self._officer_tokens[username]

    def desk(self, method: str, path: str, body: Any = None, officer: str = None,
             headers: Dict[str, str] = None) -> Tuple[int, Any]:
        auth = {"Authorization": f"Bearer {self.officer(officer)}"} if officer else {}
        return http_call(method, self.web_url + path, body, {**auth, **(headers or {})})

    def case_of(self, sender: str, officer: str = "desk-reader") -> Dict[str, Any]:
        status, body = self.desk("GET", "/api/cases", officer=officer)
        assert status == 200, body
        found = [c for c in body["cases"] if c["conversation_id"] == sender]
        assert found, f"no case for conversation {sender}"
        status, case = self.desk("GET", f"/api/cases/{found[0]['id']}", officer=officer)
        assert status == 200, case
        return case

    def web_chat(self) -> WebChat:
        return WebChat(self.web_url)

    def transcript(self, sender: str) -> List[Dict[str, str]]:
        """What the citizen and the bot said ([{"from": "user"|"bot", "text": …}]), from Rasa's API."""
        tracker = http_json("GET", f"{self.rasa_url}/conversations/{sender}/tracker?token={self.token}")
        return [{"from": e["event"], "text": e["text"]} for e in tracker["events"]
                if e.get("event") in ("user", "bot") and e.get("text")
                and not (e.get("metadata") or {}).get("is_external")]

    def say(self, sender: str, message: str) -> List[str]:
        replies = http_json("POST", f"{self.rasa_url}/webhooks/rest/webhook",
                            {"sender": sender, "message": message}, headers=self.service_headers)
        return [reply["text"] for reply in replies if "text" in reply]

    @property
    def service_headers(self) -> Dict[str, str]:
        """How our own services call each other (and the REST channel): the service token."""
        return {"Authorization": f"Bearer {self.token}"}

    def slots(self, sender: str) -> Dict[str, Any]:
        tracker = http_json("GET", f"{self.rasa_url}/conversations/{sender}/tracker?token={self.token}")
        return tracker["slots"]

    def draft(self, sender: str) -> Dict[str, Any]:
        """The report being collected in this conversation (bot.report.dialogue.Draft as JSON)."""
        return self.slots(sender).get("report_draft") or {}

    def talk(self, sender: str, *messages: str) -> List[str]:
        """Says each message in turn; returns the bot's replies to the last one."""
        replies: List[str] = []
        for message in messages:
            replies = self.say(sender, message)
        return replies

    def parse(self, text: str) -> Dict[str, Any]:
        return http_json("POST", f"{self.rasa_url}/model/parse?token={self.token}", {"text": text})


def _port_open(url: str) -> bool:
    host, port = url.rsplit("//", 1)[1].split(":")
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, int(port))) == 0


def stop_system(running: "RunningSystem") -> None:
    """Ctrl-C, as a user would; the launcher must stop all three services and exit 0."""
    process = running.process
    if process.poll() is not None:
        return  # it died on its own; the failing fixture already reports why
    process.send_signal(signal.SIGINT)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError("bot.run did not stop within 60 s of Ctrl-C") from None
    still_open = [u for u in (running.web_url, running.rasa_url, running.actions_url, running.voice_url,
                              *running.rasa_server_urls) if _port_open(u)]
    assert not still_open, f"services still listening after Ctrl-C: {still_open}"
    assert process.returncode == 0, f"bot.run exited with {process.returncode}"




def start_system(work: Path, env: Dict[str, str], settings: Dict[str, str] = None) -> RunningSystem:
    """Starts `python -m bot.run` with its stores under work; returns once it printed "(ready)".

    settings: environment settings that override the test defaults, e.g. RASA_SERVERS, LOCK_STORE_URL, or
    TRACKER_STORE_URL and CASE_STORE_URL for PostgreSQL instead of fresh SQLite files under work."""
    settings = dict(settings or {})
    rasa_servers = int(settings.get("RASA_SERVERS", "1"))
    ports = {name: free_port() for name in ("ACTIONS_PORT", "WEB_PORT", "AUDIOSOCKET_PORT", "VOICE_PORT")}
    # With several servers the balancer takes RASA_PORT and the servers the ports after it.
    ports["RASA_PORT"] = free_port() if rasa_servers == 1 else free_port_block(rasa_servers + 1)
    token = "test-token-" + os.urandom(8).hex()
    tracker_db, case_db = work / "tracker.db", work / "cases.db"
    env = dict(env, RASA_TOKEN=token, TRACKER_STORE_URL=f"sqlite:///{tracker_db}",
               CASE_STORE_URL=f"sqlite:///{case_db}", CASE_STORE_KEY=generate_key(),
               **{k: str(v) for k, v in ports.items()})
    env.update(settings)
    log_path = work / "run.log"
    log = open(log_path, "w")
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "bot.run"], cwd=REPO_ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    log.close()
    running = RunningSystem(
        web_url=f"http://127.0.0.1:{ports['WEB_PORT']}", rasa_url=f"http://127.0.0.1:{ports['RASA_PORT']}",
        actions_url=f"http://127.0.0.1:{ports['ACTIONS_PORT']}", voice_url=f"http://127.0.0.1:{ports['VOICE_PORT']}",
        audiosocket_port=ports["AUDIOSOCKET_PORT"], token=token, tracker_db=tracker_db, process=process,
        env=env, case_db=case_db, log_path=log_path,
        rasa_server_urls=[f"http://127.0.0.1:{ports['RASA_PORT'] + offset}"
                          for offset in ((0,) if rasa_servers == 1 else range(1, rasa_servers + 1))])
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while READY_LINE not in log_path.read_text(encoding="utf-8", errors="replace"):
        if process.poll() is not None:
            raise RuntimeError("bot.run exited while starting:\n"
                               + log_path.read_text(encoding="utf-8", errors="replace")[-4000:])
        if time.monotonic() > deadline:
            stop_system(running)
            raise RuntimeError(f"system not ready within {STARTUP_TIMEOUT_S}s")
        time.sleep(0.2)
    running.ready_after_s = time.monotonic() - started
    return running


def pid_of_rasa_server(port: int) -> int:
    """The process `python -m bot.rasa_server … --port <port>` (the supervisor started it in its own session)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"bot.rasa_server" in argv and b"--port" in argv and argv[argv.index(b"--port") + 1] == str(port).encode():
            return int(entry.name)
    raise AssertionError(f"no Rasa server process on port {port}")
