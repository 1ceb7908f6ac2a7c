"""The keypad on the voice line: which form questions take digits or a choice, and what keys mean.

A caller who cannot (or would rather not) speak answers every question of the report by keypad:
numbers end with #, a lone # means "don't know", * starts the number again (and, with no digit keyed,
replays the question, as it does everywhere else), and 0 on its own asks for an officer at any time.
Keyed numbers are read back in groups (cards by four, mobiles 3-4-4), amounts as amounts, times as times.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional

OFFICER_KEY = "0"
END_KEY = "#"
CLEAR_KEY = "*"
REPLAY_KEY = "*"  # with no digit keyed: the question again
DONT_KNOW = "不知道"

MENU = {"1": "我要报案", "2": "怎么识别电信诈骗", "0": "转人工"}
MENU_PROMPT = "报案请按1，防骗咨询请按2，转人工请按0。"


@dataclass(frozen=True)
class DigitsQuestion:
    prompt: str        # what to press, added to the bot's question
    read_back: str     # "您输入的卡号是……"
    template: str      # the message sent to Rasa; {digits}
    min_digits: int = 1
    max_digits: int = 19


@dataclass(frozen=True)
class ChoiceQuestion:
    prompt: str
    choices: Dict[str, str]  # key → message sent to Rasa


DIGITS: Dict[str, DigitsQuestion] = {
    "to_account": DigitsQuestion("请用按键输入对方卡号，以#号键结束；不知道请直接按#号键。", "对方卡号",
                                        "{digits}", 6, 19),
    "from_account": DigitsQuestion("请输入您转出的卡号，以#号键结束；不知道请直接按#号键。", "您的卡号",
                                     "{digits}", 6, 19),
    "amount": DigitsQuestion("请输入转账金额，单位元，以#号键结束。", "金额", "{digits}元", 1, 10),
    "victim_phone": DigitsQuestion("请输入您的手机号，以#号键结束。", "手机号", "我的手机号是{digits}", 11, 11),
    "time": DigitsQuestion("请输入今天的转账时间，几点几分按四位数，比如下午三点零五分按1505，以#号键结束；"
                                    "不记得请直接按#号键。", "转账时间", "今天{hh}点{mm}分", 3, 4),
}
CHOICES: Dict[str, ChoiceQuestion] = {
    "money_sent": ChoiceQuestion("已经转了请按1，还没转请按2。", {"1": "转了", "2": "还没转"}),
    "more_transfers": ChoiceQuestion("还有其他转账请按1，没有了请按2。", {"1": "有", "2": "没有了"}),
    "report_confirmed": ChoiceQuestion("信息正确请按1，需要修改请按0转人工。", {"1": "对"}),
    "channel": ChoiceQuestion("银行转账请按1，支付宝请按2，微信请按3，云闪付请按4。",
                                      {"1": "银行转账", "2": "支付宝", "3": "微信", "4": "云闪付"}),
}
# Questions only speech can answer: on the keypad # skips them.
SKIPPABLE = {"to_bank", "to_name", "victim_name", "scam_detail"}
SKIP_PROMPT = "不知道或不方便说，请按#号键。"


def prompt_for(slot: Optional[str]) -> str:
    if slot in DIGITS:
        return DIGITS[slot].prompt
    if slot in CHOICES:
        return CHOICES[slot].prompt
    if slot in SKIPPABLE:
        return SKIP_PROMPT
    return ""


def read_back(slot: str, digits: str) -> str:
    """How a keyed number is read back (speech.tts reads digit strings in groups, digit by digit)."""
    if slot == "amount":
        return f"{int(digits)}元"
    if slot == "time":
        minutes = int(digits[-2:])
        return f"{int(digits[:-2])}点" + ("整" if not minutes else f"{'零' if minutes < 10 else ''}{minutes}分")
    return digits


def digits_message(slot: str, digits: str) -> Optional[str]:
    """The message for Rasa from keyed digits (None when they cannot be right: ask again)."""
    question = DIGITS[slot]
    if not digits:
        return DONT_KNOW
    if not question.min_digits <= len(digits) <= question.max_digits:
        return None
    if slot == "time":
        hh, mm = int(digits[:-2]), int(digits[-2:])
        if hh > 23 or mm > 59:
            return None
        return question.template.format(hh=hh, mm=f"{mm:02d}")
    return question.template.format(digits=digits)
