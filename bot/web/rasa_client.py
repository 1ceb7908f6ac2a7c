"""Talks to the Rasa server: the REST channel for messages, the HTTP API for history."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import aiohttp

from bot.web.errors import AssistantUnavailable

REPLY_TIMEOUT_S = 30


class RasaClient:
    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: Optional[str]) -> None:
        self._session = session
        self._base_url = base_url.rstrip("/")
        self._token = token

    async def send(self, sender: str, text: str) -> List[Dict[str, Any]]:
        url = f"{self._base_url}/webhooks/rest/webhook"
        try:
            async with self._session.post(
                url, json={"sender": sender, "message": text},
                timeout=aiohttp.ClientTimeout(total=REPLY_TIMEOUT_S),
            ) as response:
                if response.status != 200:
                    raise AssistantUnavailable()
                replies = await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise AssistantUnavailable() from error
        return [reply for reply in replies if isinstance(reply, dict)]

    async def transcript(self, sender: str) -> List[Dict[str, str]]:
        """The conversation so far as [{"from": "user"|"bot", "text": ...}]."""
        url = f"{self._base_url}/conversations/{quote(sender, safe='')}/tracker"
        params = {"include_events": "ALL"}
        if self._token:
            params["token"] = self._token
        try:
            async with self._session.get(
                url, params=params, timeout=aiohttp.ClientTimeout(total=REPLY_TIMEOUT_S)
            ) as response:
                if response.status != 200:
                    raise AssistantUnavailable()
                tracker = await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise AssistantUnavailable() from error
        lines = []
        for event in tracker.get("events") or []:
            kind = event.get("event")
            if kind in ("user", "bot") and event.get("text"):
                lines.append({"from": kind, "text": event["text"]})
        return lines
