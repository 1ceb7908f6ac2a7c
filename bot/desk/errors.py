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


class Locked(DeskError):
    status = 423
    code = "account-locked"
    message = "密码错误次数过多，账号已暂时锁定，请稍后再试。"


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
