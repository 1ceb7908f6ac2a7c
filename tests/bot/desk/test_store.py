import json
import sqlite3
import threading

import pytest

from bot.desk.errors import BadRequest, Conflict, Forbidden, NotFound
from bot.desk.store import CaseStore
from tests.bot.desk.conftest import CARD, open_case, packet


def test_a_case_holds_the_stop_payment_packet_and_the_transcript(store, clock):
    case = open_case(store, transcript=[{"from": "citizen", "text": "我被骗了五万", "at": clock.now - 30},
                                        {"from": "bot", "text": "别着急", "at": clock.now - 29}])
    assert case["status"] == "waiting" and case["handoff_active"] and case["claimed_by"] is None
    assert case["scam_type"] == {"name": "investment", "label": "虚假网络投资理财", "confidence": 0.91}
    assert case["victim"] == {"name": "王芳", "phone": "13912345678"}
    assert case["transfers"][0] == {"amount": 50000.0, "time": "2026-11-21T10:00:00+08:00",
                                    "channel": "bank_transfer", "from_account": "6217001234567890",
                                    "to_account": CARD, "to_bank": "中国工商银行", "to_name": "李四",
                                    "to_branch": None, "serial": None}
    assert [(m["from"], m["text"]) for m in case["transcript"]] == [("citizen", "我被骗了五万"), ("bot", "别着急")]
    assert case["linked_case_ids"] == []


def test_card_numbers_and_messages_are_encrypted_at_rest(store, desk_settings):
    open_case(store, transcript=[{"from": "citizen", "text": f"卡号{CARD}", "at": 1.0}])
    store.close()
    database = desk_settings.case_store_url.split("///", 1)[1]
    raw = b"".join(open(path, "rb").read() for path in (database, database + "-wal")
                   if __import__("os").path.exists(path))
    assert CARD.encode() not in raw
    assert "王芳".encode() not in raw and "13912345678".encode() not in raw


def test_cases_sharing_an_account_phone_or_contact_are_linked(store):
    first = open_case(store, "conv-1")
    other_account = open_case(store, "conv-2", transfers=[{"to_account": "6228480000000000000", "amount": 10}],
                              fraudster_contacts=[], victim={"name": "甲", "phone": "13800000000"})
    same_qq = open_case(store, "conv-3", transfers=[], fraudster_contacts=["qq:12345678"],
                        victim={"name": "乙", "phone": "13800000001"})
    same_card = open_case(store, "conv-4", transfers=[{"to_account": CARD, "amount": 1}],
                          fraudster_contacts=[], victim={"name": "丙", "phone": None})
    assert store.case(first["id"])["linked_case_ids"] == [same_qq["id"], same_card["id"]]
    assert store.case(other_account["id"])["linked_case_ids"] == []


def test_the_queue_puts_scams_in_progress_and_fresh_large_transfers_first(store, clock):
    # at 12:00 the 10:00 transfer is two hours old
    old_small = open_case(store, "c1", transfers=[{"amount": 500, "time": "2026-11-01T10:00:00+08:00"}])
    fresh_large = open_case(store, "c2", transfers=[{"amount": 200000, "time": "2026-11-21T10:00:00+08:00"}])
    in_progress = store.open_handoff(conversation_id="c3", channel="rest", reason="in_progress",
                                     packet={"transfers": []}, scam_type={"name": "impersonate_police"},
                                     in_progress=True, transcript=[])
    order = [c["id"] for c in store.list_cases("waiting")]
    assert order == [in_progress["id"], fresh_large["id"], old_small["id"]]


def test_exactly_one_of_two_officers_claiming_at_once_wins(store):
    case = open_case(store)
    results = {}
    barrier = threading.Barrier(2)

    def claim(officer):
        barrier.wait()
        try:
            results[officer] = store.claim(case["id"], officer)["claimed_by"]
        except Conflict as error:
            results[officer] = error

    threads = [threading.Thread(target=claim, args=(name,)) for name in ("zhang", "li")]
    [t.start() for t in threads]
    [t.join() for t in threads]
    winners = [name for name, result in results.items() if result == name]
    assert len(winners) == 1
    loser = ({"zhang", "li"} - set(winners)).pop()
    assert isinstance(results[loser], Conflict) and winners[0] in results[loser].message


def test_only_the_claiming_officer_acts_on_a_case(store):
    case = open_case(store)
    with pytest.raises(Forbidden, match="请先认领"):
        store.officer_message(case["id"], "li", "您好")
    store.claim(case["id"], "zhang")
    for act in (lambda: store.officer_message(case["id"], "li", "您好"), lambda: store.handback(case["id"], "li"),
                lambda: store.close_case(case["id"], "li", "stopped"),
                lambda: store.correct(case["id"], "li", {"narrative": "x"})):
        with pytest.raises(Forbidden, match="zhang"):
            act()


def test_officer_messages_queue_in_order_per_conversation(store):
    a, b = open_case(store, "conv-a"), open_case(store, "conv-b")
    for case in (a, b):
        store.claim(case["id"], "zhang")
    joined = store.due_deliveries()  # each claim first tells its citizen an officer is here
    assert [(d["conversation_id"], d["kind"], d["text"]) for d in joined] == [("conv-a", "joined", None),
                                                                           ("conv-b", "joined", None)]
    for item in joined:
        store.delivered(item["id"])
    store.officer_message(a["id"], "zhang", "第一条")
    store.officer_message(a["id"], "zhang", "第二条")
    store.officer_message(b["id"], "zhang", "另一位")
    due = store.due_deliveries()
    assert [(d["conversation_id"], d["text"]) for d in due] == [("conv-a", "第一条"), ("conv-b", "另一位")]
    store.delivered(due[0]["id"])
    store.delivery_failed(due[1]["id"], "Rasa down", retry_in_s=60)
    assert [(d["conversation_id"], d["text"]) for d in store.due_deliveries()] == [("conv-a", "第二条")]


def test_only_a_claimed_handoff_on_a_text_channel_sends_the_officer_joined_notice(store):
    chat = open_case(store, "conv-chat")
    phone = store.open_handoff(conversation_id="conv-phone", channel="voice", reason="requested", packet=packet(),
                               scam_type={"name": "investment", "confidence": 0.9}, in_progress=False, transcript=[])
    registration = store.open_registration(conversation_id="conv-later", channel="rest", packet=packet(),
                                           scam_type={"name": "investment", "confidence": 0.9}, in_progress=False,
                                           transcript=[])
    for case in (chat, phone, registration):
        store.claim(case["id"], "zhang")
        store.claim(case["id"], "zhang")  # claiming again sends nothing more
    assert [(d["conversation_id"], d["kind"]) for d in store.due_deliveries()] == [("conv-chat", "joined")]
    assert store.officer_of(chat["id"]) == "zhang" and store.officer_of(phone["id"]) == "zhang"
    store.close_case(chat["id"], "zhang", "stopped", None)
    assert store.officer_of(chat["id"]) is None


def test_two_desk_instances_never_work_on_the_same_delivery_at_once(store, desk_settings, clock):
    other = CaseStore.open(desk_settings, clock=clock)  # a second web instance on the same store
    try:
        case = open_case(store, "conv-lease")
        store.claim(case["id"], "zhang")
        mine = store.due_deliveries(lease_s=30)
        assert [i["kind"] for i in mine] == ["joined"] and other.due_deliveries(lease_s=30) == []
        clock.now += 31  # the first instance died mid-delivery: its lease runs out
        taken_over = other.due_deliveries(lease_s=30)
        assert [i["id"] for i in taken_over] == [mine[0]["id"]]
        other.delivered(taken_over[0]["id"])

        message = store.officer_message(case["id"], "zhang", "您好，我是民警")
        assert store.lease_direct_send(message["delivery_id"], 10)        # this instance puts it on the channel
        assert not other.lease_direct_send(message["delivery_id"], 10)    # … and no other one does
        assert other.due_deliveries(lease_s=30) == []                     # nor records it meanwhile
        store.sent_directly(message["delivery_id"])
        store.release(message["delivery_id"])
        assert not other.lease_direct_send(message["delivery_id"], 10)    # sent already
        recorded = other.due_deliveries(lease_s=30)
        assert [(i["text"], bool(i["sent_at"])) for i in recorded] == [("您好，我是民警", True)]
        other.delivery_failed(recorded[0]["id"], "Rasa down", retry_in_s=5)
        assert store.due_deliveries(lease_s=30) == []                     # waiting for its retry
        clock.now += 5
        assert [i["id"] for i in store.due_deliveries(lease_s=30)] == [recorded[0]["id"]]
    finally:
        other.close()


def test_the_officers_first_words_replace_a_joined_notice_not_yet_sent_and_never_overtake_one_on_its_way(
        store, clock):
    quick = open_case(store, "conv-quick")
    store.claim(quick["id"], "zhang")
    message = store.officer_message(quick["id"], "zhang", "您好，我是民警")  # before the notice went out
    assert [(d["kind"], d["text"]) for d in store.due_deliveries()] == [("message", "您好，我是民警")]
    assert store.lease_direct_send(message["delivery_id"], 10)

    slow = open_case(store, "conv-slow")
    store.claim(slow["id"], "zhang")
    notice = store.due_deliveries(lease_s=30)
    assert [d["kind"] for d in notice if d["conversation_id"] == "conv-slow"] == ["joined"]  # on its way
    message = store.officer_message(slow["id"], "zhang", "您好，我是民警")
    assert not store.lease_direct_send(message["delivery_id"], 10)  # it would reach the citizen first
    store.delivered(next(d["id"] for d in notice if d["conversation_id"] == "conv-slow"))
    assert store.lease_direct_send(message["delivery_id"], 10)


def test_many_stuck_conversations_do_not_starve_a_new_one(store):
    for n in range(60):
        case = open_case(store, f"conv-stuck-{n}")
        store.claim(case["id"], "zhang")
        store.officer_message(case["id"], "zhang", "第一条")
    for item in store.due_deliveries(limit=100):
        store.delivery_failed(item["id"], "Rasa down", retry_in_s=600)
    fresh = open_case(store, "conv-new")
    store.claim(fresh["id"], "zhang")
    assert [i["conversation_id"] for i in store.due_deliveries()] == ["conv-new"]


def test_handback_and_close_end_the_handoff(store):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    assert store.citizen_message("conv-1", "民警在吗") == case["id"]
    store.handback(case["id"], "zhang")
    assert store.citizen_message("conv-1", "还在吗") is None
    with pytest.raises(Conflict):
        store.officer_message(case["id"], "zhang", "您好")
    closed = store.close_case(case["id"], "zhang", "partial", "20000")
    assert closed["status"] == "closed"
    assert closed["outcome"] == {"result": "partial", "label": "部分止付", "frozen_amount": 20000.0}
    with pytest.raises(Conflict):
        store.close_case(case["id"], "zhang", "stopped")


@pytest.mark.parametrize("outcome,frozen", [("maybe", None), ("stopped", "abc"), ("stopped", -1)])
def test_bad_outcomes_are_refused(store, outcome, frozen):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    with pytest.raises(BadRequest):
        store.close_case(case["id"], "zhang", outcome, frozen)


def test_a_second_handoff_of_the_same_conversation_reopens_its_case(store, clock):
    case = open_case(store, transcript=[{"from": "citizen", "text": "一", "at": clock.now - 10}])
    store.claim(case["id"], "zhang")
    store.handback(case["id"], "zhang")
    again = open_case(store, reason="requested", transcript=[
        {"from": "citizen", "text": "一", "at": clock.now - 10}, {"from": "citizen", "text": "转人工", "at": clock.now}])
    assert again["id"] == case["id"] and again["handoff_active"] and again["claimed_by"] == "zhang"
    assert [m["text"] for m in again["transcript"]] == ["一", "转人工"]


def test_corrections_are_applied_reindexed_and_audited_masked(store):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    fixed = dict(case["transfers"][0], to_account="6228480402564890018", amount="48000")
    corrected = store.correct(case["id"], "zhang", {"transfers": [fixed], "scam_type": "romance"})
    assert corrected["transfers"][0]["to_account"] == "6228480402564890018"
    assert corrected["transfers"][0]["amount"] == 48000.0 and corrected["total_amount"] == 48000.0
    assert corrected["scam_type"]["name"] == "romance"
    entry = store.audit_entries(case["id"])[-1]
    assert entry["action"] == "correct" and entry["officer"] == "zhang"
    assert "****0018" in entry["detail"] and "6228480402564890018" not in entry["detail"]
    with pytest.raises(BadRequest):
        store.correct(case["id"], "zhang", {"status": "closed"})


def test_the_audit_log_is_append_only(store, desk_settings):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    database = desk_settings.case_store_url.split("///", 1)[1]
    with sqlite3.connect(database) as conn:
        for statement in ("UPDATE audit_log SET officer='x'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(statement)
    assert [e["action"] for e in store.audit_entries(case["id"])] == ["case_created", "claim"]


def test_unknown_cases_and_statuses(store):
    with pytest.raises(NotFound):
        store.case(999)
    with pytest.raises(NotFound):
        store.claim(999, "zhang")
    with pytest.raises(BadRequest):
        store.list_cases("open")


def test_the_change_feed_lists_every_change_in_order(store):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    store.citizen_message("conv-1", "在吗")
    assert [e["kind"] for e in store.events_after(0)] == ["case_created", "claimed", "citizen_message"]
    assert store.events_after(store.last_event_id()) == []


def test_a_transfer_of_unknown_amount_opens_a_case(tmp_path):
    from bot.desk.crypto import generate_key
    from bot.desk.store import CaseStore
    from bot.settings import Settings

    store = CaseStore.open(Settings.from_env({"CASE_STORE_URL": f"sqlite:///{tmp_path / 'c.db'}",
                                              "CASE_STORE_KEY": generate_key()}))
    case = store.open_handoff(conversation_id="c", channel="rest", reason="report", scam_type={"name": "fake_shopping"},
                              in_progress=False, transcript=[], packet={"transfers": [
                                  {"amount": "不详", "time": "不详", "to_account": "6214837348973730"}]})
    assert case["total_amount"] == 0 and case["transfers"][0]["amount"] == "不详"
    store.close()


# --- what a case write accepts (the desk API and the action server both write through these) ------
@pytest.mark.parametrize("bad_amount", [1e309, float("inf"), float("nan"), -5, "1e309", "NaN", "-1", True, {}, "五万"])
def test_amounts_must_be_finite_non_negative_numbers_everywhere(store, bad_amount):
    with pytest.raises(BadRequest, match=r"transfers\[0\]\.amount（金额）"):
        open_case(store, "amounts", transfers=[{"amount": bad_amount, "to_account": CARD}])
    case = open_case(store)
    store.claim(case["id"], "zhang")
    with pytest.raises(BadRequest, match=r"transfers\[0\]\.amount"):
        store.correct(case["id"], "zhang", {"transfers": [{"amount": bad_amount}]})
    if not isinstance(bad_amount, (dict, bool)) and bad_amount != "五万":
        with pytest.raises(BadRequest, match="frozen_amount（冻结金额）"):
            store.close_case(case["id"], "zhang", "stopped", bad_amount)
    listed = store.list_cases()
    assert [c["id"] for c in listed] == [case["id"]] and listed[0]["status"] == "claimed"
    json.dumps(listed, allow_nan=False)  # the queue stays valid JSON for every officer


@pytest.mark.parametrize("changes,field", [
    ({"victim": "x"}, "victim（报案人）"),
    ({"victim": {"name": ["王芳"]}}, "victim.name"),
    ({"victim": {"nickname": "芳"}}, "victim（报案人）"),
    ({"scam_detail": {"platform": "汇盈"}}, "scam_detail（案情摘要）"),
    ({"narrative": 5}, "narrative"),
    ({"warnings": "核对"}, "warnings"),
    ({"fraudster_contacts": [12345678]}, r"fraudster_contacts\[0\]"),
    ({"transfers": "6222"}, "transfers（转账记录）"),
    ({"transfers": [{"to_account": 6222021234567890128}]}, r"transfers\[0\]\.to_account（收款账号）"),
    ({"transfers": [{"to_name": "李" * 201}]}, r"transfers\[0\]\.to_name"),
    ({"scam_type": ["romance"]}, "scam_type"),
])
def test_every_case_field_is_type_checked_and_named(store, changes, field):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    with pytest.raises(BadRequest, match=field):
        store.correct(case["id"], "zhang", changes)
    assert store.case(case["id"])["scam_detail"] == "平台叫汇盈"  # nothing was stored
    if "scam_type" not in changes:
        with pytest.raises(BadRequest, match=field):
            open_case(store, "new-conversation", **changes)
        assert len(store.list_cases()) == 1


@pytest.mark.parametrize("arguments,field", [
    ({"scam_type": "investment"}, "scam_type（诈骗类型）"),
    ({"scam_type": {"name": "investment", "confidence": float("nan")}}, "scam_type.confidence"),
    ({"in_progress": "yes"}, "in_progress"),
    ({"transcript": [{"from": "citizen", "text": {"t": 1}, "at": 1.0}]}, r"transcript\[0\]"),
    ({"transcript": [{"from": "citizen", "text": "hi", "at": float("inf")}]}, r"transcript\[0\]\.at"),
    ({"conversation_id": ""}, "conversation_id"),
])
def test_the_action_servers_hand_off_arguments_are_checked_too(store, arguments, field):
    call = dict(conversation_id="c", channel="rest", reason="report", packet={"transfers": []},
                scam_type={"name": "investment", "confidence": 0.5}, in_progress=False, transcript=[])
    with pytest.raises(BadRequest, match=field):
        store.open_handoff(**{**call, **arguments})
    with pytest.raises(BadRequest, match=field):
        store.open_registration(**{k: v for k, v in {**call, **arguments}.items() if k != "reason"})
    assert store.list_cases() == []


def test_rows_written_before_these_checks_still_show(store, desk_settings):
    """A case an older version stored with Infinity and an object as text: the queue must not break."""
    case = open_case(store)
    store.claim(case["id"], "zhang")
    store.close_case(case["id"], "zhang", "stopped", 10)
    payload = store.cipher.encrypt(json.dumps({**packet(), "scam_detail": {"platform": "汇盈"},
                                               "transfers": [{"amount": float("inf"), "to_account": CARD}]}))
    database = desk_settings.case_store_url.split("///", 1)[1]
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE cases SET total_amount = 9e999, frozen_amount = 9e999, payload_enc = ?", (payload,))
    shown = store.list_cases()[0]
    json.dumps(shown, allow_nan=False)
    assert shown["total_amount"] is None and shown["outcome"]["frozen_amount"] is None
    assert shown["transfers"][0]["amount"] is None and shown["scam_detail"] == '{"platform": "汇盈"}'


# --- the audit trail -------------------------------------------------------------------------------
def test_audit_details_mask_names_and_phone_numbers(store):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    store.officer_message(case["id"], "zhang", "王芳女士您好，李四的账户已止付，有事打 139 1234 5678 或 021-6234567")
    store.correct(case["id"], "zhang", {"victim": {"name": "王芳芳", "phone": "13900001111"},
                                        "transfers": [{"to_name": "李四", "to_account": "13700001111"}]})
    details = " ".join(e["detail"] for e in store.audit_entries(case["id"]))
    for secret in ("王芳", "李四", "1234 5678", "6234567", "13900001111", "13700001111", CARD):
        assert secret not in details, secret
    assert "王*" in details and "李*" in details and "5678" in details and "0128" in details


def _tamper(database, statement, *parameters):
    with sqlite3.connect(database) as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        conn.execute(statement, parameters)


def test_the_audit_chain_names_the_first_changed_or_deleted_row(store, desk_settings, clock):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    store.officer_message(case["id"], "zhang", "您好")
    store.close_case(case["id"], "zhang", "stopped", 1000)
    entries = store.audit_entries()
    check = store.verify_audit()
    assert check.ok and check.checked == len(entries) == 4 and check.unchained == 0
    database = desk_settings.case_store_url.split("///", 1)[1]
    _tamper(database, "UPDATE audit_log SET officer = 'li' WHERE id = ?", entries[1]["id"])
    check = store.verify_audit()
    assert not check.ok and check.bad_id == entries[1]["id"] and "改动" in check.problem and check.checked == 1
    _tamper(database, "UPDATE audit_log SET officer = 'zhang' WHERE id = ?", entries[1]["id"])
    assert store.verify_audit().ok
    _tamper(database, "DELETE FROM audit_log WHERE id = ?", entries[2]["id"])
    check = store.verify_audit()
    assert check.bad_id == entries[3]["id"] and "删除" in check.problem


def test_an_existing_database_gets_the_new_columns(tmp_path):
    from bot.desk.accounts import Accounts
    from bot.desk.crypto import generate_key
    from bot.desk.store import CaseStore
    from bot.settings import Settings

    database = tmp_path / "old.db"
    with sqlite3.connect(database) as conn:  # the tables as the previous version made them
        conn.executescript("""
            CREATE TABLE officers (username VARCHAR(64) PRIMARY KEY, password_hash VARCHAR(255) NOT NULL,
                failed_attempts INTEGER NOT NULL, locked_until FLOAT, created_at FLOAT NOT NULL);
            CREATE TABLE api_tokens (token_hash VARCHAR(64) PRIMARY KEY, username VARCHAR(64) NOT NULL
                REFERENCES officers(username), created_at FLOAT NOT NULL);
            CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at FLOAT NOT NULL, officer VARCHAR(64),
                action VARCHAR(32) NOT NULL, case_id INTEGER, detail TEXT NOT NULL);
            INSERT INTO audit_log (at, officer, action, case_id, detail)
                VALUES (1.0, NULL, 'add_officer', NULL, 'zhang');
        """)
    store = CaseStore.open(Settings.from_env({"CASE_STORE_URL": f"sqlite:///{database}",
                                              "CASE_STORE_KEY": generate_key()}))
    accounts = Accounts(store)
    accounts.add_officer("zhang", "a-long-password")
    assert accounts.officer_for_token(accounts.issue_token("zhang")) == "zhang"
    check = store.verify_audit()
    assert check.ok and check.unchained == 1 and check.checked == 2
    store.close()


def test_an_open_case_can_be_reassigned(store, accounts):
    accounts.add_officer("li", "a-long-password")
    case = open_case(store)
    store.claim(case["id"], "zhang")
    moved = store.reassign(case["id"], "li")
    assert moved["claimed_by"] == "li" and moved["status"] == "claimed"
    store.officer_message(case["id"], "li", "您好")
    with pytest.raises(Forbidden):
        store.officer_message(case["id"], "zhang", "您好")
    assert store.audit_entries(case["id"])[-2]["detail"] == "zhang → li（命令行）"
    with pytest.raises(BadRequest):
        store.reassign(case["id"], "nobody")
    with pytest.raises(NotFound):
        store.reassign(999, "li")
    store.close_case(case["id"], "li", "none")
    with pytest.raises(Conflict):
        store.reassign(case["id"], "li")


def test_a_transcript_sent_again_adds_nothing_and_what_the_bot_says_now_is_there_once(store, clock):
    t = clock.now - 100
    said = [{"from": "citizen", "text": "转人工", "at": t}]
    case = store.open_handoff(conversation_id="again", channel="webchat", reason="requested", packet={},
                              scam_type={"name": "none"}, in_progress=False, transcript=said, said=["正在转接"])
    assert [(m["from"], m["text"]) for m in case["transcript"]] == [("citizen", "转人工"), ("bot", "正在转接")]
    store.claim(case["id"], "zhang")
    clock.now = t + 20
    store.officer_message(case["id"], "zhang", "我是民警")
    # Rasa's record comes later, with the notice as Rasa timed it and the bot's question before the officer wrote
    later = said + [{"from": "bot", "text": "正在转接", "at": t + 1}, {"from": "bot", "text": "账号是？", "at": t + 2},
                    {"from": "citizen", "text": "好", "at": t + 30}]
    for _ in range(2):
        store.record_transcript(case["id"], later)
    assert [(m["from"], m["text"]) for m in store.case(case["id"])["transcript"]] == [
        ("citizen", "转人工"), ("bot", "正在转接"), ("bot", "账号是？"), ("officer", "我是民警"), ("citizen", "好")]
