"""Errors the web service shows to citizens, with their HTTP status and Chinese message (turned into
responses by bot.web.middleware; no aiohttp here, so the desk's command line starts quickly)."""
from __future__ import annotations


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
