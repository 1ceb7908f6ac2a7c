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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List

import pytest

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


@dataclass
class RunningSystem:
    web_url: str
    rasa_url: str
    actions_url: str
    token: str
    tracker_db: Path
    process: subprocess.Popen

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
    still_open = [u for u in (running.web_url, running.rasa_url, running.actions_url) if _port_open(u)]
    assert not still_open, f"services still listening after Ctrl-C: {still_open}"
    assert process.returncode == 0, f"bot.run exited with {process.returncode}"


@pytest.fixture(scope="session")
def system(trained_model: Path, tmp_path_factory, rasa_env, repo_root) -> RunningSystem:
    """The whole system as `make run` starts it, on free ports and a fresh SQLite tracker store."""
    work = tmp_path_factory.mktemp("system")
    tracker_db = work / "tracker.db"
    ports = {name: free_port() for name in ("RASA_PORT", "ACTIONS_PORT", "WEB_PORT")}
    token = "test-token-" + os.urandom(8).hex()
    env = dict(rasa_env, RASA_TOKEN=token, TRACKER_STORE_URL=f"sqlite:///{tracker_db}",
               **{k: str(v) for k, v in ports.items()})
    log = open(work / "run.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "bot.run"], cwd=repo_root, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    running = RunningSystem(
        web_url=f"http://127.0.0.1:{ports['WEB_PORT']}",
        rasa_url=f"http://127.0.0.1:{ports['RASA_PORT']}",
        actions_url=f"http://127.0.0.1:{ports['ACTIONS_PORT']}",
        token=token, tracker_db=tracker_db, process=process,
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
