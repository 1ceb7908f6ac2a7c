from datetime import datetime
from zoneinfo import ZoneInfo

from bot.extract.entities import extract_entities

NOW = datetime(2026, 11, 21, 14, 5, tzinfo=ZoneInfo("Asia/Shanghai"))


def entities_of(text: str, name: str, now: datetime = NOW):
    return [e for e in extract_entities(text, now) if e["entity"] == name]


def values_of(text: str, name: str, now: datetime = NOW):
    return [e["value"] for e in entities_of(text, name, now)]
