"""The desk over HTTP (the real app on a real SQLite store), fed what an attacker would send."""
import asyncio

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.desk.app import MAX_BODY_BYTES, create_desk_app
from tests.bot.desk.conftest import open_case

PASSWORD = "s3cret-password"


@pytest.fixture
async def desk(desk_settings, store, accounts):
    """(client, case id claimed by zhang, zhang's API headers)."""
    accounts.add_officer("zhang", PASSWORD)
    token = accounts.issue_token("zhang")
    case = open_case(store)
    store.claim(case["id"], "zhang")
    client = TestClient(TestServer(create_desk_app(desk_settings)))
    await client.start_server()
    yield client, case["id"], {"Authorization": f"Bearer {token}"}
    await client.close()


async def call(client, method, path, headers, data):
    response = await client.request(method, path, data=data, headers={"Content-Type": "application/json", **headers})
    assert response.content_type == "application/json", await response.text()
    return response.status, await response.json()


@pytest.mark.parametrize("body", [
    b"[" * 30_000 + b"]" * 30_000,                       # deeper than the parser goes
    b'{"victim":' + b'{"a":' * 40 + b"1" + b"}" * 41,     # parses, but far deeper than any case
    b'{"outcome": "stopped", "frozen_amount": NaN}',
    b'{"outcome": "stopped", "frozen_amount": 1e309}',
    b'{"outcome": "stopped", "frozen_amount": ' + b"9" * 400 + b"}",
    b'["not", "an", "object"]',
    b"\xff\xfe{}",
], ids=["deep-array", "deep-object", "nan", "1e309", "huge-integer", "array", "not-utf8"])
async def test_malformed_bodies_get_a_json_400(desk, body):
    client, case_id, auth = desk
    for method, path in (("POST", f"/api/cases/{case_id}/close"), ("PATCH", f"/api/cases/{case_id}")):
        status, answer = await call(client, method, path, auth, body)
        assert status == 400 and answer["error"] == "bad-request" and answer["message"], answer
    status, case = await call(client, "GET", f"/api/cases/{case_id}", auth, None)
    assert status == 200 and case["status"] == "claimed"  # nothing was closed


async def test_a_body_too_large_gets_a_json_413(desk):
    client, case_id, auth = desk
    status, answer = await call(client, "POST", f"/api/cases/{case_id}/messages", auth,
                                b'{"text": "' + b"a" * MAX_BODY_BYTES + b'"}')
    assert status == 413 and answer["error"] == "payload-too-large" and "太大" in answer["message"]


@pytest.mark.parametrize("changes,field", [
    (b'{"victim": "x"}', "victim"),
    (b'{"scam_detail": {"platform": "x"}}', "scam_detail"),
    (b'{"transfers": [{"amount": 1e309}]}', None),  # refused while parsing: not a finite number
    (b'{"transfers": [{"amount": "1e309"}]}', "transfers[0].amount"),
    (b'{"transfers": [{"amount": -100}]}', "transfers[0].amount"),
    (b'{"scam_type": {"name": "romance"}}', "scam_type"),
])
async def test_wrong_types_in_a_correction_get_a_400_naming_the_field(desk, changes, field):
    client, case_id, auth = desk
    status, answer = await call(client, "PATCH", f"/api/cases/{case_id}", auth, changes)
    assert status == 400 and (field is None or field in answer["message"]), answer
    status, listed = await call(client, "GET", "/api/cases", auth, None)
    assert status == 200 and listed["cases"][0]["scam_detail"] == "平台叫汇盈"


async def test_close_refuses_outcomes_and_amounts_of_the_wrong_type(desk):
    client, case_id, auth = desk
    for body in (b'{"outcome": ["stopped"]}', b'{"outcome": "stopped", "frozen_amount": "1e309"}',
                 b'{"outcome": "stopped", "frozen_amount": true}'):
        status, answer = await call(client, "POST", f"/api/cases/{case_id}/close", auth, body)
        assert status == 400, answer
    status, answer = await call(client, "POST", f"/api/cases/{case_id}/messages", auth, b'{"text": {"a": 1}}')
    assert status == 400 and "text" in answer["message"]


async def test_reads_exports_and_prints_are_audited_separately(desk):
    client, case_id, auth = desk
    assert (await client.get(f"/api/cases/{case_id}", headers=auth)).status == 200
    assert (await client.get(f"/api/cases/{case_id}/stop-payment", headers=auth)).status == 200
    printed = await client.get(f"/desk/cases/{case_id}/stop-payment", headers=auth)
    assert printed.status == 200 and "紧急止付申请" in await printed.text()
    status, trail = await call(client, "GET", f"/api/cases/{case_id}/audit?reads=1", auth, None)
    access = [(e["action"], e["officer"]) for e in trail["entries"][2:]]
    assert access == [("read_case", "zhang"), ("export_stop_payment", "zhang"), ("print_stop_payment", "zhang"),
                      ("read_audit", "zhang")]  # reading the trail is in it too
    assert all("6222021234567890128" not in e["detail"] for e in trail["entries"])
    status, trail = await call(client, "GET", f"/api/cases/{case_id}/audit", auth, None)
    assert not {"read_case", "read_audit"} & {e["action"] for e in trail["entries"]}  # reads only when asked for


async def login(client, username, password):
    response = await client.post("/desk/login", data={"username": username, "password": password},
                                 allow_redirects=False)
    return response.status, await response.text(), response


async def test_login_answers_unknown_users_like_wrong_passwords_and_backs_off(desk, accounts):
    client, _, _ = desk
    known = [(await login(client, "zhang", "wrong"))[:2] for _ in range(4)]
    accounts.unlock("zhang", address="127.0.0.1")
    unknown = [(await login(client, "nobody", "wrong"))[:2] for _ in range(4)]
    assert known == unknown
    assert [status for status, _ in known] == [401, 401, 401, 429]  # lockout_attempts is 3 in these tests
    status, page, response = await login(client, "zhang", PASSWORD)
    assert status == 429 and "分钟后再试" in page and int(response.headers["Retry-After"]) > 14 * 60


async def test_an_officers_own_browser_gets_in_while_the_address_is_refused(desk, store):
    client, _, _ = desk
    status, _, response = await login(client, "zhang", PASSWORD)
    assert status == 303 and "desk_device" in response.cookies and "desk_session" in response.cookies
    device = response.cookies["desk_device"]
    assert device["httponly"] and device["samesite"] == "Strict" and device["path"] == "/desk/login"
    trusted = client.session.cookie_jar.filter_cookies(client.make_url("/desk/login"))
    client.session.cookie_jar.clear()
    for _ in range(4):  # a stranger at the same address
        await login(client, "zhang", "guess")
    assert (await login(client, "zhang", PASSWORD))[0] == 429
    client.session.cookie_jar.update_cookies(trusted)
    assert (await login(client, "zhang", PASSWORD))[0] == 303
    assert (await client.get("/api/me")).status == 200


async def test_an_open_event_stream_ends_when_the_officers_tokens_are_revoked(desk, accounts, monkeypatch):
    from bot.desk import views
    monkeypatch.setattr(views, "EVENTS_RECHECK_S", 0.2)
    client, _, auth = desk
    stream = await client.get("/api/events", headers=auth)
    assert stream.status == 200 and b"event: ready" in await stream.content.readuntil(b"\n\n")
    accounts.revoke_tokens("zhang")
    ended = await asyncio.wait_for(stream.content.read(), 5)  # read() returns once the server ends the stream
    assert b"event: case" not in ended
    assert (await client.get("/api/events", headers=auth)).status == 401


def test_the_client_address_comes_from_a_trusted_proxy_only():
    from aiohttp import web
    from aiohttp.test_utils import make_mocked_request

    from bot.desk.auth import client_address
    from bot.settings import Settings
    from bot.web.keys import SETTINGS

    app = web.Application()
    app[SETTINGS] = Settings.from_env({"DESK_TRUSTED_PROXIES": "10.0.0.0/8"})

    def address(peer, forwarded):
        request = make_mocked_request("POST", "/desk/login", headers={"X-Forwarded-For": forwarded}, app=app,
                                      transport=FakeTransport(peer))
        return client_address(request)

    assert address("10.1.2.3", "203.0.113.9, 198.51.100.7") == "198.51.100.7"  # the proxy's own entry
    assert address("192.0.2.50", "198.51.100.7") == "192.0.2.50"  # anyone else cannot choose an address


class FakeTransport:
    def __init__(self, peer):
        self.peer = peer

    def get_extra_info(self, name, default=None):
        return (self.peer, 40000) if name == "peername" else default
