"""A simulated citizen who answers whatever the bot asks during a report (adaptive, not scripted)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from actions.parsing import GENERIC_DETAIL_QUESTION, SCAM_DETAIL_QUESTIONS

CARD = "6222021234567890128"    # 工商银行 BIN, Luhn-valid
PAYING = "6217001234567890122"  # 建设银行 BIN, Luhn-valid

# (words in the bot's question, the citizen's answer), first match wins
ANSWERS: List[Tuple[str, str]] = [
    ("请核对", "对"),
    ("转出去了吗", "转了"),
    ("什么时候转", "半小时前"),
    ("卡号或账号", CARD),
    ("转了多少钱", "两万"),
    ("哪个银行", "不知道"),
    ("户名", "不知道"),
    ("什么方式转", "手机银行转的"),
    ("哪张卡", PAYING),
    ("其他转账", "没有了"),
    ("怎么称呼", "我叫陈明"),
    ("手机号", "13812345678"),
]
# A report of a transfer three days old, answered up to the read-back: it becomes a registration case.
OLD_TRANSFER_REPORT = ("上周被网上认识的人骗了，三天前转了八千", CARD, "几点记不清了", "不知道", "支付宝", "支付宝余额",
                       "没有了", "我叫钱文斌", "13912345678", "一个叫心缘的交友软件")
DETAIL_QUESTIONS = set(SCAM_DETAIL_QUESTIONS.values()) | {GENERIC_DETAIL_QUESTION}


@dataclass
class ReportRun:
    transcript: List[Tuple[str, List[str]]] = field(default_factory=list)
    detail_question: Optional[str] = None
    finished: bool = False


def complete_report(system, sender: str, first_message: str, detail_answer: str,
                    max_turns: int = 25) -> ReportRun:
    run = ReportRun()
    message = first_message
    for _ in range(max_turns):
        replies = system.say(sender, message)
        run.transcript.append((message, replies))
        if any("报案信息已登记" in r or "报案信息已提交" in r for r in replies):
            run.finished = True
            return run
        question = replies[-1] if replies else ""
        if question in DETAIL_QUESTIONS:
            run.detail_question, message = question, detail_answer
            continue
        message = next((answer for words, answer in ANSWERS if words in question), None)
        if message is None:
            raise AssertionError(f"the citizen does not understand the bot: {question!r}\n{run.transcript}")
    raise AssertionError(f"report not finished in {max_turns} turns: {run.transcript}")
