"""The officer desk over HTTP: the JSON API, the live feed (SSE), the login and desk pages."""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import html
import os
import re
from pathlib import Path
from typing import Any, Dict, Optional
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web

from bot.desk.accounts import TRUSTED_DEVICE_DAYS
from bot.desk.auth import (
    DEVICE_COOKIE, SESSION_COOKIE, Officer, client_address, identify, officer_required, page_login_required,
    same_origin,
)
from bot.desk.errors import BadRequest, DeskError, Forbidden, NotFound, PayloadTooLarge, Throttled, Unauthorized
from bot.desk.keys import ACCOUNTS, DELIVERER, LIVE, STORE
from bot.desk.masking import packet_names
from bot.desk.packet import (
    CONTACT_KINDS, MISSING_LABELS, MISSING_SUFFIX, PAYING_MISSING, VICTIM_MISSING, Requester, render_html,
    stop_payment_requests,
)
from bot.desk.stats import CHANNEL_LABELS, DEFAULT_PERIOD_HOURS, PERIOD_HOURS, ShiftStats, render_stats, shift_stats
from bot.desk.store import (
    EXPORT_STOP_PAYMENT, OUTCOMES, PRINT_STOP_PAYMENT, READ_AUDIT, STOP_ACTIONS, STOP_HOURS, STOP_NOTICE_HOURS,
)
from bot.desk.validation import dumps, field_error, parse_json_object
from bot.extract.channels import CHANNEL_NAMES
from bot.report.model import BANK_CHECKED_FIELDS
from bot.web.keys import SETTINGS
from bot.web.sse import sse_event, stream_queue

STATIC_DIR = Path(__file__).parent / "static"
GOLDEN_MINUTES = 30  # officers must reach first-level accounts within about 30 minutes of a transfer
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
    """Who is logged in, and what the page shows the same way the server does."""
    settings = request.app[SETTINGS]
    phone = await asyncio.to_thread(request.app[ACCOUNTS].phone, officer.username)
    return _json({"username": officer.username, "phone": phone, "csrf_token": officer.csrf_token,
                  "outcomes": OUTCOMES, "time_zone": settings.desk_time_zone, "unit": settings.desk_unit,
                  "bank_checked_fields": {**{name: MISSING_LABELS[name] + MISSING_SUFFIX
                                             for name in BANK_CHECKED_FIELDS}, "from_account": PAYING_MISSING},
                  "victim_checked_fields": VICTIM_MISSING, "payment_channels": CHANNEL_NAMES,
                  "channels": CHANNEL_LABELS, "contact_kinds": CONTACT_KINDS, "stop_actions": STOP_ACTIONS,
                  "stop_hours": STOP_HOURS, "stop_notice_hours": STOP_NOTICE_HOURS, "golden_minutes": GOLDEN_MINUTES,
                  "line_refresh_s": settings.desk_line_refresh_s})


@officer_required
async def list_cases(request: web.Request, officer: Officer) -> web.Response:
    status = request.query.get("status") or None
    return _json({"cases": await _store_call(request, "list_cases", status)})


@officer_required
async def get_case(request: web.Request, officer: Officer) -> web.Response:
    case_id = _case_id(request)
    await request.app[DELIVERER].follow(case_id)  # what was said since the last action wrote to the case
    return _json(await _store_call(request, "read_case", case_id, officer.username))


@officer_required
async def claim(request: web.Request, officer: Officer) -> web.Response:
    case_id = _case_id(request)
    case = await _store_call(request, "claim", case_id, officer.username)
    request.app[DELIVERER].send_case_now(case_id)
    request.app[DELIVERER].wake()
    return _json(case)


@officer_required
async def send_message(request: web.Request, officer: Officer) -> web.Response:
    body = await _body(request)
    message = await _store_call(request, "officer_message", _case_id(request), officer.username, body.get("text"))
    request.app[DELIVERER].send_now(message.pop("delivery_id"))
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
    case_id = _case_id(request)
    await request.app[DELIVERER].follow(case_id)  # the transcript ends with the case, not before
    case = await _store_call(request, "close_case", case_id, officer.username,
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


def _zone(request: web.Request) -> ZoneInfo:
    return ZoneInfo(request.app[SETTINGS].desk_time_zone)


def _account_number(request: web.Request) -> Optional[int]:
    """?account=N: only the N-th receiving account's request (1-based, as printed)."""
    raw = request.query.get("account")
    if raw is None:
        return None
    if not re.fullmatch(r"[0-9]{1,2}", raw) or not 1 <= int(raw) <= 50:
        raise field_error("account", "应为收款账户的序号（1、2……）")
    return int(raw)


async def _stop_payment(request: web.Request, officer: Officer, kind: str) -> Dict[str, Any]:
    case_id = _case_id(request)
    number = _account_number(request)
    case = await _store_call(request, "case", case_id)
    if case["claimed_by"] not in (None, officer.username):
        raise Forbidden(f"案件由 {case['claimed_by']} 处理中。")
    phone = await asyncio.to_thread(request.app[ACCOUNTS].phone, officer.username)
    requester = Requester(request.app[SETTINGS].desk_unit, officer.username, phone, _zone(request))
    packet = stop_payment_requests(case, requester, request.app[STORE].clock())
    if number is not None:
        packet["requests"] = [r for r in packet["requests"] if r["number"] == number]
        if not packet["requests"]:
            raise NotFound("本案没有这个收款账户。")
    await _store_call(request, "record_access", officer.username, kind, case_id,
                      "；".join(r["account"] or "收款账号不详" for r in packet["requests"]), packet_names(case))
    return packet


@officer_required
async def stop_payment_json(request: web.Request, officer: Officer) -> web.Response:
    packet = await _stop_payment(request, officer, EXPORT_STOP_PAYMENT)
    return _json(packet, headers={
        "Content-Disposition": f'attachment; filename="stop-payment-{packet["case_id"]}.json"'})


@page_login_required
async def stop_payment_page(request: web.Request, officer: Officer) -> web.Response:
    packet = await _stop_payment(request, officer, PRINT_STOP_PAYMENT)
    return web.Response(text=render_html(packet, _zone(request)), content_type="text/html",
                        headers={"Cache-Control": "no-store"})


@officer_required
async def record_stop(request: web.Request, officer: Officer) -> web.Response:
    """The officer requested a stop at the bank for one account, renewed it, had it frozen, or lifted it."""
    body = await _body(request)
    return _json(await _store_call(request, "record_stop", _case_id(request), officer.username,
                                   body.get("account"), body.get("action"), body.get("frozen_amount")))


@officer_required
async def promote(request: web.Request, officer: Officer) -> web.Response:
    case = await _store_call(request, "promote", _case_id(request), officer.username)
    return _json(case)


@officer_required
async def search(request: web.Request, officer: Officer) -> web.Response:
    """Cases that reported an account, phone or fraudster contact (串并查询)."""
    return _json({"cases": await _store_call(request, "search", request.query.get("q", ""), officer.username)})


def _period_hours(request: web.Request) -> int:
    raw = request.query.get("hours", str(DEFAULT_PERIOD_HOURS))
    if not re.fullmatch(r"[0-9]{1,3}", raw) or int(raw) not in PERIOD_HOURS:
        raise field_error("hours", "应为 " + "、".join(map(str, PERIOD_HOURS)) + " 之一")
    return int(raw)


async def _shift(request: web.Request) -> ShiftStats:
    hours, now = _period_hours(request), request.app[STORE].clock()
    rows = await _store_call(request, "shift_rows", now - hours * 3600)
    stops = await _store_call(request, "open_stops")
    return shift_stats(rows, stops, now, hours, _zone(request))


@officer_required
async def stats_json(request: web.Request, officer: Officer) -> web.Response:
    return _json(dataclasses.asdict(await _shift(request)))


@page_login_required
async def stats_page(request: web.Request, officer: Officer) -> web.Response:
    return web.Response(text=render_stats(await _shift(request), _zone(request), officer.username),
                        content_type="text/html", headers={"Cache-Control": "no-store"})


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


async def favicon(request: web.Request) -> web.FileResponse:
    """The browser's tab icon (every page asks for /favicon.ico): the repository's, no CDN."""
    return web.FileResponse(STATIC_DIR / "favicon.ico", headers={"Cache-Control": "public, max-age=86400",
                                                                 "Content-Type": "image/x-icon"})
