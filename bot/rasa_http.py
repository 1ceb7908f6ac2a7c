"""Rasa opens a new HTTP session, and with it a new connection, for every call to the action server and
encodes the whole conversation with the standard library's json (together about a tenth of a report
turn, issue 16). Here each endpoint's calls share one session per event loop that keeps its connections
open (the action server keeps idle connections 75 s, bot/run.py; the session drops them after 30 s), and
bodies are encoded with ujson, which Sanic already uses. Timeouts, headers and authentication are Rasa's.
"""
from __future__ import annotations

import asyncio
from typing import Any, Dict, Tuple

import aiohttp
import ujson
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

IDLE_CONNECTION_S = 30
_original_session = EndpointConfig.session
_sessions: Dict[Tuple[Any, ...], aiohttp.ClientSession] = {}


def _dumps(value: Any) -> str:
    return ujson.dumps(value, ensure_ascii=False, escape_forward_slashes=False)


class _Lent:
    """`async with` a shared session: the session stays open when the block ends."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *exc_info: Any) -> None:
        return None


def shared_session(self: EndpointConfig) -> _Lent:
    loop = asyncio.get_running_loop()
    key = (loop, tuple(sorted(self.headers.items())), tuple(sorted(self.basic_auth.items())))
    session = _sessions.get(key)
    if session is None or session.closed:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth \
            else None
        session = aiohttp.ClientSession(
            headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            json_serialize=_dumps, connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=IDLE_CONNECTION_S))   # as many as Rasa asks for
        _sessions[key] = session
    return _Lent(session)


async def close_sessions() -> None:
    """The sessions of the running event loop closed (between tests; a Rasa server's end with its process)."""
    loop = asyncio.get_running_loop()
    for key in [key for key in _sessions if key[0] is loop]:
        await _sessions.pop(key).close()


def install() -> None:
    EndpointConfig.session = shared_session
