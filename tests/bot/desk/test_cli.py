"""`python -m bot.desk`: accounts, cases and the audit trail from the command line, and the desk served
on its own."""
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from bot.desk.accounts import Accounts
from bot.desk.crypto import generate_key
from bot.desk.errors import Throttled, Unauthorized
from bot.desk.store import CaseStore
from bot.settings import Settings
from tests.bot.desk.conftest import open_case
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
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(process.communicate()[0])
            time.sleep(0.2)
        status, body = http_call("GET", base + "/api/cases", headers={"Authorization": f"Bearer {token}"})
        assert status == 200 and body == {"cases": []}
        assert http_call("GET", base + "/api/cases")[0] == 401
        assert http_call("GET", base + "/")[0] == 404  # the citizen chat is not part of the desk alone
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0


def test_officers_tokens_and_cases_are_managed_from_the_command_line(desk_env):
    for name in ("zhang", "li"):
        assert desk_cli(desk_env, "add-officer", name, "--password-stdin", stdin="a-long-password\n").returncode == 0
    issued = desk_cli(desk_env, "issue-token", "zhang", "--days", "1")
    assert issued.returncode == 0 and "有效期 1 天" in issued.stderr
    assert desk_cli(desk_env, "issue-token", "zhang", "--days", "0").returncode == 2
    store = CaseStore.open(Settings.from_env(desk_env))
    accounts = Accounts(store)
    try:
        case = open_case(store)
        store.claim(case["id"], "zhang")
        assert desk_cli(desk_env, "reassign", str(case["id"]), "li").returncode == 0
        assert store.case(case["id"])["claimed_by"] == "li"
        assert desk_cli(desk_env, "reassign", str(case["id"]), "nobody").returncode == 2

        token = issued.stdout.strip()
        assert accounts.officer_for_token(token) == "zhang"
        revoked = desk_cli(desk_env, "revoke-tokens", "zhang")
        assert revoked.returncode == 0 and "1 个令牌" in revoked.stderr
        assert accounts.officer_for_token(token) is None

        for _ in range(5):
            with pytest.raises(Unauthorized):
                accounts.authenticate("zhang", "wrong", "203.0.113.9")
        with pytest.raises(Throttled):
            accounts.authenticate("zhang", "a-long-password", "203.0.113.9")
        assert desk_cli(desk_env, "unlock", "zhang", "--address", "203.0.113.9").returncode == 0
        assert accounts.authenticate("zhang", "a-long-password", "203.0.113.9").username == "zhang"

        li_token = accounts.issue_token("li")
        removed = desk_cli(desk_env, "remove-officer", "li")
        assert removed.returncode == 0 and f"#{case['id']}" in removed.stderr
        assert accounts.officer_for_token(li_token) is None
        assert store.case(case["id"])["status"] == "waiting"
        assert desk_cli(desk_env, "remove-officer", "li").returncode == 2

        actions = [e["action"] for e in store.audit_entries()]
        for action in ("issue_token", "reassign", "revoke_tokens", "unlock", "unclaim", "remove_officer"):
            assert action in actions
    finally:
        store.close()


def test_verify_audit_names_the_first_changed_row(desk_env):
    desk_cli(desk_env, "add-officer", "zhang", "--password-stdin", stdin="a-long-password\n")
    desk_cli(desk_env, "issue-token", "zhang")
    intact = desk_cli(desk_env, "verify-audit")
    assert intact.returncode == 0 and "审计记录完整：2 条" in intact.stdout
    database = desk_env["CASE_STORE_URL"].split("///", 1)[1]
    with sqlite3.connect(database) as conn:  # someone with the database file, rewriting history
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET detail = 'li' WHERE id = 1")
    broken = desk_cli(desk_env, "verify-audit")
    assert broken.returncode == 1 and "id=1" in broken.stdout and "改动" in broken.stdout


def test_an_officers_phone_for_stop_payment_requests_is_set_from_the_command_line(desk_env):
    added = desk_cli(desk_env, "add-officer", "zhang", "--phone", "13800001111", "--password-stdin",
                     stdin="a-long-password\n")
    assert added.returncode == 0, added.stderr
    assert desk_cli(desk_env, "add-officer", "li", "--password-stdin", stdin="a-long-password\n").returncode == 0
    assert desk_cli(desk_env, "set-phone", "li", "021-12345678").returncode == 0
    wrong = desk_cli(desk_env, "set-phone", "li", "call me")
    assert wrong.returncode == 2 and "电话应为数字" in wrong.stderr
    assert desk_cli(desk_env, "set-phone", "nobody", "13800001111").returncode == 2
    store = CaseStore.open(Settings.from_env(desk_env))
    try:
        accounts = Accounts(store)
        assert (accounts.phone("zhang"), accounts.phone("li")) == ("13800001111", "021-12345678")
        entry = store.audit_entries()[-1]
        assert entry["action"] == "set_phone" and "12345678" not in entry["detail"]
    finally:
        store.close()
