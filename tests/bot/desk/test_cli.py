"""`python -m bot.desk`: accounts from the command line, and the desk served on its own."""
import signal
import subprocess
import sys
import time

import pytest

from bot.desk.crypto import generate_key
from tests.conftest import free_port, http_call


@pytest.fixture
def desk_env(tmp_path):
    return {"CASE_STORE_URL": f"sqlite:///{tmp_path / 'cases.db'}", "CASE_STORE_KEY": generate_key(),
            "WEB_PORT": str(free_port()), "PATH": "/usr/bin:/bin", "RASA_PORT": str(free_port())}


def desk_cli(env, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "bot.desk", *args], env=env, input=stdin, text=True,
                          capture_output=True, timeout=60)


def test_accounts_and_tokens_from_the_command_line(desk_env):
    assert desk_cli(desk_env, "add-officer", "zhang", "--password-stdin", stdin="a-long-password\n").returncode == 0
    again = desk_cli(desk_env, "add-officer", "zhang", "--password-stdin", stdin="a-long-password\n")
    assert again.returncode == 2 and "已存在" in again.stderr
    weak = desk_cli(desk_env, "add-officer", "li", "--password-stdin", stdin="short\n")
    assert weak.returncode == 2 and "密码至少" in weak.stderr
    issued = desk_cli(desk_env, "issue-token", "zhang")
    assert issued.returncode == 0 and issued.stdout.startswith("dsk_")
    assert desk_cli(desk_env, "issue-token", "nobody").returncode == 2


def test_the_desk_serves_alone_and_stops_cleanly(desk_env, repo_root):
    desk_cli(desk_env, "add-officer", "zhang", "--password-stdin", stdin="a-long-password\n")
    token = desk_cli(desk_env, "issue-token", "zhang").stdout.strip()
    process = subprocess.Popen([sys.executable, "-m", "bot.desk", "serve"], env=desk_env, cwd=repo_root,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{desk_env['WEB_PORT']}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if http_call("GET", base + "/api/health", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, process.stdout.read()
            time.sleep(0.2)
        status, body = http_call("GET", base + "/api/cases", headers={"Authorization": f"Bearer {token}"})
        assert status == 200 and body == {"cases": []}
        assert http_call("GET", base + "/api/cases")[0] == 401
        assert http_call("GET", base + "/")[0] == 404  # the citizen chat is not part of the desk alone
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
