"""What the WeChat channel remembers between requests, in this process or in Redis for several servers.

WeChat retries a message it got no answer to within 5 s, and a balancer may send the retry to another
Rasa server than the first. So that a message is answered once, whoever gets it:

- the first arrival of a message (by MsgId) answers it: `first_arrival` is true for exactly one
  request; its answer is recorded (`answered`), or marked to go through the customer-service API
  (`send_later`, true for exactly one caller);
- a retry waits for that outcome (`outcome`): the same reply, or "success" when the API delivers it.

It also remembers when each user last wrote (WeChat allows customer-service messages for 48 hours
after that) and the API access token: each token WeChat issues invalidates the previous one within
minutes, so servers that fetched their own would keep locking each other out.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import AsyncIterator, Dict, List, Optional, Tuple, Union

from redis.asyncio import Redis

from bot.shared import KEY_PREFIX

DEDUP_TTL_S = 120          # WeChat retries within 15 s; events are keyed by their time, so this is ample
HEARD_TTL_S = 7 * 24 * 3600  # past the 48-hour window: "too late" is still known for a week
OUTCOME_POLL_S = 0.05
TOKEN_REFRESH_LOCK_S = 15.0


@dataclass(frozen=True)
class Outcome:
    texts: Tuple[str, ...] = ()
    later: bool = False  # the answer goes (or went) through the customer-service API


LATER = Outcome(later=True)


# --- in this process -----------------------------------------------------------------------------
@dataclass
class _Message:
    seen_at: float
    answer: asyncio.Future
    later: bool = False


@dataclass
class LocalState:
    """One Rasa server: everything in this process's memory."""

    _messages: Dict[str, _Message] = field(default_factory=dict)
    _heard: Dict[str, float] = field(default_factory=dict)
    _token: Optional[Tuple[str, float]] = None  # (token, expires at, monotonic)
    _refresh: asyncio.Lock = field(default_factory=asyncio.Lock)

    def _forget_old(self) -> None:
        now = time.monotonic()
        for key in [k for k, m in self._messages.items() if now - m.seen_at > DEDUP_TTL_S]:
            del self._messages[key]

    async def first_arrival(self, key: str) -> bool:
        self._forget_old()
        if key in self._messages:
            return False
        self._messages[key] = _Message(time.monotonic(), asyncio.get_running_loop().create_future())
        return True

    async def answered(self, key: str, texts: List[str]) -> None:
        message = self._messages.get(key)
        if message is not None and not message.answer.done():
            message.answer.set_result(tuple(texts))

    async def send_later(self, key: str) -> bool:
        message = self._messages.get(key)
        if message is None or message.later:
            return False
        message.later = True
        return True

    async def outcome(self, key: str, timeout_s: float) -> Optional[Outcome]:
        message = self._messages.get(key)
        if message is None:
            return None
        if not message.later:
            try:
                texts = await asyncio.wait_for(asyncio.shield(message.answer), timeout_s)
            except asyncio.TimeoutError:
                texts = None
            if texts is not None and not message.later:
                return Outcome(texts)
        return LATER if message.later else None

    async def heard_from(self, openid: str, at: float) -> None:
        self._heard[openid] = at

    async def last_heard(self, openid: str) -> Optional[float]:
        return self._heard.get(openid)

    async def token(self) -> Optional[str]:
        if self._token and time.monotonic() < self._token[1]:
            return self._token[0]
        return None

    async def store_token(self, token: str, ttl_s: float) -> None:
        self._token = (token, time.monotonic() + ttl_s)

    @contextlib.asynccontextmanager
    async def refreshing_token(self) -> AsyncIterator[None]:
        async with self._refresh:
            yield


# --- in Redis, shared by every Rasa server -------------------------------------------------------
class RedisState:
    """Several Rasa servers (REDIS_URL or LOCK_STORE_URL): the same, in Redis, keyed by the app id."""

    def __init__(self, client: Redis, app_id: str) -> None:
        self.client = client
        self.prefix = f"{KEY_PREFIX}wechat:{app_id}:"
        self._local_refresh = asyncio.Lock()

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    async def first_arrival(self, key: str) -> bool:
        return bool(await self.client.set(self._key("msg", key, "seen"), b"1", nx=True, ex=DEDUP_TTL_S))

    async def answered(self, key: str, texts: List[str]) -> None:
        await self.client.set(self._key("msg", key, "answer"), json.dumps(texts, ensure_ascii=False),
                              ex=DEDUP_TTL_S)

    async def send_later(self, key: str) -> bool:
        return bool(await self.client.set(self._key("msg", key, "later"), b"1", nx=True, ex=DEDUP_TTL_S))

    async def outcome(self, key: str, timeout_s: float) -> Optional[Outcome]:
        deadline = time.monotonic() + timeout_s
        while True:
            later, answer = await self.client.mget(self._key("msg", key, "later"), self._key("msg", key, "answer"))
            if later:
                return LATER
            if answer is not None:
                return Outcome(tuple(json.loads(answer)))
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(OUTCOME_POLL_S)

    async def heard_from(self, openid: str, at: float) -> None:
        await self.client.set(self._key("heard", openid), repr(at), ex=HEARD_TTL_S)

    async def last_heard(self, openid: str) -> Optional[float]:
        value = await self.client.get(self._key("heard", openid))
        return float(value) if value is not None else None

    async def token(self) -> Optional[str]:
        value = await self.client.get(self._key("access_token"))
        return value.decode("ascii") if value is not None else None

    async def store_token(self, token: str, ttl_s: float) -> None:
        await self.client.set(self._key("access_token"), token.encode("ascii"), px=max(1, int(ttl_s * 1000)))

    @contextlib.asynccontextmanager
    async def refreshing_token(self) -> AsyncIterator[None]:
        """One refresh at a time across every server (a Redis lock that expires if its holder dies)."""
        async with self._local_refresh:
            async with self.client.lock(self._key("access_token", "refresh"), timeout=TOKEN_REFRESH_LOCK_S,
                                        blocking_timeout=TOKEN_REFRESH_LOCK_S):
                yield


WeChatState = Union[LocalState, RedisState]
