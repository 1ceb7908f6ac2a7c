"""Shared fixtures: the trained model and one running system (Rasa + actions + web) per session."""
from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path
from typing import Dict, List, Optional

import pytest

from tests.running import (  # noqa: F401 (re-exported for the tests)
    OFFICER_PASSWORD, REPO_ROOT, RunningSystem, free_port, http_call, http_json, start_system, stop_system,
)
from tests.wechat_api import FakeWeChatApi
from tests.postgres_server import postgres_url  # noqa: F401 (a fixture for tests of the stores)
from tests.redis_server import redis_server  # noqa: F401 (a fixture for the scale-out tests)

MODEL_PATH = REPO_ROOT / "models" / "hotline.tar.gz"


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


@pytest.fixture(scope="session")
def shipped_scam_classifier():
    """The shipped scam-type classifier fitted on all the narratives (nlu_data/scam_types), once per session:
    tests/bot/scam rank with it and tests/nlu/test_scam_types ranks the development set with it."""
    from bot.scam.classifier import build_classifier, prepare
    from bot.scam.narratives import load_narratives

    texts, labels = load_narratives(REPO_ROOT / "nlu_data" / "scam_types")
    return build_classifier().fit(prepare(texts), labels)


WECHAT = {"WECHAT_TOKEN": "wechat-test-token", "WECHAT_APP_ID": "wx0123456789abcdef",
          "WECHAT_APP_SECRET": "wechat-test-secret", "WECHAT_MODE": "safe",
          # 43 characters, as the 公众号 console issues it (32 bytes, base64 without the "=")
          "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}


@pytest.fixture(scope="session")
def wechat_api() -> FakeWeChatApi:
    return FakeWeChatApi(WECHAT["WECHAT_APP_ID"], WECHAT["WECHAT_APP_SECRET"]).start()


# What the tests' system runs with besides the defaults. Rasa answers the desk within seconds at the tests' load;
# a shorter delivery timeout only shortens how long a message a killed desk had on its way waits to be sent again
# (the soak of test_run_smoke: 75 → 30 s). Desk pages read the voice line's state every 2 s instead of 10 s.
SYSTEM_SETTINGS = {"DESK_DELIVERY_TIMEOUT_SECONDS": "15", "DESK_LINE_REFRESH_SECONDS": "2"}
# Run first when the system is needed: they need none and keep one core busy for a minute, while the system
# starts on the other (_system_start).
WHILE_THE_SYSTEM_STARTS = ("tests/bench/test_scam_type_cv_smoke.py",)


def needs_system(items) -> bool:
    return any("system" in item.fixturenames for item in items)


def pytest_collection_modifyitems(config, items) -> None:
    if needs_system(items):
        first = [item for item in items if item.nodeid.startswith(WHILE_THE_SYSTEM_STARTS)]
        items[:] = first + [item for item in items if item not in first]


class SystemStart(threading.Thread):
    """start_system in a thread: the session's tests go on until one needs the system."""

    def __init__(self, work: Path, env: Dict[str, str]) -> None:
        super().__init__(name="system-start", daemon=True)
        self.work, self.env = work, env
        self.running: Optional[RunningSystem] = None
        self.error: Optional[BaseException] = None

    def run(self) -> None:
        try:
            self.running = start_system(self.work, self.env, SYSTEM_SETTINGS)
        except BaseException as error:  # noqa: BLE001 (raised in the test that needs the system)
            self.error = error


@pytest.fixture(scope="session", autouse=True)
def _system_start(request, tmp_path_factory, rasa_env):
    """When a collected test needs the running system, it starts in the background with the session's first
    test; it is stopped at the end of the session."""
    if not needs_system(request.session.items):
        yield None
        return
    request.getfixturevalue("trained_model")
    wechat_api = request.getfixturevalue("wechat_api")
    start = SystemStart(tmp_path_factory.mktemp("system"), dict(rasa_env, WECHAT_API_BASE=wechat_api.url, **WECHAT))
    start.start()
    yield start
    start.join()
    if start.running is not None:
        stop_system(start.running)


@pytest.fixture(scope="session")
def system(_system_start: SystemStart) -> RunningSystem:
    """The whole system as `make run` starts it, on free ports and fresh SQLite stores."""
    _system_start.join()
    if isinstance(_system_start.error, RuntimeError):
        pytest.fail(str(_system_start.error))
    if _system_start.error is not None:
        raise _system_start.error
    return _system_start.running
