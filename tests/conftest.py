"""Shared fixtures: the trained model and one running system (Rasa + actions + web) per session."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from bot.desk.crypto import generate_key
from tests.wechat_api import FakeWeChatApi
from tests.postgres_server import postgres_url  # noqa: F401 (a fixture for tests of the stores)

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_PATH = REPO_ROOT / "models" / "hotline.tar.gz"
STARTUP_TIMEOUT_S = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_json(method: str, url: str, body: Any = None, timeout: float = 60) -> Any:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


MEASURED = pytest.StashKey[List[str]]()


def pytest_configure(config) -> None:
    config.stash[MEASURED] = []


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    lines = config.stash.get(MEASURED, [])
    if lines:
        terminalreporter.section("measured figures")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def record_figure(pytestconfig):
    """Figures a test measured, printed at the end of every run (also in CI)."""
    return pytestconfig.stash[MEASURED].append


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def rasa_env() -> Dict[str, str]:
    env = dict(os.environ)
    env.update({"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1"})
    env.setdefault("ACTIONS_PORT", "5055")
    return env


@pytest.fixture(scope="session")
def trained_model(repo_root: Path) -> Path:
    """The model `make test` trained; trains it here when pytest is run on its own."""
    subprocess.run(["make", "-s", "train"], cwd=repo_root, check=True)
    assert MODEL_PATH.exists(), "training finished without a model file"
    return MODEL_PATH


OFFICER_PASSWORD = "desk-password-123"


def http_call(method: str, url: str, body: Any = None, headers: Dict[str, str] = None,
              timeout: float = 60) -> Tuple[int, Any]:
    """(status, JSON body) without raising on HTTP errors."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
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

    def history(self, sender: str) -> Dict[str, Any]:
        status, body = http_call("GET", f"{self.web_url}/api/chat/history?sender={sender}")
        assert status == 200, body
        return body

    def say(self, sender: str, message: str) -> List[str]:
        replies = http_json("POST", f"{self.rasa_url}/webhooks/rest/webhook",
                            {"sender": sender, "message": message})
        return [reply["text"] for reply in replies if "text" in reply]

    def slots(self, sender: str) -> Dict[str, Any]:
        tracker = http_json("GET", f"{self.rasa_url}/conversations/{sender}/tracker?token={self.token}")
        return tracker["slots"]

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


def _stop(running: "RunningSystem") -> None:
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
    still_open = [u for u in (running.web_url, running.rasa_url, running.actions_url, running.voice_url)
                  if _port_open(u)]
    assert not still_open, f"services still listening after Ctrl-C: {still_open}"
    assert process.returncode == 0, f"bot.run exited with {process.returncode}"


WECHAT = {"WECHAT_TOKEN": "wechat-test-token", "WECHAT_APP_ID": "wx0123456789abcdef",
          "WECHAT_APP_SECRET": "wechat-test-secret", "WECHAT_MODE": "safe",
          # 43 characters, as the 公众号 console issues it (32 bytes, base64 without the "=")
          "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}


@pytest.fixture(scope="session")
def wechat_api() -> FakeWeChatApi:
    return FakeWeChatApi(WECHAT["WECHAT_APP_ID"], WECHAT["WECHAT_APP_SECRET"]).start()


@pytest.fixture(scope="session")
def system(trained_model: Path, tmp_path_factory, rasa_env, repo_root, wechat_api) -> RunningSystem:
    """The whole system as `make run` starts it, on free ports and a fresh SQLite tracker store."""
    work = tmp_path_factory.mktemp("system")
    tracker_db = work / "tracker.db"
    ports = {name: free_port() for name in ("RASA_PORT", "ACTIONS_PORT", "WEB_PORT", "AUDIOSOCKET_PORT",
                                            "VOICE_PORT")}
    token = "test-token-" + os.urandom(8).hex()
    case_db = work / "cases.db"
    env = dict(rasa_env, RASA_TOKEN=token, TRACKER_STORE_URL=f"sqlite:///{tracker_db}",
               CASE_STORE_URL=f"sqlite:///{case_db}", CASE_STORE_KEY=generate_key(),
               WECHAT_API_BASE=wechat_api.url, **WECHAT,
               **{k: str(v) for k, v in ports.items()})
    log = open(work / "run.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "bot.run"], cwd=repo_root, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    running = RunningSystem(
        web_url=f"http://127.0.0.1:{ports['WEB_PORT']}",
        rasa_url=f"http://127.0.0.1:{ports['RASA_PORT']}",
        actions_url=f"http://127.0.0.1:{ports['ACTIONS_PORT']}",
        voice_url=f"http://127.0.0.1:{ports['VOICE_PORT']}",
        audiosocket_port=ports["AUDIOSOCKET_PORT"],
        token=token, tracker_db=tracker_db, process=process, env=env, case_db=case_db,
        log_path=work / "run.log",
    )
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    try:
        while "ready" not in (work / "run.log").read_text(encoding="utf-8", errors="replace"):
            if process.poll() is not None:
                pytest.fail("bot.run exited while starting:\n"
                            + (work / "run.log").read_text(encoding="utf-8", errors="replace")[-4000:])
            if time.monotonic() > deadline:
                pytest.fail(f"system not ready within {STARTUP_TIMEOUT_S}s")
            time.sleep(1)
        yield running
    finally:
        log.close()
        _stop(running)
