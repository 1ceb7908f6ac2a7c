"""Builds the aiohttp application for WEB_PORT."""
from __future__ import annotations

import logging
from typing import AsyncIterator, Awaitable, Callable

import aiohttp
from aiohttp import web

from bot.settings import Settings
from bot.web.errors import WebError
from bot.web.keys import RASA_CLIENT, SETTINGS
from bot.web.routes import setup_routes

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 64 * 1024

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except WebError as error:
        return web.json_response({"error": error.code, "message": error.message}, status=error.status)
    except web.HTTPException:
        raise
    except Exception:
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return web.json_response(
            {"error": "internal-error", "message": "服务出现问题，请稍后再试。紧急情况请直接拨打110。"},
            status=500,
        )


async def _rasa_client_ctx(app: web.Application) -> AsyncIterator[None]:
    session = aiohttp.ClientSession()
    app[RASA_CLIENT] = session
    yield
    await session.close()


def create_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[error_middleware], client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app.cleanup_ctx.append(_rasa_client_ctx)
    setup_routes(app)
    return app
