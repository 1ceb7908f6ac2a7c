from datetime import datetime, timedelta, timezone

import pytest

from bot.desk.accounts import Accounts
from bot.desk.crypto import generate_key
from bot.desk.store import CaseStore
from bot.settings import Settings


class Clock:
    def __init__(self, now: float = datetime(2026, 11, 21, 12, 0, tzinfo=timezone(timedelta(hours=8))).timestamp()):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def desk_settings(tmp_path) -> Settings:
    return Settings.from_env({"CASE_STORE_URL": f"sqlite:///{tmp_path / 'cases.db'}",
                              "CASE_STORE_KEY": generate_key(), "DESK_LOCKOUT_ATTEMPTS": "3"})


@pytest.fixture
def store(desk_settings, clock):
    opened = CaseStore.open(desk_settings, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def accounts(store) -> Accounts:
    return Accounts(store, lockout_attempts=3, lockout_minutes=15)


CARD = "6222021234567890128"


def packet(**changes):
    base = {
        "victim": {"name": "王芳", "phone": "13912345678"},
        "transfers": [{"amount": 50000, "time": "2026-11-21T10:00:00+08:00", "channel": "bank_transfer",
                       "from_account": "6217001234567890", "to_account": CARD, "to_bank": "中国工商银行",
                       "to_name": "李四"}],
        "fraudster_contacts": ["qq:12345678", "phone:13700001111"],
        "narrative": "在投资群里被拉进一个平台，充值后提不了现",
        "scam_detail": "平台叫汇盈",
        "warnings": [],
    }
    base.update(changes)
    return base


def open_case(store, conversation_id="conv-1", reason="report", transcript=(), **changes):
    return store.open_handoff(conversation_id=conversation_id, channel="rest", reason=reason,
                              packet=packet(**changes), scam_type={"name": "investment", "confidence": 0.91},
                              in_progress=False, transcript=list(transcript))
