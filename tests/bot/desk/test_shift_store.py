"""What a shift needs from the case store: stop-payment requests and their 48 hours, registrations made
urgent, linked cases per account/phone/contact and the search that finds them."""
import os

import pytest

from bot.desk.errors import BadRequest, Conflict, Forbidden
from tests.bot.desk.conftest import CARD, open_case

HOUR = 3600
OTHER_CARD = "6228480000000000000"


def registration(store, conversation_id="reg-1", **packet_changes):
    from tests.bot.desk.conftest import packet
    return store.open_registration(conversation_id=conversation_id, channel="webchat", packet=packet(**packet_changes),
                                   scam_type={"name": "investment", "confidence": 0.8}, in_progress=False,
                                   transcript=[])


# --- stop-payment requests -------------------------------------------------------------------------
def test_a_stop_runs_48_hours_warns_12_hours_before_and_renews_once(store, clock):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    stop = store.record_stop(case["id"], "zhang", CARD, "requested")["stops"][0]
    assert (stop["status"], stop["status_label"], stop["renewals"]) == ("requested", "止付中", 0)
    assert stop["requested_at"] == "2026-11-21T12:00:00+08:00" and stop["expires_at"] == "2026-11-23T12:00:00+08:00"
    assert not stop["expiring_soon"] and stop["can_renew"]
    with pytest.raises(Conflict, match="已在止付中"):
        store.record_stop(case["id"], "zhang", CARD, "requested")

    clock.now += 37 * HOUR  # 11 hours left
    listed = next(c for c in store.list_cases() if c["id"] == case["id"])
    assert listed["stop_alert"] == "soon" and listed["next_stop_expiry"] == "2026-11-23T12:00:00+08:00"
    assert store.case(case["id"])["stops"][0]["expiring_soon"]

    renewed = store.record_stop(case["id"], "zhang", CARD, "renewed")["stops"][0]
    assert renewed["expires_at"] == "2026-11-25T12:00:00+08:00" and renewed["renewals"] == 1
    assert not renewed["can_renew"] and not renewed["expiring_soon"]
    with pytest.raises(Conflict, match="只能续一次"):
        store.record_stop(case["id"], "zhang", CARD, "renewed")

    clock.now += 60 * HOUR  # past the renewed expiry
    assert next(c for c in store.list_cases() if c["id"] == case["id"])["stop_alert"] == "expired"
    assert store.case(case["id"])["stops"][0]["expired"]
    with pytest.raises(Conflict, match="已到期"):
        store.record_stop(case["id"], "zhang", CARD, "renewed")
    again = store.record_stop(case["id"], "zhang", CARD, "requested")["stops"][0]  # a fresh request
    assert again["renewals"] == 0 and not again["expired"]


def test_a_frozen_account_needs_no_reminder_and_every_step_is_audited_masked(store):
    case = open_case(store, transfers=[{"amount": 5000, "to_account": CARD, "to_name": "李四"},
                                       {"amount": 700, "to_account": OTHER_CARD}])
    store.claim(case["id"], "zhang")
    store.record_stop(case["id"], "zhang", "6222 0212 3456 7890 128", "requested")  # as printed, grouped
    store.record_stop(case["id"], "zhang", OTHER_CARD, "requested")
    frozen = store.record_stop(case["id"], "zhang", CARD, "frozen", "4800")
    stops = {s["account"]: s for s in frozen["stops"]}
    assert stops["6222 0212 3456 7890 128"]["status"] == "frozen"
    assert stops["6222 0212 3456 7890 128"]["frozen_amount"] == 4800.0
    assert stops["6222 0212 3456 7890 128"]["expires_at"] is None
    with pytest.raises(Conflict, match="已冻结"):
        store.record_stop(case["id"], "zhang", CARD, "requested")
    assert store.record_stop(case["id"], "zhang", OTHER_CARD, "lifted")["stops"][1]["status"] == "lifted"
    assert store.open_stops() == []
    trail = [e for e in store.audit_entries(case["id"]) if e["action"].startswith("stop_")]
    assert [e["action"] for e in trail] == ["stop_requested", "stop_requested", "stop_frozen", "stop_lifted"]
    assert all(CARD not in e["detail"] and OTHER_CARD not in e["detail"] for e in trail)
    assert "冻结 4800.00 元" in trail[2]["detail"] and "****0128" in trail[2]["detail"]


def test_only_the_claiming_officer_records_stops_for_accounts_of_the_case(store):
    case = open_case(store)
    with pytest.raises(Forbidden, match="请先认领"):
        store.record_stop(case["id"], "zhang", CARD, "requested")
    store.claim(case["id"], "zhang")
    with pytest.raises(Forbidden, match="zhang"):
        store.record_stop(case["id"], "li", CARD, "requested")
    with pytest.raises(BadRequest, match="不是本案的收款账号"):
        store.record_stop(case["id"], "zhang", OTHER_CARD, "requested")
    for account, action, amount in ((CARD, "maybe", None), (None, "requested", None), (["x"], "requested", None),
                                    (CARD, "frozen", "-5")):
        with pytest.raises(BadRequest):
            store.record_stop(case["id"], "zhang", account, action, amount)
    with pytest.raises(Conflict, match="还没有申请止付"):
        store.record_stop(case["id"], "zhang", CARD, "renewed")
    store.close_case(case["id"], "zhang", "none")
    assert store.record_stop(case["id"], "zhang", CARD, "requested")["stops"]  # a closed case's stop still counts


def test_the_account_of_a_stop_is_encrypted_at_rest(store, desk_settings):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    store.record_stop(case["id"], "zhang", CARD, "requested")
    store.close()
    database = desk_settings.case_store_url.split("///", 1)[1]
    raw = b"".join(open(path, "rb").read() for path in (database, database + "-wal") if os.path.exists(path))
    assert CARD.encode() not in raw


# --- registrations -----------------------------------------------------------------------------------
def test_an_officer_promotes_a_registration_and_it_stays_urgent(store):
    case = registration(store)
    assert case["reason"] == "registration" and not case["handoff_active"] and case["promoted_at"] is None
    promoted = store.promote(case["id"], "zhang")
    assert promoted["reason"] == "report" and promoted["promoted_at"] and promoted["status"] == "waiting"
    assert store.events_after(0)[-1]["kind"] == "promoted"
    assert [e["action"] for e in store.audit_entries(case["id"])][-1] == "promote"
    with pytest.raises(Conflict, match="已在紧急队列"):
        store.promote(case["id"], "zhang")
    # The citizen adds to the registration later: the case stays urgent.
    assert registration(store, narrative="补充：对方又打来电话")["reason"] == "report"
    order = [c["id"] for c in store.list_cases("waiting")]
    other = registration(store, "reg-2")
    assert [c["id"] for c in store.list_cases("waiting")] == order + [other["id"]]  # registrations after urgent


# --- linked cases and search ----------------------------------------------------------------------------
def test_each_account_phone_and_contact_lists_the_other_cases_that_reported_it(store):
    first = open_case(store, "c1", transfers=[{"amount": 10, "to_account": CARD}, {"amount": 5, "to_account": OTHER_CARD}])
    second = open_case(store, "c2", transfers=[{"amount": 1, "to_account": "6222-0212-3456-7890-128"}],
                       fraudster_contacts=["wechat:fraud01"], victim={"name": "甲", "phone": "13800000000"})
    third = open_case(store, "c3", transfers=[], fraudster_contacts=["qq:12345678", "phone:+86 137 0000 1111"],
                      victim={"name": "乙", "phone": None})
    links = {(link["kind"], link["value"]): link["case_ids"] for link in store.case(first["id"])["links"]}
    assert links == {("account", CARD): [second["id"]], ("account", OTHER_CARD): [],
                     ("contact", "qq:12345678"): [third["id"]], ("phone", "13700001111"): [third["id"]],
                     ("phone", "13912345678"): []}


@pytest.mark.parametrize("query,expected", [
    ("6222 0212 3456 7890 128", {"c1", "c2"}),  # an account as printed
    ("13700001111", {"c1", "c3"}),              # the fraudster's phone in c1's contacts and c3's
    ("qq:12345678", {"c1"}),
    ("12345678", {"c1"}),                        # a QQ number without its kind
    ("FRAUD01", {"c2"}),                         # a WeChat id, any case
    ("6200000000000000", set()),
])
def test_the_search_box_finds_cases_by_account_phone_or_contact(store, query, expected):
    open_case(store, "c1")
    open_case(store, "c2", transfers=[{"amount": 1, "to_account": CARD}], fraudster_contacts=["wechat:fraud01"],
              victim={"name": "甲", "phone": "13800000000"})
    open_case(store, "c3", transfers=[], fraudster_contacts=["phone:13700001111"], victim={"name": "乙", "phone": None})
    found = store.search(query, "zhang")
    assert {c["conversation_id"] for c in found} == expected
    entry = store.audit_entries()[-1]
    assert entry["action"] == "search_cases" and entry["officer"] == "zhang"
    assert CARD not in entry["detail"] and "13700001111" not in entry["detail"]


@pytest.mark.parametrize("query", ["", "622", None, 6222021234567890128, "x" * 201])
def test_a_search_needs_four_characters_of_text(store, query):
    with pytest.raises(BadRequest, match="q"):
        store.search(query, "zhang")
