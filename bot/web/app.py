"""Builds the aiohttp application for WEB_PORT: the citizen web chat and the officer desk."""
from __future__ import annotations

from typing import AsyncIterator

import aiohttp
from aiohttp import web

from bot.desk.app import setup_desk
from bot.settings import Settings
from bot.web.middleware import error_middleware
from bot.shared import redis_client
from bot.web.hub import ChatHub, LocalRelay, RedisRelay
from bot.web.keys import CHAT_HUB, CHAT_RELAY, RASA_CLIENT, SETTINGS
from bot.web.routes import setup_routes

MAX_BODY_BYTES = 64 * 1024


async def _rasa_client_ctx(app: web.Application) -> AsyncIterator[None]:
    session = aiohttp.ClientSession()
    app[RASA_CLIENT] = session
    yield
    await session.close()


async def _chat_relay_ctx(app: web.Application) -> AsyncIterator[None]:
    redis_url = app[SETTINGS].redis_url
    relay = RedisRelay(app[CHAT_HUB], redis_client(redis_url)) if redis_url else LocalRelay(app[CHAT_HUB])
    app[CHAT_RELAY] = relay
    await relay.start()
    yield
    await relay.stop()


async def _close_chat_streams(app: web.Application) -> None:
    app[CHAT_HUB].close_all()


def create_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[error_middleware], client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[CHAT_HUB] = ChatHub()
    app.cleanup_ctx.append(_rasa_client_ctx)
    app.cleanup_ctx.append(_chat_relay_ctx)
    app.on_shutdown.append(_close_chat_streams)
    setup_routes(app)
    setup_desk(app)  # the officer desk shares WEB_PORT with the citizen chat
    return app
