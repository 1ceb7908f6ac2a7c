"""Pure helpers for the report flow: entities of a message, scam type over a conversation, texts."""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Dict, Iterable, List, Optional

from bot.extract.channels import CHANNEL_NAMES
from bot.extract.secrets import mask_secrets
from bot.report.questions import shown_account
from bot.report.reader import format_phone
from bot.report.model import UNKNOWN, Report, Transfer
from bot.scam.types import SCAM_TYPES

# Intents that say nothing about the scam itself.
NOT_NARRATIVE = {"affirm", "deny", "greet", "goodbye", "thank", "bot_challenge", "gibberish",
                 "ask_capabilities", "request_officer", "out_of_scope", "nlu_fallback"}

SCAM_DETAIL_QUESTIONS = {
    "investment": "您投资的平台叫什么名字？有网址或APP名称吗？",
    "order_brushing": "您做任务用的是什么APP、网站或群？叫什么名字？",
    "customer_service": "对方自称是哪个购物平台或快递公司的客服？是哪家店铺？",
    "romance": "你们是在哪里认识的？（哪个交友软件、婚恋网站或游戏）",
    "impersonate_police": "对方有没有给您“案件编号”，或者让您安装什么APP？请告诉我编号或APP名称。",
    "loan": "是哪个贷款APP或网站？叫什么名字？",
    "credit_repair": "对方自称是哪个平台或机构的？让您在哪些APP上操作了？",
    "game_trade": "是在哪个游戏、哪个交易平台或网站上交易的？",
    "fake_shopping": "是在哪个平台或渠道买的？卖家的联系方式是什么？",
    "military_purchase": "对方自称哪个部队？让您联系的“供应商”叫什么、怎么联系？",
    "impersonate_acquaintance": "对方冒充的是谁？用的是什么微信号、QQ号或电话？",
}
GENERIC_DETAIL_QUESTION = "对方是通过什么方式联系您的？有电话、微信号、QQ号、网址或APP名称吗？"


def entities(parse_data: Dict[str, Any], name: str) -> List[Dict[str, Any]]:
    return [e for e in parse_data.get("entities") or [] if e.get("entity") == name]


def first_value(parse_data: Dict[str, Any], name: str) -> Optional[Any]:
    found = entities(parse_data, name)
    return found[0]["value"] if found else None


def intent_of(parse_data: Dict[str, Any]) -> Optional[str]:
    return (parse_data.get("intent") or {}).get("name")


def redacted_text(parse_data: Dict[str, Any]) -> str:
    """The message with every volunteered code or password masked."""
    return mask_secrets(parse_data.get("text") or "")


REPORTING_INTENTS = {"report_fraud", "scam_in_progress"}
SHORT_ANSWER_CHARS = 6
REPORT_MIN_WEIGHT = 8.0
# "快递客服 理赔": a few words that leave no doubt about the type count whatever the intent they were read as
DECISIVE_CONFIDENCE, DECISIVE_MIN_WEIGHT = 0.9, 4.0


def narrative_weight(text: str) -> float:
    """How much a message says about the scam: its Chinese words beyond a short form answer."""
    chinese = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return float(max(0, chinese - SHORT_ANSWER_CHARS))


def conversation_scam_type(user_messages: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """Scam type from everything the citizen said: rankings averaged, weighted by how much each
    message tells; once the citizen reports a scam, 'none' is no longer an answer."""
    messages = list(user_messages)
    reporting = any(intent_of(p) in REPORTING_INTENTS for p in messages)
    totals: Dict[str, float] = defaultdict(float)
    weight_sum = 0.0
    for parse_data in messages:
        if intent_of(parse_data) in NOT_NARRATIVE:
            continue
        ranking = parse_data.get("scam_type_ranking") or []
        weight = narrative_weight(parse_data.get("text") or "")
        if intent_of(parse_data) in REPORTING_INTENTS:
            weight = max(weight, REPORT_MIN_WEIGHT)  # "我刷单被骗了" is short but says it all
        if ranking and ranking[0]["name"] != "none" and float(ranking[0]["confidence"]) >= DECISIVE_CONFIDENCE:
            weight = max(weight, DECISIVE_MIN_WEIGHT)
        for entry in ranking:
            totals[entry["name"]] += weight * float(entry["confidence"])
        if ranking:
            weight_sum += weight
    if not weight_sum:
        return {"name": "none", "confidence": 0.0}
    candidates = [n for n in totals if not (reporting and n == "none")] or list(totals)
    name = max(candidates, key=totals.get)
    return {"name": name, "confidence": round(totals[name] / weight_sum, 3)}


def scam_detail_question(scam_type: Optional[str]) -> str:
    return SCAM_DETAIL_QUESTIONS.get(scam_type or "", GENERIC_DETAIL_QUESTION)


def format_amount(amount: Any) -> str:
    if amount is None or amount == UNKNOWN:
        return UNKNOWN
    value = float(amount)
    return f"{int(value)}元" if value == int(value) else f"{value:.2f}元"


def format_time(value: Any) -> str:
    """2026-11-21T13:55:00+08:00 → 11月21日 13:55; dates and free text as they are."""
    from datetime import datetime

    if not value or value == UNKNOWN:
        return UNKNOWN
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if "T" not in str(value):
        return f"{moment.month}月{moment.day}日"
    return f"{moment.month}月{moment.day}日 {moment:%H:%M}"


def format_transfer(index: int, transfer: Transfer) -> str:
    channel = transfer.channel or UNKNOWN
    return (f"第{index}笔：{format_amount(transfer.amount)}，时间 {format_time(transfer.time)}，"
            f"{CHANNEL_NAMES.get(channel, channel)}，"
            f"转入 {transfer.to_bank or UNKNOWN} {shown_account(transfer.to_account or UNKNOWN)}"
            f"（户名 {transfer.to_name or UNKNOWN}），从 {shown_account(transfer.from_account or UNKNOWN)} 转出"
            + (f"，流水号 {transfer.serial}" if transfer.serial else ""))


def summary_text(report: Report) -> str:
    victim = report.victim
    lines = [
        "请核对报案信息：",
        f"报案人：{victim.name or UNKNOWN}，电话 {format_phone(victim.phone) if victim.phone else UNKNOWN}",
        f"诈骗类型：{SCAM_TYPES.get(report.scam_type, UNKNOWN)}",
    ]
    lines += [format_transfer(i, t) for i, t in enumerate(report.transfers, start=1)]
    if not report.transfers:
        lines.append("转账：暂无（钱还没有转出）")
    if report.scam_detail and report.scam_detail != UNKNOWN:
        lines.append(f"补充情况：{report.scam_detail}")
    if report.fraudster_contacts:
        lines.append("对方联系方式：" + "、".join(report.fraudster_contacts))
    for warning in report.warnings:
        lines.append(f"注意：{warning}")
    if report.transfers and not all(t.serial for t in report.transfers):
        lines.append("转账记录上如果有交易流水号，也可以发给我（比如“流水号是……”），银行止付时核对用；没有也不要紧。")
    lines.append("信息正确请回复“对”；需要修改请直接说正确的内容，比如“卡号是……”“金额是……”。")
    return "\n".join(lines)
