"""HTTP views of the citizen web chat."""
from __future__ import annotations

import re
from pathlib import Path

from aiohttp import web

from bot.channels.guard import citizen_text
from bot.desk.auth import has_service_token, same_origin
from bot.web.errors import InvalidMessage
from bot.web.keys import CHAT_HUB, CHAT_RELAY, RASA_CLIENT, SETTINGS
from bot.web.sse import sse_event, stream_queue
from bot.web.rasa_client import RasaClient
from bot.web.session import chat_session, remember

STATIC_DIR = Path(__file__).parent / "static"
SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def _client(request: web.Request) -> RasaClient:
    settings = request.app[SETTINGS]
    return RasaClient(request.app[RASA_CLIENT], settings.rasa_url, settings.rasa_token)


def _sender(value: object) -> str:
    if not isinstance(value, str) or not SENDER_PATTERN.match(value):
        raise InvalidMessage("会话编号无效，请刷新页面后重试。")
    return value


def _secure(request: web.Request) -> bool:
    return request.app[SETTINGS].production


async def index(request: web.Request) -> web.FileResponse:
    # The session starts with the page, so the event stream and the first message share it.
    _, new_token = chat_session(request)
    response = web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-store"})
    remember(request, response, new_token, _secure(request))
    return response


async def send_message(request: web.Request) -> web.Response:
    # The session cookie is SameSite=Strict; a JSON body and a same-origin check also stop other
    # sites from posting into a citizen's conversation through their browser.
    if request.content_type != "application/json" or not same_origin(request):
        raise InvalidMessage()
    try:
        body = await request.json()
    except (ValueError, RecursionError):
        raise InvalidMessage() from None
    if not isinstance(body, dict):
        raise InvalidMessage()
    checked = citizen_text(body.get("message"))
    if checked.refusal:
        raise InvalidMessage(checked.refusal)
    sender, new_token = chat_session(request)
    replies = await _client(request).send(sender, checked.text)
    response = web.json_response({"replies": [r for r in replies if r.get("text")]})
    remember(request, response, new_token, _secure(request))
    return response


async def history(request: web.Request) -> web.Response:
    sender, new_token = chat_session(request)
    transcript = {"messages": [], "with_officer": False} if new_token else await _client(request).transcript(sender)
    response = web.json_response(transcript)
    remember(request, response, new_token, _secure(request))
    return response


async def chat_events(request: web.Request) -> web.StreamResponse:
    """Server-sent events for this browser's conversation: `message` when Rasa pushed something."""
    sender, new_token = chat_session(request)
    hub = request.app[CHAT_HUB]
    queue = hub.subscribe(sender)
    try:
        return await stream_queue(request, queue, lambda message: sse_event("message", message), retry_ms=2000,
                                  before_start=lambda response: remember(request, response, new_token,
                                                                         _secure(request)))
    finally:
        hub.unsubscribe(sender, queue)


async def push(request: web.Request) -> web.Response:
    """Rasa's web chat output channel delivers here (bot.channels.webchat), with the Rasa token; the relay
    hands it to the page wherever it is connected (this instance, or another one through Redis)."""
    if not has_service_token(request, request.app[SETTINGS].rasa_token):
        raise web.HTTPUnauthorized()
    try:
        body = await request.json()
    except ValueError:
        raise InvalidMessage() from None
    sender = _sender(body.get("recipient_id") if isinstance(body, dict) else None)
    if not isinstance(body.get("text"), str):
        raise InvalidMessage()
    receivers = await request.app[CHAT_RELAY].publish(sender, {"text": body["text"]})
    return web.json_response({"receivers": receivers})
