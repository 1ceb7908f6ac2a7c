"""Delivers officer messages, hand-backs and closings to the citizen through Rasa, in order, retrying.

Each item is sent with POST /conversations/{id}/trigger_intent?output_channel=latest: Rasa runs the
hand-off actions and speaks through the channel the citizen last used. Items stay in the store's
outbox until Rasa accepted them, so neither a Rasa nor a desk restart loses one; the outbox id goes
along as an entity so a retried item is acted on once. An item counts as delivered only when the
answer shows the hand-off action acted on it (its DELIVERED_SLOT): Rasa answers 200 even when the
action server call failed and the action's events were dropped.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional
from urllib.parse import quote

import aiohttp

from bot.desk.store import CaseStore
from bot.handoff import (
    DELIVERED_SLOT, DELIVERY_ID_ENTITY, OFFICER_CLOSE_INTENT, OFFICER_HANDBACK_INTENT, OFFICER_MESSAGE_INTENT,
    OFFICER_TEXT_ENTITY,
)

logger = logging.getLogger(__name__)
INTENTS = {"message": OFFICER_MESSAGE_INTENT, "joined": OFFICER_MESSAGE_INTENT, "handback": OFFICER_HANDBACK_INTENT,
           "close": OFFICER_CLOSE_INTENT}
IDLE_POLL_S = 1.0
# Rasa queues a trigger behind the citizen's own messages; when saturated that takes tens of seconds.
# Giving up sooner only sends the item again (acted on once) and delays that conversation's next one.
REQUEST_TIMEOUT_S = 120
MAX_BACKOFF_S = 30


class Deliverer:
    def __init__(self, store: CaseStore, rasa_url: str, rasa_token: Optional[str]) -> None:
        self.store = store
        self.rasa_url = rasa_url.rstrip("/")
        self.rasa_token = rasa_token
        self._wake = asyncio.Event()
        self._task: Optional[asyncio.Task] = None
        self._session: Optional[aiohttp.ClientSession] = None
        self._in_flight: Dict[str, asyncio.Task] = {}  # conversation → its item on the way

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S))
        self._task = asyncio.create_task(self._run(), name="desk-delivery")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._session:
            await self._session.close()

    async def _send(self, item: Dict[str, Any]) -> None:
        entities = {DELIVERY_ID_ENTITY: str(item["id"])}
        if item["kind"] == "message":
            entities[OFFICER_TEXT_ENTITY] = item["text"] or ""
        params = {"output_channel": "latest"}
        if self.rasa_token:
            params["token"] = self.rasa_token
        url = f"{self.rasa_url}/conversations/{quote(item['conversation_id'], safe='')}/trigger_intent"
        async with self._session.post(url, params=params,
                                      json={"name": INTENTS[item["kind"]], "entities": entities}) as response:
            if response.status != 200:
                raise RuntimeError(f"Rasa answered HTTP {response.status}: {(await response.text())[:200]}")
            answer = await response.json()
        slots = (answer.get("tracker") or {}).get("slots") or {}
        if slots.get(DELIVERED_SLOT) != str(item["id"]):
            raise RuntimeError("Rasa answered, but the hand-off action did not act on it (its events were lost)")

    async def _deliver(self, item: Dict[str, Any]) -> None:
        try:
            await self._send(item)
        except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError, OSError) as error:
            backoff = min(MAX_BACKOFF_S, 2 ** item["attempts"])
            reason = str(error) or type(error).__name__  # a timeout has no message
            logger.warning("delivery %s to conversation %s failed (%s); retrying in %ss", item["id"],
                           item["conversation_id"], reason, backoff)
            await asyncio.to_thread(self.store.delivery_failed, item["id"], reason, backoff)
            return
        await asyncio.to_thread(self.store.delivered, item["id"])

    def _finished(self, task: asyncio.Task, conversation_id: str) -> None:
        self._in_flight.pop(conversation_id, None)
        if not task.cancelled() and task.exception():
            logger.error("delivery to conversation %s failed", conversation_id, exc_info=task.exception())
        self.wake()  # the conversation's next item may be due now

    async def start_due(self) -> int:
        """Starts sending each conversation's next due item unless one is on its way already: a
        conversation Rasa is slow to answer holds up only itself. Returns how many were started."""
        items = await asyncio.to_thread(self.store.due_deliveries)
        started = 0
        for item in items:
            conversation_id = item["conversation_id"]
            if conversation_id in self._in_flight:
                continue
            task = asyncio.create_task(self._deliver(item), name=f"delivery-{item['id']}")
            self._in_flight[conversation_id] = task
            task.add_done_callback(lambda done, c=conversation_id: self._finished(done, c))
            started += 1
        return started

    async def _run(self) -> None:
        try:
            while True:
                self._wake.clear()
                try:
                    await self.start_due()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    logger.exception("delivery loop failed; retrying")
                try:
                    await asyncio.wait_for(self._wake.wait(), IDLE_POLL_S)
                except asyncio.TimeoutError:
                    pass
        finally:
            for task in list(self._in_flight.values()):
                task.cancel()
            await asyncio.gather(*self._in_flight.values(), return_exceptions=True)
