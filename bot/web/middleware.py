"""The web service's and the desk's error middleware: a WebError as its status and Chinese message."""
from __future__ import annotations

import logging
from typing import Awaitable, Callable

from aiohttp import web

from bot.web.errors import WebError

logger = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except WebError as error:
        return web.json_response({"error": error.code, "message": error.message}, status=error.status)
    except web.HTTPRequestEntityTooLarge:
        return web.json_response({"error": "too-large", "message": "内容太长了，请分几次发送。"}, status=413)
    except web.HTTPException:
        raise
    except Exception:
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return web.json_response(
            {"error": "internal-error", "message": "服务出现问题，请稍后再试。紧急情况请直接拨打110。"},
            status=500,
        )
