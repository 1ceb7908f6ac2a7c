"""Rasa's SQL tracker store, configured by one database URL, with every event encrypted at rest.

SQLite in var/ by default; set TRACKER_STORE_URL (e.g. postgresql://user:pw@host/db) to scale out.
An event's JSON (what the citizen said, slots such as the report draft with card and phone numbers)
is stored Fernet-encrypted with the case store's key; only the columns Rasa queries by (conversation
id, event type, intent and action names, time) stay readable. Rows written before encryption was
introduced (plain JSON) are still read.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
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


def _encrypt_on_insert(mapper, connection, target) -> None:
    if target.data is not None:
        target.data = _cipher.encrypt(target.data)


def _decrypt_on_load(target, context) -> None:
    data = target.data
    if data and not data.lstrip().startswith("{"):  # plain JSON: a row from before encryption
        set_committed_value(target, "data", _cipher.decrypt(data))


def use_cipher(cipher: CaseCipher) -> None:
    """Encrypts this process's tracker events with cipher (Rasa's event table is one class)."""
    global _cipher
    _cipher = cipher
    model = SQLTrackerStore.SQLEvent
    if not event.contains(model, "before_insert", _encrypt_on_insert):
        event.listen(model, "before_insert", _encrypt_on_insert)
        event.listen(model, "load", _decrypt_on_load)


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
        use_cipher(load_cipher(Settings.from_env()))
        _ensure_sqlite_directory(url)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
