"""Receipts and bank SMS pasted into the chat are read by their labels, and the rest of the message as usual."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.extract.entities import extract_entities
from bot.nlu.text import normalize
from bot.report.dialogue import Draft, Said
from bot.report.model import UNKNOWN
from bot.report.receipts import read_receipt
from bot.report.reader import read

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def pasted(text: str, asked=None) -> Draft:
    draft = Draft(money_sent=True)
    text = normalize(text)
    read(draft, asked, Said(text=text, at=NOW, entities=extract_entities(text, NOW)), NOW)
    return draft


def test_a_bank_sms_gives_the_paying_card_the_payee_the_sum_and_the_time_not_a_receiving_bank():
    transfer = pasted("【中国银行】您尾号3391的账户于12月03日14:22向李明辉（账号6217 0038 2955 4416 381）"
                      "转账支出人民币5,000.00元，余额1,234.56元。").current
    assert (transfer.from_account, transfer.to_name, transfer.to_account, transfer.amount, transfer.time) == (
        "中国银行卡 尾号3391", "李明辉", "6217003829554416381", 5000.0, "2026-12-03T14:22:00+08:00")
    assert transfer.to_bank == "建设银行" and transfer.channel == "bank_transfer"   # by the card's number


def test_a_bank_sms_with_the_payee_after_it_and_a_masked_account():
    draft = pasted("【工商银行】您尾号8876卡12月2日20:31网上银行支出(跨行汇款)18,000元，余额2,113.20元。"
                   "对方户名：陈志刚，对方账号：6228480****5671")
    transfer = draft.current
    assert (transfer.amount, transfer.from_account, transfer.to_name, transfer.to_account, transfer.to_bank) == (
        18000.0, "工商银行卡 尾号8876", "陈志刚", UNKNOWN, "农业银行")
    assert "对方账号报案人只看到尾号5671，请民警核实全号" in draft.report.warnings


@pytest.mark.parametrize("text, expected", [
    ("转账成功 收款人：王*芳 收款账号：6222 **** **** 3389 金额：¥3,600.00 付款卡：招商银行(0917) 时间：2026-12-03 21:08:44",
     {"to_name": "王*芳", "to_account": UNKNOWN, "amount": 3600.0, "from_account": "招商银行卡 尾号0917",
      "time": "2026-12-03T21:08:00+08:00"}),
    ("收款方：深圳市鑫源达商贸有限公司 转账金额：23,500.00元 付款方式：余额宝",
     {"to_name": "深圳市鑫源达商贸有限公司", "amount": 23500.0, "from_account": "余额宝"}),
    ("交易金额：8800.00\n收款户名：黄建华\n收款账号：6222021234098765435\n收款银行：中国工商银行",
     {"to_name": "黄建华", "amount": 8800.0, "to_account": "6222021234098765435", "to_bank": "工商银行"}),
    ("付款方式：零钱 支付时间：2026年12月3日 19:02 金额：￥1200", {"from_account": "微信零钱", "amount": 1200.0}),
])
def test_app_receipts_read_by_their_labels(text, expected):
    transfer = pasted(text).current
    assert {name: getattr(transfer, name) for name in expected} == expected


@pytest.mark.parametrize("text", ["户名：张伟", "时间：昨天晚上八点", "我转了五千，时间是昨天", "收款人是张伟，金额五千"])
def test_a_single_label_or_plain_speech_is_no_receipt(text):
    assert read_receipt(normalize(text), NOW) is None


def test_a_receipt_pasted_when_the_holder_is_asked_answers_it():
    draft = pasted("收款人：周*明 金额：2000.00", asked="to_name")
    assert draft.current.to_name == "周*明" and draft.current.amount == 2000.0
