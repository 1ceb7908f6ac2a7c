"""The lock store two Rasa servers share: Rasa's RedisLockStore by URL, with atomic ticket updates, against
a real Redis (tests/redis_server.py). Two stores stand for two servers; each runs in its own thread with its
own event loop, as two processes would."""
import asyncio
import threading
import time

import pytest
from rasa.core.lock_store import LockError, RedisLockStore

from bot.rasa_server import REDIS_LOCK_STORE
from bot.stores.lock import URLRedisLockStore, redis_arguments
from rasa.shared.utils.common import class_from_module_path

pytestmark = pytest.mark.integration


def test_the_url_gives_host_port_database_credentials_and_tls():
    assert redis_arguments("rediss://rasa:p%40ss%3Aword@redis.internal:6380/3") == {
        "host": "redis.internal", "port": 6380, "db": 3, "username": "rasa", "password": "p@ss:word",
        "use_ssl": True, "key_prefix": "hotline"}
    assert redis_arguments("redis://127.0.0.1")["port"] == 6379 and redis_arguments("redis://h/")["db"] == 0
    with pytest.raises(ValueError, match="database"):
        redis_arguments("redis://h:6379/locks")


def test_endpoints_yml_names_this_class_when_a_lock_store_url_is_set():
    assert class_from_module_path(REDIS_LOCK_STORE) is URLRedisLockStore
    assert issubclass(URLRedisLockStore, RedisLockStore)  # Rasa treats it as its own Redis lock store


def store_at(redis_server, monkeypatch, db: int = 5) -> URLRedisLockStore:
    monkeypatch.setenv("LOCK_STORE_URL", redis_server.url(db))
    return URLRedisLockStore()


def test_locks_live_in_redis_under_the_projects_prefix(redis_server, monkeypatch):
    store = store_at(redis_server, monkeypatch)
    ticket = store.issue_ticket("conv-prefix")
    assert store.red.exists("hotline:lock:conv-prefix")
    store.cleanup("conv-prefix", ticket)
    assert not store.red.exists("hotline:lock:conv-prefix")


def test_a_wrong_password_is_refused(redis_server, monkeypatch):
    monkeypatch.setenv("LOCK_STORE_URL", f"redis://:wrong@127.0.0.1:{redis_server.port}/5")
    with pytest.raises(LockError):
        URLRedisLockStore().issue_ticket("conv-auth")


TURN_TIMEOUT_S = 3.0


def hammer(store: RedisLockStore, conversation: str, rounds: int, inside: list, overlaps: list,
           errors: list, failed: threading.Event) -> None:
    """One server handling `rounds` messages of one conversation, as fast as they come."""
    async def turn() -> None:
        async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.001):
            inside.append(1)
            if len(inside) > 1:
                overlaps.append(1)
            await asyncio.sleep(0.002)  # the turn: others must wait
            inside.pop()

    async def run() -> None:
        for _ in range(rounds):
            if failed.is_set():  # one failure is enough: the other server stops too
                return
            try:
                await asyncio.wait_for(turn(), TURN_TIMEOUT_S)
            except (LockError, asyncio.TimeoutError) as error:  # refused, or waiting for a ticket that is gone
                errors.append(error)
            if overlaps or errors:
                failed.set()
    asyncio.run(run())


def run_two_servers(first: RedisLockStore, second: RedisLockStore, rounds: int = 150):
    inside, overlaps, errors, failed = [], [], [], threading.Event()
    threads = [threading.Thread(target=hammer, args=(store, "conv-race", rounds, inside, overlaps, errors, failed))
               for store in (first, second)]
    started = time.monotonic()
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert not any(t.is_alive() for t in threads)
    return len(overlaps), len(errors), time.monotonic() - started


def test_two_servers_never_handle_one_conversation_at_once(redis_server, monkeypatch):
    first, second = store_at(redis_server, monkeypatch), store_at(redis_server, monkeypatch)
    overlaps, errors, _ = run_two_servers(first, second)
    assert (overlaps, errors) == (0, 0)
    assert not first.red.exists("hotline:lock:conv-race")  # the last one out removed the lock


def test_rasas_own_redis_lock_store_loses_tickets_between_two_servers(redis_server):
    """Why the subclass exists: Rasa's RedisLockStore reads, changes and writes a lock in three steps, so
    two servers overwrite each other's tickets: two turns at once, a turn refused with LockError, or one
    waiting for good for a ticket another server's write removed."""
    arguments = {**redis_arguments(redis_server.url(6)), "key_prefix": "stock"}
    overlaps, errors, _ = run_two_servers(RedisLockStore(**arguments), RedisLockStore(**arguments))
    assert overlaps + errors > 0
