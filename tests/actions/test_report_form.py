"""The report form's actions driven with trackers, as Rasa calls them (financial-demo style)."""
from datetime import datetime

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import DRAFT_SLOT, local_now
from actions.report import ActionStartReport, ActionSubmitReport, ValidateReportForm, question_words
from bot.report.dialogue import QUESTIONS
from bot.extract.entities import extract_entities
from bot.report.dialogue import Draft
from bot.report.model import Report, Transfer, Victim

CARD = "6222021234567890128"


def user(text, intent="inform", timestamp=None, **extra):
    now = local_now()
    return {"event": "user", "text": text, "timestamp": timestamp or now.timestamp(), "input_channel": "rest",
            "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.9},
                           "entities": extract_entities(text, now), **extra}}


def action(name):
    return {"event": "action", "name": name}


def form_tracker(message, requested, draft, before="action_listen", sender="form-citizen"):
    """As Rasa calls the validation: the form's own run is the last action, after `before`."""
    events = [action("action_listen"), message] + ([action(before)] if before != "action_listen" else []) \
        + [action("report_form")]
    slots = {"requested_slot": requested, DRAFT_SLOT: draft.to_json()}
    return Tracker(sender, slots, message["parse_data"], events, False, None,
                   {"name": "report_form"}, "action_listen")


def slot(events, name):
    return next(e["value"] for e in events if e["event"] == "slot" and e["name"] == name)


async def run_validation(text, requested, draft, intent="inform", **extra):
    dispatcher = CollectingDispatcher()
    events = await ValidateReportForm().run(dispatcher, form_tracker(user(text, intent, **extra), requested, draft), {})
    return dispatcher, events


async def test_an_answer_fills_its_field_and_names_the_next_question():
    dispatcher, events = await run_validation(f"转了五万到{CARD}", "money_sent", Draft())
    draft = Draft.from_json(slot(events, DRAFT_SLOT))
    assert draft.current.amount == 50000.0 and draft.current.to_account == CARD
    assert slot(events, "requested_slot") == "time"
    assert slot(events, "report_question").startswith("是什么时候转的")   # what utter_ask_time will say


async def test_a_filler_keeps_the_form_with_the_same_question_never_rejected():
    draft = Draft(money_sent=True)
    dispatcher, events = await run_validation("好的", "to_account", draft, intent="affirm")
    assert events and slot(events, "requested_slot") == "to_account"   # not [] (a rejection)
    assert Draft.from_json(slot(events, DRAFT_SLOT)).last_reply == "filler"


async def test_an_officer_request_is_rejected_so_the_rule_hands_over():
    _, events = await run_validation("转人工", "to_account", Draft(money_sent=True), intent="request_officer")
    assert events == []


async def test_a_question_is_answered_with_the_faq_response_inside_the_form():
    dispatcher, events = await run_validation(
        "什么是紧急止付？", "to_account", Draft(money_sent=True), intent="faq",
        response_selector={"faq": {"response": {"utter_action": "utter_faq/stop_payment"}}})
    assert dispatcher.messages[0]["response"] == "utter_faq/stop_payment"
    assert slot(events, "requested_slot") == "to_account"


async def test_returning_from_an_interruption_does_not_read_the_message_again():
    dispatcher = CollectingDispatcher()
    tracker = form_tracker(user("他现在让我再转到安全账户", "scam_in_progress"), "to_account", Draft(money_sent=True),
                           before="action_warn_in_progress")
    events = await ValidateReportForm().run(dispatcher, tracker, {})
    assert dispatcher.messages == [] and slot(events, "requested_slot") == "to_account"


@pytest.mark.parametrize("field", sorted(QUESTIONS))
def test_every_question_has_words(field):
    draft = Draft(money_sent=True, report=Report(victim=Victim("王芳", "13812345678"), transfers=[Transfer(amount=1.0)]))
    tracker = Tracker("ask", {DRAFT_SLOT: draft.to_json(), "requested_slot": field}, {}, [], False, None,
                      {"name": "report_form"}, "action_listen")
    assert question_words(tracker, draft, field).strip()


def test_the_form_asks_with_the_words_the_validation_chose():
    import yaml
    from bot.settings import REPO_ROOT
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    for field in QUESTIONS:   # the form asks with utter_ask_<field>, which says the slot the validation set
        assert domain["responses"][f"utter_ask_{field}"] == [{"text": "{report_question}"}]
        assert f"action_ask_{field}" not in domain["actions"]


async def test_an_old_transfer_becomes_a_registration_case_the_citizen_hears_the_number_of(case_store):
    old = datetime(2026, 11, 1, 10, 0, tzinfo=local_now().tzinfo).isoformat()
    draft = Draft(money_sent=True, transfers_done=True, confirmed=True, report=Report(
        victim=Victim("王芳", "13812345678"), scam_detail="APP", transfers=[Transfer(
            amount=3000.0, time=old, to_account=CARD, to_bank="工商银行", to_name="李四", channel="alipay",
            from_account="支付宝余额")]))
    tracker = Tracker("old-report", {DRAFT_SLOT: draft.to_json()}, {}, [user("对", "affirm")], False, None, {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitReport().run(dispatcher, tracker, {})
    case = case_store.case_for_conversation("old-report")
    assert case["reason"] == "registration" and not case["handoff_active"] and case["status"] == "waiting"
    assert case["transfers"][0]["to_account"] == CARD and case["victim"]["name"] == "王芳"
    said = dispatcher.messages[0]["text"]
    assert f"案件编号 {case['id']}" in said and "民警" in said
    assert SlotSet(DRAFT_SLOT, None) in events and slot(events, "report")["case_id"] == case["id"]


async def test_another_transfer_after_the_report_is_added_to_the_same_report(case_store):
    report = Report(victim=Victim("王芳", "13812345678"), transfers=[Transfer(amount=1.0)])
    case = case_store.open_registration(conversation_id="more", channel="rest", packet=report.packet(),
                                        scam_type={"name": "loan"}, in_progress=False, transcript=[])
    submitted = {**report.to_json(), "case_id": case["id"]}
    tracker = Tracker("more", {"report": submitted}, {"text": "还有一笔"}, [user("还有一笔", "report_fraud")],
                      False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = await ActionStartReport().run(dispatcher, tracker, {})
    draft = Draft.from_json(slot(events, DRAFT_SLOT))
    assert len(draft.report.transfers) == 2 and draft.report.victim.name == "王芳"
    assert "补充到您刚才的报案" in dispatcher.messages[0]["text"]


async def test_a_new_report_after_the_case_was_closed_starts_afresh(case_store):
    report = Report(victim=Victim("王芳", "13812345678"), transfers=[Transfer(amount=1.0)])
    case = case_store.open_handoff(conversation_id="closed", channel="rest", reason="report", packet=report.packet(),
                                   scam_type={"name": "loan"}, in_progress=False, transcript=[])
    case_store.claim(case["id"], "officer-a")
    case_store.close_case(case["id"], "officer-a", "stopped")
    tracker = Tracker("closed", {"report": {**report.to_json(), "case_id": case["id"]}}, {"text": "我又被骗了"},
                      [user("我又被骗了", "report_fraud")], False, None, {}, "action_listen")
    events = await ActionStartReport().run(CollectingDispatcher(), tracker, {})
    assert Draft.from_json(slot(events, DRAFT_SLOT)).report.transfers == []


async def test_a_question_that_states_a_loss_is_answered_and_the_report_starts():
    parse = {"text": "你们能帮我把钱追回来吗", "intent": {"name": "report_fraud", "confidence": 1.0},
             "intent_ranking": [{"name": "report_fraud", "confidence": 1.0}, {"name": "faq", "confidence": 0.93}],
             "response_selector": {"faq": {"response": {"utter_action": "utter_faq/recover_money"}}}}
    tracker = Tracker("recover", {}, parse, [user(parse["text"], "report_fraud")], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    await ActionStartReport().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_faq/recover_money"
    assert "登记报案信息" in dispatcher.messages[1]["text"]



async def test_an_answer_after_the_officer_claimed_the_case_goes_to_the_officer_not_the_form(case_store):
    from actions.handoff import OFFICER_JOINED
    from bot.handoff import HANDOFF_SLOT, HANDOFF_WAITING_SLOT

    case = case_store.open_handoff(conversation_id="form-citizen", channel="rest", reason="requested",
                                   packet=Report().packet(), scam_type={"name": "other", "confidence": 0.0},
                                   in_progress=False, transcript=[])

    def waiting(text, draft):
        tracker = form_tracker(user(text), "to_account", draft)
        tracker.slots[HANDOFF_WAITING_SLOT] = case["id"]
        return tracker

    dispatcher = CollectingDispatcher()
    events = await ValidateReportForm().run(dispatcher, waiting("转了五万", Draft(money_sent=True)), {})
    assert OFFICER_JOINED not in [m.get("text") for m in dispatcher.messages]  # nobody claimed it: the form goes on
    assert slot(events, "requested_slot") is not None

    case_store.claim(case["id"], "zhang")
    dispatcher = CollectingDispatcher()
    events = await ValidateReportForm().run(dispatcher, waiting(f"转到{CARD}了", Draft.from_json(slot(events, DRAFT_SLOT))), {})
    assert [m["text"] for m in dispatcher.messages] == [OFFICER_JOINED]
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)
    assert slot(events, HANDOFF_SLOT) == case["id"]
    assert slot(events, HANDOFF_WAITING_SLOT) is None and slot(events, "requested_slot") is None
    assert Draft.from_json(slot(events, DRAFT_SLOT)).current.to_account == CARD  # read into the report all the same
    seen = case_store.case(case["id"])
    citizen = [m["text"] for m in seen["transcript"] if m["from"] == "citizen"]
    assert citizen[0] == "转了五万" and len(citizen) == 2 and citizen[1].startswith("转到")  # each once, in order
    assert seen["transfers"][0]["to_account"] == CARD and seen["transfers"][0]["amount"] == 50000


async def test_a_card_the_citizen_cannot_give_calls_the_officer_and_the_report_goes_on(case_store):
    from actions.handoff import OFFICER_CALLED_TO_CHECK
    from bot.handoff import HANDOFF_WAITING_SLOT

    draft = Draft(money_sent=True, failed={"to_account": 1})
    draft.report.transfers.append(Transfer(amount=50000.0))
    dispatcher, events = await run_validation("你们快点处理", "to_account", draft)
    said = [m["text"] for m in dispatcher.messages]
    assert "待会儿" in said[0] and said[1] == OFFICER_CALLED_TO_CHECK
    case_id = slot(events, HANDOFF_WAITING_SLOT)
    case = case_store.case(case_id)
    assert case["reason"] == "unclear" and case["handoff_active"] and case["transfers"][0]["amount"] == 50000
    assert slot(events, "requested_slot") == "time"   # the report goes on while the officer comes


async def test_on_the_phone_a_card_the_caller_cannot_give_goes_to_the_officer_now():
    from actions.report import HANDED_OVER

    draft = Draft(money_sent=True, failed={"to_account": 1})
    draft.report.transfers.append(Transfer(amount=50000.0))
    message = user("你们快点处理")
    message["input_channel"] = "voice"
    dispatcher = CollectingDispatcher()
    events = await ValidateReportForm().run(dispatcher, form_tracker(message, "to_account", draft), {})
    assert [m["text"] for m in dispatcher.messages] == [HANDED_OVER]
    assert slot(events, "requested_slot") is None and Draft.from_json(slot(events, DRAFT_SLOT)).handover


@pytest.mark.parametrize("text, nothing_paid", [("他说是我领导，让我先给客户转五万，我还没转", True),
                                                ("我被骗了，转了五万", False), ("他让我转钱，我没转成，后来又转了两万", False)])
async def test_an_attempt_without_a_loss_is_registered_without_alarm(text, nothing_paid):
    from actions.report import START, START_NOTHING_PAID

    parse = {"text": text, "intent": {"name": "report_fraud", "confidence": 1.0}}
    tracker = Tracker("attempt", {}, parse, [user(text, "report_fraud")], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    await ActionStartReport().run(dispatcher, tracker, {})
    assert dispatcher.messages[-1]["text"] == (START_NOTHING_PAID if nothing_paid else START)
