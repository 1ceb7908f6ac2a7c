"""The officer desk over HTTP: the JSON API, the live feed (SSE), the login and desk pages."""
from __future__ import annotations

import asyncio
import html
import json
import os
from pathlib import Path
from typing import Any, Dict

from aiohttp import web

from bot.desk.auth import SESSION_COOKIE, Officer, officer_required, page_login_required, same_origin
from bot.desk.errors import BadRequest, DeskError, Forbidden
from bot.desk.keys import ACCOUNTS, DELIVERER, LIVE, STORE
from bot.desk.packet import render_html, stop_payment_request
from bot.desk.store import OUTCOMES
from bot.web.keys import SETTINGS
from bot.web.sse import sse_event, stream_queue

STATIC_DIR = Path(__file__).parent / "static"


def _case_id(request: web.Request) -> int:
    try:
        return int(request.match_info["case_id"])
    except ValueError:
        raise BadRequest("案件编号必须是数字。") from None


async def _body(request: web.Request) -> Dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise BadRequest("请求体必须是 JSON。") from None
    if not isinstance(body, dict):
        raise BadRequest("请求体必须是 JSON 对象。")
    return body


async def _store_call(request: web.Request, method: str, *args: Any) -> Any:
    return await asyncio.to_thread(getattr(request.app[STORE], method), *args)


# --- JSON API -----------------------------------------------------------------------------------
@officer_required
async def me(request: web.Request, officer: Officer) -> web.Response:
    return web.json_response({"username": officer.username, "csrf_token": officer.csrf_token,
                              "outcomes": OUTCOMES})


@officer_required
async def list_cases(request: web.Request, officer: Officer) -> web.Response:
    status = request.query.get("status") or None
    return web.json_response({"cases": await _store_call(request, "list_cases", status)})


@officer_required
async def get_case(request: web.Request, officer: Officer) -> web.Response:
    return web.json_response(await _store_call(request, "case", _case_id(request)))


@officer_required
async def claim(request: web.Request, officer: Officer) -> web.Response:
    return web.json_response(await _store_call(request, "claim", _case_id(request), officer.username))


@officer_required
async def send_message(request: web.Request, officer: Officer) -> web.Response:
    body = await _body(request)
    message = await _store_call(request, "officer_message", _case_id(request), officer.username, body.get("text"))
    request.app[DELIVERER].wake()
    return web.json_response(message, status=202)


@officer_required
async def handback(request: web.Request, officer: Officer) -> web.Response:
    case = await _store_call(request, "handback", _case_id(request), officer.username)
    request.app[DELIVERER].wake()
    return web.json_response(case)


@officer_required
async def close(request: web.Request, officer: Officer) -> web.Response:
    body = await _body(request)
    case = await _store_call(request, "close_case", _case_id(request), officer.username,
                             body.get("outcome"), body.get("frozen_amount"))
    request.app[DELIVERER].wake()
    return web.json_response(case)


@officer_required
async def correct(request: web.Request, officer: Officer) -> web.Response:
    body = await _body(request)
    return web.json_response(await _store_call(request, "correct", _case_id(request), officer.username, body))


@officer_required
async def audit(request: web.Request, officer: Officer) -> web.Response:
    return web.json_response({"entries": await _store_call(request, "audit_entries", _case_id(request))})


async def _stop_payment(request: web.Request, officer: Officer) -> Dict[str, Any]:
    case_id = _case_id(request)
    case = await _store_call(request, "case", case_id)
    if case["claimed_by"] not in (None, officer.username):
        raise Forbidden(f"案件由 {case['claimed_by']} 处理中。")
    await _store_call(request, "record_access", officer.username, "export_stop_payment", case_id,
                      "；".join(t.get("to_account") or "" for t in case["transfers"]))
    return stop_payment_request(case, officer.username)


@officer_required
async def stop_payment_json(request: web.Request, officer: Officer) -> web.Response:
    packet = await _stop_payment(request, officer)
    return web.json_response(packet, dumps=lambda o: json.dumps(o, ensure_ascii=False), headers={
        "Content-Disposition": f'attachment; filename="stop-payment-{packet["case_id"]}.json"'})


@page_login_required
async def stop_payment_page(request: web.Request, officer: Officer) -> web.Response:
    return web.Response(text=render_html(await _stop_payment(request, officer)), content_type="text/html")


@officer_required
async def events(request: web.Request, officer: Officer) -> web.StreamResponse:
    """Server-sent events: one `case` event per change; the page then fetches what changed."""
    live = request.app[LIVE]
    queue = live.subscribe()
    try:
        return await stream_queue(request, queue, lambda event: sse_event("case", event, event["id"]))
    finally:
        live.unsubscribe(queue)


async def health(request: web.Request) -> web.Response:
    undelivered = await _store_call(request, "undelivered_count")
    return web.json_response({"status": "ok", "pid": os.getpid(), "undelivered": undelivered})


# --- pages --------------------------------------------------------------------------------------
def _login_page(error: str = "", status: int = 200) -> web.Response:
    page = (STATIC_DIR / "login.html").read_text(encoding="utf-8")
    notice = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return web.Response(text=page.replace("<!--ERROR-->", notice), content_type="text/html", status=status)


async def login_page(request: web.Request) -> web.Response:
    return _login_page()


async def login(request: web.Request) -> web.Response:
    if not same_origin(request):
        return _login_page("页面来源不正确，请刷新后重试。", 403)
    form = await request.post()
    username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    accounts = request.app[ACCOUNTS]
    try:
        await asyncio.to_thread(accounts.authenticate, username, password)
    except DeskError as error:
        return _login_page(error.message, error.status)
    session_id, _ = await asyncio.to_thread(accounts.start_session, username)
    response = web.HTTPSeeOther(request.app.router["desk_page"].url_for())
    response.set_cookie(SESSION_COOKIE, session_id, httponly=True, samesite="Strict", path="/",
                        secure=request.app[SETTINGS].production, max_age=int(accounts.session_s))
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
