"""Rasa's REST protocol for our own services and trusted integrators (replaces Rasa's `rest` channel).

Unlike Rasa's channel, every call needs the service token (`Authorization: Bearer <RASA_TOKEN>`),
the conversation id must be given, the input channel and metadata are not the caller's to choose,
and the text passes bot.channels.guard (length cap, never an intent command).
"""
from __future__ import annotations

import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import bearer_matches, citizen_text
from bot.privacy import install_log_masking

SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_\-.:@]{1,128}$")


def error(status: int, code: str, message: str) -> HTTPResponse:
    return response.json({"error": code, "message": message}, status=status)


def json_body(request: Request) -> Optional[Dict[str, Any]]:
    try:
        body = request.json
    except (SanicException, ValueError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


def authorized(request: Request, token: Optional[str]) -> bool:
    return bearer_matches(request.headers.get("Authorization"), token)


class ServiceRestInput(RestInput):
    def __init__(self, token: Optional[str] = None) -> None:
        self.token = token

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        install_log_masking()  # this runs in the Rasa server: its logs are masked too
        return cls((credentials or {}).get("token") or None)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"service_rest_{self.name()}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not authorized(request, self.token):
                return error(401, "unauthorized", "需要服务令牌。")
            body = json_body(request)
            if body is None:
                return error(400, "bad-request", "请求应为 JSON 对象：{\"sender\": …, \"message\": …}。")
            sender = body.get("sender")
            if not isinstance(sender, str) or not SENDER_PATTERN.match(sender):
                return error(400, "bad-sender", "sender 必须是 1–128 位的字母、数字或 _-.:@。")
            checked = citizen_text(body.get("message"))
            if checked.refusal:
                return response.json([{"recipient_id": sender, "text": checked.refusal}])
            collector = CollectingOutputChannel()
            await on_new_message(UserMessage(checked.text, collector, sender, input_channel=self.name()))
            return response.json(collector.messages)

        return webhook
