"""Defects a tester found working a shift on the desk: corrected times the case could not read, impossible
frozen amounts, the stop-payment request's gaps about the victim, the dashboard's charts, the icon."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.desk.app import create_desk_app
from bot.desk.errors import BadRequest
from bot.desk.stats import render_stats, shift_stats, text_width
from bot.desk.timefmt import UnreadableTime, human_time, typed_time
from tests.bot.desk.conftest import CARD, open_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 1, 0, tzinfo=SHANGHAI).timestamp()  # just past midnight: "22:05" is still to come


# --- 1. a transfer time as the desk writes it -----------------------------------------------------
@pytest.mark.parametrize("typed,stored", [
    ("12月2日 22:05", "2026-12-02T22:05:00+08:00"),           # as the card shows another day
    ("00:30", "2026-12-03T00:30:00+08:00"),                   # as the card shows today
    ("昨天 22:05", "2026-12-02T22:05:00+08:00"),
    ("2026-12-02 22:05", "2026-12-02T22:05:00+08:00"),
    ("2026年12月2日 22:05", "2026-12-02T22:05:00+08:00"),
    ("12月2号 22：05", "2026-12-02T22:05:00+08:00"),
    ("2026-12-02T22:15:41+08:00", "2026-12-02T22:15:41+08:00"),  # what the case stores comes back unchanged
    ("2026-12-02T14:15:41+00:00", "2026-12-02T22:15:41+08:00"),
    ("12月2日", "2026-12-02"),                                 # a day alone, as the card shows one
])
def test_an_officer_writes_a_time_as_the_desk_shows_it(typed, stored):
    assert typed_time(typed, SHANGHAI, NOW) == stored


@pytest.mark.parametrize("typed,said", [
    ("刚才", "请写成"), ("晚上十点", "请写成"), ("25:00", "不是有效"), ("12月40日 10:00", "不是有效"),
    ("22:05", "昨天 22:05"),  # today's 22:05 has not come yet: the officer is told how to write yesterday's
    ("2026-12-05 10:00", "不能晚于现在"),
])
def test_a_time_the_desk_cannot_read_is_refused_with_a_reason(typed, said):
    with pytest.raises(UnreadableTime, match=said):
        typed_time(typed, SHANGHAI, NOW)


def test_a_corrected_time_and_way_of_paying_as_the_card_shows_them_are_stored_as_the_case_reads_them(store, clock):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    shown = human_time("2026-11-21T11:40:00+08:00", SHANGHAI, clock.now - 86400)  # "11月21日 11:40"
    fixed = dict(case["transfers"][0], time=shown, channel="支付宝")
    corrected = store.correct(case["id"], "zhang", {"transfers": [fixed]})
    transfer = corrected["transfers"][0]
    assert transfer["time"] == "2026-11-21T11:40:00+08:00" and transfer["channel"] == "alipay"
    assert corrected["last_transfer_at"] == "2026-11-21T11:40:00+08:00"  # the golden-window clock runs
    assert "转账时间不详" not in corrected["urgency"]["reasons"] and corrected["urgency"]["level"] == "high"


@pytest.mark.parametrize("field,value,said", [
    ("time", "昨晚十点左右", "转账时间"), ("time", "99:99", "转账时间"), ("channel", "bank", "转账的方式"),
])
def test_an_unreadable_correction_is_refused_and_nothing_stored(store, field, value, said):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    with pytest.raises(BadRequest, match=said) as refused:
        store.correct(case["id"], "zhang", {"transfers": [dict(case["transfers"][0], **{field: value})]})
    assert "第 1 笔转账" in refused.value.message
    assert store.case(case["id"])["transfers"][0] == case["transfers"][0]


# --- 2. impossible frozen amounts -----------------------------------------------------------------
def test_a_frozen_amount_above_the_reported_total_is_refused(store):
    case = open_case(store, transfers=[{"amount": 12000, "to_account": CARD}])
    store.claim(case["id"], "zhang")
    with pytest.raises(BadRequest) as refused:
        store.close_case(case["id"], "zhang", "stopped", 999999999)
    assert "999,999,999 元" in refused.value.message and "12,000 元" in refused.value.message
    assert store.case(case["id"])["status"] == "claimed"
    assert store.close_case(case["id"], "zhang", "stopped", 12000)["outcome"]["frozen_amount"] == 12000.0


@pytest.mark.parametrize("outcome", ["failed", "none"])
def test_nothing_frozen_on_an_outcome_where_nothing_was(store, outcome):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    with pytest.raises(BadRequest, match="没有冻结金额"):
        store.close_case(case["id"], "zhang", outcome, 5000)
    assert store.close_case(case["id"], "zhang", outcome, 0)["outcome"]["frozen_amount"] is None


def test_an_unknown_total_does_not_cap_the_frozen_amount(store):
    case = open_case(store, transfers=[{"amount": 1000, "to_account": CARD}, {"amount": "不详", "to_account": CARD}])
    store.claim(case["id"], "zhang")
    assert store.close_case(case["id"], "zhang", "partial", 5000)["outcome"]["frozen_amount"] == 5000.0


@pytest.mark.parametrize("frozen", [-1, 1e12, "1e13"])
def test_an_out_of_range_amount_is_written_as_people_write_it(store, frozen):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    with pytest.raises(BadRequest) as refused:
        store.close_case(case["id"], "zhang", "stopped", frozen)
    assert "1万亿" in refused.value.message and "e+" not in refused.value.message


def test_the_dashboard_counts_no_frozen_amount_on_a_failed_stop(store, clock):
    case = open_case(store)
    store.claim(case["id"], "zhang")
    store.close_case(case["id"], "zhang", "failed")
    rows = store.shift_rows(clock.now - 3600)
    rows[0]["frozen_amount"] = 999999999.0  # what an older version let in
    assert shift_stats(rows, [], clock.now, 8, SHANGHAI).frozen_amount == 0.0


# --- 8. the dashboard's charts ----------------------------------------------------------------------
def test_long_scam_type_labels_fit_and_every_hour_bar_shows_its_count(store, clock):
    for number in range(3):
        store.open_handoff(conversation_id=f"loan-{number}", channel="webchat", reason="report",
                           packet={"transfers": [{"amount": 100}]}, scam_type={"name": "loan"}, in_progress=False,
                           transcript=[])
    stats = shift_stats(store.shift_rows(clock.now - 8 * 3600), [], clock.now, 8, SHANGHAI)
    assert dict(stats.by_scam_type) == {"虚假网络贷款/代办信用卡": 3}
    page = render_stats(stats, SHANGHAI, "zhang")
    scam_chart = re.search(r"aria-label='诈骗类型'.*?</svg>", page, re.S).group(0)
    label = re.search(r"<text x='(\d+)'[^>]*text-anchor='end'>虚假网络贷款/代办信用卡</text>", scam_chart)
    assert int(label.group(1)) - text_width("虚假网络贷款/代办信用卡") >= 0  # starts inside the chart
    hours = re.search(r"aria-label='每小时新案件'.*?</svg>", page, re.S).group(0)
    count = re.search(r"<text x='[\d.]+' y='(-?\d+)'[^>]*class='n'>3</text>", hours)
    assert count and int(count.group(1)) >= 13  # the count's 13px glyphs are below the chart's top edge


# --- 10. the tab icon -------------------------------------------------------------------------------
async def test_the_desk_serves_its_own_icon(desk_settings, store):
    client = TestClient(TestServer(create_desk_app(desk_settings)))
    await client.start_server()
    try:
        icon = await client.get("/favicon.ico")
        body = await icon.read()
        assert icon.status == 200 and icon.headers["Content-Type"] == "image/x-icon"
        assert body[:4] == b"\x00\x00\x01\x00" and len(body) < 10_000  # an ICO file, small
    finally:
        await client.close()
