import pytest

import actions.handoff
from bot.desk.crypto import generate_key
from bot.desk.store import CaseStore
from bot.settings import Settings


@pytest.fixture
def case_store(tmp_path, monkeypatch):
    """The case store the hand-off actions write to: a real SQLite file per test."""
    store = CaseStore.open(Settings.from_env({"CASE_STORE_URL": f"sqlite:///{tmp_path / 'cases.db'}",
                                              "CASE_STORE_KEY": generate_key()}))
    monkeypatch.setattr(actions.handoff, "_store", store)
    yield store
    store.close()
