"""Errors of the officer desk: each maps to one HTTP status and a Chinese message for officers."""
from __future__ import annotations

from bot.web.errors import WebError


class DeskError(WebError):
    message = "请求无效。"


class ConfigError(DeskError):
    """The desk cannot start with this configuration."""
    status = 500
    code = "config-error"


class BadRequest(DeskError):
    pass


class Unauthorized(DeskError):
    status = 401
    code = "unauthorized"
    message = "请先登录。"


class Throttled(DeskError):
    """Too many wrong passwords from here or for this account: try again after retry_after_s."""
    status = 429
    code = "too-many-attempts"

    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = max(1, int(retry_after_s))
        wait = (f"{self.retry_after_s} 秒" if self.retry_after_s < 120
                else f"{-(-self.retry_after_s // 60)} 分钟")
        super().__init__(f"密码错误次数过多，请 {wait}后再试。")


class PayloadTooLarge(DeskError):
    status = 413
    code = "payload-too-large"
    message = "请求内容太大。"


class Forbidden(DeskError):
    status = 403
    code = "forbidden"
    message = "没有权限执行此操作。"


class CsrfRejected(Forbidden):
    code = "csrf-rejected"
    message = "页面已过期，请刷新后重试。"


class NotFound(DeskError):
    status = 404
    code = "not-found"
    message = "没有这个案件。"


class Conflict(DeskError):
    status = 409
    code = "conflict"
