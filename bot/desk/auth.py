"""Who is asking: an API token (Authorization: Bearer) or a browser session with a CSRF token."""
from __future__ import annotations

import asyncio
import functools
import hmac
import ipaddress
from dataclasses import dataclass
from typing import Awaitable, Callable, Optional
from urllib.parse import urlsplit

from aiohttp import web

from bot.desk.errors import CsrfRejected, Unauthorized
from bot.desk.keys import ACCOUNTS
from bot.web.keys import SETTINGS

SESSION_COOKIE = "desk_session"
DEVICE_COOKIE = "desk_device"  # a browser the officer logged in from (only sent to the login form)
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Officer:
    username: str
    via: str  # "token" | "session"
    csrf_token: Optional[str] = None


def same_origin(request: web.Request) -> bool:
    """A browser's Origin (or Referer) must be this host; non-browser clients send neither."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return source is None
    return urlsplit(source).netloc == request.host


def client_address(request: web.Request) -> str:
    """The client's address: the peer's, or, when the peer is a trusted reverse proxy
    (DESK_TRUSTED_PROXIES), the address that proxy appended to X-Forwarded-For."""
    peer = request.remote or "unknown"
    proxies = request.app[SETTINGS].trusted_proxies
    forwarded = request.headers.get("X-Forwarded-For", "")
    if not proxies or not forwarded or not _in_networks(peer, proxies):
        return peer
    return forwarded.split(",")[-1].strip() or peer


def _in_networks(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def has_service_token(request: web.Request, token: str) -> bool:
    """A call from another of our services (Rasa's channels, the WeChat channel): Bearer RASA_TOKEN."""
    return bool(token) and hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}")


async def identify(request: web.Request) -> Officer:
    accounts = request.app[ACCOUNTS]
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("Authorization 头格式应为 “Bearer 令牌”。")
        username = await asyncio.to_thread(accounts.officer_for_token, token.strip())
        if username is None:
            raise Unauthorized("令牌无效。")
        return Officer(username, "token")
    session_id = request.cookies.get(SESSION_COOKIE)
    session = await asyncio.to_thread(accounts.session, session_id) if session_id else None
    if session is None:
        raise Unauthorized()
    officer = Officer(session.username, "session", session.csrf_token)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not (sent and hmac.compare_digest(sent, session.csrf_token) and same_origin(request)):
            raise CsrfRejected()
    return officer


Handler = Callable[[web.Request, Officer], Awaitable[web.StreamResponse]]


def officer_required(handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        return await handler(request, await identify(request))
    return wrapper


def page_login_required(handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """For pages: a browser without a session is sent to the login page."""
    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        try:
            officer = await identify(request)
        except Unauthorized:
            raise web.HTTPSeeOther(request.app.router["desk_login"].url_for()) from None
        return await handler(request, officer)
    return wrapper
