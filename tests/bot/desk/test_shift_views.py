"""The shift's endpoints over HTTP (the real app on a real SQLite store): login, CSRF, input checks, audit."""
import time

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.desk.app import create_desk_app
from tests.bot.desk.conftest import CARD, open_case

PASSWORD = "s3cret-password"
OTHER_CARD = "6228480000000000000"


@pytest.fixture
async def desk(desk_settings, store, accounts):
    """(client, case id claimed by zhang with two receiving accounts, zhang's API headers)."""
    accounts.add_officer("zhang", PASSWORD, phone="13800001111")
    token = accounts.issue_token("zhang")
    case = open_case(store, transfers=[{"amount": 100, "to_account": CARD, "to_name": "李四"},
                                       {"amount": 50, "to_account": OTHER_CARD}])
    store.claim(case["id"], "zhang")
    client = TestClient(TestServer(create_desk_app(desk_settings)))
    await client.start_server()
    yield client, case["id"], {"Authorization": f"Bearer {token}"}
    await client.close()


NEW_ENDPOINTS = [("POST", "/api/cases/{id}/stops"), ("POST", "/api/cases/{id}/promote"), ("GET", "/api/search?q=6222"),
                 ("GET", "/api/stats")]


async def test_every_new_endpoint_needs_an_officer(desk):
    client, case_id, _ = desk
    for method, path in NEW_ENDPOINTS:
        response = await client.request(method, path.format(id=case_id), json={})
        assert response.status == 401, path
    page = await client.get("/desk/stats", allow_redirects=False)
    assert page.status == 303 and page.headers["Location"] == "/desk/login"


async def test_a_browser_session_needs_the_csrf_token_to_record_a_stop(desk, store):
    client, case_id, _ = desk
    await client.post("/desk/login", data={"username": "zhang", "password": PASSWORD}, allow_redirects=False)
    me = await (await client.get("/api/me")).json()
    body = {"account": CARD, "action": "requested"}
    refused = await client.post(f"/api/cases/{case_id}/stops", json=body)
    assert refused.status == 403 and store.case(case_id)["stops"] == []
    done = await client.post(f"/api/cases/{case_id}/stops", json=body, headers={"X-CSRF-Token": me["csrf_token"]})
    assert done.status == 200 and (await done.json())["stops"][0]["status"] == "requested"


async def test_me_tells_the_page_the_centres_zone_and_what_the_bank_checks(desk):
    client, _, auth = desk
    me = await (await client.get("/api/me", headers=auth)).json()
    assert me["time_zone"] == "Asia/Shanghai" and me["unit"] == "96110 反诈中心" and me["phone"] == "13800001111"
    assert me["bank_checked_fields"]["to_name"] == "户名不详 — 银行可能拒绝"
    assert me["stop_hours"] == 48 and me["golden_minutes"] == 30 and me["channels"]["voice"] == "96110 电话"


async def test_one_accounts_request_is_exported_printed_and_audited_once(desk, store):
    client, case_id, auth = desk
    exported = await client.get(f"/api/cases/{case_id}/stop-payment?account=2", headers=auth)
    packet = await exported.json()
    assert exported.status == 200 and [r["account"] for r in packet["requests"]] == [OTHER_CARD]
    assert packet["officer"] == {"username": "zhang", "phone": "13800001111"}
    printed = await client.get(f"/desk/cases/{case_id}/stop-payment?account=1", headers=auth)
    page = await printed.text()
    assert printed.status == 200 and CARD in page and OTHER_CARD not in page and "电话：13800001111" in page
    for wrong, status in (("0", 400), ("x", 400), ("-1", 400), ("²", 400), ("3", 404)):
        response = await client.get(f"/api/cases/{case_id}/stop-payment?account={wrong}", headers=auth)
        assert response.status == status, wrong
    trail = [e for e in store.audit_entries(case_id) if "stop_payment" in e["action"]]
    assert [e["action"] for e in trail] == ["export_stop_payment", "print_stop_payment"]
    assert "****0000" in trail[0]["detail"] and OTHER_CARD not in trail[0]["detail"]


async def test_stops_promotion_and_search_over_http(desk, store):
    client, case_id, auth = desk
    bad = await client.post(f"/api/cases/{case_id}/stops", json={"account": CARD, "action": "cancel"}, headers=auth)
    assert bad.status == 400 and "action" in (await bad.json())["message"]
    stop = await client.post(f"/api/cases/{case_id}/stops", json={"account": CARD, "action": "requested"}, headers=auth)
    assert stop.status == 200
    again = await client.post(f"/api/cases/{case_id}/stops", json={"account": CARD, "action": "requested"}, headers=auth)
    assert again.status == 409

    registered = store.open_registration(conversation_id="reg", channel="webchat", packet={"transfers": [
        {"amount": 5, "to_account": CARD}]}, scam_type={"name": "investment"}, in_progress=False, transcript=[])
    promoted = await client.post(f"/api/cases/{registered['id']}/promote", headers=auth)
    assert promoted.status == 200 and (await promoted.json())["reason"] == "report"
    assert (await client.post(f"/api/cases/{case_id}/promote", headers=auth)).status == 409

    found = await (await client.get("/api/search", params={"q": "6222-0212-3456-7890-128"}, headers=auth)).json()
    assert sorted(c["id"] for c in found["cases"]) == sorted([case_id, registered["id"]])
    assert all(c["matched"] == ["account"] for c in found["cases"])
    short = await client.get("/api/search?q=62", headers=auth)
    assert short.status == 400


async def test_the_dashboard_page_and_its_json(desk, store, clock):
    client, _, auth = desk
    clock.now = time.time() - 3600  # the app's store runs on the real clock
    open_case(store, "an-hour-ago")
    page = await client.get("/desk/stats?hours=24", headers=auth)
    text = await page.text()
    assert page.status == 200 and "值班统计" in text and "<svg" in text and "民警 zhang" in text
    figures = await (await client.get("/api/stats?hours=8", headers=auth)).json()
    assert figures["cases"] == 1 and figures["hours"] == 8 and figures["stops"] == []
    for wrong in ("5", "²", "12.0", ""):
        assert (await client.get(f"/desk/stats?hours={wrong}", headers=auth)).status == 400, wrong
