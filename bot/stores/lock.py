"""Rasa's RedisLockStore, configured by one URL (LOCK_STORE_URL), as the tracker store is by its URL.

Rasa handles one conversation at a time by a ticket lock. With one server the locks live in its
memory (Rasa's InMemoryLockStore, the default); several servers behind a balancer must share them, or
two of them would answer the same conversation at once and one would overwrite the other's events.
endpoints.yml names the lock store by `${LOCK_STORE_TYPE}`, which bot.rasa_server sets from the URL.

Rasa's RedisLockStore reads a conversation's lock, changes it and writes it back in separate steps,
which is safe only inside one process. Between servers those steps interleave: a ticket issued by one
server is overwritten by another's write, and its turn then either runs alongside another turn, is
refused, or waits for good (tests/bot/stores/test_lock.py shows it). Here every change of a lock is
one Redis transaction (WATCH/MULTI, retried when another server changed the lock meanwhile). The
stored format is Rasa's own.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Dict, Optional, Tuple, TypeVar
from urllib.parse import unquote, urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import WatchError

from bot.settings import Settings

T = TypeVar("T")

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
        url = Settings.from_env().lock_store_url
        if not url:
            raise ValueError(f"{TYPE_ENV} names the Redis lock store but {URL_ENV} is not set")
        super().__init__(**redis_arguments(url))

    def _change(self, conversation_id: str,
                change: Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], T]]) -> T:
        """Applies change to the stored lock atomically: (the lock to store or None to delete it, result)."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    changed, result = change(lock)
                    pipe.multi()
                    if changed is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, changed.dumps())
                    pipe.execute()
                    return result
                except WatchError:
                    continue  # another server changed this lock between our read and write: again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)
        try:
            return self._change(conversation_id, issue)
        except Exception as error:  # as Rasa's: the turn fails with a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def expire(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None
        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None
        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finishes the ticket and removes the lock if nobody waits, in one step: a ticket another server
        issues in between is never deleted with the lock."""
        def finish(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None
        self._change(conversation_id, finish)
