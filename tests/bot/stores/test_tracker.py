import json
import sqlite3

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
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


def _turn(text: str):
    return [ActionExecuted("action_listen"), UserUttered(text, {"name": "faq"}), ActionExecuted("utter_faq"),
            BotUttered(f"答：{text}")]


async def _say(store, sender: str, text: str) -> DialogueStateTracker:
    tracker = await store.retrieve(sender) or DialogueStateTracker.from_events(sender, [], DOMAIN.slots)
    for event in _turn(text):
        tracker.update(event)
    await store.save(tracker)
    return tracker


def _texts(tracker):
    return [e.text for e in tracker.events if isinstance(e, (UserUttered, BotUttered))]


async def test_a_conversation_read_from_memory_equals_what_rasa_reads_from_the_database(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    url = f"sqlite:///{tmp_path}/tracker.db"
    store = URLSQLTrackerStore(domain=DOMAIN, host=url)
    for text in ("你好", "出租银行卡犯法吗", "那怎么办"):
        await _say(store, "c1", text)
    assert store.recent.get("c1") is not None
    monkeypatch.setenv("RASA_TUNING", "off")
    as_shipped = URLSQLTrackerStore(domain=DOMAIN, host=url)
    assert as_shipped.recent is None
    from_memory, from_database = await store.retrieve("c1"), await as_shipped.retrieve("c1")
    assert [e.as_dict() for e in from_memory.events] == [e.as_dict() for e in from_database.events]
    assert _texts(from_memory) == ["你好", "答：你好", "出租银行卡犯法吗", "答：出租银行卡犯法吗", "那怎么办", "答：那怎么办"]


async def test_rows_another_rasa_server_wrote_are_read_before_the_next_turn(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    url = f"sqlite:///{tmp_path}/tracker.db"
    first, second = URLSQLTrackerStore(domain=DOMAIN, host=url), URLSQLTrackerStore(domain=DOMAIN, host=url)
    await _say(first, "c2", "第一句")
    await _say(second, "c2", "第二句")      # the balancer sent this turn to the other server
    tracker = await _say(first, "c2", "第三句")
    assert _texts(tracker) == ["第一句", "答：第一句", "第二句", "答：第二句", "第三句", "答：第三句"]
    with sqlite3.connect(tmp_path / "tracker.db") as conn:
        (rows,) = conn.execute("SELECT count(*) FROM events WHERE sender_id = 'c2'").fetchone()
    assert rows == 12   # each event stored once


async def test_a_session_another_server_started_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    url = f"sqlite:///{tmp_path}/tracker.db"
    first, second = URLSQLTrackerStore(domain=DOMAIN, host=url), URLSQLTrackerStore(domain=DOMAIN, host=url)
    await _say(first, "c3", "昨天的话")
    tracker = await second.retrieve("c3")
    tracker.update(SessionStarted(timestamp=tracker.events[-1].timestamp + 10))
    for event in _turn("今天的话"):
        event.timestamp = tracker.events[-1].timestamp + 1
        tracker.update(event)
    await second.save(tracker)
    assert _texts(await first.retrieve("c3")) == ["今天的话", "答：今天的话"]


async def test_memory_holds_at_most_its_budget_and_forgets_the_oldest(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    monkeypatch.setenv("TRACKER_CACHE_MB", "0.01")   # ~10 KB: one of these conversations (~7 KB of JSON)
    store = URLSQLTrackerStore(domain=DOMAIN, host=f"sqlite:///{tmp_path}/tracker.db")
    long_story = "我接到一个自称公安局的电话" * 40
    await _say(store, "old", long_story)
    await _say(store, "new", long_story)
    assert store.recent.get("old") is None and store.recent.get("new") is not None and len(store.recent) == 1
    assert _texts(await store.retrieve("old")) == [long_story, "答：" + long_story]   # read from the database


async def test_sqlite_runs_in_write_ahead_mode(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    URLSQLTrackerStore(domain=DOMAIN, host=f"sqlite:///{tmp_path}/tracker.db")
    with sqlite3.connect(tmp_path / "tracker.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_conversations_alternating_between_two_servers_on_postgresql(postgres_url, monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", postgres_url)
    first, second = URLSQLTrackerStore(domain=DOMAIN), URLSQLTrackerStore(domain=DOMAIN)
    sender = f"pg-alternating-{id(first)}"
    for i in range(6):
        await _say((first, second)[i % 2], sender, f"第{i}句")
    assert _texts(await first.retrieve(sender))[::2] == [f"第{i}句" for i in range(6)]
