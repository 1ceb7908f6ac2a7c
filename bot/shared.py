"""Redis for what several processes of one kind share (REDIS_URL, or the lock store's Redis).

Two web instances, or two Rasa servers, must agree on a few things that one process keeps in its
memory: which web instance holds a citizen's page (web-chat pushes go through pub/sub), which WeChat
messages were already answered, WeChat's access token. Without a Redis URL (one process of each, the
default) they stay in memory. Cases, sessions, login back-off and the desk's change feed are in the
case store already.
"""
from __future__ import annotations

import redis.asyncio as redis_asyncio
from redis.exceptions import RedisError

KEY_PREFIX = "hotline:"  # every key, so the Redis may also hold Rasa's locks (hotline:lock:…) or others' data
COMMAND_TIMEOUT_S = 5.0

__all__ = ["KEY_PREFIX", "RedisError", "redis_client"]


def redis_client(url: str) -> redis_asyncio.Redis:
    """A client for this process's event loop; connections are opened on first use."""
    return redis_asyncio.Redis.from_url(url, socket_timeout=COMMAND_TIMEOUT_S,
                                        socket_connect_timeout=COMMAND_TIMEOUT_S, health_check_interval=30)
