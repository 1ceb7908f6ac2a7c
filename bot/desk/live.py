"""Live updates for open desk pages: the store's change feed, polled and fanned out to subscribers.

Polling the feed table (not an in-process signal) means a case opened by the action server, or by
another desk process, shows up too, and a restarted desk loses nothing.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Set

from bot.desk.store import CaseStore

logger = logging.getLogger(__name__)
POLL_INTERVAL_S = 0.2
SUBSCRIBER_QUEUE = 500


class LiveFeed:
    def __init__(self, store: CaseStore, poll_interval_s: float = POLL_INTERVAL_S) -> None:
        self.store = store
        self.poll_interval_s = poll_interval_s
        self._subscribers: Set[asyncio.Queue] = set()
        self._task: asyncio.Task | None = None
        self.last_id = 0

    async def start(self) -> None:
        self.last_id = await asyncio.to_thread(self.store.last_event_id)
        self._task = asyncio.create_task(self._run(), name="desk-live-feed")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for queue in list(self._subscribers):
            queue.put_nowait(None)  # tells the stream to end

    def subscribe(self) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(SUBSCRIBER_QUEUE)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        self._subscribers.discard(queue)

    def _publish(self, events: List[Dict[str, Any]]) -> None:
        for queue in list(self._subscribers):
            for event in events:
                try:
                    queue.put_nowait(event)
                except asyncio.QueueFull:  # a stalled page: it reloads the queue when it reconnects
                    self._subscribers.discard(queue)
                    queue = None
                    break

    async def _run(self) -> None:
        while True:
            try:
                events = await asyncio.to_thread(self.store.events_after, self.last_id)
                if events:
                    self.last_id = events[-1]["id"]
                    self._publish(events)
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("reading the case change feed failed; retrying")
                await asyncio.sleep(1)
            await asyncio.sleep(self.poll_interval_s)
