"""Open chat pages by conversation: messages pushed by Rasa (an officer's words) reach them at once,
through Redis when several web instances share the work (bot/shared.py)."""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from typing import Any, Dict, Optional, Set

from redis.asyncio import Redis

from bot.shared import KEY_PREFIX, RedisError

logger = logging.getLogger(__name__)

MAX_PAGES_PER_SENDER = 5
QUEUE_SIZE = 100


class ChatHub:
    def __init__(self) -> None:
        self._pages: Dict[str, Set[asyncio.Queue]] = defaultdict(set)

    def subscribe(self, sender: str) -> asyncio.Queue:
        pages = self._pages[sender]
        if len(pages) >= MAX_PAGES_PER_SENDER:
            pages.pop().put_nowait(None)  # the oldest tab stops listening
        queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        pages.add(queue)
        return queue

    def unsubscribe(self, sender: str, queue: asyncio.Queue) -> None:
        pages = self._pages.get(sender)
        if pages is not None:
            pages.discard(queue)
            if not pages:
                del self._pages[sender]

    def publish(self, sender: str, message: Dict[str, Any]) -> int:
        delivered = 0
        for queue in list(self._pages.get(sender, ())):
            try:
                queue.put_nowait(message)
                delivered += 1
            except asyncio.QueueFull:  # that page reloads the transcript when it reconnects
                self.unsubscribe(sender, queue)
                queue.put_nowait(None) if not queue.full() else None
        return delivered

    def close_all(self) -> None:
        for pages in list(self._pages.values()):
            for queue in list(pages):
                try:
                    queue.put_nowait(None)
                except asyncio.QueueFull:
                    pass


class LocalRelay:
    """One web instance: a push reaches the pages this process holds."""

    def __init__(self, hub: ChatHub) -> None:
        self.hub = hub

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def publish(self, sender: str, message: Dict[str, Any]) -> int:
        return self.hub.publish(sender, message)


class RedisRelay:
    """Several web instances: Rasa pushes to any one of them (WEB_URL); it publishes on a Redis channel
    and every instance hands the message to the pages it holds. Pushes published while this instance was
    cut off from Redis are not lost: once it is back, its pages' event streams are ended, and each page
    reconnects and reloads the transcript (chat.js does on every `ready`)."""

    CHANNEL = KEY_PREFIX + "webchat:push"
    RECONNECT_S = 1.0

    def __init__(self, hub: ChatHub, client: Redis) -> None:
        self.hub = hub
        self.client = client
        self.subscribed = asyncio.Event()
        self._task: Optional[asyncio.Task] = None

    async def start(self, wait_s: float = 5.0) -> None:
        self._task = asyncio.create_task(self._listen(), name="webchat-relay")
        try:  # pages may connect right after start-up; do not start without Redis for long
            await asyncio.wait_for(self.subscribed.wait(), wait_s)
        except asyncio.TimeoutError:
            logger.warning("web chat relay: not subscribed to Redis yet; pushes reach this instance's pages "
                           "once it is")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.client.close()

    async def publish(self, sender: str, message: Dict[str, Any]) -> int:
        """How many web instances heard it (the pages are counted by the one holding them)."""
        payload = json.dumps({"sender": sender, "message": message}, ensure_ascii=False)
        try:
            return await self.client.publish(self.CHANNEL, payload)
        except (RedisError, OSError) as error:
            logger.warning("web chat relay: publishing failed (%s); only this instance's pages get it", error)
            return self.hub.publish(sender, message)

    def _deliver(self, raw: bytes) -> None:
        try:
            item = json.loads(raw)
            sender, message = item["sender"], item["message"]
        except (ValueError, KeyError, TypeError):
            logger.warning("web chat relay: a malformed message on %s was ignored", self.CHANNEL)
            return
        if isinstance(sender, str) and isinstance(message, dict):
            self.hub.publish(sender, message)

    async def _listen(self) -> None:
        cut_off = False
        while True:
            pubsub = self.client.pubsub()
            try:
                await pubsub.subscribe(self.CHANNEL)
                self.subscribed.set()
                if cut_off:  # the pages may have missed pushes: they reconnect and reload the transcript
                    self.hub.close_all()
                    cut_off = False
                while True:
                    item = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if item is not None and item.get("type") == "message":
                        self._deliver(item["data"])
            except (RedisError, OSError) as error:
                self.subscribed.clear()
                cut_off = True
                logger.warning("web chat relay: Redis connection lost (%s); reconnecting", error)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await asyncio.shield(pubsub.reset())
            await asyncio.sleep(self.RECONNECT_S)
