"""Rasa's RedisLockStore, configured by one URL (LOCK_STORE_URL), as the tracker store is by its URL.

Rasa handles one conversation at a time by a ticket lock. With one server the locks live in its
memory (Rasa's InMemoryLockStore, the default); several servers behind a balancer must share them, or
two of them would answer the same conversation at once and one would overwrite the other's events.
endpoints.yml names the lock store by `${LOCK_STORE_TYPE}`, which bot.rasa_server sets from the URL.
"""
from __future__ import annotations

import os
from typing import Any, Dict, Optional
from urllib.parse import unquote, urlsplit

from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

URL_ENV = "LOCK_STORE_URL"
TYPE_ENV = "LOCK_STORE_TYPE"
KEY_PREFIX = "hotline"  # keys are hotline:lock:<conversation>: the Redis may serve others too


def redis_arguments(url: str) -> Dict[str, Any]:
    """RedisLockStore's arguments from redis://[[user]:password@]host[:port][/db] (rediss:// for TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ValueError(f"{URL_ENV} must be a redis:// URL")  # never echo it: it may hold a password
    database = parts.path.strip("/") or "0"
    if not database.isdigit():
        raise ValueError(f"{URL_ENV}: the database must be a number (redis://host:6379/0)")
    return {"host": parts.hostname, "port": parts.port or 6379, "db": int(database),
            "username": unquote(parts.username) if parts.username else None,
            "password": unquote(parts.password) if parts.password else None,
            "use_ssl": parts.scheme == "rediss", "key_prefix": KEY_PREFIX}


class URLRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None) -> None:
        url = os.environ.get(URL_ENV, "")
        if not url:
            raise ValueError(f"{TYPE_ENV} names the Redis lock store but {URL_ENV} is not set")
        super().__init__(**redis_arguments(url))
