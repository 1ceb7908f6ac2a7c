import json
import sqlite3

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.desk.crypto import generate_key
from bot.stores.tracker import URLSQLTrackerStore

DOMAIN = Domain.from_yaml('version: "3.1"\nintents: [faq]\nslots:\n  victim_phone:\n    type: any\n'
                          '    mappings: [{type: custom}]\n')


@pytest.fixture(autouse=True)
def case_key(monkeypatch):
    monkeypatch.setenv("CASE_STORE_KEY", generate_key())


async def test_what_citizens_said_is_encrypted_at_rest_and_read_back(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    db = tmp_path / "tracker.db"
    store = URLSQLTrackerStore(domain=DOMAIN, host=f"sqlite:///{db}")
    said = "我转到6222021234567890128了，我电话13812345678，身份证110101199003071234"
    await store.save(DialogueStateTracker.from_events("enc-1", [
        UserUttered(said, {"name": "faq"}), SlotSet("victim_phone", "13812345678")]))
    raw = db.read_bytes().decode("latin-1")
    for number in ("6222021234567890128", "13812345678", "110101199003071234", "我转到".encode().decode("latin-1")):
        assert number not in raw
    with sqlite3.connect(db) as conn:
        kinds = [k for (k,) in conn.execute("SELECT type_name FROM events WHERE sender_id = 'enc-1'")]
    assert kinds == ["user", "slot"]  # what Rasa queries by stays readable
    restored = await URLSQLTrackerStore(domain=DOMAIN, host=f"sqlite:///{db}").retrieve("enc-1")
    assert restored.latest_message.text == said and restored.get_slot("victim_phone") == "13812345678"


async def test_rows_stored_before_encryption_are_still_read(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    db = tmp_path / "tracker.db"
    store = URLSQLTrackerStore(domain=DOMAIN, host=f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                     ("old-1", "user", 1.0, json.dumps(UserUttered("以前的消息").as_dict())))
    await store.save((await store.retrieve("old-1")).copy())  # nothing new: nothing written
    restored = await store.retrieve("old-1")
    assert restored.latest_message.text == "以前的消息"


async def test_tracker_survives_a_new_store_on_the_same_file(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    url = f"sqlite:///{tmp_path}/nested/dir/tracker.db"
    store = URLSQLTrackerStore(domain=DOMAIN, host=url)
    tracker = DialogueStateTracker.from_events(
        "citizen-1",
        [ActionExecuted("action_listen"), UserUttered("出租银行卡犯法吗", {"name": "faq"}),
         BotUttered("犯法。")],
    )
    await store.save(tracker)

    reopened = URLSQLTrackerStore(domain=DOMAIN, host=url)
    restored = await reopened.retrieve("citizen-1")
    texts = [e.text for e in restored.events if isinstance(e, (UserUttered, BotUttered))]
    assert texts == ["出租银行卡犯法吗", "犯法。"]


async def test_environment_url_overrides_the_endpoint_default(tmp_path, monkeypatch):
    target = tmp_path / "from_env.db"
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{target}")
    store = URLSQLTrackerStore(domain=DOMAIN, host=f"sqlite:///{tmp_path}/ignored.db")
    await store.save(DialogueStateTracker.from_events("c2", [UserUttered("你好")]))
    assert target.exists()
    assert not (tmp_path / "ignored.db").exists()


async def test_a_postgresql_url_switches_the_store_to_postgresql(postgres_url, monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", postgres_url)
    store = URLSQLTrackerStore(domain=DOMAIN, host="sqlite:///var/not-used.db")
    assert store.engine.dialect.name == "postgresql"
    await store.save(DialogueStateTracker.from_events(
        "pg-citizen", [UserUttered("接到96110的電話是真的嗎", {"name": "faq"}), BotUttered("是真的。")]))
    restored = await URLSQLTrackerStore(domain=DOMAIN, host=postgres_url).retrieve("pg-citizen")
    assert [e.text for e in restored.events] == ["接到96110的電話是真的嗎", "是真的。"]
