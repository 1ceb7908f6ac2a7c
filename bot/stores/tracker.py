"""Rasa's SQL tracker store, configured by one database URL.

SQLite in var/ by default; set TRACKER_STORE_URL (e.g. postgresql://user:pw@host/db) to scale out.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import make_url

URL_ENV = "TRACKER_STORE_URL"


def _ensure_sqlite_directory(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


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
        _ensure_sqlite_directory(url)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
