"""The citizen web chat: the REST protocol at /webhooks/webchat/webhook, plus pushed messages.

Replies to a citizen's message come back in the HTTP response, as with the REST channel. Messages
that start elsewhere (an officer during a hand-off) are pushed to the web service, which forwards
them to the open chat page; the page reloads the transcript, so a missed push loses nothing.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Optional, Text

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel

from bot.channels.rest import ServiceRestInput
from bot.handoff import SENT_DIRECTLY
from bot.privacy import install_log_masking

logger = logging.getLogger(__name__)
PUSH_TIMEOUT_S = 5


class WebChatPushOutput(OutputChannel):
    def __init__(self, push_url: str, push_token: Optional[str]) -> None:
        self.push_url = push_url
        self.push_token = push_token

    @classmethod
    def name(cls) -> Text:
        return WebChatInput.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        if (message.get("custom") or {}).get(SENT_DIRECTLY):
            return  # an officer's message the desk pushed to the page already; the page's transcript has it
        headers = {"Authorization": f"Bearer {self.push_token}"} if self.push_token else {}
        body = {"recipient_id": recipient_id, "text": message.get("text")}
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=PUSH_TIMEOUT_S)) as session:
                async with session.post(self.push_url, json=body, headers=headers) as response:
                    if response.status >= 400:
                        logger.warning("web chat push for %s refused: HTTP %s", recipient_id, response.status)
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            # The message is in the tracker; the page shows it when it next loads the transcript.
            logger.warning("web chat push for %s failed: %s", recipient_id, error)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})


class WebChatInput(ServiceRestInput):
    """Called only by the web service (bot/web), with the service token it also uses for pushes."""

    def __init__(self, push_url: str, push_token: Optional[str] = None) -> None:
        super().__init__(push_token)
        self.push_url = push_url
        self.push_token = push_token

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        install_log_masking()  # this runs in the Rasa server: its logs are masked too
        credentials = credentials or {}
        if not credentials.get("push_url"):
            raise ValueError("webchat channel needs push_url in credentials.yml")
        return cls(credentials["push_url"], credentials.get("push_token") or None)

    def get_output_channel(self) -> Optional[OutputChannel]:
        return WebChatPushOutput(self.push_url, self.push_token)
