"""Times as officers read them: the centre's zone (DESK_TIME_ZONE), written as people write them."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.desk.timefmt import full_time, human_time
from bot.settings import Settings, SettingsError

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 21, 0, tzinfo=SHANGHAI).timestamp()


@pytest.mark.parametrize("value,shown", [
    ("2026-12-01T20:36:33+08:00", "20:36"),                  # today: the time alone
    ("2026-12-01T12:36:33+00:00", "20:36"),                  # the same moment written in UTC
    (datetime(2026, 12, 1, 12, 36, tzinfo=timezone.utc).timestamp(), "20:36"),
    ("2026-11-30T20:36:00+08:00", "11月30日 20:36"),          # another day: with the date
    ("2026-12-01T17:30:00+00:00", "12月2日 01:30"),           # past midnight in Shanghai: tomorrow there
    ("2025-12-31T23:59:00+08:00", "2025年12月31日 23:59"),    # another year: with the year
    ("2026-11-30T20:36:00", "11月30日 20:36"),                # no offset: already the centre's wall clock
    ("2026-11-21", "11月21日"),                               # a date alone: no time of day
    (None, "不详"), ("不详", "不详"), ("", "不详"), (True, "不详"),
    ("昨天晚上", "昨天晚上"),                                  # free text stays as the citizen said it
])
def test_times_read_as_people_write_them_in_the_centres_zone(value, shown):
    assert human_time(value, SHANGHAI, NOW) == shown


def test_another_centre_zone_moves_every_time():
    utc = ZoneInfo("UTC")
    assert human_time("2026-12-01T20:36:00+08:00", utc, NOW) == "12:36"
    assert full_time("2026-12-01T20:36:00+08:00", utc) == "2026年12月1日 12:36"
    assert full_time("2026-11-21", utc) == "2026年11月21日"
    assert full_time(None, utc) == "不详"


def test_the_desk_time_zone_and_unit_are_settings():
    default = Settings.from_env({})
    assert default.desk_time_zone == "Asia/Shanghai" and default.desk_unit == "96110 反诈中心"
    chosen = Settings.from_env({"DESK_TIME_ZONE": "Asia/Urumqi", "DESK_UNIT": " 某市公安局反诈中心 "})
    assert chosen.desk_time_zone == "Asia/Urumqi" and chosen.desk_unit == "某市公安局反诈中心"
    for wrong in ("Mars/Olympus", "+08:00", "../etc/passwd"):
        with pytest.raises(SettingsError, match="DESK_TIME_ZONE"):
            Settings.from_env({"DESK_TIME_ZONE": wrong})


def test_the_desk_writes_times_as_the_bot_reads_them_back():
    from actions.parsing import format_time  # the read-back the citizen confirmed

    for value in ("2026-11-30T20:36:00+08:00", "2026-11-21", "2026-10-01T08:05:00+08:00"):
        assert human_time(value, SHANGHAI, NOW) == format_time(value)
