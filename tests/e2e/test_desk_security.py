"""The desk refuses what it must: no login, wrong passwords, forged requests, another officer's case."""
import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import OFFICER_PASSWORD, http_call

pytestmark = [pytest.mark.slow, pytest.mark.integration]


class Browser:
    """Cookies kept like a browser's; no Origin header unless given."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, method, path, body=None, form=None, headers=None):
        data, content_type = None, "application/json"
        if form is not None:
            data, content_type = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": content_type, **(headers or {})})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8"), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8"), error.url

    def login(self, username, password):
        return self.request("POST", "/desk/login", form={"username": username, "password": password})


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/cases"), ("GET", "/api/cases/1"), ("POST", "/api/cases/1/claim"),
    ("POST", "/api/cases/1/messages"), ("POST", "/api/cases/1/handback"), ("POST", "/api/cases/1/close"),
    ("GET", "/api/events"), ("GET", "/api/cases/1/stop-payment"), ("PATCH", "/api/cases/1"),
])
def test_unauthenticated_requests_get_401(system, method, path):
    assert http_call(method, system.web_url + path)[0] == 401
    assert http_call(method, system.web_url + path, headers={"Authorization": "Bearer dsk_forged"})[0] == 401


def test_pages_without_a_session_go_to_the_login(system):
    status, body, url = Browser(system.web_url).request("GET", "/desk/")
    assert status == 200 and url.endswith("/desk/login") and "民警工作台" in body


def test_repeated_wrong_passwords_lock_the_account(system):
    system.officer("lock-me")
    browser = Browser(system.web_url)
    statuses = [browser.login("lock-me", "wrong-password")[0] for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 423]
    status, body, _ = browser.login("lock-me", OFFICER_PASSWORD)
    assert status == 423 and "锁定" in body
    assert browser.request("GET", "/api/me")[0] == 401


def test_session_requests_need_the_csrf_token_and_the_same_origin(system):
    case_id = _waiting_case(system, "csrf-case")
    system.officer("csrf-officer")
    browser = Browser(system.web_url)
    status, _, url = browser.login("csrf-officer", OFFICER_PASSWORD)
    assert status == 200 and url.endswith("/desk/")
    me = json.loads(browser.request("GET", "/api/me")[1])
    assert me["username"] == "csrf-officer"
    assert browser.request("POST", f"/api/cases/{case_id}/claim")[0] == 403                   # no token
    assert browser.request("POST", f"/api/cases/{case_id}/claim",
                           headers={"X-CSRF-Token": "forged"})[0] == 403                      # wrong token
    assert browser.request("POST", f"/api/cases/{case_id}/claim", headers={
        "X-CSRF-Token": me["csrf_token"], "Origin": "http://evil.example"})[0] == 403          # other site
    status, body, _ = browser.request("POST", f"/api/cases/{case_id}/claim",
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


def _waiting_case(system, sender):
    system.say(sender, "转人工")
    return system.case_of(sender)["id"]
