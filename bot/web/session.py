"""The citizen's web chat session: a random token in an HttpOnly cookie, issued by this server.

The conversation id is a hash of the token, so only the browser holding the cookie can send into,
read or listen to its conversation; knowing a conversation id (the desk shows it) gives none of that.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from typing import Optional, Tuple

from aiohttp import web

COOKIE = "hotline_chat"
MAX_AGE_S = 30 * 24 * 3600  # a citizen who comes back within a month finds their conversation
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
CONVERSATION_PREFIX = "web-"


def conversation_of(token: str) -> str:
    return CONVERSATION_PREFIX + hashlib.sha256(token.encode("ascii")).hexdigest()[:40]


def current_token(request: web.Request) -> Optional[str]:
    token = request.cookies.get(COOKIE, "")
    return token if _TOKEN.match(token) else None


def chat_session(request: web.Request) -> Tuple[str, Optional[str]]:
    """(conversation id, the new token to set as cookie or None when the browser has one)."""
    token = current_token(request)
    if token:
        return conversation_of(token), None
    token = secrets.token_urlsafe(32)
    return conversation_of(token), token


def remember(request: web.Request, response: web.StreamResponse, new_token: Optional[str], secure: bool) -> None:
    if new_token:
        response.set_cookie(COOKIE, new_token, httponly=True, samesite="Strict", path="/",
                            secure=secure or request.secure, max_age=MAX_AGE_S)
