"""反诈咨询 on a contact the citizen shows or tells: a forwarded SMS, a pasted call or chat, "快递员打电话说…".

The verdict is the scam-type classifier's (bot/nlu/contact_check.py): a scam is named with the public answer
for its type and the citizen is asked whether money already left; an ordinary contact is said to show no
sign of a scam, with how to verify it — never a warning.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.scam.types import SCAM_TYPES

# the public answers (nlu_data/responses/faq.yml) for each type: the first unless the selector picked another
ANSWERS_OF_TYPE = {
    "customer_service": ("refund_customer_service", "million_guarantee"),
    "impersonate_police": ("police_call", "arrest_warrant", "police_video", "medical_insurance_card",
                           "safe_account", "caller_id_spoof"),
    "impersonate_acquaintance": ("leader_friend_money", "ai_face_voice"),
    "loan": ("loan_fee", "account_frozen_fee"),
    "credit_repair": ("credit_repair", "campus_loan"),
    "order_brushing": ("order_brushing",),
    "investment": ("investment_platform",),
    "romance": ("romance_investment",),
    "game_trade": ("game_trade",),
    "fake_shopping": ("fake_shopping",),
    "military_purchase": ("military_purchase",),
    "other": ("identify_scam", "prize_winning", "sms_link", "overseas_job", "online_gambling"),
}
WHAT_WAS_SHOWN = {"sms": "这条短信", "transcript": "这段对话", "message": "这条消息", "news": "这篇报道",
                  "described": "您说的这个情况"}
ASK_MONEY_LEFT = "您有没有按对方说的转过钱、交过费，或者把验证码告诉过对方？（回复“转了”或“没有”）"
NO_SIGN = ("从{what}的内容看，没有发现诈骗的迹象：对方没有要您转账、交费、说验证码、下载软件或点陌生链接。"
           "不放心的话，请用官方App或您自己查到的官方电话核实，不要用消息里留的号码和链接。")
NO_SIGN_DESCRIBED = ("从您说的情况看，这像是正常的联系，没有发现诈骗的迹象：对方没有要您转账、交费、说验证码、"
                     "下载软件或点陌生链接。不放心的话，请用官方App或您自己查到的官方电话核实。")
NO_CLEAR_SIGN = ("从{what}的内容看，没有发现明显的诈骗特征。其中的链接和电话号码请不要直接点击或回拨，"
                 "用官方App或您自己查到的官方电话核实。")
LINK_OR_NUMBER = re.compile(r"https?://|www\.|[a-zA-Z0-9-]+\.(cn|com|net|top|vip|cc|xyz|link|me)\b|\d{3}[-\s]?\d{3,4}[-\s]?\d{4}|"
                            r"\d{7,}|\d{2,}[-\s]?\d*[x*]{2,}[\dx*]*")   # a number, whole or masked
IF_IT_CHANGES = "如果对方后来让您转账、交费、说验证码或者开屏幕共享，那就是诈骗，请马上停下来，再来问我或拨打96110。"
DEBITED = re.compile(r"支出|转出|扣款|扣除|扣费|消费|付款|支付|转账|汇款")   # a bank or wallet notice of money leaving
IF_MONEY_LEFT = "如果这笔钱是被骗转走的，请回复“被骗了”，我马上帮您登记紧急止付信息。"


def checked(parse_data: Dict[str, Any], default_verdict: str = "other") -> Dict[str, Any]:
    return parse_data.get("contact_check") or {"form": "described", "verdict": default_verdict}


def type_answer(parse_data: Dict[str, Any], scam_type: str) -> str:
    """utter_faq/… for the scam type: the selector's pick when it is one of the type's answers."""
    answers = ANSWERS_OF_TYPE.get(scam_type, ANSWERS_OF_TYPE["other"])
    picked = (((parse_data.get("response_selector") or {}).get("faq") or {}).get("response") or {}) \
        .get("utter_action") or ""
    name = picked.split("/", 1)[-1]
    return f"utter_faq/{name if name in answers else answers[0]}"


def scam_verdict_text(parse_data: Dict[str, Any]) -> str:
    check = checked(parse_data)
    what = WHAT_WAS_SHOWN.get(check["form"], WHAT_WAS_SHOWN["sms"])
    scam_type = check["verdict"]
    named = "诈骗" if scam_type == "other" else f"“{SCAM_TYPES.get(scam_type, '其他诈骗')}”诈骗"
    if check["form"] == "news":
        return f"{what}讲的{'可能' if check.get('hedged') else ''}是{named}。"
    if check.get("hedged"):
        return (f"{what}我没法确定：有几处和{named}相似，也可能是正常的通知。请先不要点其中的链接、不要回拨其中的号码，"
                "用官方App或您自己查到的官方电话核实。如果对方让您转账、交费、说验证码或开屏幕共享，那就是诈骗。")
    return f"⚠️ {what}有{named}的特征，请不要相信，也不要按对方说的去做。"


def ordinary_verdict_text(parse_data: Dict[str, Any]) -> str:
    check = checked(parse_data, "none")
    what = WHAT_WAS_SHOWN.get(check["form"], WHAT_WAS_SHOWN["sms"])
    if check["form"] == "described":
        text = NO_SIGN_DESCRIBED
    elif LINK_OR_NUMBER.search(parse_data.get("text") or ""):
        text = NO_CLEAR_SIGN.format(what=what)   # what the link or number leads to is not known
    else:
        text = NO_SIGN.format(what=what)
    text += IF_IT_CHANGES
    shows_a_debit = any(e.get("entity") == "amount" for e in parse_data.get("entities") or []) \
        and DEBITED.search(parse_data.get("text") or "")
    if check["form"] != "described" and shows_a_debit:
        text += IF_MONEY_LEFT
    return text


class CheckAnswer(Action, ABC):
    """Says `answer(latest message)`: texts, and `utter_…` responses by name."""
    action_name = ""

    def name(self) -> Text:
        return self.action_name

    @abstractmethod
    def answer(self, latest: Dict[str, Any]) -> List[str]:
        """What is said, in order."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        for said in self.answer(tracker.latest_message or {}):
            if said.startswith("utter_"):
                dispatcher.utter_message(response=said)
            else:
                dispatcher.utter_message(text=said)
        return []


class ActionCheckMessage(CheckAnswer):
    """A contact the classifier gives a scam type: named, answered, and whether money left asked (the rules
    take "转了" to the report, "没有" to what to do next: only after this action)."""
    action_name = "action_check_message"

    def answer(self, latest: Dict[str, Any]) -> List[str]:
        return [scam_verdict_text(latest), type_answer(latest, checked(latest)["verdict"]), ASK_MONEY_LEFT]


class ActionCheckNews(CheckAnswer):
    """A news report of a scam: the scam named and its public answer; nothing asked."""
    action_name = "action_check_news"

    def answer(self, latest: Dict[str, Any]) -> List[str]:
        return [scam_verdict_text(latest), type_answer(latest, checked(latest)["verdict"])]


class ActionCheckUnsure(CheckAnswer):
    """A forwarded text the classifier is unsure of: said so, how to verify, what would make it a scam."""
    action_name = "action_check_unsure"

    def answer(self, latest: Dict[str, Any]) -> List[str]:
        return [scam_verdict_text(latest)]


class ActionReassureOrdinary(CheckAnswer):
    """A contact the classifier finds ordinary: no warning, how to verify, and what would make it a scam."""
    action_name = "action_reassure_ordinary"

    def answer(self, latest: Dict[str, Any]) -> List[str]:
        return [ordinary_verdict_text(latest)]
