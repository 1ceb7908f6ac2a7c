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

from bot.channels.guard import citizen_text
from bot.channels.rest import SENDER_PATTERN, authorized, error, json_body
from bot.handoff import HANDOFF_SLOT
from bot.privacy import install_log_masking

logger = logging.getLogger(__name__)


class VoiceInput(InputChannel):
    """Called only by the speech service (speech/), with the service token."""

    def __init__(self, token: Optional[str] = None) -> None:
        self.token = token

    @classmethod
    def name(cls) -> Text:
        return "voice"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        install_log_masking()
        return cls((credentials or {}).get("token") or None)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        voice = Blueprint("voice_webhook", __name__)

        @voice.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @voice.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not authorized(request, self.token):
                return error(401, "unauthorized", "需要服务令牌。")
            body = json_body(request) or {}
            sender = body.get("sender")
            if not isinstance(sender, str) or not SENDER_PATTERN.match(sender):
                return error(400, "bad-sender", "sender and message are required")
            checked = citizen_text(body.get("message"))
            if checked.refusal:  # the caller hears why
                return response.json({"messages": [{"text": checked.refusal}], "requested_slot": None,
                                      HANDOFF_SLOT: None})
            collector = CollectingOutputChannel()
            await on_new_message(UserMessage(checked.text, collector, sender, input_channel=self.name()))
            tracker = await request.app.ctx.agent.processor.get_tracker(sender)
            return response.json({
                "messages": [m for m in collector.messages if m.get("text")],
                "requested_slot": tracker.get_slot("requested_slot") if tracker.active_loop_name else None,
                HANDOFF_SLOT: tracker.get_slot(HANDOFF_SLOT),
            })

        return voice

    def get_output_channel(self) -> Optional[OutputChannel]:
        return None  # a handed-off call has left the line; the officer speaks on the phone
