"""Delivers officer messages, hand-backs and closings to the citizen through Rasa, in order, retrying.

An officer's message, and at a claim the notice that the officer joined, is first put on the citizen's
channel directly where the desk can (the web chat page through the chat relay, WeChat through the
channel's send route on a Rasa server, which does not wait for the conversation's lock), so neither waits
behind the citizen's own queued messages or a slow Rasa; Rasa then records it in the conversation and does
not send it again (the outbox's `sent_at`).

Each item is sent with POST /conversations/{id}/trigger_intent?output_channel=latest: Rasa runs the
hand-off actions and speaks through the channel the citizen last used. Items stay in the store's
outbox until Rasa accepted them, so neither a Rasa nor a desk restart loses one; the outbox id goes
along as an entity so a retried item is acted on once. An item counts as delivered only when the
answer shows the hand-off action acted on it (its DELIVERED_SLOT): Rasa answers 200 even when the
action server call failed and the action's events were dropped.
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
import logging
from typing import Any, Awaitable, Callable, Coroutine, Dict, List, Optional
from urllib.parse import quote

import aiohttp

from bot.desk.store import CaseStore
from bot.desk.transcript import transcript_of
from bot.handoff import (
    DELIVERED_SLOT, DELIVERY_ID_ENTITY, OFFICER_CLOSE_INTENT, OFFICER_HANDBACK_INTENT, OFFICER_JOINED, OFFICER_MESSAGE_INTENT,
    OFFICER_PREFIX, OFFICER_TEXT_ENTITY, WECHAT_OFFICER_ROUTE,
)

DirectSender = Callable[[str, str], Awaitable[bool]]  # (conversation id, text as the citizen sees it) → sent

logger = logging.getLogger(__name__)
INTENTS = {"message": OFFICER_MESSAGE_INTENT, "joined": OFFICER_MESSAGE_INTENT, "handback": OFFICER_HANDBACK_INTENT,
           "close": OFFICER_CLOSE_INTENT}
IDLE_POLL_S = 1.0
# Rasa queues a trigger behind the citizen's own messages; when saturated that takes tens of seconds.
# Giving up sooner only sends the item again (acted on once) and delays that conversation's next one.
REQUEST_TIMEOUT_S = 60  # the default of DESK_DELIVERY_TIMEOUT_SECONDS (Settings.delivery_timeout_s)
MAX_BACKOFF_S = 30
DIRECT_TIMEOUT_S = 5
TRACKER_TIMEOUT_S = 2  # reading a conversation for a case the desk shows: the stored transcript if slower
STOP_WAIT_S = 5
DIRECT_LEASE_S = DIRECT_TIMEOUT_S + 5
DIRECT_RETRY_S = 0.1
TRIED_REMEMBERED = 10_000
LEASE_MARGIN_S = DIRECT_TIMEOUT_S + 10  # an instance that died mid-delivery holds an item the request timeout + this


def direct_text(item: Dict[str, Any]) -> Optional[str]:
    """What the citizen sees of an item the desk may put on their channel itself, None for the others."""
    if item["kind"] == "joined":
        return OFFICER_JOINED
    if item["kind"] == "message" and item.get("text"):
        return OFFICER_PREFIX + item["text"]
    return None


class Deliverer:
    def __init__(self, store: CaseStore, rasa_url: str, rasa_token: Optional[str],
                 direct: Optional[Dict[str, DirectSender]] = None,
                 request_timeout_s: float = REQUEST_TIMEOUT_S) -> None:
        self.store = store
        self.request_timeout_s = request_timeout_s
        self.lease_s = request_timeout_s + LEASE_MARGIN_S
        self.rasa_url = rasa_url.rstrip("/")
        self.rasa_token = rasa_token
        self.direct: Dict[str, DirectSender] = {"wechat": self._send_by_wechat, **(direct or {})}
        self._wake = asyncio.Event()
        self._task: Optional[asyncio.Task] = None
        self._session: Optional[aiohttp.ClientSession] = None
        self._in_flight: Dict[str, asyncio.Task] = {}  # conversation → its item on the way
        self._direct_locks: Dict[str, List[Any]] = {}  # conversation → [lock, users]: its direct sends one at a time
        self._direct_tasks: set = set()
        self._tried_directly: "OrderedDict[int, None]" = OrderedDict()   # items this instance put on a channel once

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.request_timeout_s))
        self._task = asyncio.create_task(self._run(), name="desk-delivery")

    async def stop(self) -> None:
        """Cancels what is on its way (the outbox keeps it) and never waits long: a desk must shut down."""
        tasks = list(self._direct_tasks) + ([self._task] if self._task else [])
        for task in tasks:
            task.cancel()
        if tasks:
            _, stuck = await asyncio.wait(tasks, timeout=STOP_WAIT_S)
            for task in stuck:
                logger.warning("delivery task %s did not stop in %ss", task.get_name(), STOP_WAIT_S)
        if self._session:
            try:
                await asyncio.wait_for(self._session.close(), STOP_WAIT_S)
            except asyncio.TimeoutError:
                logger.warning("the delivery HTTP session did not close in %ss", STOP_WAIT_S)

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

    async def _send_by_wechat(self, openid: str, text: str) -> bool:
        headers = {"Authorization": f"Bearer {self.rasa_token}"} if self.rasa_token else {}
        async with self._session.post(self.rasa_url + WECHAT_OFFICER_ROUTE, json={"openid": openid, "text": text},
                                      headers=headers, timeout=aiohttp.ClientTimeout(total=DIRECT_TIMEOUT_S)) as answer:
            return answer.status == 200 and bool((await answer.json()).get("sent"))

    async def follow(self, case_id: int) -> None:
        """An open case's transcript brought up to date from Rasa's record of the conversation: what the
        bot said and the citizen answered since the last action that wrote to the case (a registration's
        answer, the conversation after a hand-back). Rasa unreachable or slow: the case stays as stored."""
        conversation = await asyncio.to_thread(self.store.open_conversation, case_id)
        if conversation is None or self._session is None:
            return
        params = {"include_events": "AFTER_RESTART", **({"token": self.rasa_token} if self.rasa_token else {})}
        url = f"{self.rasa_url}/conversations/{quote(conversation, safe='')}/tracker"
        try:
            async with self._session.get(url, params=params,
                                         timeout=aiohttp.ClientTimeout(total=TRACKER_TIMEOUT_S)) as response:
                if response.status != 200:
                    raise RuntimeError(f"Rasa answered HTTP {response.status}")
                events = (await response.json()).get("events") or []
            await asyncio.to_thread(self.store.record_transcript, case_id, transcript_of(events))
        except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError, OSError, ValueError) as error:
            logger.warning("could not read conversation %s for case %s (%s); its transcript is as stored",
                           conversation, case_id, str(error) or type(error).__name__)

    def send_now(self, delivery_id: int) -> None:
        """An officer's message just written: on the citizen's channel now, whatever Rasa is busy with."""
        self._in_background(self._send_now(delivery_id), f"direct-{delivery_id}")

    def send_case_now(self, case_id: int) -> None:
        """What a claim queued for the citizen ("the officer joined"): on their channel now."""
        async def send_queued() -> None:
            try:
                for delivery_id in await asyncio.to_thread(self.store.direct_items, case_id):
                    self.send_now(delivery_id)
            except Exception:  # the delivery loop still sends them
                logger.exception("direct delivery for case %s failed", case_id)
        self._in_background(send_queued(), f"direct-case-{case_id}")

    def _in_background(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(work, name=name)
        self._direct_tasks.add(task)   # stop() cancels what is still on its way
        task.add_done_callback(self._direct_tasks.discard)

    def _direct_sender(self, item: Dict[str, Any]) -> Optional[DirectSender]:
        if direct_text(item) is None or item.get("sent_at"):
            return None
        return self.direct.get(item.get("channel") or "")

    async def _send_now(self, delivery_id: int) -> None:
        try:
            item = await asyncio.to_thread(self.store.outbox_item, delivery_id)
            sender = self._direct_sender(item) if item else None
            if sender is None:
                return
            conversation = item["conversation_id"]
            entry = self._direct_locks.setdefault(conversation, [asyncio.Lock(), 0])
            entry[1] += 1
            try:
                async with entry[0]:
                    await self._send_directly_in_order(item["case_id"], delivery_id)
            finally:
                entry[1] -= 1
                if not entry[1]:
                    del self._direct_locks[conversation]
        except Exception:  # the delivery loop still sends it
            logger.exception("direct delivery %s failed", delivery_id)

    async def _send_directly_in_order(self, case_id: int, delivery_id: int) -> None:
        """This item and the case's unsent ones queued before it, oldest first: an officer's quick messages
        reach the page in the order written whichever of their tasks gets here first."""
        for queued_id in await asyncio.to_thread(self.store.direct_items, case_id):
            if queued_id > delivery_id:
                return
            if queued_id != delivery_id and queued_id in self._tried_directly:
                continue   # tried once and failed: the delivery loop sends it through Rasa, not every later message
            queued = await asyncio.to_thread(self.store.outbox_item, queued_id)
            sender = self._direct_sender(queued) if queued else None
            if sender is None or not await self._lease_direct(queued_id):
                continue
            self._tried_directly[queued_id] = None
            while len(self._tried_directly) > TRIED_REMEMBERED:
                self._tried_directly.popitem(last=False)
            try:
                await self._send_directly(sender, queued)
            finally:
                await asyncio.to_thread(self.store.release, queued_id)

    async def _lease_direct(self, delivery_id: int) -> bool:
        """The item is this task's to send: not while the delivery loop (here or in another web instance)
        has it, nor while the "officer joined" notice before it is being sent (for a moment, or until the
        loop, which sends both in order, has them)."""
        deadline = asyncio.get_running_loop().time() + DIRECT_TIMEOUT_S
        while not await asyncio.to_thread(self.store.lease_direct_send, delivery_id, DIRECT_LEASE_S):
            item = await asyncio.to_thread(self.store.outbox_item, delivery_id)
            if not item or item.get("sent_at") or item.get("delivered_at") \
                    or asyncio.get_running_loop().time() > deadline:
                return False
            await asyncio.sleep(DIRECT_RETRY_S)
        return True

    async def _send_directly(self, sender: DirectSender, item: Dict[str, Any]) -> None:
        try:
            sent = await sender(item["conversation_id"], direct_text(item))
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError) as error:
            logger.warning("direct delivery %s to conversation %s failed (%s); Rasa sends it", item["id"],
                           item["conversation_id"], str(error) or type(error).__name__)
            return
        if sent:
            await asyncio.to_thread(self.store.sent_directly, item["id"])

    async def _deliver(self, item: Dict[str, Any]) -> None:
        """One item this instance leased: on the citizen's channel if not yet, then recorded through Rasa."""
        sender = self._direct_sender(item)
        if sender is not None:   # a direct send may have ended just after the lease was read
            fresh = await asyncio.to_thread(self.store.outbox_item, item["id"])
            sender = self._direct_sender({**item, "sent_at": fresh["sent_at"]}) if fresh else sender
        if sender is not None:
            await self._send_directly(sender, item)
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
        items = await asyncio.to_thread(self.store.due_deliveries, 50, self.lease_s)
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
                # not asyncio.wait_for: on Python 3.10 it can swallow the cancel that stop() sends when the
                # event is set at the same moment, and the loop would never end (a hung shutdown)
                woken = asyncio.ensure_future(self._wake.wait())
                try:
                    await asyncio.wait({woken}, timeout=IDLE_POLL_S)
                finally:
                    woken.cancel()
        finally:
            for task in list(self._in_flight.values()):
                task.cancel()
            await asyncio.gather(*self._in_flight.values(), return_exceptions=True)
