"""The report a conversation has collected so far, from its tracker: used by the form and the hand-off."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Dict, List, Optional
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker

from actions.parsing import NOT_NARRATIVE, conversation_scam_type, entities, intent_of, redacted_text
from bot.extract.times import LOCAL_TIMEZONE
from bot.report.dialogue import Draft
from bot.report.reader import FRAUDSTER_BEFORE
from bot.report.model import Report

DRAFT_SLOT = "report_draft"
SUBMITTED_REPORT_SLOT = "report"   # the report as submitted, with its case id
MAX_NARRATIVE_CHARS = 2000


def local_now() -> datetime:
    return datetime.now(ZoneInfo(LOCAL_TIMEZONE))


def user_parses(tracker: Tracker) -> List[Dict[str, Any]]:
    return [e.get("parse_data") or {} for e in tracker.events if e.get("event") == "user"]


def fraudster_contacts(parses: List[Dict[str, Any]]) -> List[str]:
    found: List[str] = []
    for parse in parses:
        text = parse.get("text") or ""
        values = [e["value"] for e in entities(parse, "fraudster_contact")]
        values += [f"phone:{e['value']}" for e in entities(parse, "phone")
                   if FRAUDSTER_BEFORE.search(text[:e["start"]])]
        found += [v for v in values if v not in found]
    return found


def narrative(parses: List[Dict[str, Any]]) -> str:
    parts = [redacted_text(p) for p in parses
             if intent_of(p) not in NOT_NARRATIVE and len(p.get("text") or "") >= 8
             and not re.fullmatch(r"[\d\s\-]+", p.get("text") or "")]
    return "；".join(parts)[:MAX_NARRATIVE_CHARS]


def draft_of(tracker: Tracker) -> Draft:
    return Draft.from_json(tracker.get_slot(DRAFT_SLOT))


def current_report(tracker: Tracker, draft: Optional[Draft] = None) -> Report:
    """The draft's report with what the whole conversation tells: scam type, contacts, narrative."""
    draft = draft or draft_of(tracker)
    report = Report.from_json(draft.report.to_json())
    report.transfers = [t for t in report.transfers if t.has_details() or any(
        v is not None for v in t.to_json().values())]
    parses = user_parses(tracker)
    scam_type = conversation_scam_type(parses)
    report.scam_type, report.scam_type_confidence = scam_type["name"], scam_type["confidence"]
    report.narrative = narrative(parses)
    report.fraudster_contacts = fraudster_contacts(parses)
    report.money_sent = bool(draft.money_sent)
    report.in_progress = report.in_progress or bool(tracker.get_slot("scam_in_progress"))
    pending = draft.pending
    if pending and pending.get("field") == "to_account":
        report.warnings.append(f"卡号 {pending['value']} 校验未通过，报案人尚未核对确认")
    return report


def unfinished_draft(tracker: Tracker) -> Optional[Draft]:
    """A report an officer's hand-off interrupted, ready to go on where it stopped; None when there is none."""
    if tracker.get_slot(DRAFT_SLOT) is None:
        return None
    draft = draft_of(tracker)
    told = draft.money_sent is not None or any(t.has_details() for t in draft.report.transfers) or \
        draft.report.victim.name or draft.report.victim.phone
    if draft.confirmed or not told:
        return None
    draft.handover = False   # the officer had it; now the bot goes on asking
    draft.failed, draft.asides, draft.asks, draft.fillers = {}, {}, {}, 0
    draft.last_reply, draft.last_text = None, None
    return draft
