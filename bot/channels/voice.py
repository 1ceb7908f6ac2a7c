"""The 96110 voice line's channel: REST-style turns from the speech service (speech/), answered with
the bot's messages plus what the call needs to know next: the form question being asked (so the
line can offer the keypad) and whether the conversation went to an officer (so it transfers).
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.handoff import HANDOFF_SLOT
from bot.privacy import install_log_masking

logger = logging.getLogger(__name__)
MAX_MESSAGE_CHARS = 1000


class VoiceInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "voice"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        install_log_masking()
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        voice = Blueprint("voice_webhook", __name__)

        @voice.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @voice.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender or not isinstance(text, str) or not text.strip():
                return response.json({"error": "sender and message are required"}, status=400)
            collector = CollectingOutputChannel()
            await on_new_message(UserMessage(text[:MAX_MESSAGE_CHARS], collector, sender,
                                             input_channel=self.name(), metadata=body.get("metadata")))
            tracker = await request.app.ctx.agent.processor.get_tracker(sender)
            return response.json({
                "messages": [m for m in collector.messages if m.get("text")],
                "requested_slot": tracker.get_slot("requested_slot") if tracker.active_loop_name else None,
                HANDOFF_SLOT: tracker.get_slot(HANDOFF_SLOT),
            })

        return voice

    def get_output_channel(self) -> Optional[OutputChannel]:
        return None  # a handed-off call has left the line; the officer speaks on the phone
