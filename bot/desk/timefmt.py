"""Times as officers read them, in the centre's time zone (DESK_TIME_ZONE) whatever the machine's:
`20:36` today, `12月1日 20:36` this year, `2025年12月1日 20:36` before. desk.js writes them the same way."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, Optional, Tuple
from zoneinfo import ZoneInfo

from bot.report.model import UNKNOWN

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def local_moment(value: Any, zone: ZoneInfo) -> Optional[Tuple[datetime, bool]]:
    """(the moment in the centre's zone, whether it has a time of day) for an epoch, an aware datetime or an
    ISO text; a text without an offset is already the centre's wall-clock time (as the bot writes it); a
    date alone has no time of day. None for anything else (None, 不详, free text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, zone), True
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(zone), True
    if not isinstance(value, str) or not value.strip() or value == UNKNOWN:
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if _DATE_ONLY.match(text):
        return moment.replace(tzinfo=zone), False
    return (moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)), True


def human_time(value: Any, zone: ZoneInfo, now: float, unknown: str = UNKNOWN) -> str:
    """`20:36` (today), `12月1日 20:36`, `2025年12月1日 20:36`; a date alone as `12月1日`."""
    found = local_moment(value, zone)
    if found is None:
        return value if isinstance(value, str) and value.strip() and value != UNKNOWN else unknown
    moment, has_time = found
    today = datetime.fromtimestamp(now, zone).date()
    clock = f"{moment:%H:%M}" if has_time else ""
    if moment.date() == today and has_time:
        return clock
    date = f"{moment.month}月{moment.day}日" if moment.year == today.year else \
        f"{moment.year}年{moment.month}月{moment.day}日"
    return f"{date} {clock}".strip()


def full_time(value: Any, zone: ZoneInfo, unknown: str = UNKNOWN) -> str:
    """Always with the date, for printed pages that outlive the day: `2026年12月1日 20:36`."""
    found = local_moment(value, zone)
    if found is None:
        return unknown
    moment, has_time = found
    date = f"{moment.year}年{moment.month}月{moment.day}日"
    return f"{date} {moment:%H:%M}" if has_time else date


# --- what an officer types back ------------------------------------------------------------------
_DAYS_BACK = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}
_CLOCK = r"(?P<hour>\d{1,2})[:：](?P<minute>\d{2})(?:[:：]\d{2})?"
_TYPED = [
    # 12月2日 22:05, 2026年12月2日 22:05, 12月2日 (a day only)
    re.compile(rf"^(?:(?P<year>\d{{4}})年)?(?P<month>\d{{1,2}})月(?P<day>\d{{1,2}})[日号]\s*(?:{_CLOCK})?$"),
    # 2026-12-02 22:05, 2026/12/2 22:05
    re.compile(rf"^(?P<year>\d{{4}})[-/.](?P<month>\d{{1,2}})[-/.](?P<day>\d{{1,2}})(?:[\sT]+{_CLOCK})?$"),
    # 22:05 (today), 昨天 22:05
    re.compile(rf"^(?P<rel>今天|今日|昨天|昨日|前天)?\s*{_CLOCK}$"),
]
TYPED_EXAMPLES = "“12月2日 22:05”“22:05”（今天）“昨天 22:05”或“2026-12-02 22:05”"


class UnreadableTime(ValueError):
    """What an officer typed is not a time the desk can read (the message says why, in Chinese)."""


def typed_time(text: str, zone: ZoneInfo, now: float) -> str:
    """A transfer time as an officer types it, in the centre's zone (as the desk writes it, or ISO), as the
    ISO text the case stores: `2026-12-02T22:05:00+08:00`, a day alone `2026-12-02`."""
    value = text.strip()
    found = local_moment(value, zone) if re.match(r"^\d{4}-\d{2}-\d{2}(?:$|[T ]\d{2}:\d{2})", value) else None
    if found is not None:
        moment, has_time = found
    else:
        match = next((m for m in (p.match(value) for p in _TYPED) if m), None)
        if match is None:
            raise UnreadableTime(f"看不懂“{value[:30]}”，请写成{TYPED_EXAMPLES}")
        today = datetime.fromtimestamp(now, zone)
        parts = match.groupdict()
        has_time = parts.get("hour") is not None
        try:
            if parts.get("month"):
                moment = datetime(int(parts["year"] or today.year), int(parts["month"]), int(parts["day"]),
                                  tzinfo=zone)
            else:
                moment = datetime(today.year, today.month, today.day, tzinfo=zone) - \
                    timedelta(days=_DAYS_BACK.get(parts.get("rel") or "今天", 0))
            if has_time:
                moment = moment.replace(hour=int(parts["hour"]), minute=int(parts["minute"]))
        except ValueError:
            raise UnreadableTime(f"“{value[:30]}”不是有效的日期或时间") from None
        moment = datetime.fromtimestamp(moment.timestamp(), zone)  # the zone's offset on that day
    if moment.timestamp() > now + 60 and (has_time or moment.date() > datetime.fromtimestamp(now, zone).date()):
        hint = "；昨天的请写“昨天 " + value + "”" if re.fullmatch(_CLOCK, value) else ""
        raise UnreadableTime(f"“{value[:30]}”还没到，转账时间不能晚于现在{hint}")
    if not has_time:
        return moment.date().isoformat()
    return moment.replace(second=0 if found is None else moment.second, microsecond=0).isoformat()
