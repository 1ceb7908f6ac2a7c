"""Server-sent events: one stream per open page, fed from a queue; None in the queue ends it."""
from __future__ import annotations

import asyncio
import json
from typing import Any, Callable, Optional

from aiohttp import web

HEARTBEAT_S = 15


def sse_event(kind: str, data: Any, event_id: Optional[int] = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def next_item(queue: asyncio.Queue, timeout_s: float) -> Any:
    """queue.get() within timeout_s (asyncio.TimeoutError after), without asyncio.wait_for: on Python 3.10
    that can swallow a cancel arriving as an item does, and the stream would outlive the shutdown."""
    getter = asyncio.ensure_future(queue.get())
    try:
        done, _ = await asyncio.wait({getter}, timeout=timeout_s)
    finally:
        if not getter.done():
            getter.cancel()
    if not done:
        raise asyncio.TimeoutError
    return getter.result()


async def stream_queue(request: web.Request, queue: asyncio.Queue, encode: Callable[[Any], str],
                       retry_ms: int = 1000,
                       before_start: Optional[Callable[[web.StreamResponse], None]] = None) -> web.StreamResponse:
    """Sends `ready`, then each queued item as encoded, with keep-alives, until None or disconnect."""
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                                           "X-Accel-Buffering": "no"})
    if before_start:
        before_start(response)
    await response.prepare(request)
    try:
        await response.write(f"retry: {retry_ms}\n{sse_event('ready', {})}".encode("utf-8"))
        while True:
            try:
                item = await next_item(queue, HEARTBEAT_S)
            except asyncio.TimeoutError:
                await response.write(b": keep-alive\n\n")
                continue
            if item is None:
                break
            await response.write(encode(item).encode("utf-8"))
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    return response
