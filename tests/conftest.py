"""Shared fixtures: the trained model and one running system (Rasa + actions + web) per session."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Dict, List

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


WECHAT = {"WECHAT_TOKEN": "wechat-test-token", "WECHAT_APP_ID": "wx0123456789abcdef",
          "WECHAT_APP_SECRET": "wechat-test-secret", "WECHAT_MODE": "safe",
          # 43 characters, as the 公众号 console issues it (32 bytes, base64 without the "=")
          "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}


@pytest.fixture(scope="session")
def wechat_api() -> FakeWeChatApi:
    return FakeWeChatApi(WECHAT["WECHAT_APP_ID"], WECHAT["WECHAT_APP_SECRET"]).start()


@pytest.fixture(scope="session")
def system(trained_model: Path, tmp_path_factory, rasa_env, repo_root, wechat_api) -> RunningSystem:
    """The whole system as `make run` starts it, on free ports and fresh SQLite stores."""
    # Rasa answers the desk within seconds at the tests' load; a shorter delivery timeout only shortens how
    # long a message a killed desk had on its way waits to be sent again (the soak of test_run_smoke: 75 → 30 s).
    settings = {"DESK_DELIVERY_TIMEOUT_SECONDS": "15"}
    try:
        running = start_system(tmp_path_factory.mktemp("system"),
                               dict(rasa_env, WECHAT_API_BASE=wechat_api.url, **WECHAT), settings)
    except RuntimeError as error:
        pytest.fail(str(error))
    try:
        yield running
    finally:
        stop_system(running)
