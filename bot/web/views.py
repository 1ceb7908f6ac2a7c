"""HTTP views of the citizen web chat."""
from __future__ import annotations

import re
from pathlib import Path

from aiohttp import web

from bot.desk.auth import has_service_token
from bot.extract.secrets import mask_secrets
from bot.web.errors import InvalidMessage
from bot.web.keys import CHAT_HUB, RASA_CLIENT, SETTINGS
from bot.web.sse import sse_event, stream_queue
from bot.web.rasa_client import RasaClient

STATIC_DIR = Path(__file__).parent / "static"
SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_MESSAGE_CHARS = 1000


def _client(request: web.Request) -> RasaClient:
    settings = request.app[SETTINGS]
    return RasaClient(request.app[RASA_CLIENT], settings.rasa_url, settings.rasa_token)


def _sender(value: object) -> str:
    if not isinstance(value, str) or not SENDER_PATTERN.match(value):
        raise InvalidMessage("会话编号无效，请刷新页面后重试。")
    return value


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html")


async def send_message(request: web.Request) -> web.Response:
    try:
        body = await request.json()
    except ValueError:
        raise InvalidMessage() from None
    if not isinstance(body, dict):
        raise InvalidMessage()
    sender = _sender(body.get("sender"))
    text = body.get("message")
    if not isinstance(text, str) or not text.strip():
        raise InvalidMessage("请输入要咨询的内容。")
    text = text.strip()
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidMessage(f"消息太长了，请分几次发送（每次不超过{MAX_MESSAGE_CHARS}字）。")
    # A volunteered code or password never enters the conversation store, only that one was shared.
    replies = await _client(request).send(sender, mask_secrets(text))
    return web.json_response({"replies": [r for r in replies if r.get("text")]})


async def history(request: web.Request) -> web.Response:
    sender = _sender(request.query.get("sender"))
    return web.json_response(await _client(request).transcript(sender))


async def chat_events(request: web.Request) -> web.StreamResponse:
    """Server-sent events for one conversation: `message` when Rasa pushed something (an officer)."""
    sender = _sender(request.query.get("sender"))
    hub = request.app[CHAT_HUB]
    queue = hub.subscribe(sender)
    try:
        return await stream_queue(request, queue, lambda message: sse_event("message", message), retry_ms=2000)
    finally:
        hub.unsubscribe(sender, queue)


async def push(request: web.Request) -> web.Response:
    """Rasa's web chat output channel delivers here (bot.channels.webchat), with the Rasa token."""
    if not has_service_token(request, request.app[SETTINGS].rasa_token):
        raise web.HTTPUnauthorized()
    try:
        body = await request.json()
    except ValueError:
        raise InvalidMessage() from None
    sender = _sender(body.get("recipient_id") if isinstance(body, dict) else None)
    if not isinstance(body.get("text"), str):
        raise InvalidMessage()
    pages = request.app[CHAT_HUB].publish(sender, {"text": body["text"]})
    return web.json_response({"pages": pages})
