"""Open chat pages by conversation: messages pushed by Rasa (an officer's words) reach them at once."""
from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any, Dict, Set

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
