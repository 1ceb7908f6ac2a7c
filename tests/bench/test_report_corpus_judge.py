"""The corpus driver's judge: what counts as the expected value on the desk case."""
from datetime import date

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
