"""What the desk accepts: request bodies and case fields, checked for type and range before anything is
stored. Errors name the field (`transfers[0].amount（金额）`) so an officer or a client knows what to fix.
Everything the desk writes as JSON goes through `dumps`, which refuses NaN and Infinity."""
from __future__ import annotations

import functools
import json
import math
import re
from typing import Any, Dict, Iterable, List, Optional, Tuple

from bot.desk.errors import BadRequest
from bot.report.model import PACKET_KEYS, TRANSFER_FIELDS, UNKNOWN

MAX_JSON_DEPTH = 16
MAX_JSON_INTEGER_DIGITS = 16
MAX_AMOUNT_YUAN = 1e12  # more than anybody transferred
MAX_AMOUNT_TEXT = "1万亿"  # as people write it (never "1e+12")
MAX_ITEMS = 50  # transfers, contacts, warnings (as bot.report.model keeps)
TEXT_LIMITS = {"victim.name": 100, "victim.phone": 50, "narrative": 5000, "scam_detail": 2000,
               "fraudster_contacts": 200, "warnings": 500}
TRANSFER_TEXT_LIMIT = 200
LABELS = {
    "victim": "报案人", "victim.name": "报案人姓名", "victim.phone": "报案人电话", "transfers": "转账记录",
    "transfers.amount": "金额", "transfers.time": "转账时间", "transfers.channel": "转账方式",
    "transfers.from_account": "付款账户", "transfers.to_account": "收款账号", "transfers.to_bank": "开户行",
    "transfers.to_name": "户名", "fraudster_contacts": "对方联系方式", "narrative": "案情经过",
    "scam_detail": "案情摘要", "warnings": "核对提示", "scam_type": "诈骗类型", "scam_type.name": "诈骗类型",
    "scam_type.confidence": "分类置信度", "in_progress": "诈骗是否进行中", "conversation_id": "会话编号",
    "channel": "渠道", "transcript": "对话记录", "transcript.at": "消息时间", "frozen_amount": "冻结金额",
    "outcome": "结果", "text": "消息",
}

dumps = functools.partial(json.dumps, ensure_ascii=False, allow_nan=False)


def field_error(path: str, problem: str) -> BadRequest:
    label = LABELS.get(re.sub(r"\[\d+\]", "", path))
    return BadRequest(f"字段 {path}{f'（{label}）' if label else ''}{problem}。")


# --- request bodies ------------------------------------------------------------------------------
def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise BadRequest(f"JSON 中的数字 {literal[:20]} 超出范围。")
    return value


def _bounded_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_JSON_INTEGER_DIGITS:
        raise BadRequest(f"JSON 中的数字 {literal[:20]}… 超出范围。")
    return int(literal)


def _refuse_constant(name: str) -> None:
    raise BadRequest(f"JSON 中不能有 {name}。")


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            break
        if isinstance(item, dict):
            stack += [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
    return deepest


def parse_json_object(raw: bytes) -> Dict[str, Any]:
    """A request body: a JSON object, at most MAX_JSON_DEPTH deep, finite numbers only."""
    try:
        body = json.loads(raw.decode("utf-8"), parse_float=_finite_float, parse_int=_bounded_int,
                          parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise BadRequest("请求体必须是 UTF-8 编码的 JSON。") from None
    except RecursionError:
        raise BadRequest("JSON 嵌套层数过多。") from None
    except ValueError:
        raise BadRequest("请求体必须是 JSON。") from None
    if not isinstance(body, dict):
        raise BadRequest("请求体必须是 JSON 对象。")
    if _depth(body) > MAX_JSON_DEPTH:
        raise BadRequest("JSON 嵌套层数过多。")
    return body


# --- values --------------------------------------------------------------------------------------
def amount(value: Any, path: str, allow_unknown: bool = True) -> Any:
    """Yuan as a finite, non-negative float below MAX_AMOUNT_YUAN; None when empty; 不详 if allowed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if allow_unknown and value == UNKNOWN:
        return UNKNOWN
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise field_error(path, "应为数字（元）")
    try:
        number = float(value.replace(",", "").replace("，", "").strip()) if isinstance(value, str) else float(value)
    except (ValueError, OverflowError):
        raise field_error(path, "应为数字（元）") from None
    if not math.isfinite(number) or number < 0 or number >= MAX_AMOUNT_YUAN:
        raise field_error(path, f"应为不小于 0、小于 {MAX_AMOUNT_TEXT} 的数字（元）")
    return number


def yuan(value: float) -> str:
    """An amount as people write it: `12,000 元`, `1,234.5 元`."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} 元"


def optional_text(value: Any, path: str, limit: int) -> Optional[str]:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise field_error(path, "应为文字")
    if len(value) > limit:
        raise field_error(path, f"太长（不超过 {limit} 字）")
    return value


def _text_list(value: Any, path: str, limit: int) -> List[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise field_error(path, "应为文字列表")
    if len(value) > MAX_ITEMS:
        raise field_error(path, f"太多（不超过 {MAX_ITEMS} 项）")
    return [optional_text(item, f"{path}[{i}]", limit) or "" for i, item in enumerate(value)
            if item not in (None, "")]


def _object(value: Any, path: str, allowed: Iterable[str], example: str) -> Dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise field_error(path, f"应为对象，例如 {example}")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise field_error(path, "中没有这些字段：" + "、".join(map(str, unknown)))
    return value


def _victim(value: Any) -> Dict[str, Any]:
    victim = _object(value, "victim", ("name", "phone"), '{"name": "王芳", "phone": "13912345678"}')
    return {"name": optional_text(victim.get("name"), "victim.name", TEXT_LIMITS["victim.name"]),
            "phone": optional_text(victim.get("phone"), "victim.phone", TEXT_LIMITS["victim.phone"])}


def _transfers(value: Any) -> List[Dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise field_error("transfers", "应为转账对象的列表")
    if len(value) > MAX_ITEMS:
        raise field_error("transfers", f"太多（不超过 {MAX_ITEMS} 笔）")
    cleaned = []
    for i, item in enumerate(value):
        path = f"transfers[{i}]"
        transfer = _object(item, path, TRANSFER_FIELDS, '{"amount": 5000, "to_account": "6222…"}')
        cleaned.append({name: amount(transfer.get(name), f"{path}.{name}") if name == "amount" else
                        optional_text(transfer.get(name), f"{path}.{name}", TRANSFER_TEXT_LIMIT)
                        for name in TRANSFER_FIELDS})
    return cleaned


_PACKET_FIELDS = {
    "victim": _victim,
    "transfers": _transfers,
    "fraudster_contacts": lambda v: _text_list(v, "fraudster_contacts", TEXT_LIMITS["fraudster_contacts"]),
    "narrative": lambda v: optional_text(v, "narrative", TEXT_LIMITS["narrative"]) or "",
    "scam_detail": lambda v: optional_text(v, "scam_detail", TEXT_LIMITS["scam_detail"]),
    "warnings": lambda v: _text_list(v, "warnings", TEXT_LIMITS["warnings"]),
}

def clean_packet(packet: Any) -> Dict[str, Any]:
    """A stop-payment packet (or the part of one an officer corrects), every field checked."""
    if not isinstance(packet, dict):
        raise BadRequest("案件内容必须是 JSON 对象。")
    unknown = sorted(set(packet) - set(PACKET_KEYS))
    if unknown:
        raise BadRequest("不能写入这些字段：" + "、".join(map(str, unknown)))
    return {key: _PACKET_FIELDS[key](value) for key, value in packet.items()}


def clean_scam_type(value: Any) -> Tuple[str, float]:
    scam = _object(value, "scam_type", ("name", "confidence", "label"), '{"name": "investment", "confidence": 0.9}')
    name = scam.get("name") or "none"
    if not isinstance(name, str) or len(name) > 32:
        raise field_error("scam_type.name", "应为诈骗类型编号")
    confidence = scam.get("confidence") or 0.0
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) \
            or not 0.0 <= float(confidence) <= 1.0:  # NaN fails this too
        raise field_error("scam_type.confidence", "应为 0 到 1 之间的数字")
    return name, float(confidence)


def epoch(value: Any, path: str) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise field_error(path, "应为时间戳（秒）")
    return float(value)


def clean_transcript(messages: Any) -> List[Dict[str, Any]]:
    if messages is None:
        return []
    try:
        messages = list(messages)
    except TypeError:
        raise field_error("transcript", "应为消息列表") from None
    cleaned = []
    for i, message in enumerate(messages):
        path = f"transcript[{i}]"
        if not isinstance(message, dict):
            raise field_error(path, "应为对象")
        sender, text = message.get("from"), message.get("text")
        if not isinstance(sender, str) or not isinstance(text, str):
            raise field_error(path, "应有文字字段 from 和 text")
        cleaned.append({"from": sender, "text": text, "at": epoch(message.get("at"), f"{path}.at") or 0.0})
    return cleaned


def short_text(value: Any, path: str, limit: int) -> str:
    """A required, non-empty string such as a conversation id or a channel name."""
    if not isinstance(value, str) or not value.strip():
        raise field_error(path, "应为非空文字")
    if len(value) > limit:
        raise field_error(path, f"太长（不超过 {limit} 字）")
    return value


def finite_or_none(value: Any) -> Any:
    """For reading rows written before these checks: a non-finite number shows as unknown."""
    return None if isinstance(value, float) and not math.isfinite(value) else value
