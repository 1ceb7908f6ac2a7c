"""The officer desk: its store, background tasks and routes, on its own or inside the web service."""
from __future__ import annotations

import asyncio
from typing import AsyncIterator, Dict

from aiohttp import web

from bot.desk.accounts import Accounts
from bot.desk.delivery import Deliverer, DirectSender
from bot.desk.keys import ACCOUNTS, DELIVERER, LIVE, STORE
from bot.desk.live import LiveFeed
from bot.desk.routes import setup_routes
from bot.desk.store import CaseStore
from bot.settings import Settings
from bot.web.middleware import error_middleware
from bot.web.keys import CHAT_RELAY, SETTINGS

MAX_BODY_BYTES = 64 * 1024


def _direct_senders(app: web.Application) -> Dict[str, DirectSender]:
    """Inside the web service the desk puts an officer's message on the citizen's open chat page itself."""
    relay = app.get(CHAT_RELAY)
    if relay is None:
        return {}

    async def to_chat_page(conversation_id: str, text: str) -> bool:
        await relay.publish(conversation_id, {"text": text})
        return True

    return {"webchat": to_chat_page}


async def _desk_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    store = await asyncio.to_thread(CaseStore.open, settings)
    app[STORE] = store
    app[ACCOUNTS] = Accounts(store, settings.lockout_attempts, settings.lockout_minutes, settings.session_hours)
    app[LIVE] = LiveFeed(store)
    app[DELIVERER] = Deliverer(store, settings.rasa_url, settings.rasa_token, direct=_direct_senders(app),
                               request_timeout_s=settings.delivery_timeout_s)
    await app[LIVE].start()
    await app[DELIVERER].start()
    yield
    await app[DELIVERER].stop()
    await app[LIVE].stop()
    store.close()


async def _end_streams(app: web.Application) -> None:
    await app[LIVE].stop()  # open event streams end, so shutdown need not wait for them


def setup_desk(app: web.Application) -> None:
    app.cleanup_ctx.append(_desk_ctx)
    app.on_shutdown.append(_end_streams)
    setup_routes(app)


def create_desk_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[error_middleware], client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    setup_desk(app)
    return app
