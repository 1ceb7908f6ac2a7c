"""The officer desk over HTTP: the JSON API, the live feed (SSE), the login and desk pages."""
from __future__ import annotations

import asyncio
import contextlib
import html
import os
from pathlib import Path
from typing import Any, Dict, Optional

import aiohttp
from aiohttp import web

from bot.desk.accounts import TRUSTED_DEVICE_DAYS
from bot.desk.auth import (
    DEVICE_COOKIE, SESSION_COOKIE, Officer, client_address, identify, officer_required, page_login_required,
    same_origin,
)
from bot.desk.errors import BadRequest, DeskError, Forbidden, PayloadTooLarge, Throttled, Unauthorized
from bot.desk.keys import ACCOUNTS, DELIVERER, LIVE, STORE
from bot.desk.masking import packet_names
from bot.desk.packet import render_html, stop_payment_request
from bot.desk.store import EXPORT_STOP_PAYMENT, OUTCOMES, PRINT_STOP_PAYMENT, READ_AUDIT
from bot.desk.validation import dumps, parse_json_object
from bot.web.keys import SETTINGS
from bot.web.sse import sse_event, stream_queue

STATIC_DIR = Path(__file__).parent / "static"
EVENTS_RECHECK_S = 5.0  # how soon an open event stream notices its officer was signed out or removed


def _json(data: Any, status: int = 200, headers: Optional[Dict[str, str]] = None) -> web.Response:
    """JSON as the desk writes it: never NaN or Infinity."""
    return web.json_response(data, status=status, headers=headers, dumps=dumps)


def _case_id(request: web.Request) -> int:
    try:
        return int(request.match_info["case_id"])
    except ValueError:
        raise BadRequest("案件编号必须是数字。") from None


async def _body(request: web.Request) -> Dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise PayloadTooLarge("请求内容太大，请精简后重试。") from None
    return parse_json_object(raw)


async def _store_call(request: web.Request, method: str, *args: Any) -> Any:
    return await asyncio.to_thread(getattr(request.app[STORE], method), *args)


# --- JSON API -----------------------------------------------------------------------------------
@officer_required
async def me(request: web.Request, officer: Officer) -> web.Response:
    return _json({"username": officer.username, "csrf_token": officer.csrf_token, "outcomes": OUTCOMES})


@officer_required
async def list_cases(request: web.Request, officer: Officer) -> web.Response:
    status = request.query.get("status") or None
    return _json({"cases": await _store_call(request, "list_cases", status)})


@officer_required
async def get_case(request: web.Request, officer: Officer) -> web.Response:
    return _json(await _store_call(request, "read_case", _case_id(request), officer.username))


@officer_required
async def claim(request: web.Request, officer: Officer) -> web.Response:
    return _json(await _store_call(request, "claim", _case_id(request), officer.username))


@officer_required
async def send_message(request: web.Request, officer: Officer) -> web.Response:
    body = await _body(request)
    message = await _store_call(request, "officer_message", _case_id(request), officer.username, body.get("text"))
    request.app[DELIVERER].wake()
    return _json(message, status=202)


@officer_required
async def handback(request: web.Request, officer: Officer) -> web.Response:
    case = await _store_call(request, "handback", _case_id(request), officer.username)
    request.app[DELIVERER].wake()
    return _json(case)


@officer_required
async def close(request: web.Request, officer: Officer) -> web.Response:
    body = await _body(request)
    case = await _store_call(request, "close_case", _case_id(request), officer.username,
                             body.get("outcome"), body.get("frozen_amount"))
    request.app[DELIVERER].wake()
    return _json(case)


@officer_required
async def correct(request: web.Request, officer: Officer) -> web.Response:
    body = await _body(request)
    return _json(await _store_call(request, "correct", _case_id(request), officer.username, body))


@officer_required
async def audit(request: web.Request, officer: Officer) -> web.Response:
    """The case's audit trail (reading it is recorded too); ?reads=1 also lists every time an officer
    opened the case or its trail."""
    reads = request.query.get("reads", "") in ("1", "true")
    case_id = _case_id(request)
    await _store_call(request, "case", case_id)  # 404 for a case that does not exist
    await _store_call(request, "record_access", officer.username, READ_AUDIT, case_id)
    return _json({"entries": await _store_call(request, "audit_entries", case_id, reads)})


async def _stop_payment(request: web.Request, officer: Officer, kind: str) -> Dict[str, Any]:
    case_id = _case_id(request)
    case = await _store_call(request, "case", case_id)
    if case["claimed_by"] not in (None, officer.username):
        raise Forbidden(f"案件由 {case['claimed_by']} 处理中。")
    await _store_call(request, "record_access", officer.username, kind, case_id,
                      "；".join(t.get("to_account") or "" for t in case["transfers"]), packet_names(case))
    return stop_payment_request(case, officer.username)


@officer_required
async def stop_payment_json(request: web.Request, officer: Officer) -> web.Response:
    packet = await _stop_payment(request, officer, EXPORT_STOP_PAYMENT)
    return _json(packet, headers={
        "Content-Disposition": f'attachment; filename="stop-payment-{packet["case_id"]}.json"'})


@page_login_required
async def stop_payment_page(request: web.Request, officer: Officer) -> web.Response:
    request_form = await _stop_payment(request, officer, PRINT_STOP_PAYMENT)
    return web.Response(text=render_html(request_form), content_type="text/html")


async def _end_when_signed_out(request: web.Request, queue: asyncio.Queue) -> None:
    """An open stream ends soon after its session or token stops working (logout, expiry, removal)."""
    while True:
        await asyncio.sleep(EVENTS_RECHECK_S)
        try:
            await identify(request)
        except Unauthorized:
            with contextlib.suppress(asyncio.QueueEmpty):
                if queue.full():
                    queue.get_nowait()
            queue.put_nowait(None)
            return


@officer_required
async def events(request: web.Request, officer: Officer) -> web.StreamResponse:
    """Server-sent events: one `case` event per change; the page then fetches what changed."""
    live = request.app[LIVE]
    queue = live.subscribe()
    watcher = asyncio.create_task(_end_when_signed_out(request, queue))
    try:
        return await stream_queue(request, queue, lambda event: sse_event("case", event, event["id"]))
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        live.unsubscribe(queue)


async def health(request: web.Request) -> web.Response:
    undelivered = await _store_call(request, "undelivered_count")
    return _json({"status": "ok", "pid": os.getpid(), "undelivered": undelivered})


VOICE_FIELDS = ("calls", "max_calls", "speech_recognition", "speech_calls", "speech_limit", "keypad_calls")


@officer_required
async def line_status(request: web.Request, officer: Officer) -> web.Response:
    """The voice line as the shift sees it: calls in progress and whether recognition keeps up."""
    url = request.app[SETTINGS].voice_url + "/api/health"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
            async with session.get(url) as response:
                health = await response.json() if response.status == 200 else None
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        health = None
    if not isinstance(health, dict):
        return _json({"voice": {"reachable": False}})
    voice = {key: health.get(key) for key in VOICE_FIELDS}
    recognition = health.get("recognition") or {}
    voice.update(reachable=True, saturated=bool(recognition.get("saturated")), lag_ms=recognition.get("lag_ms"))
    return _json({"voice": voice})


# --- pages --------------------------------------------------------------------------------------
def _login_page(error: str = "", status: int = 200, headers: Optional[Dict[str, str]] = None) -> web.Response:
    page = (STATIC_DIR / "login.html").read_text(encoding="utf-8")
    notice = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return web.Response(text=page.replace("<!--ERROR-->", notice), content_type="text/html", status=status,
                        headers=headers)


async def login_page(request: web.Request) -> web.Response:
    return _login_page()


async def login(request: web.Request) -> web.Response:
    if not same_origin(request):
        return _login_page("页面来源不正确，请刷新后重试。", 403)
    try:
        form = await request.post()
    except web.HTTPRequestEntityTooLarge:
        return _login_page("请求内容太大。", 413)
    username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    accounts = request.app[ACCOUNTS]
    try:
        login = await asyncio.to_thread(accounts.authenticate, username, password, client_address(request),
                                        request.cookies.get(DEVICE_COOKIE))
    except Throttled as error:
        return _login_page(error.message, error.status, {"Retry-After": str(error.retry_after_s)})
    except DeskError as error:
        return _login_page(error.message, error.status)
    session_id, _ = await asyncio.to_thread(accounts.start_session, login.username)
    response = web.HTTPSeeOther(request.app.router["desk_page"].url_for())
    secure = request.app[SETTINGS].production
    response.set_cookie(SESSION_COOKIE, session_id, httponly=True, samesite="Strict", path="/",
                        secure=secure, max_age=int(accounts.session_s))
    # This browser's later logins are counted apart from strangers' (see throttle.py).
    response.set_cookie(DEVICE_COOKIE, login.device_token, httponly=True, samesite="Strict", path="/desk/login",
                        secure=secure, max_age=TRUSTED_DEVICE_DAYS * 86400)
    return response


@officer_required
async def logout(request: web.Request, officer: Officer) -> web.Response:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        await asyncio.to_thread(request.app[ACCOUNTS].end_session, session_id)
    response = web.json_response({"status": "logged-out"})
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


@page_login_required
async def desk_page(request: web.Request, officer: Officer) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "desk.html", headers={"Cache-Control": "no-store"})
