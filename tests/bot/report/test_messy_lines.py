"""Lines from messy-citizen conversations that went wrong (development corpus, writers G, H and I),
read without Rasa with the real extractors, in the context of the question asked."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.extract.entities import extract_entities
from bot.report.answers import is_unknown, person_name
from bot.report.dialogue import Draft, Said
from bot.report.model import UNKNOWN, Transfer
from bot.report.reader import asks_a_question, read

MORNING = datetime(2026, 12, 2, 7, 5, tzinfo=ZoneInfo("Asia/Shanghai"))


def said(text: str) -> Said:
    return Said(text=text, at=MORNING, entities=extract_entities(text, MORNING))


def test_an_evening_said_in_the_morning_is_last_evening_even_after_today_was_mentioned():
    draft = Draft(money_sent=True)
    draft.report.transfers.append(Transfer(to_account="6214830709382310", amount=12000.0))
    draft.vague_time = "2026-12-02"   # "今天早上我给我妹打电话一问" in the story
    read(draft, "time", said("就是晚上八点多"), MORNING)
    assert draft.current.time == "2026-12-01T20:00:00+08:00"


@pytest.mark.parametrize("text, asks", [
    ("昨天下午有个电话打过来，一开口就叫我大姨，问我猜猜他是谁，我说是不是小军，他说对啊", False),
    ("他说要交保证金才能提现", False),
    ("我想问一下怎么办", True), ("这是不是诈骗", True), ("他说的是真的吗", True), ("你说我该怎么办", True),
    ("他说不转就会影响征信，是不是真的", True),
])
def test_a_question_told_in_the_story_is_not_the_citizens_own(text, asks):
    assert asks_a_question(text) is asks


def test_the_amount_after_not_is_the_one_taken_back():
    draft = Draft(money_sent=True)
    draft.report.transfers.append(Transfer(to_account="6216617364727217052"))
    read(draft, "amount", said("三万，哦不对刚才说错了，是两万三不是三万，借了两万三全转了"), MORNING)
    assert draft.current.amount == 23000.0


@pytest.mark.parametrize("text", ["我被骗了，转了", "然后让我转钱做验证，转完说会退回来，一直没退"])
def test_money_said_to_have_left_is_not_asked_about_again(text):
    draft = Draft()
    read(draft, None, said(text), MORNING)
    assert draft.money_sent is True


@pytest.mark.parametrize("text", ["我被骗了", "他让我转钱，我还没转", "差点就转了"])
def test_money_not_said_to_have_left_is_still_asked_about(text):
    draft = Draft()
    read(draft, None, said(text), MORNING)
    assert draft.money_sent is not True


@pytest.mark.parametrize("text", ["账号我删掉了，当时很生气就把聊天记录全删了", "没有，找不回来"])
def test_deleted_or_lost_is_a_dont_know(text):
    assert is_unknown(text)


@pytest.mark.parametrize("text, name", [
    ("卡的名字叫杨帆，他说是他朋友的卡", "杨帆"), ("那个卡的名字叫周志强", "周志强"),
    ("扣款短信上写的是深圳市鑫融达科技有限公司", "深圳市鑫融达科技有限公司"),
    ("收款的是一个公司", None), ("就十分钟前", None),
    ("收款人不是王强，是汪强，三点水的汪，我刚才看错了", "汪强"), ("收款人不是王强", None),
])
def test_holder_names_said_in_a_sentence(text, name):
    assert person_name(text) == name


def test_a_holder_named_in_a_sentence_fills_the_holder():
    draft = Draft(money_sent=True)
    draft.report.transfers.append(Transfer(to_account="6214830709382310", amount=12000.0))
    read(draft, "to_name", said("卡的名字叫杨帆，他说是他朋友的卡"), MORNING)
    assert draft.current.to_name == "杨帆" and draft.current.to_name != UNKNOWN
