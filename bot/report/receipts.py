"""Pasted payment receipts and bank text messages, read by their labels: "收款人：王*芳 收款账号：6222 ****
**** 3389 金额：¥3,600.00 付款卡：招商银行(0917)", "【中国银行】您尾号3391的账户于12月03日14:22向李明辉（账号…）
转账支出人民币5,000.00元". The reader fills the transfer from what the labels say and reads the rest of the
message as usual, without the parts already read (the SMS's bank is the citizen's, not the receiver's)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Dict, List, Optional, Tuple

from bot.extract.banks import bank_for_card, find_banks
from bot.extract.times import find_times

LABELS = {
    "to_name": r"收款(?:人|方)(?:姓名|户名|名称)?|收款(?:户名|账户名|名称)|对方(?:户名|姓名|名称|账户名)|户名",
    "to_account": r"收款(?:人)?(?:账号|帐号|卡号|账户|帐户)|对方(?:账号|帐号|卡号|账户|帐户)|入账(?:账号|卡号)",
    "to_bank": r"收款(?:银行|行)|对方(?:开户)?(?:银行|行)|开户(?:银行|行)",
    "amount": r"(?:转账|交易|付款|支付|汇款|实付|订单)?金额|支出金额",
    "from_account": r"付款(?:卡|账户|帐户|账号|方式)|支付方式|转出(?:账户|帐户|卡号|卡)|扣款(?:卡|账户)",
    "time": r"(?:交易|转账|付款|支付|创建|汇款)时间|时间",
}
LABEL = re.compile("(?:" + "|".join(f"(?P<{name}>{words})" for name, words in LABELS.items()) + r")\s*[:：]\s*")
SEPARATORS = "，,；;。|｜\n\t "
MASKED_ACCOUNT = re.compile(r"^(?P<head>\d{0,8})[\s\-]*[*＊xX•·]+[\s*＊xX•·\-]*(?P<tail>\d{3,4})$")
HOLDER_SHOWN = re.compile(r"^[\u4e00-\u9fff*＊·（）()A-Za-z]{2,40}$")
FIGURE = r"(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)"   # 30,000.00 as receipts print it
SUM = re.compile(rf"(?:[¥￥]|RMB|人民币)?\s*{FIGURE}\s*(?:元|块)?")
TAIL_IN_BRACKETS = re.compile(r"[(（]\s*(\d{4})\s*[)）]|尾号\s*(\d{4})")

# 【中国银行】您尾号3391的账户于12月03日14:22向李明辉（…）转账支出人民币5,000.00元
SMS_BANK = re.compile(r"【(?P<bank>[^】]{2,12}?(?:银行|信用社|农商行))】")
SMS_OWN_CARD = re.compile(r"(?:您|你)的?(?:尾号|账号尾号|卡号尾号)\s*(?P<tail>\d{4})\s*的?(?:储蓄卡|信用卡|借记卡|卡|账户|帐户)?")
SMS_PAYEE = re.compile(r"(?:向|给)(?P<name>[\u4e00-\u9fff*＊]{2,30}?)(?:[（(](?P<inside>[^)）]{0,40})[)）])?"
                       r"(?=(?:跨行)?(?:转账|汇款|转出|付款|支付))")
WALLET_COMPANY = re.compile(r"支付宝|财付通|微信|云闪付|银联|网络技术|网联")
SMS_SUM = re.compile(rf"(?:支出|转出|汇出|付款|扣款|转账)(?:[（(][^)）]{{0,12}}[)）])?(?:人民币|RMB)?\s*{FIGURE}\s*元")


@dataclass
class Receipt:
    fields: Dict[str, object] = field(default_factory=dict)   # transfer field → value
    receiving_tail: Optional[str] = None                      # the masked receiving account's last digits
    spans: List[Tuple[int, int]] = field(default_factory=list)  # the parts read: not read again


def _value_spans(text: str) -> List[Tuple[str, int, int]]:
    """(field, start, end) of each labelled value: from its label to the next label."""
    labels = list(LABEL.finditer(text))
    found = []
    for label, following in zip(labels, labels[1:] + [None]):
        end = following.start() if following else len(text)
        value = text[label.end():end]
        if not following:   # the last one ends at the first separator after its value
            value = re.split(r"[，；;。\n]|(?<!\d),|,(?!\d)", value)[0]   # not the comma of "30,000.00"
        value = value.rstrip(SEPARATORS)
        name = next(n for n, v in label.groupdict().items() if v)
        found.append((name, label.start(), label.end() + len(value)))
    return found


def _paying(value: str) -> Optional[str]:
    for wallet, said in (("余额宝", "余额宝"), ("零钱通", "微信零钱通"), ("零钱", "微信零钱"), ("花呗", "花呗"),
                         ("借呗", "借呗"), ("账户余额", "支付宝余额"), ("余额", "支付宝余额")):
        if wallet in value and not find_banks(value):
            return said
    banks = find_banks(value)
    tail = TAIL_IN_BRACKETS.search(value)
    digits = next((g for g in tail.groups() if g), None) if tail else None
    if banks:
        kind = "信用卡" if "信用" in value else "卡"
        return f"{banks[0][2]}{kind}" + (f" 尾号{digits}" if digits else "")
    return value.strip() or None if len(value.strip()) <= 20 else None


def _labelled(text: str, now: datetime, receipt: Receipt) -> None:
    for name, start, end in _value_spans(text):
        value = text[LABEL.match(text, start).end():end].strip()
        read = None
        if name == "to_name" and HOLDER_SHOWN.match(value):
            read = value.replace("＊", "*")
        elif name == "to_account":
            plain = re.sub(r"[\s\-]", "", value)
            masked = MASKED_ACCOUNT.match(value.strip())
            if plain.isdigit() and 12 <= len(plain) <= 21:
                read = plain
            elif masked:
                receipt.receiving_tail = masked.group("tail")
                bank = bank_for_card(masked.group("head")) if len(masked.group("head")) >= 6 else None
                if bank:
                    receipt.fields.setdefault("to_bank", bank)
                read = "unknown"
        elif name == "to_bank":
            banks = find_banks(value)
            read = banks[0][2] if banks else None
        elif name == "amount":
            sums = SUM.match(value)
            read = float(sums.group("value").replace(",", "")) if sums else None
        elif name == "from_account":
            read = _paying(value)
        elif name == "time":
            times = find_times(value, now)
            read = times[0][2] if times else None
        if read is not None:
            receipt.fields.setdefault(name, read)
            receipt.spans.append((start, end))


def _bank_sms(text: str, receipt: Receipt) -> None:
    bank, own = SMS_BANK.search(text), SMS_OWN_CARD.search(text)
    sums = SMS_SUM.search(text)
    if not (bank and own and sums):
        return
    banks = find_banks(bank.group("bank"))
    named = banks[0][2] if banks else bank.group("bank")
    receipt.fields.setdefault("from_account", f"{named}卡 尾号{own.group('tail')}")
    receipt.fields.setdefault("amount", float(sums.group("value").replace(",", "")))
    receipt.spans += [bank.span(), own.span(), sums.span()]
    payee = SMS_PAYEE.search(text)
    if payee and not WALLET_COMPANY.search(payee.group("name")):   # a transfer to a person's account: a bank transfer
        receipt.fields.setdefault("channel", "bank_transfer")
        receipt.fields.setdefault("to_name", payee.group("name").replace("＊", "*"))
        receipt.spans.append(payee.span("name"))
        inside = re.sub(r"[\s\-]", "", payee.group("inside") or "")
        digits = re.sub(r"\D", "", inside)
        if 12 <= len(digits) <= 21 and "*" not in inside:
            receipt.fields.setdefault("to_account", digits)
            receipt.spans.append(payee.span("inside"))


def read_receipt(text: str, now: datetime) -> Optional[Receipt]:
    """The fields of a pasted receipt or bank SMS, or None when the message is not one."""
    receipt = Receipt()
    _labelled(text, now, receipt)
    if len(receipt.fields) < 2:
        receipt = Receipt()
    _bank_sms(text, receipt)
    return receipt if receipt.fields else None
