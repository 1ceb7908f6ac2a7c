"""Rasa's SQL tracker store, configured by one database URL, with every event encrypted at rest, and the
current session of recent conversations kept in memory so a turn does not re-read and decrypt it.

SQLite in var/ by default; set TRACKER_STORE_URL (e.g. postgresql://user:pw@host/db) to scale out.
An event's JSON (what the citizen said, slots such as the report draft with card and phone numbers)
is stored Fernet-encrypted with the case store's key; only the columns Rasa queries by (conversation
id, event type, intent and action names, time) stay readable. Rows written before encryption was
introduced (plain JSON) are still read.

The memory holds what the database holds, never more: every read asks the database for the rows stored
after the last one it knows (another Rasa server may have written them), and a conversation whose new
rows start a session, or that is unknown, is read whole as Rasa reads it. Rasa's lock makes one server
at a time write a conversation, so rows of one conversation arrive in id order.
"""
from __future__ import annotations

import itertools
import json
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, List, Optional, Sequence, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.orm.attributes import set_committed_value

from bot.desk.crypto import CaseCipher, load_cipher
from bot.settings import Settings

URL_ENV = "TRACKER_STORE_URL"
_cipher: Optional[CaseCipher] = None


def _ensure_sqlite_directory(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def _plain(data: Optional[str]) -> Optional[str]:
    if data and not data.lstrip().startswith("{"):  # plain JSON: a row from before encryption
        return _cipher.decrypt(data)
    return data


def _encrypt_on_insert(mapper, connection, target) -> None:
    if target.data is not None:
        target.data = _cipher.encrypt(target.data)


def _decrypt_on_load(target, context) -> None:
    plain = _plain(target.data)
    if plain is not target.data:
        set_committed_value(target, "data", plain)


def _write_ahead(connection, record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def use_cipher(cipher: CaseCipher) -> None:
    """Encrypts this process's tracker events with cipher (Rasa's event table is one class)."""
    global _cipher
    _cipher = cipher
    model = SQLTrackerStore.SQLEvent
    if not event.contains(model, "before_insert", _encrypt_on_insert):
        event.listen(model, "before_insert", _encrypt_on_insert)
        event.listen(model, "load", _decrypt_on_load)


@dataclass
class StoredSession:
    """A conversation's current session as stored: its events' JSON and the id of its last row."""
    last_id: int
    events: List[str]

    @property
    def size(self) -> int:
        return sum(len(e) for e in self.events)


class RecentSessions:
    """The current sessions of the conversations used last, up to max_bytes of event JSON."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._sessions: "OrderedDict[str, StoredSession]" = OrderedDict()
        self._bytes = 0

    def get(self, sender_id: str) -> Optional[StoredSession]:
        return self._sessions.get(sender_id)

    def put(self, sender_id: str, session: StoredSession) -> None:
        self.drop(sender_id)
        size = session.size
        if size > self.max_bytes:
            return
        self._sessions[sender_id] = session
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, oldest = self._sessions.popitem(last=False)
            self._bytes -= oldest.size

    def drop(self, sender_id: str) -> None:
        old = self._sessions.pop(sender_id, None)
        if old is not None:
            self._bytes -= old.size

    def __len__(self) -> int:
        return len(self._sessions)


class URLSQLTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = os.environ.get(URL_ENV) or host
        if not url or "://" not in url:
            raise ValueError(f"{URL_ENV} or the endpoint's url must be a database URL, got {url!r}")
        settings = Settings.from_env()
        use_cipher(load_cipher(settings))
        _ensure_sqlite_directory(url)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        self.recent: Optional[RecentSessions] = None
        if settings.rasa_tuning:
            self.recent = RecentSessions(int(settings.tracker_cache_mb * 1024 * 1024))
            if self.engine.dialect.name == "sqlite":
                self._keep_sqlite_open(url)

    def _keep_sqlite_open(self, url: str) -> None:
        """SQLAlchemy 1.4 opens and closes a SQLite file per session, and closing the last connection of a
        write-ahead log checkpoints it: the file stays open here (one server, its one event loop), in WAL
        mode, fsynced at checkpoints rather than every commit (a power cut may lose the last turns, never
        corrupts; the cases officers work from are in the case store, which syncs every commit)."""
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4,
                                       connect_args={"check_same_thread": False})
        event.listen(self.engine, "connect", _write_ahead)
        self.engine.connect().close()   # the file is in WAL mode from now on
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool
                        ) -> Optional[DialogueStateTracker]:
        if self.recent is None or fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            stored = self._current_session(session, sender_id)
        if not self.domain or not stored.events:
            return None
        return DialogueStateTracker.from_dict(sender_id, [json.loads(e) for e in stored.events], self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if self.recent is None:
            return await super().save(tracker)
        await self.stream_events(tracker)
        table = self.SQLEvent.__table__
        with self.session_scope() as session:
            stored = self._current_session(session, tracker.sender_id)
            new = [e.as_dict() for e in itertools.islice(tracker.events, len(stored.events), None)]
            if not new:
                return
            texts = [json.dumps(data) for data in new]
            session.execute(table.insert(), [
                {"sender_id": tracker.sender_id, "type_name": data.get("event"), "timestamp": data.get("timestamp"),
                 "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                 "action_name": data.get("name"), "data": _cipher.encrypt(text)}
                for data, text in zip(new, texts)])
            session.commit()
            if any(data.get("event") == SessionStarted.type_name for data in new):
                self.recent.drop(tracker.sender_id)   # a new session: read whole next time
                return
            last_id = session.execute(sa.select(sa.func.max(table.c.id)).where(
                table.c.sender_id == tracker.sender_id)).scalar()
            self.recent.put(tracker.sender_id, StoredSession(last_id, stored.events + texts))

    def _current_session(self, session: Any, sender_id: Text) -> StoredSession:
        """The conversation's current session as the database holds it now."""
        known = self.recent.get(sender_id)
        if known is not None:
            table = self.SQLEvent.__table__
            rows: Sequence[Any] = session.execute(
                sa.select(table.c.id, table.c.type_name, table.c.data)
                .where(table.c.sender_id == sender_id, table.c.id > known.last_id).order_by(table.c.id)).all()
            if not rows:
                return known
            if all(row.type_name != SessionStarted.type_name for row in rows):
                known = StoredSession(rows[-1].id, known.events + [_plain(row.data) for row in rows])
                self.recent.put(sender_id, known)
                return known
        rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
        stored = StoredSession(rows[-1].id if rows else 0, [row.data for row in rows])
        if rows:
            self.recent.put(sender_id, stored)
        return stored
