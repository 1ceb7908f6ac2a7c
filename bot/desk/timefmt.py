"""Times as officers read them, in the centre's time zone (DESK_TIME_ZONE) whatever the machine's:
`20:36` today, `12月1日 20:36` this year, `2025年12月1日 20:36` before. desk.js writes them the same way."""
from __future__ import annotations

import re
from datetime import datetime
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
