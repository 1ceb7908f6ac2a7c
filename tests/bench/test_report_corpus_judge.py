"""The corpus driver's judge: what counts as the expected value on the desk case."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bench.report_corpus import _account_ok, _expected_day


@pytest.mark.parametrize("expected, actual, ok", [
    ("6222020079602262721", "6222 0200 7960 2262 721", True),
    ("13081970028", "支付宝账号 13081970028", True),        # a phone login, labelled
    ("yhm_1314520", "微信账号 yhm_1314520", True),           # a wallet id, labelled for the officer
    ("yhm_1314520", "yhm_1314520", True),
    ("yhm_1314520", "微信账号 yhm_131452", False),
    ("unknown", "不详", True),
    ("unknown", "微信账号 yhm_1314520", False),
])
def test_receiving_accounts(expected, actual, ok):
    assert _account_ok(expected, actual) is ok


WEDNESDAY = date(2026, 12, 2)


@pytest.mark.parametrize("expected, day", [
    ({"days_ago": 2}, date(2026, 11, 30)),
    ({"date": "11-28"}, date(2026, 11, 28)),
    ({"date": "12-30"}, date(2025, 12, 30)),                # said in December before the 30th: last year
    ({"weekday": 5, "week": "last"}, date(2026, 11, 27)),   # 上周五
    ({"weekday": 1, "week": "this"}, date(2026, 11, 30)),   # 这周一
    ({"weekday": 7}, date(2026, 11, 29)),                   # 礼拜天: the latest Sunday
    ({"weekday": 3}, WEDNESDAY),                             # 周三, said on a Wednesday: today
])
def test_days_resolve_on_the_day_the_test_runs(expected, day):
    assert _expected_day(expected, WEDNESDAY) == day


def test_every_conversation_of_a_part_has_its_own_id():
    from bench.report_corpus import PARTS, load_part
    for part in PARTS:
        ids = [c["id"] for c in load_part(part)]   # raises on an id used twice
        assert len(ids) == len(set(ids))


def test_the_citizen_answers_for_the_transfer_being_told():
    from bench.report_corpus import Citizen
    conversation = {"answers": {"channel": ["微信转账", "手机银行转的"], "amount": ["嗯……", "两千", "六千八"],
                                "more": ["还有一次", "没有了"]},
                    "expected": {"transfers": [{"amount": 2000}, {"amount": 6800}]}}
    citizen = Citizen(conversation)
    assert citizen.reply("amount") == "嗯……"   # the first transfer's channel was volunteered: never asked
    assert citizen.reply("amount") == "两千"
    assert citizen.reply("more") == "还有一次"
    assert citizen.reply("channel") == "手机银行转的"
    assert citizen.reply("amount") == "六千八"
    assert citizen.reply("channel") == "手机银行转的"   # asked again: the last answer again


def test_a_paying_card_kept_whole_fits_its_bank_and_tail():
    from bench.report_corpus import _from_account_ok
    assert _from_account_ok({"mentions": ["工商银行", "6946"]}, "6222023433098646946")
    assert not _from_account_ok({"mentions": ["建设银行", "6946"]}, "6222023433098646946")
    assert not _from_account_ok({"mentions": ["工商银行", "1234"]}, "6222023433098646946")


def test_a_masked_holder_is_no_wrong_name_where_the_writer_knew_none():
    from bench.report_corpus import _holder_ok
    assert _holder_ok("unknown", "何*凯") and _holder_ok("unknown", "**东") and _holder_ok("unknown", "不详")
    assert not _holder_ok("unknown", "何凯") and not _holder_ok("何凯", "何*凯")


def test_a_weekday_alone_said_on_that_day_before_its_hour_is_last_weeks():
    from bench.report_corpus import _time_ok
    saturday_night = datetime(2026, 12, 5, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert _time_ok({"weekday": 6, "at": "16:30"}, "2026-11-28T16:30:00+08:00", saturday_night)
    assert not _time_ok({"weekday": 6, "at": "16:30"}, "2026-12-05T16:30:00+08:00", saturday_night)
    assert _time_ok({"weekday": 6, "at": "00:30"}, "2026-12-05T00:30:00+08:00", saturday_night)


def test_cash_and_banks_named_otherwise_fit_the_paying_account():
    from bench.report_corpus import _from_account_ok
    assert _from_account_ok("unknown", "现金") and _from_account_ok("unknown", "现金（从建设银行卡取出）")
    assert _from_account_ok({"mentions": ["邮政储蓄", "存折"]}, "邮储银行存折")
    assert not _from_account_ok({"mentions": ["邮政储蓄", "存折"]}, "建设银行存折")
    assert not _from_account_ok("unknown", "建设银行卡")
