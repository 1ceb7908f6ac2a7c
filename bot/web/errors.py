"""Errors the web service shows to citizens, with their HTTP status and Chinese message."""
from __future__ import annotations

import logging
from typing import Awaitable, Callable

from aiohttp import web

logger = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class WebError(Exception):
    status = 400
    code = "bad-request"
    message = "请求格式不正确。"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class InvalidMessage(WebError):
    code = "invalid-message"


class AssistantUnavailable(WebError):
    status = 503
    code = "assistant-unavailable"
    message = "智能助手暂时无法回复，请稍后再试。紧急情况请直接拨打110。"


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
