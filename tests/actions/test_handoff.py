import time

import pytest
from rasa_sdk import Tracker
from sqlalchemy import func, select
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.handoff import (
    OFFICER_JOINED, ActionEndHandoff, ActionHandoff, ActionRelayOfficerMessage, ActionRelayToOfficer,
    conversation_transcript, refresh_waiting_case,
)
from actions.conversation import DRAFT_SLOT, current_report
from bot.report.dialogue import Draft
from bot.report.model import Report, Transfer
from bot.desk.models import outbox
from bot.handoff import DELIVERED_SLOT, HANDOFF_SLOT, HANDOFF_WAITING_SLOT, SENT_DIRECTLY

CARD = "6222021234567890128"


def user(text, intent="inform", entities=(), timestamp=1_795_000_000.0, **extra):
    return {"event": "user", "text": text, "timestamp": timestamp, "input_channel": "webchat",
            "parse_data": {"text": text, "intent": {"name": intent}, "entities": list(entities)}, **extra}


def bot(text, timestamp=1_795_000_001.0):
    return {"event": "bot", "text": text, "timestamp": timestamp}


def tracker(events, slots=None, active_loop=None, sender="citizen-1"):
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    return Tracker(sender, slots or {}, latest, events, False, None, active_loop or {}, "action_listen")


async def test_asking_for_an_officer_opens_a_case_with_the_transcript(case_store):
    events = [user("我被骗了，转了五万", "report_fraud"), bot("别着急"),
              user("转人工", "request_officer", timestamp=1_795_000_002.0)]
    draft = Draft(report=Report(transfers=[Transfer(amount=50000.0, to_account=CARD, time="2026-11-21T10:00:00+08:00")]),
                  money_sent=True)
    slots = {DRAFT_SLOT: draft.to_json()}
    dispatcher = CollectingDispatcher()
    result = await ActionHandoff().run(dispatcher, tracker(events, slots, {"name": "report_form"}), {})
    case = case_store.case_for_conversation("citizen-1")
    assert result == [SlotSet(HANDOFF_WAITING_SLOT, case["id"]), FollowupAction("report_form")]   # collects on
    assert case["reason"] == "requested" and case["channel"] == "webchat" and case["status"] == "waiting"
    assert case["transfers"][0]["to_account"] == CARD and case["transfers"][0]["amount"] == 50000.0
    assert case["transfers"][0]["to_bank"] is None
    assert [m["from"] for m in case["transcript"]] == ["citizen", "bot", "citizen", "bot"]
    said = dispatcher.messages[0]["text"]
    assert "转接值班民警" in said and "止付" in said
    assert case["transcript"][-1]["text"] == said


async def test_asking_again_after_a_submitted_report_hands_over_at_once(case_store):
    dispatcher = CollectingDispatcher()
    slots = {"report": {"case_id": 7, "transfers": []}}
    result = await ActionHandoff().run(dispatcher, tracker([user("转人工", "request_officer")], slots), {})
    assert result[0].get("name") == HANDOFF_SLOT
    assert "不要再向对方转账" in dispatcher.messages[0]["text"] and "110" in dispatcher.messages[0]["text"]


def test_an_unconfirmed_card_number_is_flagged_for_the_officer():
    draft = Draft(pending={"field": "to_account", "value": "6222021234567890121"})
    report = current_report(tracker([user("卡号6222021234567890121")], {DRAFT_SLOT: draft.to_json()}))
    assert report.warnings == ["卡号 6222021234567890121 校验未通过，报案人尚未核对确认"]


async def test_a_scam_in_progress_the_citizen_cannot_stop_is_handed_off(case_store):
    events = [user("他让我转到安全账户", "scam_in_progress"), bot("请立即停止"), user("不能", "deny")]
    await ActionHandoff().run(CollectingDispatcher(), tracker(events, {"scam_in_progress": True}), {})
    case = case_store.case_for_conversation("citizen-1")
    assert case["reason"] == "in_progress" and case["in_progress"] and case["urgency"]["level"] == "high"


async def test_second_misunderstanding_in_a_row_hands_off(case_store):
    events = [user("asdf", "gibberish"), bot("?"), user("qwer", "nlu_fallback")]
    dispatcher = CollectingDispatcher()
    result = await ActionFallback().run(dispatcher, tracker(events), {})
    assert case_store.case_for_conversation("citizen-1")["reason"] == "fallback"
    assert result[0]["name"] == HANDOFF_SLOT and "转接值班民警" in dispatcher.messages[0]["text"]


async def test_citizen_messages_during_a_handoff_go_to_the_case_silently_with_codes_masked(case_store):
    await ActionHandoff().run(CollectingDispatcher(), tracker([user("转人工", "request_officer")]), {})
    dispatcher = CollectingDispatcher()
    events = [user("转人工", "request_officer"), user("验证码是482913", "inform", timestamp=1_795_000_100.0)]
    result = await ActionRelayToOfficer().run(dispatcher, tracker(events, {HANDOFF_SLOT: 1}), {})
    assert result == [] and dispatcher.messages == []
    assert case_store.case(1)["transcript"][-1]["text"] == "验证码是******"


async def test_a_message_after_the_case_was_closed_gets_the_bot_back(case_store):
    await ActionHandoff().run(CollectingDispatcher(), tracker([user("转人工", "request_officer")]), {})
    case_store.claim(1, "zhang")
    case_store.close_case(1, "zhang", "none")
    dispatcher = CollectingDispatcher()
    result = await ActionRelayToOfficer().run(dispatcher, tracker([user("在吗")], {HANDOFF_SLOT: 1}), {})
    assert result == [SlotSet(HANDOFF_SLOT, None)] and "智能助手继续" in dispatcher.messages[0]["text"]


def officer_event(intent, delivery_id, external=True):
    """What Rasa records for the desk's trigger_intent (external) — or a citizen typing the same."""
    entities = [{"entity": "delivery_id", "value": str(delivery_id)}]
    extra = {"metadata": {"is_external": True}} if external else {}
    return user(f"EXTERNAL: {intent}" if external else f"/{intent}", intent, entities, **extra)


def newest_item(store) -> int:
    with store.reading() as conn:
        return conn.execute(select(func.max(outbox.c.id))).scalar()


async def handed_off(store, sender="citizen-1") -> None:
    await ActionHandoff().run(CollectingDispatcher(), tracker([user("转人工", "request_officer")], sender=sender), {})
    store.claim(store.case_for_conversation(sender)["id"], "zhang")


async def test_officer_messages_are_said_once_even_when_delivered_twice(case_store):
    await handed_off(case_store)
    case_store.officer_message(1, "zhang", "您好，我是民警小张")
    item = newest_item(case_store)
    dispatcher = CollectingDispatcher()
    first = [officer_event("officer_message", item)]
    await ActionRelayOfficerMessage().run(dispatcher, tracker(first, {HANDOFF_SLOT: 1}), {})
    assert dispatcher.messages[0]["text"] == "【民警】您好，我是民警小张"
    retried = first + [bot("【民警】您好，我是民警小张"), officer_event("officer_message", item)]
    dispatcher = CollectingDispatcher()
    result = await ActionRelayOfficerMessage().run(dispatcher, tracker(retried, {HANDOFF_SLOT: 1}), {})
    assert dispatcher.messages == []
    assert result == [SlotSet(DELIVERED_SLOT, str(item))]  # the desk's proof, also for a retry


async def test_a_delivery_whose_first_attempt_failed_is_said_on_the_retry(case_store):
    await handed_off(case_store)
    case_store.officer_message(1, "zhang", "请保持电话畅通")
    item = newest_item(case_store)
    first_attempt = [officer_event("officer_message", item)]  # the action failed: nothing said
    retried = first_attempt + [officer_event("officer_message", item)]
    dispatcher = CollectingDispatcher()
    await ActionRelayOfficerMessage().run(dispatcher, tracker(retried, {HANDOFF_SLOT: 1}), {})
    assert dispatcher.messages[0]["text"] == "【民警】请保持电话畅通"


async def test_an_officer_message_is_said_only_when_the_desk_queued_it(case_store):
    await handed_off(case_store)
    await handed_off(case_store, sender="someone-else")
    case_store.officer_message(2, "zhang", "给另一位群众的话")
    elsewhere = newest_item(case_store)
    case_store.officer_message(1, "zhang", "真正的民警消息")
    genuine = newest_item(case_store)
    for forged in (officer_event("officer_message", genuine, external=False),  # typed by a citizen
                   officer_event("officer_message", 999),                      # no such item
                   officer_event("officer_message", elsewhere),                # another conversation's
                   officer_event("officer_handback", genuine)):               # not a hand-back
        dispatcher = CollectingDispatcher()
        action = ActionEndHandoff() if forged["parse_data"]["intent"]["name"] == "officer_handback" \
            else ActionRelayOfficerMessage()
        result = await action.run(dispatcher, tracker([forged], {HANDOFF_SLOT: 1}), {})
        assert dispatcher.messages == [] and result == [], forged
    dispatcher = CollectingDispatcher()
    await ActionRelayOfficerMessage().run(dispatcher, tracker([officer_event("officer_message", genuine)],
                                                              {HANDOFF_SLOT: 1}), {})
    assert dispatcher.messages[0]["text"] == "【民警】真正的民警消息"  # the text is the desk's, never the trigger's


@pytest.mark.parametrize("intent,said", [("officer_handback", "智能助手继续"), ("officer_close", "服务已结束")])
async def test_handback_and_close_give_the_conversation_back_to_the_bot(intent, said, case_store):
    await handed_off(case_store)
    case_store.handback(1, "zhang") if intent == "officer_handback" else case_store.close_case(1, "zhang", "none")
    item = newest_item(case_store)
    dispatcher = CollectingDispatcher()
    result = await ActionEndHandoff().run(dispatcher, tracker([officer_event(intent, item)], {HANDOFF_SLOT: 1}), {})
    closed = [SlotSet(DRAFT_SLOT, None)] if intent == "officer_close" else []   # a closed case's report is done
    assert result == [SlotSet(HANDOFF_SLOT, None), SlotSet(DELIVERED_SLOT, str(item))] + closed
    assert said in dispatcher.messages[0]["text"]


async def test_a_report_the_officer_interrupted_goes_on_after_the_hand_back(case_store):
    from actions.handoff import HANDED_BACK_TO_FINISH
    from bot.report.model import Transfer

    await handed_off(case_store)
    case_store.handback(1, "zhang")
    item = newest_item(case_store)
    draft = Draft(money_sent=True, handover=True, failed={"to_name": 2})
    draft.report.transfers.append(Transfer(amount=20000.0, to_account="6222021234567890128"))
    dispatcher = CollectingDispatcher()
    result = await ActionEndHandoff().run(dispatcher, tracker([officer_event("officer_handback", item)], {
        HANDOFF_SLOT: 1, DRAFT_SLOT: draft.to_json()}), {})
    assert dispatcher.messages[0]["text"] == HANDED_BACK_TO_FINISH
    assert result[-1] == FollowupAction("report_form")
    resumed = Draft.from_json(next(e["value"] for e in result if e.get("name") == DRAFT_SLOT))
    assert resumed.current.amount == 20000.0 and not resumed.handover and not resumed.failed


async def test_a_late_handback_does_not_end_a_newer_handoff(case_store):
    await handed_off(case_store)
    case_store.handback(1, "zhang")
    item = newest_item(case_store)
    await ActionHandoff().run(CollectingDispatcher(), tracker([user("转人工", "request_officer")]), {})  # asks again
    dispatcher = CollectingDispatcher()
    result = await ActionEndHandoff().run(dispatcher, tracker([officer_event("officer_handback", item)],
                                                              {HANDOFF_SLOT: 1}), {})
    assert result == [SlotSet(DELIVERED_SLOT, str(item))]  # acted on (by keeping the citizen with the officer)
    assert dispatcher.messages == []


async def test_an_officer_asked_for_before_any_details_is_called_and_the_report_goes_on(case_store):
    dispatcher = CollectingDispatcher()
    result = await ActionHandoff().run(dispatcher, tracker([user("能不能找个真人", "request_officer")]), {})
    case = case_store.case_for_conversation("citizen-1")
    assert case["status"] == "waiting" and case["handoff_active"] and case["reason"] == "requested"
    assert result[0] == SlotSet(HANDOFF_WAITING_SLOT, case["id"])
    assert not any(e.get("name") == HANDOFF_SLOT for e in result)   # the bot keeps talking meanwhile
    assert result[-1] == FollowupAction("report_form")
    said = dispatcher.messages[0]["text"]
    assert "转接值班民警" in said and "止付" in said and case["transcript"][-1]["text"] == said


async def test_the_waiting_case_follows_the_report_without_a_new_alert(case_store):
    await ActionHandoff().run(CollectingDispatcher(), tracker([user("转人工", "request_officer")]), {})
    first = case_store.case_for_conversation("citizen-1")
    draft = Draft(report=Report(transfers=[Transfer(amount=4500.0, to_account=CARD)]), money_sent=True)
    later = [user("转人工", "request_officer"), user(CARD, timestamp=time.time() + 5)]   # after the bot's answer
    await refresh_waiting_case(tracker(later, {DRAFT_SLOT: draft.to_json(), HANDOFF_WAITING_SLOT: first["id"]}),
                               draft.report)
    case = case_store.case(first["id"])
    assert case["transfers"][0]["to_account"] == CARD and case["handoff_at"] == first["handoff_at"]
    assert case["reason"] == "requested" and case["handoff_active"] and case["status"] == "waiting"
    assert case["transcript"][-1]["text"] == CARD


async def test_a_second_request_while_waiting_hands_the_citizen_to_the_officer(case_store):
    await ActionHandoff().run(CollectingDispatcher(), tracker([user("转人工", "request_officer")]), {})
    again = tracker([user("我就要真人", "request_officer")], {HANDOFF_WAITING_SLOT: 1}, {"name": "report_form"})
    result = await ActionHandoff().run(CollectingDispatcher(), again, {})
    assert result == [SlotSet(HANDOFF_SLOT, 1), SlotSet(HANDOFF_WAITING_SLOT, None), ActiveLoop(None),
                      SlotSet("requested_slot", None)]


async def test_the_officers_first_message_takes_the_waiting_citizen_over(case_store):
    await ActionHandoff().run(CollectingDispatcher(), tracker([user("转人工", "request_officer")]), {})
    case_store.claim(1, "zhang")
    case_store.officer_message(1, "zhang", "我是民警小张，您说")
    item = newest_item(case_store)
    result = await ActionRelayOfficerMessage().run(
        CollectingDispatcher(), tracker([officer_event("officer_message", item)], {HANDOFF_WAITING_SLOT: 1},
                                        {"name": "report_form"}), {})
    assert result == [SlotSet(HANDOFF_SLOT, 1), SlotSet(HANDOFF_WAITING_SLOT, None), ActiveLoop(None),
                      SlotSet("requested_slot", None), SlotSet(DELIVERED_SLOT, str(item))]


async def test_closing_a_waiting_case_ends_the_report_too(case_store):
    await ActionHandoff().run(CollectingDispatcher(), tracker([user("转人工", "request_officer")]), {})
    case_store.claim(1, "zhang")
    case_store.close_case(1, "zhang", "none")
    item = newest_item(case_store)
    dispatcher = CollectingDispatcher()
    result = await ActionEndHandoff().run(
        dispatcher, tracker([officer_event("officer_close", item)], {HANDOFF_WAITING_SLOT: 1},
                            {"name": "report_form"}), {})
    assert result == [SlotSet(HANDOFF_WAITING_SLOT, None), SlotSet(DRAFT_SLOT, None), ActiveLoop(None),
                      SlotSet("requested_slot", None), SlotSet(DELIVERED_SLOT, str(item))]
    assert "服务已结束" in dispatcher.messages[0]["text"]


async def test_the_claim_tells_a_citizen_the_bot_is_still_asking_that_the_officer_answers_now(case_store):
    await ActionHandoff().run(CollectingDispatcher(), tracker([user("转人工", "request_officer")]), {})
    case_store.claim(1, "zhang")
    item = newest_item(case_store)
    dispatcher = CollectingDispatcher()
    result = await ActionRelayOfficerMessage().run(
        dispatcher, tracker([officer_event("officer_message", item)], {HANDOFF_WAITING_SLOT: 1},
                            {"name": "report_form"}), {})
    assert result == [SlotSet(HANDOFF_SLOT, 1), SlotSet(HANDOFF_WAITING_SLOT, None), ActiveLoop(None),
                      SlotSet("requested_slot", None), SlotSet(DELIVERED_SLOT, str(item))]
    assert [m["text"] for m in dispatcher.messages] == [OFFICER_JOINED]


async def test_a_claims_notice_the_desk_already_showed_is_recorded_not_sent_again(case_store):
    from actions.handoff import officer_took_over

    await ActionHandoff().run(CollectingDispatcher(), tracker([user("转人工", "request_officer")]), {})
    case_store.claim(1, "zhang")
    item = newest_item(case_store)
    case_store.sent_directly(item)  # the desk put it on the page at the claim
    dispatcher = CollectingDispatcher()  # the citizen wrote before Rasa got to the notice: no second notice
    await officer_took_over(dispatcher, tracker([user("在吗", "greet")], {HANDOFF_WAITING_SLOT: 1}), Report())
    assert OFFICER_JOINED not in [m.get("text") for m in dispatcher.messages]
    dispatcher = CollectingDispatcher()
    result = await ActionRelayOfficerMessage().run(
        dispatcher, tracker([officer_event("officer_message", item)], {HANDOFF_WAITING_SLOT: 1}), {})
    assert result[-1] == SlotSet(DELIVERED_SLOT, str(item))
    assert dispatcher.messages == [dict(dispatcher.messages[0], text=OFFICER_JOINED, custom={SENT_DIRECTLY: True})]
    assert [text for _, text in said_in(case_store.case(1))].count(OFFICER_JOINED) == 1


async def test_a_citizen_who_writes_while_the_desk_sends_the_notice_is_not_told_twice(case_store):
    from actions.handoff import officer_took_over

    await ActionHandoff().run(CollectingDispatcher(), tracker([user("转人工", "request_officer")]), {})
    case_store.claim(1, "zhang")
    item = newest_item(case_store)
    assert case_store.lease_direct_send(item, 10)   # the desk is putting it on the page right now
    dispatcher = CollectingDispatcher()
    await officer_took_over(dispatcher, tracker([user("在吗", "greet")], {HANDOFF_WAITING_SLOT: 1}), Report())
    assert OFFICER_JOINED not in [m.get("text") for m in dispatcher.messages]


async def test_the_notice_the_bot_said_is_not_put_on_the_channel_again_nor_recorded_twice(case_store):
    from actions.handoff import officer_took_over

    events = [user("转人工", "request_officer")]
    await ActionHandoff().run(CollectingDispatcher(), tracker(events), {})
    events.append({"event": "action", "name": "action_handoff"})
    case_store.claim(1, "zhang")
    item = newest_item(case_store)
    dispatcher = CollectingDispatcher()
    await officer_took_over(dispatcher, tracker(events + [user("在吗", "greet")], {HANDOFF_WAITING_SLOT: 1}), Report())
    assert [m.get("text") for m in dispatcher.messages] == [OFFICER_JOINED]
    assert case_store.outbox_item(item)["sent_at"] is not None and not case_store.lease_direct_send(item, 10)
    events += [user("在吗", "greet"), bot(OFFICER_JOINED, time.time())]
    dispatcher = CollectingDispatcher()
    await ActionRelayOfficerMessage().run(dispatcher, tracker(events + [officer_event("officer_message", item)],
                                                              {HANDOFF_SLOT: 1}), {})
    assert dispatcher.messages == [] and [t for _, t in said_in(case_store.case(1))].count(OFFICER_JOINED) == 1


async def test_the_claim_of_a_citizen_already_waiting_for_the_officer_says_nothing_more(case_store):
    await ActionHandoff().run(CollectingDispatcher(), tracker([user("转人工", "request_officer")]), {})
    case_store.claim(1, "zhang")
    item = newest_item(case_store)
    dispatcher = CollectingDispatcher()
    result = await ActionRelayOfficerMessage().run(
        dispatcher, tracker([officer_event("officer_message", item)], {HANDOFF_SLOT: 1}), {})
    assert result == [SlotSet(DELIVERED_SLOT, str(item))] and dispatcher.messages == []


async def test_the_claims_notice_is_not_said_after_the_officers_own_words_reached_the_citizen(case_store):
    await ActionHandoff().run(CollectingDispatcher(), tracker([user("转人工", "request_officer")]), {})
    case_store.claim(1, "zhang")
    joined = newest_item(case_store)
    message = case_store.officer_message(1, "zhang", "我是民警小张")
    case_store.sent_directly(message["delivery_id"])  # the desk put it on the page before Rasa got to the notice
    dispatcher = CollectingDispatcher()
    result = await ActionRelayOfficerMessage().run(
        dispatcher, tracker([officer_event("officer_message", joined)], {HANDOFF_WAITING_SLOT: 1},
                            {"name": "report_form"}), {})
    assert dispatcher.messages == [] and SlotSet(HANDOFF_SLOT, 1) in result  # taken over, silently


# --- the officer's transcript: every message the citizen saw and said while the case is open, once, in order
def said_in(case):
    return [(m["from"], m["text"]) for m in case["transcript"]]


async def test_a_case_called_mid_report_has_every_message_once_in_order(case_store):
    """转人工 mid-report: the bot's notice once, its questions while the officer comes, the claim's notice,
    the citizen's messages after it, the hand-back notice."""
    from actions.handoff import CALLED_WHILE_COLLECTING, HANDED_BACK

    t = time.time() - 600
    events = [user("我被骗了，转了五万", "report_fraud", timestamp=t), bot("别着急，我来帮您登记", t + 1),
              bot("对方的收款账号是多少？", t + 2), user("转人工", "request_officer", timestamp=t + 10)]
    draft = Draft(report=Report(transfers=[Transfer(amount=50000.0)]), money_sent=True)
    slots = {DRAFT_SLOT: draft.to_json()}
    await ActionHandoff().run(CollectingDispatcher(), tracker(events, slots, {"name": "report_form"}), {})
    case_id = case_store.case_for_conversation("citizen-1")["id"]
    # Rasa records the notice and the form's next question; the citizen answers (the case follows the report)
    events += [bot(CALLED_WHILE_COLLECTING, t + 11), bot("对方的收款账号是多少？", t + 12),
               user(CARD, timestamp=t + 20)]
    await refresh_waiting_case(tracker(events, {**slots, HANDOFF_WAITING_SLOT: case_id}), draft.report)
    events += [bot("收款人的姓名是？", t + 21)]
    case_store.clock = lambda: t + 25  # the officer claims
    case_store.claim(case_id, "zhang")
    joined = newest_item(case_store)
    events += [officer_event("officer_message", joined) | {"timestamp": t + 30}]
    await ActionRelayOfficerMessage().run(CollectingDispatcher(), tracker(
        events, {HANDOFF_WAITING_SLOT: case_id}, {"name": "report_form"}), {})
    events += [bot(OFFICER_JOINED, t + 31), user("民警您好", timestamp=t + 40)]
    await ActionRelayToOfficer().run(CollectingDispatcher(), tracker(events, {HANDOFF_SLOT: case_id}), {})
    case_store.clock = lambda: t + 42
    case_store.officer_message(case_id, "zhang", "我是民警小张")
    events += [bot("【民警】我是民警小张", t + 43)]
    case_store.clock = lambda: t + 45  # and hands back
    case_store.handback(case_id, "zhang")
    handback = newest_item(case_store)
    events += [officer_event("officer_handback", handback) | {"timestamp": t + 50}]
    await ActionEndHandoff().run(CollectingDispatcher(), tracker(events, {HANDOFF_SLOT: case_id}), {})
    events += [bot(HANDED_BACK, t + 51)]
    case_store.record_transcript(case_id, conversation_transcript(tracker(events)))  # as the desk reads Rasa later
    assert said_in(case_store.case(case_id)) == [
        ("citizen", "我被骗了，转了五万"), ("bot", "别着急，我来帮您登记"), ("bot", "对方的收款账号是多少？"),
        ("citizen", "转人工"), ("bot", CALLED_WHILE_COLLECTING), ("bot", "对方的收款账号是多少？"), ("citizen", CARD),
        ("bot", "收款人的姓名是？"), ("bot", OFFICER_JOINED), ("citizen", "民警您好"), ("officer", "我是民警小张"),
        ("bot", HANDED_BACK)]


async def test_the_citizen_who_writes_after_the_claim_is_told_once_and_the_officer_sees_it(case_store):
    from actions.handoff import officer_took_over

    t = time.time() - 600
    events = [user("转人工", "request_officer", timestamp=t)]
    await ActionHandoff().run(CollectingDispatcher(), tracker(events), {})
    case_store.claim(1, "zhang")
    events += [bot("好的，正在为您转接值班民警……", t + 1), bot("对方的收款账号是多少？", t + 2),
               user(f"我转了五万块到{CARD}", timestamp=t + 10)]
    dispatcher = CollectingDispatcher()
    await officer_took_over(dispatcher, tracker(events, {HANDOFF_WAITING_SLOT: 1}), Report())
    assert [m["text"] for m in dispatcher.messages] == [OFFICER_JOINED]
    texts = [text for _, text in said_in(case_store.case(1))]
    assert texts[-3:] == ["对方的收款账号是多少？", f"我转了五万块到{CARD}", OFFICER_JOINED]
    events += [bot(OFFICER_JOINED, t + 11)]  # Rasa's copy of the notice takes the place of the one said
    case_store.record_transcript(1, conversation_transcript(tracker(events)))
    assert [text for _, text in said_in(case_store.case(1))].count(OFFICER_JOINED) == 1


async def test_the_closing_notice_of_a_closed_case_is_in_its_transcript(case_store):
    from actions.handoff import CLOSED

    await handed_off(case_store)
    case_store.close_case(1, "zhang", "none")
    await ActionEndHandoff().run(CollectingDispatcher(), tracker(
        [user("转人工", "request_officer"), officer_event("officer_close", newest_item(case_store))],
        {HANDOFF_SLOT: 1}), {})
    assert said_in(case_store.case(1))[-1] == ("bot", CLOSED)
