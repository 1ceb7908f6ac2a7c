"""The shift dashboard: counts, amounts, medians and running stops, from the store's summary columns."""
import re
from zoneinfo import ZoneInfo

from bot.desk.stats import render_stats, shift_stats
from tests.bot.desk.conftest import CARD, open_case

MINUTE, HOUR = 60, 3600
SHANGHAI = ZoneInfo("Asia/Shanghai")


def a_shift(store, clock):
    """At 12:00 (Shanghai): three cases over the morning, one of them from yesterday."""
    start = clock.now
    clock.now = start - 30 * HOUR
    old = open_case(store, "yesterday", transfers=[{"amount": 999, "to_account": "6228480000000000000"}])
    clock.now = start - 3 * HOUR  # 09:00
    first = open_case(store, "c1")  # 50 000 yuan, investment
    clock.now += 4 * MINUTE
    store.claim(first["id"], "zhang")
    clock.now += 10 * MINUTE
    store.record_stop(first["id"], "zhang", CARD, "requested")
    clock.now += 46 * MINUTE
    store.close_case(first["id"], "zhang", "stopped", 48000)          # closed an hour after hand-off
    clock.now = start - 1 * HOUR + 5 * MINUTE  # 11:05
    second = store.open_handoff(conversation_id="c2", channel="voice", reason="in_progress",
                                packet={"transfers": [{"amount": 800}]}, scam_type={"name": "impersonate_police"},
                                in_progress=True, transcript=[])
    clock.now += 10 * MINUTE
    store.claim(second["id"], "li")
    store.open_registration(conversation_id="c3", channel="wechat", packet={"transfers": [{"amount": 200}]},
                            scam_type={"name": "investment"}, in_progress=False, transcript=[])
    clock.now = start
    return old, first, second


def test_the_shift_in_figures(store, clock):
    old, first, second = a_shift(store, clock)
    stats = shift_stats(store.shift_rows(clock.now - 12 * HOUR), store.open_stops(), clock.now, 12, SHANGHAI)
    assert stats.cases == 3 and stats.registrations == 1
    assert dict(stats.by_scam_type) == {"虚假网络投资理财": 2, "冒充公检法及政府机关": 1}
    assert dict(stats.by_channel) == {"接口（REST）": 1, "96110 电话": 1, "微信公众号": 1}
    hours = dict(stats.by_hour)
    assert list(hours)[0] == "0时" and list(hours)[-1] == "12时" and len(hours) == 13
    assert (hours["9时"], hours["10时"], hours["11时"]) == (1, 0, 2)
    assert stats.reported_amount == 51000.0 and stats.frozen_amount == 48000.0
    assert stats.outcomes == [("止付成功", 1)]
    assert stats.minutes_to_claim == 7.0  # median of 4 and 10 minutes
    assert stats.minutes_to_close == 60.0
    assert [(s["case_id"], s["account"]) for s in stats.stops] == [(first["id"], "****0128")]


def test_the_dashboard_page_reads_correctly(store, clock):
    a_shift(store, clock)
    clock.now += 40 * HOUR  # the stop (requested 09:14 yesterday) runs out at 09:14 tomorrow: 11 hours left
    stats = shift_stats(store.shift_rows(clock.now - 72 * HOUR), store.open_stops(), clock.now, 72, SHANGHAI)
    page = render_stats(stats, SHANGHAI, "zhang")
    assert "<script" not in page and "http" not in page  # no script, nothing from elsewhere
    visible = re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S)
    for text in ("新案件", "4 件", "51,999.00 元", "48,000.00 元", "7 分钟", "60 分钟", "每小时新案件", "冒充公检法",
                 "96110 电话", "止付成功", "****0128", "12 小时内到期，请续止付或冻结"):
        assert text in visible, text
    assert CARD not in page
    assert not re.search(r"\d{4}-\d{2}-\d{2}T|None|null|undefined|NaN|\[object", visible)
    assert "<tr class='late'>" in page


def test_an_empty_shift_says_so(store, clock):
    stats = shift_stats([], [], clock.now, 8, SHANGHAI)
    page = render_stats(stats, SHANGHAI, "zhang")
    assert stats.minutes_to_claim is None and "暂无" in page and "本时段没有" in page and "没有止付中的账户" in page
