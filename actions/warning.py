"""预警劝阻: warn a citizen who is being scammed right now, before anything else."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.scam.types import SCAM_TYPES

MARKER_REASONS = {
    "safe_account": "公安、检察院、法院和银行都没有“安全账户”，让您转到这种账户的100%是诈骗。",
    "remote_app": "开了屏幕共享或远程软件，对方能看到您的验证码和密码，直接把钱转走。",
    "code_request": "验证码绝不能告诉任何人，包括自称客服、警察、银行的人。",
    "fee_to_unlock": "正规平台和贷款不会先收解冻费、保证金、手续费，交了只会被要求越交越多。",
    "secrecy": "真正的民警办案不会要求您对家人保密。",
    "transfer_request": "不要按对方的要求转账、借钱或取现。",
}
MARKER_SCAM_TYPES = {
    "safe_account": "impersonate_police", "secrecy": "impersonate_police",
    "remote_app": "customer_service", "fee_to_unlock": "loan", "code_request": "other",
    "transfer_request": "other",
}
UNSPECIFIC_TYPES = {"none", "other"}
CAN_YOU_STOP = "您现在能自己停下来吗？能的话请回复“能”；如果对方还在逼您、钱正在被转走，请回复“不能”，我马上为您转接民警。"


NAMED_TYPE_MIN_CONFIDENCE = 0.25


def warned_scam_type(parse_data: Dict[str, Any]) -> str:
    """The scam to name in the warning: the classifier's, else (the markers already say it is a scam)
    its most probable scam type if fairly probable, else the one the markers point to."""
    predicted = (parse_data.get("scam_type") or {}).get("name")
    if predicted in SCAM_TYPES and predicted not in UNSPECIFIC_TYPES:
        return predicted
    ranked = next((r for r in parse_data.get("scam_type_ranking") or [] if r.get("name") not in UNSPECIFIC_TYPES),
                  None)
    if ranked and ranked.get("name") in SCAM_TYPES and ranked.get("confidence", 0) >= NAMED_TYPE_MIN_CONFIDENCE:
        return ranked["name"]
    markers = (parse_data.get("scam_markers") or {}).get("markers") or []
    for marker in markers:
        if MARKER_SCAM_TYPES.get(marker) not in (None, "other"):
            return MARKER_SCAM_TYPES[marker]
    return "other"


def warning_text(parse_data: Dict[str, Any]) -> str:
    scam_type = warned_scam_type(parse_data)
    markers = (parse_data.get("scam_markers") or {}).get("markers") or []
    reasons = "".join(MARKER_REASONS[m] for m in markers if m in MARKER_REASONS)
    named = "这是诈骗" if scam_type == "other" else f"这是典型的“{SCAM_TYPES[scam_type]}”诈骗"
    return (
        f"⚠️ 请立即停止！{named}。{reasons}\n"
        "现在请马上：挂断电话或退出聊天；不要转账、不要说验证码；关闭屏幕共享并卸载对方让您装的软件。\n"
        "如果钱已经转出去了，请告诉我转了多少、什么时候转的、转到哪个账户，我马上帮您登记紧急止付信息；"
        "情况紧急请直接拨打110。"
    )


class ActionWarnInProgress(Action):
    def name(self) -> Text:
        return "action_warn_in_progress"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = warning_text(tracker.latest_message or {})
        if not tracker.active_loop_name:  # inside the report the form asks its own next question
            text += "\n" + CAN_YOU_STOP
        dispatcher.utter_message(text=text)
        return [SlotSet("scam_in_progress", True)]
