"""Hand-off to a human officer: open a case on the desk, relay both ways, hand back or close."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import DRAFT_SLOT, SUBMITTED_REPORT_SLOT, current_report, draft_of, unfinished_draft
from bot.desk.store import CaseStore
from bot.desk.transcript import is_external, transcript_of
from bot.report.model import Report
from bot.handoff import (
    ACTION_END_HANDOFF, ACTION_HANDOFF, ACTION_RELAY_OFFICER_MESSAGE, ACTION_RELAY_TO_OFFICER,
    DELIVERED_SLOT, DELIVERY_ID_ENTITY, HANDOFF_SLOT, HANDOFF_WAITING_SLOT, OFFICER_CLOSE_INTENT, OFFICER_HANDBACK_INTENT,
    OFFICER_JOINED, OFFICER_MESSAGE_INTENT, OFFICER_PREFIX, SENT_DIRECTLY,
)
from bot.settings import Settings

logger = logging.getLogger(__name__)

WAITING_ADVICE = {
    "report": "您的报案信息已提交，正在为您转接值班民警办理紧急止付，请不要离开。",
    "in_progress": "正在为您转接值班民警，请不要离开。现在请先挂断对方电话、退出对方的聊天，不要再转账，"
                   "不要说出验证码。",
    "requested": "好的，正在为您转接值班民警，请稍候，不要离开。",
    "fallback": "抱歉，我没能理解您的意思，正在为您转接值班民警，请稍候。",
}
WHILE_WAITING = ("等待期间：不要再向对方转账；保留好聊天记录、转账凭证和对方的联系方式；"
                 "您可以继续在这里留言，民警接入后都能看到，并会在这里直接回复您。情况紧急请同时拨打110。")
# Asked for an officer before the stop-payment details were told: the officer is called, and the bot
# collects the details meanwhile so the officer can act the moment they join.
CALLED_WHILE_COLLECTING = ("好的，正在为您转接值班民警，民警接入后会直接在这里回复您。等候的这段时间，"
                           "我先帮您把紧急止付要用的信息记下来，民警一接入就能马上办理。")
# A stop-payment detail the bot could not get: the officer is called, the report goes on meanwhile.
OFFICER_CALLED_TO_CHECK = "我已经通知值班民警来跟您核实，民警接入后会直接在这里回复您。"
# On the phone the caller is transferred at once: one short sentence, then the officers' queue.
VOICE_TRANSFER = "好的，正在为您转接值班民警，请不要挂机。"
HANDOFF_FAILED = "抱歉，转接民警暂时没有成功。请直接拨打110（紧急）或96110（咨询），民警会马上为您处理。"
RELAY_FAILED = "抱歉，这条消息暂时没能送达民警，请稍后再发一次；情况紧急请直接拨打110。"
HANDED_BACK = "民警已结束人工对话，接下来由智能助手继续为您服务。还有问题可以直接问我；需要民警时请回复“转人工”。"
HANDED_BACK_TO_FINISH = ("民警已结束人工对话，接下来由智能助手继续为您服务。刚才的报案信息还没登记完整，"
                         "我们接着登记，已经说过的不用再说；需要民警时请回复“转人工”。")
CLOSED = "本次人工服务已结束，感谢您的配合。案件后续进展民警会与您联系；如果再有人要求您转账，请立即拨打110。"

_store: Optional[CaseStore] = None


def case_store() -> CaseStore:
    """Opened on first use (never at import), shared by all actions of this process."""
    global _store
    if _store is None:
        _store = CaseStore.open(Settings.from_env())
    return _store


def conversation_transcript(tracker: Tracker) -> List[Dict[str, Any]]:
    """What the citizen and the bot said so far, as Rasa recorded it (bot.desk.transcript); what the bot
    says in this action is not in it yet: the store takes it as `said`."""
    return transcript_of(tracker.events)


async def record_said(tracker: Tracker, item: Dict[str, Any], *said: str) -> None:
    """The conversation so far and the notice this action says now of what the officer did (the desk's
    item) into the case, the notice placed when the officer did it: the citizen saw it all."""
    try:
        await asyncio.to_thread(case_store().record_transcript, int(item["case_id"]), conversation_transcript(tracker),
                                said, item.get("created_at"))
    except Exception:  # the citizen is answered anyway; the desk reads the rest from Rasa later
        logger.exception("recording the transcript of conversation %s failed", tracker.sender_id)


def case_details(report: Report) -> Dict[str, Any]:
    """The case store's arguments for a report (complete or not)."""
    return {"packet": report.packet(),
            "scam_type": {"name": report.scam_type, "confidence": report.scam_type_confidence},
            "in_progress": report.in_progress}


async def start_handoff(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str,
                        report: Optional[Report] = None, keep_collecting: bool = False) -> List[EventType]:
    """Opens (or reopens) the conversation's case and tells the citizen what happens now. keep_collecting:
    the officer is called, but the bot goes on with the report until the officer writes."""
    channel = tracker.get_latest_input_channel() or "unknown"
    if keep_collecting:
        said = OFFICER_CALLED_TO_CHECK if reason == "unclear" else CALLED_WHILE_COLLECTING
    else:
        said = VOICE_TRANSFER if channel == "voice" else f"{WAITING_ADVICE[reason]}{WHILE_WAITING}"
    details = case_details(report or current_report(tracker))
    try:
        case = await asyncio.to_thread(
            case_store().open_handoff, conversation_id=tracker.sender_id,
            channel=channel, reason=reason,
            transcript=conversation_transcript(tracker), said=[said], **details)
    except Exception:
        logger.exception("hand-off for conversation %s failed", tracker.sender_id)
        dispatcher.utter_message(text=HANDOFF_FAILED)
        return []
    logger.info("conversation %s handed off as case %s (%s); receiving accounts: %s", tracker.sender_id,
                case["id"], reason, ", ".join(t["to_account"] or "?" for t in case["transfers"]) or "none")
    dispatcher.utter_message(text=said)
    if keep_collecting:
        return [SlotSet(HANDOFF_WAITING_SLOT, case["id"])]
    events: List[EventType] = [SlotSet(HANDOFF_SLOT, case["id"])]
    if tracker.get_slot(HANDOFF_WAITING_SLOT) is not None:
        events.append(SlotSet(HANDOFF_WAITING_SLOT, None))
    if tracker.active_loop_name:
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return events


def handoff_reason(tracker: Tracker) -> str:
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    if intent in ("scam_in_progress", "deny"):
        return "in_progress"
    return "requested"


def collect_while_waiting(tracker: Tracker, reason: str) -> bool:
    """Whether the bot keeps collecting the report while the called officer is on the way: a text
    channel, a plain request (not a scam going on now), the first request, no report submitted yet."""
    if reason != "requested" or (tracker.get_latest_input_channel() or "") == "voice" \
            or tracker.get_slot(HANDOFF_WAITING_SLOT) is not None or tracker.get_slot(SUBMITTED_REPORT_SLOT):
        return False
    return not draft_of(tracker).handover


async def refresh_waiting_case(tracker: Tracker, report: Report) -> None:
    """The called officer's case follows the report as the citizen tells it (details only: no new alert)."""
    try:
        await asyncio.to_thread(
            case_store().open_registration, conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "unknown", transcript=conversation_transcript(tracker), **case_details(report))
    except Exception:  # the report goes on; the next answer or the submission tries again
        logger.exception("updating the waiting case of conversation %s failed", tracker.sender_id)


def claimed_while_collecting(tracker: Tracker) -> bool:
    """Whether the officer called while the bot was collecting has claimed the case since."""
    waiting = tracker.get_slot(HANDOFF_WAITING_SLOT)
    if waiting is None:
        return False
    try:
        return case_store().officer_of(int(waiting)) is not None
    except Exception:  # store down: the bot goes on collecting
        logger.exception("checking the waiting case of conversation %s failed", tracker.sender_id)
        return False


async def officer_took_over(dispatcher: CollectingDispatcher, tracker: Tracker, report: Report) -> List[EventType]:
    """The citizen wrote after the officer claimed the case: what they wrote goes to the officer (with
    the details read from it), the bot stops asking, and the citizen is told who answers now."""
    shown = False  # the desk put (or is putting) the notice on the channel at the claim: its delivery records it
    try:
        shown = not await asyncio.to_thread(case_store().joined_notice_to_say, tracker.sender_id)
        await asyncio.to_thread(
            case_store().open_registration, conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "unknown", transcript=conversation_transcript(tracker),
            said=[] if shown else [OFFICER_JOINED], **case_details(report))
    except Exception:
        logger.exception("relaying a message of conversation %s failed", tracker.sender_id)
        dispatcher.utter_message(text=RELAY_FAILED)
    if not shown:
        dispatcher.utter_message(text=OFFICER_JOINED)
    return officer_joined(tracker)


class ActionHandoff(Action):
    def name(self) -> Text:
        return ACTION_HANDOFF

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        reason = handoff_reason(tracker)
        if not collect_while_waiting(tracker, reason):
            return await start_handoff(dispatcher, tracker, reason)   # a second request: the officer only
        events = await start_handoff(dispatcher, tracker, reason, keep_collecting=True)
        if not events:
            return events
        if tracker.get_slot(DRAFT_SLOT) is None:
            events.append(SlotSet(DRAFT_SLOT, draft_of(tracker).to_json()))
        return events + [FollowupAction("report_form")]


class ActionRelayToOfficer(Action):
    """The citizen's message goes to the officer's desk; the bot says nothing."""

    def name(self) -> Text:
        return ACTION_RELAY_TO_OFFICER

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        try:  # the citizen's message, and anything the case still lacks
            case_id = await asyncio.to_thread(case_store().follow_conversation, tracker.sender_id,
                                              conversation_transcript(tracker), True)
        except Exception:
            logger.exception("relaying a message of conversation %s failed", tracker.sender_id)
            dispatcher.utter_message(text=RELAY_FAILED)
            return []
        if case_id is None:  # the case was closed meanwhile: the bot answers again
            dispatcher.utter_message(text=HANDED_BACK)
            return [SlotSet(HANDOFF_SLOT, None)]
        return []


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    return next((e.get("value") for e in (tracker.latest_message or {}).get("entities") or []
                 if e.get("entity") == name), None)


def already_said(tracker: Tracker, delivery_id: Optional[str], text: str) -> bool:
    """Whether an earlier delivery of this message (the desk retries when Rasa was slow to answer)
    was already said to the citizen. An earlier attempt whose action failed does not count."""
    if delivery_id is None:
        return False
    events = tracker.events[:-1]
    for index, event in enumerate(events):
        if event.get("event") != "user" or not any(
                e.get("entity") == DELIVERY_ID_ENTITY and str(e.get("value")) == str(delivery_id)
                for e in (event.get("parse_data") or {}).get("entities") or []):
            continue
        for later in events[index + 1:]:
            if later.get("event") == "user":
                break
            if later.get("event") == "bot" and later.get("text") == text:
                return True
    return False


KINDS_OF_INTENT = {OFFICER_MESSAGE_INTENT: ("message", "joined"), OFFICER_HANDBACK_INTENT: ("handback",),
                   OFFICER_CLOSE_INTENT: ("close",)}


def desk_item(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The desk's queued item this officer_* intent carries, or None when it did not come from the
    desk: a trigger (not a user's message) naming an outbox item of this conversation and kind."""
    latest = tracker.latest_message or {}
    intent = (latest.get("intent") or {}).get("name")
    said = next((e for e in reversed(tracker.events) if e.get("event") == "user"), {})
    delivery_id = _entity(tracker, DELIVERY_ID_ENTITY)
    if intent not in KINDS_OF_INTENT or not is_external(said) or not str(delivery_id or "").isdigit():
        return None
    try:
        item = case_store().outbox_item(int(delivery_id))
    except Exception:
        logger.exception("could not read the desk's item %s", delivery_id)
        return None
    if not item or item["conversation_id"] != tracker.sender_id or item["kind"] not in KINDS_OF_INTENT[intent]:
        logger.warning("conversation %s: an officer intent without a matching desk item was ignored",
                       tracker.sender_id)
        return None
    return item


class ActionRelayOfficerMessage(Action):
    """An officer's message from the desk, said to the citizen on their channel."""

    def name(self) -> Text:
        return ACTION_RELAY_OFFICER_MESSAGE

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        item = await asyncio.to_thread(desk_item, tracker)
        if item is None:
            return []
        joined = officer_joined(tracker)
        if item["kind"] == "joined":
            if item.get("sent_at"):  # the desk put it on the channel at the claim: recorded here, not sent again
                if not notice_said_since_handoff(tracker):   # unless the bot said it to a citizen who wrote first
                    dispatcher.utter_message(text=OFFICER_JOINED, json_message={SENT_DIRECTLY: True})
                    await record_said(tracker, item, OFFICER_JOINED)
            elif (joined or took_over_unannounced(tracker)) \
                    and not await asyncio.to_thread(case_store().officer_wrote_since, item["id"]):
                dispatcher.utter_message(text=OFFICER_JOINED)  # not once the officer's own words are there
                # said after what the citizen wrote meanwhile, where the citizen saw it
                await record_said(tracker, item if joined else {**item, "created_at": None}, OFFICER_JOINED)
            return joined + delivered(item["id"])
        said = f"{OFFICER_PREFIX}{item['text'] or ''}"
        if item["text"] and not already_said(tracker, str(item["id"]), said):
            # recorded in the conversation; a channel the desk already sent it on does not send it again
            dispatcher.utter_message(text=said, json_message={SENT_DIRECTLY: True} if item.get("sent_at") else None)
        return joined + delivered(item["id"])


def _since_handoff(tracker: Tracker) -> List[Dict[str, Any]]:
    since = max((i for i, e in enumerate(tracker.events)
                 if e.get("event") == "action" and e.get("name") == ACTION_HANDOFF), default=-1)
    return tracker.events[since + 1:]


def notice_said_since_handoff(tracker: Tracker) -> bool:
    return any(e.get("event") == "bot" and e.get("text") == OFFICER_JOINED for e in _since_handoff(tracker))


def took_over_unannounced(tracker: Tracker) -> bool:
    """The citizen wrote after the claim while the notice was on its way (officer_took_over left it to it)."""
    return not notice_said_since_handoff(tracker) and any(
        e.get("event") == "slot" and e.get("name") == HANDOFF_WAITING_SLOT and e.get("value") is None
        for e in _since_handoff(tracker))


def officer_joined(tracker: Tracker) -> List[EventType]:
    """The called officer wrote: from now on the citizen talks to the officer, not to the report form."""
    waiting = tracker.get_slot(HANDOFF_WAITING_SLOT)
    if waiting is None or tracker.get_slot(HANDOFF_SLOT) is not None:
        return []
    events: List[EventType] = [SlotSet(HANDOFF_SLOT, waiting), SlotSet(HANDOFF_WAITING_SLOT, None)]
    if tracker.active_loop_name:
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return events


def delivered(delivery_id: Optional[str]) -> List[EventType]:
    return [SlotSet(DELIVERED_SLOT, str(delivery_id))] if delivery_id is not None else []


def handoff_reopened(case_id: Any) -> bool:
    try:
        return bool(case_store().case(int(case_id))["handoff_active"])
    except Exception:  # no such case, store down: the hand-back stands
        logger.exception("could not check case %s", case_id)
        return False


class ActionEndHandoff(Action):
    """The officer hands the conversation back to the bot, or closes the case."""

    def name(self) -> Text:
        return ACTION_END_HANDOFF

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        item = await asyncio.to_thread(desk_item, tracker)
        if item is None:
            return []
        case_id = tracker.get_slot(HANDOFF_SLOT)
        proof = delivered(item["id"])
        if case_id is None and tracker.get_slot(HANDOFF_WAITING_SLOT) is not None:
            events = waiting_case_ended(dispatcher, tracker, item["kind"])
            if item["kind"] == "close":
                await record_said(tracker, item, CLOSED)
            return events + proof
        if case_id is None:
            return proof  # already handed back (a retried delivery, or the case was closed meanwhile)
        if await asyncio.to_thread(handoff_reopened, case_id):
            return proof  # the citizen asked again before this hand-back arrived: the officer keeps them
        unfinished = unfinished_draft(tracker) if item["kind"] == "handback" else None
        said = CLOSED if item["kind"] == "close" else HANDED_BACK_TO_FINISH if unfinished else HANDED_BACK
        dispatcher.utter_message(text=said)
        await record_said(tracker, item, said)
        events = [SlotSet(HANDOFF_SLOT, None)] + proof
        if item["kind"] == "close":
            return events + [SlotSet(DRAFT_SLOT, None)]   # the case is done: a later report starts afresh
        if unfinished is not None:   # the report the officer interrupted goes on: its next question now
            return events + [SlotSet(DRAFT_SLOT, unfinished.to_json()), SlotSet("requested_slot", None),
                             FollowupAction("report_form")]
        return events


def waiting_case_ended(dispatcher: CollectingDispatcher, tracker: Tracker, kind: str) -> List[EventType]:
    """The officer closed or handed back a case before writing: a close ends the report too."""
    events: List[EventType] = [SlotSet(HANDOFF_WAITING_SLOT, None)]
    if kind == "close":
        dispatcher.utter_message(text=CLOSED)
        events.append(SlotSet(DRAFT_SLOT, None))
        if tracker.active_loop_name:
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return events
