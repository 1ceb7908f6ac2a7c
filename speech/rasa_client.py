"""Turns of a call with Rasa through the voice channel (bot/channels/voice.py)."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import List, Optional

import aiohttp

from bot.handoff import HANDOFF_SLOT
from speech.errors import SpeechError

TURN_TIMEOUT_S = 30


class RasaUnavailable(SpeechError):
    code = "rasa-unavailable"


@dataclass(frozen=True)
class Turn:
    texts: List[str] = field(default_factory=list)
    requested_slot: Optional[str] = None
    handoff_case_id: Optional[int] = None


class VoiceRasa:
    def __init__(self, session: aiohttp.ClientSession, rasa_url: str, token: Optional[str] = None) -> None:
        self._session = session
        self._url = rasa_url.rstrip("/") + "/webhooks/voice/webhook"
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def turn(self, call_id: str, text: str) -> Turn:
        try:
            async with self._session.post(self._url, json={"sender": call_id, "message": text}, headers=self._headers,
                                          timeout=aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"voice channel answered HTTP {response.status}")
                body = await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise RasaUnavailable(str(error)) from error
        return Turn([m["text"] for m in body.get("messages") or [] if m.get("text")],
                    body.get("requested_slot"), body.get(HANDOFF_SLOT))
