"""Simulated citizens for the benchmark: each reports an urgent transfer for one scam type and answers
whatever the bot asks, until the bot hands the report to an officer."""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import List, Tuple

SCAM_REPORTS = {
    "order_brushing": "我做网上刷单任务，刚刚又充了一万二，说做完才能提现，现在提不出来",
    "investment": "我在一个炒币平台跟着导师投资，刚转了五万进去，现在账户冻结了",
    "loan": "网贷APP说我银行卡号填错了要交解冻费，我刚转了六千",
    "customer_service": "自称快递客服说要理赔，让我开屏幕共享，卡里刚被转走三万",
    "impersonate_police": "一个自称检察院的人说我涉案，让我把八万转到安全账户，刚转完",
    "impersonate_acquaintance": "冒充我表哥的人说急用钱，我刚给他转了两万",
    "romance": "网恋对象带我在博彩网站充值，今天又充了十万，现在联系不上了",
    "credit_repair": "对方说帮我消除征信逾期记录，收了我四千服务费就不理我了",
    "game_trade": "买游戏装备，卖家让我在一个网站付款，刚付了两千五就被拉黑了",
    "fake_shopping": "在直播间买打折手机，刚付了三千八，对方再没发货",
    "military_purchase": "自称部队采购让我代垫货款，我刚给指定账户转了四万",
}
ANSWERS: List[Tuple[str, str]] = [
    ("请核对", "对"),
    ("转出去了吗", "转了"),
    ("什么时候转", "二十分钟前"),
    ("卡号或账号", "6228480402564890018"),
    ("转了多少钱", "一万"),
    ("哪个银行", "不知道"),
    ("户名", "不知道"),
    ("什么方式转", "手机银行"),
    ("哪张卡", "不知道"),
    ("其他转账", "没有了"),
    ("怎么称呼", "我叫周敏"),
    ("手机号", "13700002222"),
]
HANDED_OFF = "转接值班民警"


@dataclass
class ReportRun:
    turns: int
    seconds: float
    handed_off_at: float


def report_until_handoff(system, sender: str, scam_type: str, max_turns: int = 25) -> ReportRun:
    started = time.monotonic()
    message = SCAM_REPORTS[scam_type]
    for turn in range(1, max_turns + 1):
        replies = system.say(sender, message)
        if any(HANDED_OFF in r for r in replies):
            return ReportRun(turn, time.monotonic() - started, time.monotonic())
        question = replies[-1] if replies else ""
        message = next((answer for words, answer in ANSWERS if words in question), None)
        if message is None:  # a question about the scam itself: a short, free answer
            message = random.choice(["对方有个QQ号是3344556677", "是在一个叫金牛的APP上", "对方用微信联系我的"])
    raise RuntimeError(f"no hand-off after {max_turns} turns for {scam_type}")
