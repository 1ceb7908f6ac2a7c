"""The fraud report (报案登记) in Rasa: the form carries the draft, bot.report.dialogue reads the messages.

Every report that is confirmed reaches the desk: an urgent one is handed to an officer at once, an
older one becomes a registration case (登记) an officer follows up.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import DRAFT_SLOT, SUBMITTED_REPORT_SLOT, current_report, draft_of, local_now, \
    unfinished_draft
from actions.handoff import (
    case_store, claimed_while_collecting, conversation_transcript, officer_took_over, refresh_waiting_case, start_handoff,
)
from actions.parsing import redacted_text, scam_detail_question, summary_text
from actions.warning import warning_text
from bot.report.dialogue import CONFIRM, DETAIL, FAQ_CONFIDENCE, QUESTIONS, Draft, Said, Turn, next_question
from bot.report.questions import question_text
from bot.report.reader import (
    HANDED_OVER, LEFT_TO_OFFICER, PAID, PUT_OFF, REPORTED_AS, asks_a_question, read, told_nothing_paid,
)
from bot.report.model import Transfer
from bot.handoff import HANDOFF_WAITING_SLOT
from bot.settings import Settings

logger = logging.getLogger(__name__)

FORM = "report_form"
QUESTION_SLOT = "report_question"
# The form reads a message only right after the citizen said it (or when it starts), never again
# when it resumes after answering a question or a warning.
READS_AFTER = {"action_listen", "action_start_report"}
ADD_TO_REPORT = "好的，我把这一笔补充到您刚才的报案里。"
START = "别着急，我来帮您登记报案信息，民警办理紧急止付要用。情况紧急请同时拨打110。"
# An attempt told without a loss ("他让我转，我没转"): registered so officers can trace the scammer, without alarm.
START_NOTHING_PAID = "您没有转账，做得对。我帮您把这次情况登记下来，民警可以据此追查对方、提醒更多人。"
GO_ON = "好的，我们接着刚才的报案继续登记，已经说过的不用再说。"
REGISTERED = ("报案信息已登记，案件编号 {case}。{why}值班民警会按您留的电话尽快联系您跟进；"
              "被骗的钱常常会被层层转到下级账户，过了几天也仍有机会止付，所以请保持电话畅通。"
              "在此期间不要再向对方转账，保留好聊天记录和转账凭证。还有其他转账想补充，直接告诉我“还有一笔”。")
REGISTERED_OLD = "这笔转账已经超过{hours}小时，"
REGISTERED_NO_TRANSFER = "您还没有转账，"
REGISTER_FAILED = "抱歉，报案信息暂时没能提交到民警工作台。请直接拨打110报案，把刚才核对的信息告诉民警。"


def urgent_window() -> timedelta:
    return timedelta(hours=Settings.from_env().urgent_window_hours)


def said_from(tracker: Tracker) -> Said:
    latest = tracker.latest_message or {}
    event = next((e for e in reversed(tracker.events) if e.get("event") == "user"), {})
    at = datetime.fromtimestamp(event["timestamp"]).astimezone(local_now().tzinfo) \
        if event.get("timestamp") else local_now()
    intent = latest.get("intent") or {}
    markers = latest.get("scam_markers") or {}
    in_progress = bool(markers.get("in_progress")) or intent.get("name") == "scam_in_progress"
    return Said(text=redacted_text(latest), at=at, intent=intent.get("name"),
                confidence=float(intent.get("confidence") or 0.0), entities=list(latest.get("entities") or []),
                faq_response=faq_response(latest), in_progress=in_progress,
                warning=warning_text(latest) if in_progress else None)


def fresh_message(tracker: Tracker) -> bool:
    """Whether the form runs right after the citizen spoke (not on its way back from an interruption)."""
    actions = [e.get("name") for e in tracker.events if e.get("event") == "action"]
    # The last action is the form itself (Rasa adds it for the validation call).
    before = actions[-2] if len(actions) >= 2 else "action_listen"
    return before in READS_AFTER


def say(dispatcher: CollectingDispatcher, items: List[Dict[str, str]]) -> None:
    for item in items:
        if "response" in item:
            dispatcher.utter_message(response=item["response"])
        else:
            dispatcher.utter_message(text=item["text"])


class ValidateReportForm(Action):
    """Reads each message into the draft and tells the form what to ask next."""

    def name(self) -> Text:
        return f"validate_{FORM}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        draft = draft_of(tracker)
        asked = tracker.get_slot("requested_slot")
        events: List[EventType] = []
        if fresh_message(tracker) and await asyncio.to_thread(claimed_while_collecting, tracker):
            read(draft, asked if asked in QUESTIONS else None, said_from(tracker), local_now())
            events = await officer_took_over(dispatcher, tracker, current_report(tracker, draft))
            return events + [SlotSet(DRAFT_SLOT, draft.to_json())]
        if fresh_message(tracker):
            turn = read(draft, asked if asked in QUESTIONS else None, said_from(tracker), local_now())
            if turn.reject:
                return []   # an officer request or stopping: the rules take it
            if draft.officer_needed:
                events += await call_officer_for(dispatcher, tracker, draft, turn)
            else:
                say(dispatcher, turn.say)
            if draft.report.in_progress and not tracker.get_slot("scam_in_progress"):
                events.append(SlotSet("scam_in_progress", True))
            if tracker.get_slot(HANDOFF_WAITING_SLOT) is not None:
                await refresh_waiting_case(tracker, current_report(tracker, draft))
        asked_next = next_question(draft)
        return events + [SlotSet(DRAFT_SLOT, draft.to_json()), SlotSet("requested_slot", asked_next),
                         SlotSet(QUESTION_SLOT, question_words(tracker, draft, asked_next))]


async def call_officer_for(dispatcher: CollectingDispatcher, tracker: Tracker, draft: Draft, turn: Turn) -> List[EventType]:
    """A stop-payment detail the citizen could not give: on a text channel the officer is called and the report
    goes on meanwhile (the detail is asked once more later); a caller on the phone goes to the officer now."""
    draft.officer_needed = None
    if (tracker.get_latest_input_channel() or "") == "voice":
        draft.handover, draft.deferred = True, []
        say(dispatcher, [item for item in turn.say if item.get("text") not in (PUT_OFF, LEFT_TO_OFFICER)])
        dispatcher.utter_message(text=HANDED_OVER)
        return []
    say(dispatcher, turn.say)
    if tracker.get_slot(HANDOFF_WAITING_SLOT) is not None:
        return []   # already called
    return await start_handoff(dispatcher, tracker, "unclear", current_report(tracker, draft), keep_collecting=True)


def question_words(tracker: Tracker, draft: Draft, asked: Optional[str]) -> Optional[str]:
    """What utter_ask_<field> says (domain.yml: "{report_question}"): the question for the field, worded for
    where the conversation stands; the form says it without another call to this server."""
    if asked is None:
        return None
    report = current_report(tracker, draft) if asked in (DETAIL, CONFIRM) else draft.report
    summary = summary_text(report) if asked == CONFIRM else ""
    return question_text(draft, asked, scam_detail_question(report.scam_type), summary)


def faq_response(parse_data: Dict[str, Any]) -> Optional[str]:
    return (((parse_data.get("response_selector") or {}).get("faq") or {}).get("response") or {}).get("utter_action")


def answer_first(parse_data: Dict[str, Any]) -> bool:
    """The public answer comes before the report: a question the NLU took for a public question before a
    stated loss made it a report, or the story of a scammer's approach ("让我开屏幕共享…")."""
    ranking = parse_data.get("intent_ranking") or []
    original = next((r for r in ranking if r.get("name") != "report_fraud"), {})
    told = asks_a_question(parse_data.get("text") or "") or parse_data.get(REPORTED_AS) == "encounter"
    return original.get("name") == "faq" and float(original.get("confidence") or 0) >= FAQ_CONFIDENCE \
        and told and faq_response(parse_data) is not None


class ActionStartReport(Action):
    """Starts a report, or adds a transfer to the one this conversation already submitted."""

    def name(self) -> Text:
        return "action_start_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        latest = tracker.latest_message or {}
        if (latest.get("scam_markers") or {}).get("in_progress"):
            dispatcher.utter_message(text=warning_text(latest))
        elif answer_first(latest):
            dispatcher.utter_message(response=faq_response(latest))   # "能帮我把钱追回来吗": answered, then the report
        submitted = tracker.get_slot(SUBMITTED_REPORT_SLOT)
        unfinished = unfinished_draft(tracker)
        if unfinished is not None:
            draft = unfinished   # handed back before it was finished: what was told is kept
            dispatcher.utter_message(text=GO_ON)
        elif submitted and await asyncio.to_thread(case_still_open, submitted.get("case_id")):
            draft = Draft.from_json({"report": submitted, "money_sent": True})
            draft.report.transfers.append(Transfer())
            draft.advice_given = True
            dispatcher.utter_message(text=ADD_TO_REPORT)
        else:
            draft = Draft()
            text = redacted_text(latest)
            nothing_paid = told_nothing_paid(text) and not PAID.search(text)
            dispatcher.utter_message(text=START_NOTHING_PAID if nothing_paid else START)
        if (latest.get("scam_markers") or {}).get("in_progress"):
            draft.report.in_progress = True   # warned: the form does not warn again
        events: List[EventType] = [SlotSet(DRAFT_SLOT, draft.to_json()), SlotSet("requested_slot", None)]
        if (latest.get("scam_markers") or {}).get("in_progress"):
            events.append(SlotSet("scam_in_progress", True))
        return events


def case_still_open(case_id: Any) -> bool:
    if case_id is None:
        return False
    try:
        return case_store().case(int(case_id))["status"] != "closed"
    except Exception:  # no such case, store down: a fresh report loses nothing
        logger.exception("could not check case %s", case_id)
        return False


class ActionSubmitReport(Action):
    """The confirmed report goes to the desk: urgent → an officer now; otherwise a registration case.
    A report the bot could not finish goes to an officer as it is."""

    def name(self) -> Text:
        return "action_submit_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        draft = draft_of(tracker)
        if not (draft.confirmed or draft.handover):
            return []
        now = local_now()
        report = current_report(tracker, draft)
        urgent = report.urgent(now, urgent_window())
        stored = {**report.to_json(), "urgent": urgent, "submitted_at": now.replace(microsecond=0).isoformat()}
        events: List[EventType] = [SlotSet(DRAFT_SLOT, None)]
        if draft.handover or (urgent and report.transfers) or tracker.get_slot(HANDOFF_WAITING_SLOT) is not None:
            handoff = await start_handoff(dispatcher, tracker, "report", report)
            case_id = next((e["value"] for e in handoff if e.get("name") == "handoff_case_id"), None)
            return events + [SlotSet(SUBMITTED_REPORT_SLOT, {**stored, "case_id": case_id})] + handoff
        case_id = await register(dispatcher, tracker, report)
        if case_id is None:
            return events + [SlotSet(SUBMITTED_REPORT_SLOT, stored)]
        why = REGISTERED_NO_TRANSFER if not report.transfers else REGISTERED_OLD.format(
            hours=f"{urgent_window().total_seconds() / 3600:g}")
        dispatcher.utter_message(text=REGISTERED.format(case=case_id, why=why))
        return events + [SlotSet(SUBMITTED_REPORT_SLOT, {**stored, "case_id": case_id})]


async def register(dispatcher: CollectingDispatcher, tracker: Tracker, report) -> Optional[int]:
    channel = tracker.get_latest_input_channel() or "unknown"
    try:
        case = await asyncio.to_thread(
            case_store().open_registration, conversation_id=tracker.sender_id, channel=channel,
            packet=report.packet(), scam_type={"name": report.scam_type, "confidence": report.scam_type_confidence},
            in_progress=report.in_progress, transcript=conversation_transcript(tracker))
    except Exception:
        logger.exception("registering the report of conversation %s failed", tracker.sender_id)
        dispatcher.utter_message(text=REGISTER_FAILED)
        return None
    logger.info("conversation %s registered as case %s", tracker.sender_id, case["id"])
    return case["id"]

