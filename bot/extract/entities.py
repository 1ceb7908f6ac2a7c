"""All account details in one message, as Rasa-style entity dicts with normalised values."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Dict, List

from bot.extract.amounts import find_amounts
from bot.extract.banks import bank_for_card, find_banks
from bot.extract.cards import CARD_LENGTHS, looks_like_id_card, luhn_valid
from bot.extract.channels import find_channels
from bot.extract.contacts import find_contacts
from bot.extract.numerals import DIGIT_WORDS, spoken_digits_to_ascii
from bot.extract.phones import mobile_number
from bot.extract.secrets import find_secrets
from bot.extract.times import find_times
from bot.nlu.text import normalize

Entity = Dict[str, Any]

_DIGIT_RUN = re.compile(r"(?<![\dA-Za-z_])(?:(?:\+|00?)?86[\s\-]?)?\d(?:[\s\-]?\d){3,}[Xx]?(?![\dA-Za-z_])")
# "六二二七，零零七八，八三八四，二五八五，五五一": a card read out in groups with pauses written as commas
_D = "[" + "".join(DIGIT_WORDS) + "0-9]"
_COMMA_GROUPS = re.compile(rf"(?<![\d.]){_D}{{3,6}}(?:\s?[,，、]\s?{_D}{{1,6}}){{2,5}}(?![\d.])")
_SKIP_CONTEXT = re.compile(r"(身份证|证件号|工号|警号|编号|警官证|案件号|案号|订单号|快递单号|单号|流水号|流水|交易号|凭证号|参考号|QQ|qq|扣扣|尾号|后四位)[^\d]{0,4}$")
_PHONE_CONTEXT = re.compile(r"(电话|手机|号码|联系方式|打给|来电|致电|拨打)[^\d]{0,6}$")
_CARD_CONTEXT = re.compile(r"(卡号|账号|帐号|银行卡|卡|账户|帐户)[^\d]{0,6}$")


def _overlaps(start: int, end: int, entities: List[Entity]) -> bool:
    return any(start < e["end"] and end > e["start"] for e in entities)


def _digit_entities(text: str) -> List[Entity]:
    view = spoken_digits_to_ascii(text)
    # Never keep the digits of a code or password: only the kind that was shared.
    entities: List[Entity] = [{"entity": "shared_secret", "value": kind, "start": start, "end": end}
                              for start, end, kind in find_secrets(view)]
    for match in _DIGIT_RUN.finditer(view):
        start, end = match.span()
        before = text[max(0, start - 10):start]
        compact = re.sub(r"[\s\-+]", "", match.group(0))
        if _overlaps(start, end, entities):
            continue
        said_as_card = (_CARD_CONTEXT.search(before) or re.match(r"\s*(?:这张|那张|的)?(?:银行)?卡", text[end:end + 8])) \
            and luhn_valid(compact) and bank_for_card(compact)
        if _SKIP_CONTEXT.search(before) or (looks_like_id_card(compact) and not said_as_card):
            continue   # an ID number, unless called a card and valid as one ("对方卡号是621700191411111258")
        digits = compact.rstrip("Xx")
        if digits != compact:
            continue
        is_mobile = (len(digits) == 11 and digits.startswith("1")) or (
            re.fullmatch(r"(?:00|0)?861\d{10}", digits) is not None)
        if is_mobile:
            number, valid = mobile_number(digits)
            entities.append({"entity": "phone", "value": number, "valid": valid, "start": start, "end": end})
        elif len(digits) in CARD_LENGTHS:
            entities.append({"entity": "bank_card", "value": digits, "luhn_valid": luhn_valid(digits),
                             "bank": bank_for_card(digits), "start": start, "end": end})
        elif _PHONE_CONTEXT.search(before) and 7 <= len(digits) <= 12:
            entities.append({"entity": "phone", "value": digits, "valid": False, "start": start, "end": end})
        elif _CARD_CONTEXT.search(before) and 12 <= len(digits) <= 21:
            entities.append({"entity": "bank_card", "value": digits, "luhn_valid": False,
                             "bank": bank_for_card(digits), "start": start, "end": end})
    for match in _COMMA_GROUPS.finditer(view):
        start, end = match.span()
        digits = "".join(DIGIT_WORDS.get(ch, ch) for ch in match.group(0) if ch in DIGIT_WORDS or ch.isdigit())
        # a bank we know by the number, or a card the message is about ("卡号我记在日历背面了，我念给你啊：…")
        if len(digits) in CARD_LENGTHS and luhn_valid(digits) and (bank_for_card(digits) or "卡" in text[:start]) \
                and not _overlaps(start, end, entities) and not _SKIP_CONTEXT.search(text[max(0, start - 10):start]):
            entities.append({"entity": "bank_card", "value": digits, "luhn_valid": True,
                             "bank": bank_for_card(digits), "start": start, "end": end})
    return entities


def extract_entities(text: str, now: datetime) -> List[Entity]:
    """Entities (entity, value, start, end, and checks) for a message; now must be tz-aware."""
    text = normalize(text)
    entities = _digit_entities(text)
    finders = [
        ("amount", find_amounts(text)),
        ("transfer_time", find_times(text, now)),
        ("payment_channel", find_channels(text)),
        ("fraudster_contact", find_contacts(text)),
        ("bank_name", find_banks(text)),
    ]
    for name, spans in finders:
        for start, end, value in spans:
            # "工商银行卡转的", "建设银行转账": the bank and how the money went share words, both are said
            rivals = [e for e in entities if {e["entity"], name} != {"payment_channel", "bank_name"}]
            if not _overlaps(start, end, rivals):
                entities.append({"entity": name, "value": value, "start": start, "end": end})
    for entity in entities:
        span = text[entity["start"]:entity["end"]]
        entity["text"] = "*" * len(span) if entity["entity"] == "shared_secret" else span
    return sorted(entities, key=lambda e: e["start"])
