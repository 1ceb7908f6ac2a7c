"""Talks to the Rasa server: the web chat channel for messages, the HTTP API for history."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import aiohttp

from bot.handoff import HANDOFF_SLOT
from bot.web.errors import AssistantUnavailable

REPLY_TIMEOUT_S = 30


class RasaClient:
    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: Optional[str]) -> None:
        self._session = session
        self._base_url = base_url.rstrip("/")
        self._token = token

    async def _request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        timeout = aiohttp.ClientTimeout(total=REPLY_TIMEOUT_S)
        try:
            async with self._session.request(
                method, self._base_url + path, timeout=timeout, **kwargs
            ) as response:
                if response.status != 200:
                    raise AssistantUnavailable()
                return await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise AssistantUnavailable() from error

    async def send(self, sender: str, text: str) -> List[Dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        replies = await self._request_json(
            "POST", "/webhooks/webchat/webhook", json={"sender": sender, "message": text}, headers=headers
        )
        return [reply for reply in replies if isinstance(reply, dict)]

    async def transcript(self, sender: str) -> Dict[str, Any]:
        """The conversation so far ([{"from": "user"|"bot", "text": ...}]) and whether an officer has it."""
        params = {"include_events": "ALL"}
        if self._token:
            params["token"] = self._token
        tracker = await self._request_json(
            "GET", f"/conversations/{quote(sender, safe='')}/tracker", params=params
        )
        messages = [
            {"from": event["event"], "text": event["text"]}
            for event in tracker.get("events") or []
            if event.get("event") in ("user", "bot") and event.get("text")
            and not (event.get("metadata") or {}).get("is_external")  # the desk's triggers
        ]
        officer = (tracker.get("slots") or {}).get(HANDOFF_SLOT) is not None
        return {"messages": messages, "with_officer": officer}
