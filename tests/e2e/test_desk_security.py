"""The desk refuses what it must, tried as an attacker would against the running system: no login, guessed
passwords (from other loopback addresses, as from elsewhere), forged requests, another officer's case,
malformed bodies; and after every attack the officers still log in and work."""
import functools
import http.client
import http.cookiejar
import json
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import pytest

from tests.conftest import OFFICER_PASSWORD, REPO_ROOT, http_call

pytestmark = [pytest.mark.slow, pytest.mark.integration]
LOCKOUT_ATTEMPTS = 5  # DESK_LOCKOUT_ATTEMPTS as the system runs (its default)


class Answer(NamedTuple):
    status: int
    body: str
    url: str
    headers: dict


class _FromAddress(urllib.request.HTTPHandler):
    """Connects from another loopback address (127.0.0.0/8 all reach the server): another client."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def http_open(self, request):
        return self.do_open(functools.partial(http.client.HTTPConnection, source_address=(self.source, 0)), request)


class Browser:
    """Cookies kept like a browser's; no Origin header unless given; from 127.0.0.1 unless told."""

    def __init__(self, base: str, source: str = None) -> None:
        self.base = base
        handlers = [urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())]
        self.opener = urllib.request.build_opener(*handlers, *([_FromAddress(source)] if source else []))

    def request(self, method, path, body=None, form=None, headers=None, raw=None) -> Answer:
        data, content_type = raw, "application/json"
        if form is not None:
            data, content_type = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": content_type, **(headers or {})})
        try:
            with self.opener.open(request, timeout=60) as response:
                return Answer(response.status, response.read().decode("utf-8"), response.url, dict(response.headers))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode("utf-8"), error.url, dict(error.headers))

    def login(self, username, password) -> Answer:
        return self.request("POST", "/desk/login", form={"username": username, "password": password})

    def login_patiently(self, username, password, most_s=10) -> Answer:
        """Logs in, waiting once as Retry-After says if the desk asks to (at most most_s)."""
        answer = self.login(username, password)
        if answer.status == 429:
            wait = int(answer.headers["Retry-After"])
            assert wait <= most_s, f"an officer was kept out for {wait} s"
            time.sleep(wait)
            answer = self.login(username, password)
        return answer


def strict_json(text):
    """JSON as a browser parses it: NaN or Infinity make it invalid."""
    return json.loads(text, parse_constant=lambda name: pytest.fail(f"not valid JSON: {name}"))


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/cases"), ("GET", "/api/cases/1"), ("POST", "/api/cases/1/claim"),
    ("POST", "/api/cases/1/messages"), ("POST", "/api/cases/1/handback"), ("POST", "/api/cases/1/close"),
    ("GET", "/api/events"), ("GET", "/api/cases/1/stop-payment"), ("PATCH", "/api/cases/1"),
])
def test_unauthenticated_requests_get_401(system, method, path):
    assert http_call(method, system.web_url + path)[0] == 401
    assert http_call(method, system.web_url + path, headers={"Authorization": "Bearer dsk_forged"})[0] == 401


def test_pages_without_a_session_go_to_the_login(system):
    status, body, url, _ = Browser(system.web_url).request("GET", "/desk/")
    assert status == 200 and url.endswith("/desk/login") and "民警工作台" in body


def test_parallel_wrong_passwords_neither_lock_the_officer_out_nor_all_get_checked(system):
    system.officer("target-officer")
    officer = Browser(system.web_url)
    assert officer.login("target-officer", OFFICER_PASSWORD).url.endswith("/desk/")
    with ThreadPoolExecutor(30) as pool:  # one attacker, 30 guesses at once
        answers = list(pool.map(lambda i: Browser(system.web_url, "127.0.0.66").login("target-officer", f"guess-{i}"),
                                range(30)))
    assert Counter(a.status for a in answers) == {401: LOCKOUT_ATTEMPTS, 429: 30 - LOCKOUT_ATTEMPTS}
    assert all(int(a.headers["Retry-After"]) > 0 for a in answers if a.status == 429)
    # The attacker's address is stopped, even with the right password ...
    blocked = Browser(system.web_url, "127.0.0.66").login("target-officer", OFFICER_PASSWORD)
    assert blocked.status == 429 and "分钟后再试" in blocked.body
    # ... the officer's own browser gets in at once, and a new one elsewhere after seconds at most.
    again = officer.login("target-officer", OFFICER_PASSWORD)
    assert again.status == 200 and again.url.endswith("/desk/")
    assert json.loads(officer.request("GET", "/api/me").body)["username"] == "target-officer"
    elsewhere = Browser(system.web_url, "127.0.0.67").login_patiently("target-officer", OFFICER_PASSWORD)
    assert elsewhere.status == 200 and elsewhere.url.endswith("/desk/")


def test_unknown_users_get_exactly_the_answer_of_a_wrong_password(system):
    system.officer("real-officer")
    known, unknown, known_s, unknown_s = [], [], [], []
    for _ in range(LOCKOUT_ATTEMPTS + 2):
        for name, source, answers, took in (("real-officer", "127.0.0.70", known, known_s),
                                            ("no-such-officer", "127.0.0.71", unknown, unknown_s)):
            started = time.perf_counter()
            answer = Browser(system.web_url, source).login(name, "wrong-password")
            took.append(time.perf_counter() - started)
            answers.append((answer.status, answer.body, answer.headers.get("Set-Cookie")))
    assert known == unknown
    assert [a[0] for a in known] == [401] * LOCKOUT_ATTEMPTS + [429, 429]
    checked = slice(0, LOCKOUT_ATTEMPTS)  # both ran the password hash: neither answers much faster
    assert statistics.median(unknown_s[checked]) > 0.5 * statistics.median(known_s[checked]), (known_s, unknown_s)
    officer = Browser(system.web_url).login_patiently("real-officer", OFFICER_PASSWORD)
    assert officer.status == 200 and officer.url.endswith("/desk/")


def test_session_requests_need_the_csrf_token_and_the_same_origin(system):
    case_id = _waiting_case(system, "csrf-case")
    system.officer("csrf-officer")
    browser = Browser(system.web_url)
    status, _, url, _ = browser.login("csrf-officer", OFFICER_PASSWORD)
    assert status == 200 and url.endswith("/desk/")
    me = json.loads(browser.request("GET", "/api/me").body)
    assert me["username"] == "csrf-officer"
    assert browser.request("POST", f"/api/cases/{case_id}/claim").status == 403                   # no token
    assert browser.request("POST", f"/api/cases/{case_id}/claim",
                           headers={"X-CSRF-Token": "forged"}).status == 403                      # wrong token
    assert browser.request("POST", f"/api/cases/{case_id}/claim", headers={
        "X-CSRF-Token": me["csrf_token"], "Origin": "http://evil.example"}).status == 403          # other site
    status, body, _, _ = browser.request("POST", f"/api/cases/{case_id}/claim",
                                         headers={"X-CSRF-Token": me["csrf_token"]})
    assert status == 200 and json.loads(body)["claimed_by"] == "csrf-officer"


def test_an_officer_cannot_act_on_another_officers_case(system):
    case_id = _waiting_case(system, "other-officers-case")
    assert system.desk("POST", f"/api/cases/{case_id}/claim", officer="owner")[0] == 200
    for method, path, body in [("POST", "messages", {"text": "你好"}), ("POST", "handback", None),
                               ("POST", "close", {"outcome": "stopped"}), ("PATCH", "", {"narrative": "x"})]:
        url = f"/api/cases/{case_id}/{path}".rstrip("/")
        status, answer = system.desk(method, url, body, officer="intruder")
        assert status == 403 and "owner" in answer["message"], (path, answer)
    status, answer = system.desk("POST", f"/api/cases/{case_id}/claim", officer="intruder")
    assert status == 409 and "owner" in answer["message"]
    audit = system.desk("GET", f"/api/cases/{case_id}/audit", officer="owner")[1]["entries"]
    assert [e["action"] for e in audit] == ["case_created", "claim"]


def test_bad_input_gets_a_clear_error(system):
    case_id = _waiting_case(system, "bad-input-case")
    system.desk("POST", f"/api/cases/{case_id}/claim", officer="careful")
    assert system.desk("POST", f"/api/cases/{case_id}/messages", {"text": ""}, officer="careful")[0] == 400
    assert system.desk("POST", f"/api/cases/{case_id}/close", {"outcome": "maybe"}, officer="careful")[0] == 400
    assert system.desk("GET", "/api/cases?status=open", officer="careful")[0] == 400
    assert system.desk("GET", "/api/cases/abc", officer="careful")[0] == 400
    assert system.desk("GET", "/api/cases/999999", officer="careful")[0] == 404


@pytest.mark.parametrize("method,path,raw,expected,names", [
    ("PATCH", "", b"[" * 20_000 + b"]" * 20_000, 400, ""),
    ("PATCH", "", b'{"victim":' + b'{"a":' * 50 + b"1" + b"}" * 51, 400, ""),
    ("PATCH", "", b'{"victim": "x"}', 400, "victim"),
    ("PATCH", "", b'{"scam_detail": {"platform": "x"}}', 400, "scam_detail"),
    ("PATCH", "", b'{"transfers": [{"amount": 1e309, "to_account": "6222021234567890128"}]}', 400, ""),
    ("PATCH", "", b'{"transfers": [{"amount": "1e309", "to_account": "6222021234567890128"}]}', 400, "amount"),
    ("POST", "/close", b'{"outcome": "stopped", "frozen_amount": 1e309}', 400, ""),
    ("POST", "/close", b'{"outcome": "stopped", "frozen_amount": NaN}', 400, ""),
    ("POST", "/messages", b'{"text": "' + b"x" * 100_000 + b'"}', 413, ""),
], ids=["nested-array", "nested-object", "victim-string", "detail-object", "amount-1e309", "amount-string-1e309",
        "frozen-1e309", "frozen-nan", "too-large"])
def test_malformed_case_writes_get_a_json_error_and_break_nothing(system, method, path, raw, expected, names):
    case_id = _claimed_case(system, "malformed-writes", "careful")
    token = system.officer("careful")
    answer = Browser(system.web_url).request(method, f"/api/cases/{case_id}{path}", raw=raw,
                                             headers={"Authorization": f"Bearer {token}"})
    assert answer.status == expected and answer.headers["Content-Type"].startswith("application/json"), answer
    message = json.loads(answer.body)["message"]
    assert names in message and any("\u4e00" <= ch <= "\u9fff" for ch in message)  # in Chinese, naming the field
    # Nothing was stored: the queue is valid JSON for every officer and the case still reads.
    listed = Browser(system.web_url).request("GET", "/api/cases", headers={"Authorization": f"Bearer {token}"})
    assert listed.status == 200 and strict_json(listed.body)["cases"]
    status, case = system.desk("GET", f"/api/cases/{case_id}", officer="careful")
    assert status == 200 and case["status"] == "claimed" and case["scam_detail"] in (None, "")


def test_reads_exports_and_prints_are_audited_with_names_and_phones_masked(system):
    case_id = _claimed_case(system, "audited-case", "auditor")
    patched = system.desk("PATCH", f"/api/cases/{case_id}", {"victim": {"name": "欧阳娜娜", "phone": "13912345678"},
                                                              "transfers": [{"to_name": "李四", "amount": 3000}]},
                          officer="auditor")
    assert patched[0] == 200, patched
    assert system.desk("POST", f"/api/cases/{case_id}/messages", {"text": "欧阳娜娜您好，请打 13912345678 联系"},
                       officer="auditor")[0] == 202
    assert system.desk("GET", f"/api/cases/{case_id}", officer="auditor")[0] == 200
    assert system.desk("GET", f"/api/cases/{case_id}/stop-payment", officer="auditor")[0] == 200
    token = system.officer("auditor")
    printed = Browser(system.web_url).request("GET", f"/desk/cases/{case_id}/stop-payment",
                                              headers={"Authorization": f"Bearer {token}"})
    assert printed.status == 200 and "紧急止付申请" in printed.body
    entries = system.desk("GET", f"/api/cases/{case_id}/audit?reads=1", officer="auditor")[1]["entries"]
    mine = [e["action"] for e in entries if e["officer"] == "auditor"]
    assert {"read_case", "export_stop_payment", "print_stop_payment"} <= set(mine)
    assert mine[-4:] == ["read_case", "export_stop_payment", "print_stop_payment", "read_audit"]
    details = json.dumps(entries, ensure_ascii=False)
    assert "欧阳娜娜" not in details and "李四" not in details and "13912345678" not in details
    assert "欧***" in details
    verified = _cli(system, "verify-audit")
    assert verified.returncode == 0 and "审计记录完整" in verified.stdout, verified


def test_a_removed_officer_is_out_at_once_and_cases_can_be_moved(system):
    case_id = _claimed_case(system, "leaving-officers-case", "leaving")
    browser = Browser(system.web_url)
    assert browser.login("leaving", OFFICER_PASSWORD).url.endswith("/desk/")
    assert browser.request("GET", "/api/me").status == 200
    assert _cli(system, "reassign", str(case_id), "staying").returncode == 2  # no such officer yet
    system.officer("staying")
    assert _cli(system, "reassign", str(case_id), "staying").returncode == 0
    assert system.desk("GET", f"/api/cases/{case_id}", officer="staying")[1]["claimed_by"] == "staying"
    assert _cli(system, "reassign", str(case_id), "leaving").returncode == 0
    removed = _cli(system, "remove-officer", "leaving")
    assert removed.returncode == 0 and f"#{case_id}" in removed.stderr
    assert browser.request("GET", "/api/me").status == 401
    assert system.desk("GET", "/api/cases", headers={"Authorization": f"Bearer {system.officer('leaving')}"})[0] == 401
    case = system.desk("GET", f"/api/cases/{case_id}", officer="staying")[1]
    assert case["status"] == "waiting" and case["claimed_by"] is None
    audit = [e["action"] for e in system.desk("GET", f"/api/cases/{case_id}/audit", officer="staying")[1]["entries"]]
    assert audit[-3:] == ["reassign", "reassign", "unclaim"]


def _cli(system, *args):
    return subprocess.run([sys.executable, "-m", "bot.desk", *args], cwd=REPO_ROOT, env=system.env, text=True,
                          capture_output=True, timeout=60)


def _waiting_case(system, sender):
    system.say(sender, "转人工")
    return system.case_of(sender)["id"]


def _claimed_case(system, sender, officer):
    status, cases = system.desk("GET", "/api/cases", officer=officer)
    found = [c for c in cases["cases"] if c["conversation_id"] == sender and c["status"] == "claimed"]
    if found:
        return found[0]["id"]
    case_id = _waiting_case(system, sender)
    assert system.desk("POST", f"/api/cases/{case_id}/claim", officer=officer)[0] == 200
    return case_id
