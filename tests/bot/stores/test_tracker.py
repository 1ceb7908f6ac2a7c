from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stores.tracker import URLSQLTrackerStore

DOMAIN = Domain.from_yaml('version: "3.1"\nintents: [faq]\n')


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
