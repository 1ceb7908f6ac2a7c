"""HTTP views of the citizen web chat."""
from __future__ import annotations

import re
from pathlib import Path

from aiohttp import web

from bot.extract.secrets import mask_secrets
from bot.web.errors import InvalidMessage
from bot.web.keys import RASA_CLIENT, SETTINGS
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
    return web.json_response({"messages": await _client(request).transcript(sender)})


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})
