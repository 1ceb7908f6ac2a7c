"""The fraud report (报案登记): what a stop-payment needs, urgent details first, read back at the end."""
from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.parsing import (
    NOT_NARRATIVE, UNKNOWN, conversation_scam_type, entities, first_value, free_text_answer,
    grouped_digits, intent_of, redacted_text, scam_detail_question, summary_text,
)
from bot.extract.banks import bank_for_card
from bot.extract.cards import luhn_valid
from bot.extract.phones import mobile_number
from bot.extract.times import LOCAL_TIMEZONE, transfer_moment

URGENT_WINDOW_ENV = "REPORT_URGENT_WINDOW_HOURS"
DEFAULT_URGENT_WINDOW_H = 24.0
MAX_NARRATIVE_CHARS = 2000

TRANSFER_SLOTS = ["transfer_time", "receiving_account", "transfer_amount", "receiving_bank",
                  "receiving_holder", "payment_channel", "paying_account"]
REPORT_SLOTS = ["money_sent", *TRANSFER_SLOTS, "more_transfers", "transfers", "pending_account",
                "pending_phone", "victim_name", "victim_phone", "scam_type", "scam_type_confidence",
                "scam_detail", "fraudster_contacts", "narrative", "warnings", "urgent_advice_given",
                "report_confirmed", "report"]
# A typed answer is taken unless it is chit-chat or a real question ("什么是止付？" goes to the FAQ).
NOT_AN_ANSWER = {"greet", "goodbye", "thank", "bot_challenge", "ask_capabilities", "request_officer",
                 "scam_in_progress", "stop_report"}
QUESTION_LIKE = re.compile(r"[?？]|吗|呢$|怎么|什么是|为什么|是不是|能不能|可不可以|有没有用")
MONEY_MOVED = re.compile(r"(转|汇|打|付|充|交|给)了|转过去|转出去|被骗了?.{0,4}[万千百元块]")
FRAUDSTER_BEFORE = re.compile(r"(他|她|对方|骗子|客服|警官|老师|那人|那个人)[^，。,.]{0,8}$")
# What a typed answer must look like to be taken as that field.
ACCOUNT_LIKE = re.compile(r"^不详$|\d{5,}|@|支付宝|微信|财付通|云闪付|账号|帐号")
BANK_LIKE = re.compile(r"银行|信用社|农商|村镇|支付宝|微信|财付通|云闪付")
PERSON_LIKE = re.compile(r"^(不详|[\u4e00-\u9fff·A-Za-z ]{2,20}|.*公司.*)$")
MY_NAME = re.compile(r"我(?:叫|的名字是|姓名是)\s*([\u4e00-\u9fff]{2,4})")


def urgent_window() -> timedelta:
    try:
        return timedelta(hours=float(os.environ.get(URGENT_WINDOW_ENV, DEFAULT_URGENT_WINDOW_H)))
    except ValueError:
        return timedelta(hours=DEFAULT_URGENT_WINDOW_H)


def is_recent(iso_time: Optional[str], now: datetime) -> bool:
    """Recent or unknown: an unknown time is treated as urgent."""
    moment = transfer_moment(iso_time)
    return moment is None or now - moment <= urgent_window()


# A transfer in the report JSON: field → (the form slot collecting it, the entity that carries it)
TRANSFER_FIELDS = {
    "amount": ("transfer_amount", "amount"),
    "time": ("transfer_time", "transfer_time"),
    "channel": ("payment_channel", "payment_channel"),
    "from_account": ("paying_account", None),
    "to_account": ("receiving_account", "bank_card"),
    "bank": ("receiving_bank", "bank_name"),
    "holder": ("receiving_holder", None),
}


def current_transfer(slots: Dict[str, Any]) -> Dict[str, Any]:
    return {field: slots.get(slot) for field, (slot, _) in TRANSFER_FIELDS.items()}


def transfer_fields_in(parse_data: Dict[str, Any]) -> Dict[str, Any]:
    """The transfer fields a message states through its entities."""
    found = {field: first_value(parse_data, entity)
             for field, (_, entity) in TRANSFER_FIELDS.items() if entity}
    if found.get("amount") is not None:
        found["amount"] = float(found["amount"])
    return {field: value for field, value in found.items() if value is not None}


def has_transfer_details(transfer: Dict[str, Any]) -> bool:
    return any(transfer.get(key) is not None for key in ("amount", "to_account", "time"))


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
             if intent_of(p) not in NOT_NARRATIVE and len(p.get("text") or "") >= 8]
    return "；".join(parts)[:MAX_NARRATIVE_CHARS]


def build_report(tracker_slots: Dict[str, Any], parses: List[Dict[str, Any]], now: datetime) -> Dict[str, Any]:
    transfers = list(tracker_slots.get("transfers") or [])
    current = current_transfer(tracker_slots)
    if has_transfer_details(current):
        transfers.append(current)
    in_progress = bool(tracker_slots.get("scam_in_progress"))
    return {
        "victim": {"name": tracker_slots.get("victim_name"), "phone": tracker_slots.get("victim_phone")},
        "transfers": transfers,
        "scam_type": {"name": tracker_slots.get("scam_type") or "none",
                      "confidence": tracker_slots.get("scam_type_confidence") or 0.0},
        "scam_detail": tracker_slots.get("scam_detail"),
        "narrative": narrative(parses),
        "fraudster_contacts": fraudster_contacts(parses),
        "warnings": list(tracker_slots.get("warnings") or []),
        "money_sent": bool(tracker_slots.get("money_sent")),
        "in_progress": in_progress,
        "urgent": in_progress or any(is_recent(t.get("time"), now) for t in transfers),
    }


def local_now() -> datetime:
    return datetime.now(ZoneInfo(LOCAL_TIMEZONE))


class ValidateReportForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_report_form"

    # --- which questions, in which order ---------------------------------------------------
    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        slots = ["money_sent"]
        # Not yet known counts as maybe: details in the first message are kept, money_sent is asked first.
        if tracker.get_slot("money_sent") is not False:
            if tracker.get_slot("more_transfers") is not False:
                slots += TRANSFER_SLOTS
            slots.append("more_transfers")  # kept when answered, so its answer is validated
        return slots + ["victim_name", "victim_phone", "scam_detail", "report_confirmed"]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        latest = tracker.latest_message or {}
        shared_secret = bool(entities(latest, "shared_secret"))
        if shared_secret:
            dispatcher.utter_message(response="utter_secret_warning")
        extraction_events = await self.get_extraction_events(dispatcher, tracker, domain)
        tracker.add_slots(extraction_events)
        validation_events = await self._extract_validation_events(dispatcher, tracker, domain)
        validated = {event["name"] for event in validation_events}
        # Helper slots set while extracting (pending values, corrected transfers) are not questions,
        # so the SDK's validation step would drop them: keep them.
        events = [e for e in extraction_events if e["name"] not in validated] + validation_events
        answered = any(e["name"] != "requested_slot" for e in events)
        if not (answered or shared_secret):
            return events  # nothing for the form here: let it reject, so rules can answer
        parses = user_parses(tracker)
        scam_type = conversation_scam_type(parses)
        events += [SlotSet("scam_type", scam_type["name"]),
                   SlotSet("scam_type_confidence", scam_type["confidence"]),
                   SlotSet("narrative", narrative(parses)),
                   SlotSet("fraudster_contacts", fraudster_contacts(parses))]
        slots = tracker.slots
        key_details = all(slots.get(s) is not None for s in ("transfer_time", "receiving_account", "transfer_amount"))
        if key_details and not slots.get("urgent_advice_given") and is_recent(slots.get("transfer_time"), local_now()):
            dispatcher.utter_message(response="utter_urgent_advice")
            events.append(SlotSet("urgent_advice_given", True))
        return events

    # --- helpers -----------------------------------------------------------------------------
    @staticmethod
    def _requested(tracker: Tracker) -> Optional[str]:
        return tracker.get_slot("requested_slot")

    @staticmethod
    def _answer_text(tracker: Tracker, slot: str) -> Optional[str]:
        """The typed answer to the question about `slot`, if this message answers it."""
        latest = tracker.latest_message or {}
        if tracker.get_slot("requested_slot") != slot or intent_of(latest) in NOT_AN_ANSWER:
            return None
        text = redacted_text(latest)
        if QUESTION_LIKE.search(text):
            return None
        return free_text_answer(text)

    def _collecting_transfer(self, tracker: Tracker) -> bool:
        return self._requested(tracker) not in ("more_transfers", "report_confirmed", "paying_account")

    # --- extraction --------------------------------------------------------------------------
    async def extract_money_sent(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        latest = tracker.latest_message or {}
        requested, intent = self._requested(tracker), intent_of(latest)
        has_details = any(entities(latest, n) for n in ("amount", "bank_card", "transfer_time"))
        if requested == "money_sent" and intent in ("affirm", "deny"):
            return {"money_sent": intent == "affirm"}
        if tracker.get_slot("money_sent") is None and (has_details or MONEY_MOVED.search(latest.get("text") or "")):
            return {"money_sent": True}
        return {}

    async def extract_transfer_time(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        if not self._collecting_transfer(tracker):
            return {}
        value = first_value(tracker.latest_message or {}, "transfer_time") or self._answer_text(tracker, "transfer_time")
        return {"transfer_time": value} if value else {}

    async def extract_receiving_account(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        latest = tracker.latest_message or {}
        if not self._collecting_transfer(tracker):
            return {}
        card = first_value(latest, "bank_card")
        pending = tracker.get_slot("pending_account")
        if card:
            return {"receiving_account": card}
        if pending and self._requested(tracker) == "receiving_account" and intent_of(latest) == "affirm":
            return {"receiving_account": pending}
        answer = self._answer_text(tracker, "receiving_account")
        if answer and intent_of(latest) not in ("affirm", "deny") and ACCOUNT_LIKE.search(answer):
            return {"receiving_account": answer}
        return {}

    async def extract_transfer_amount(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        if not self._collecting_transfer(tracker):
            return {}
        amount = first_value(tracker.latest_message or {}, "amount")
        if amount is not None:
            return {"transfer_amount": float(amount)}
        return {"transfer_amount": UNKNOWN} if self._answer_text(tracker, "transfer_amount") == UNKNOWN else {}

    async def extract_receiving_bank(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        if not self._collecting_transfer(tracker):
            return {}
        bank = first_value(tracker.latest_message or {}, "bank_name")
        answer = self._answer_text(tracker, "receiving_bank")
        if not bank and answer and (answer == UNKNOWN or BANK_LIKE.search(answer)):
            bank = answer
        return {"receiving_bank": bank} if bank else {}

    async def extract_receiving_holder(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        holder = self._answer_text(tracker, "receiving_holder")
        return {"receiving_holder": holder} if holder and PERSON_LIKE.match(holder) else {}

    async def extract_payment_channel(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        if self._requested(tracker) in ("more_transfers", "report_confirmed"):
            return {}
        channel = first_value(tracker.latest_message or {}, "payment_channel")
        if channel:
            return {"payment_channel": channel}
        return {"payment_channel": "other"} if self._answer_text(tracker, "payment_channel") else {}

    async def extract_paying_account(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        if self._requested(tracker) != "paying_account":
            return {}
        latest = tracker.latest_message or {}
        card = first_value(latest, "bank_card")
        if card:
            return {"paying_account": card}
        channel = first_value(latest, "payment_channel")
        names = {"alipay": "支付宝", "wechat_pay": "微信", "unionpay_quickpass": "云闪付"}
        if channel in names:
            return {"paying_account": names[channel]}
        answer = self._answer_text(tracker, "paying_account")
        return {"paying_account": answer} if answer else {}

    async def extract_more_transfers(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        latest = tracker.latest_message or {}
        if self._requested(tracker) != "more_transfers":
            return {}
        if intent_of(latest) == "affirm" or entities(latest, "amount"):
            return {"more_transfers": True}
        if intent_of(latest) == "deny":
            return {"more_transfers": False}
        return {}

    async def extract_victim_name(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        latest = tracker.latest_message or {}
        named = MY_NAME.search(latest.get("text") or "")
        if named:
            return {"victim_name": named.group(1)}
        answer = self._answer_text(tracker, "victim_name")
        # 不详 is kept: a caller on the keypad cannot spell a name; the officer asks for it.
        return {"victim_name": answer} if answer and PERSON_LIKE.match(answer) else {}

    async def extract_victim_phone(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        latest = tracker.latest_message or {}
        text = latest.get("text") or ""
        for phone in entities(latest, "phone"):
            if not FRAUDSTER_BEFORE.search(text[:phone["start"]]):
                return {"victim_phone": phone["value"]}
        return {}

    async def validate_victim_phone(self, value: Any, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        number, valid = mobile_number(str(value or ""))
        if valid:
            return {"victim_phone": number, "pending_phone": None}
        return {"victim_phone": None, "pending_phone": number}

    async def extract_scam_detail(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        answer = self._answer_text(tracker, "scam_detail")
        return {"scam_detail": answer} if answer else {}

    async def extract_report_confirmed(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        latest = tracker.latest_message or {}
        if self._requested(tracker) != "report_confirmed":
            return {}
        corrections = self._corrections(tracker, latest)
        if corrections:
            return {**corrections, "report_confirmed": None}
        if intent_of(latest) == "affirm":
            return {"report_confirmed": True}
        if intent_of(latest) == "deny":
            dispatcher.utter_message(text="请直接告诉我哪里不对，比如“卡号是……”“金额是……”“户名是……”。")
        return {}

    def _corrections(self, tracker: Tracker, latest: Dict[str, Any]) -> Dict[str, Any]:
        """Corrections said while reading back: applied to the last transfer and the victim."""
        slots: Dict[str, Any] = {}
        transfers = [dict(t) for t in tracker.get_slot("transfers") or []]
        current = current_transfer(tracker.slots)
        target = current if has_transfer_details(current) or not transfers else transfers[-1]
        changed = transfer_fields_in(latest)
        holder = re.search(r"户名(?:是|叫|应该是)?\s*([\u4e00-\u9fff]{2,4})", latest.get("text") or "")
        if holder:
            changed["holder"] = holder.group(1)
        if changed:
            target.update(changed)
            if target is current:
                slots.update({TRANSFER_FIELDS[field][0]: value for field, value in changed.items()})
            else:
                slots["transfers"] = transfers
            if "to_account" in changed and not luhn_valid(changed["to_account"]):
                slots["warnings"] = list(tracker.get_slot("warnings") or []) + [
                    f"更正后的收款卡号 {grouped_digits(changed['to_account'])} 校验未通过，请核实"]
        phone = [p for p in entities(latest, "phone") if p.get("valid")]
        if phone:
            slots["victim_phone"] = phone[0]["value"]
        named = MY_NAME.search(latest.get("text") or "")
        if named:
            slots["victim_name"] = named.group(1)
        return slots

    # --- validation --------------------------------------------------------------------------
    async def validate_receiving_account(self, value: Any, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        if not value or not str(value).isdigit():
            return {"receiving_account": value}
        pending = tracker.get_slot("pending_account")
        result: Dict[str, Any] = {"receiving_account": value, "pending_account": None}
        if not luhn_valid(value):
            if pending != value:  # read it back once before keeping it
                return {"receiving_account": None, "pending_account": value}
            result["warnings"] = list(tracker.get_slot("warnings") or []) + [
                f"收款卡号 {grouped_digits(value)} 校验未通过（报案人已核对确认），可能有误"]
        bin_bank = bank_for_card(value)
        said_bank = tracker.get_slot("receiving_bank")
        if bin_bank and not said_bank:
            result["receiving_bank"] = bin_bank
        elif bin_bank and said_bank and said_bank != bin_bank and said_bank != UNKNOWN:
            result["warnings"] = list(result.get("warnings") or tracker.get_slot("warnings") or []) + [
                f"卡号 {grouped_digits(value)} 属于{bin_bank}，报案人说是{said_bank}"]
        return result

    async def validate_transfer_amount(self, value: Any, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        if value == UNKNOWN:
            return {"transfer_amount": UNKNOWN}
        try:
            amount = float(value)
        except (TypeError, ValueError):
            dispatcher.utter_message(text="没听清金额，请再说一遍，比如“五万”或“50000元”。")
            return {"transfer_amount": None}
        return {"transfer_amount": amount if amount > 0 else None}

    async def validate_more_transfers(self, value: Any, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        """Moves the finished transfer into `transfers`; a new one may start in the same message."""
        transfers = list(tracker.get_slot("transfers") or [])
        current = current_transfer(tracker.slots)
        if has_transfer_details(current):
            transfers.append(current)
        result: Dict[str, Any] = {slot: None for slot in TRANSFER_SLOTS}
        result.update({"transfers": transfers, "more_transfers": False if value is False else None})
        if value:
            new_transfer = transfer_fields_in(tracker.latest_message or {})
            result.update({TRANSFER_FIELDS[field][0]: v for field, v in new_transfer.items()})
        return result


class ActionStartReport(Action):
    """Starts a fresh report: clears what an earlier report left in the slots."""

    def name(self) -> Text:
        return "action_start_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(text="别着急，我来帮您登记报案信息，民警办理紧急止付要用。情况紧急请同时拨打110。")
        keep = {"scam_in_progress"}
        return [SlotSet(slot, None) for slot in REPORT_SLOTS if slot not in keep]


class ActionAskReceivingAccount(Action):
    def name(self) -> Text:
        return "action_ask_receiving_account"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        pending = tracker.get_slot("pending_account")
        if pending:
            dispatcher.utter_message(
                text=f"您说的对方卡号是 {grouped_digits(pending)}，共{len(pending)}位。这个号码校验没有通过，"
                     "可能有一位记错了。请对照转账记录再核对一遍：确认无误请回复“对”，有误请重新说一遍卡号。")
        else:
            dispatcher.utter_message(text="对方收款的银行卡号或账号是多少？可以一位一位地说，也可以直接粘贴。")
        return []


class ActionAskVictimPhone(Action):
    def name(self) -> Text:
        return "action_ask_victim_phone"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        pending = tracker.get_slot("pending_phone")
        if pending:
            dispatcher.utter_message(
                text=f"您说的号码是 {pending}，共{len(pending)}位，不是有效的手机号（手机号是11位）。请再说一遍您的手机号。")
        else:
            dispatcher.utter_message(text="请留一个能联系到您的手机号，民警会和您联系。")
        return []


class ActionAskScamDetail(Action):
    def name(self) -> Text:
        return "action_ask_scam_detail"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(text=scam_detail_question(tracker.get_slot("scam_type")))
        return []


class ActionAskReportConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_report_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        report = build_report(tracker.slots, user_parses(tracker), local_now())
        dispatcher.utter_message(text=summary_text(report))
        return []


class ActionSubmitReport(Action):
    """Stores the confirmed report (slot `report`); an urgent one goes straight to an officer."""

    def name(self) -> Text:
        return "action_submit_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        from actions.handoff import start_handoff  # the hand-off builds on this module

        if not tracker.get_slot("report_confirmed"):
            return []
        now = local_now()
        report = build_report(tracker.slots, user_parses(tracker), now)
        report["submitted_at"] = now.replace(microsecond=0).isoformat()
        events: List[EventType] = [SlotSet("report", report)]
        if report["urgent"] and report["transfers"]:
            tracker.add_slots(events)
            return events + await start_handoff(dispatcher, tracker, "report")
        dispatcher.utter_message(
            text="报案信息已登记完毕。请拨打110或到就近派出所报案，把刚才核对的信息告诉民警；"
                 "需要民警在线协助请回复“转人工”。在此期间不要再向对方转账，保留好聊天记录和转账凭证。")
        return events
