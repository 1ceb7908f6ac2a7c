"""A stand-in for the WeChat API server (api.weixin.qq.com) on localhost: access tokens and
customer-service messages, recorded for the tests. Protocol-faithful for the calls the channel makes."""
from __future__ import annotations

import asyncio
import threading
import time
from typing import Dict, List

from aiohttp import web


class FakeWeChatApi:
    def __init__(self, app_id: str, app_secret: str) -> None:
        self.app_id, self.app_secret = app_id, app_secret
        self.sent: List[Dict] = []
        self.tokens_issued = 0
        self.fail_next_sends = 0
        self.media_fetched: List[str] = []
        self.url = ""
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()

    async def token(self, request: web.Request) -> web.Response:
        if (request.query.get("appid"), request.query.get("secret")) != (self.app_id, self.app_secret):
            return web.json_response({"errcode": 40013, "errmsg": "invalid appid"})
        self.tokens_issued += 1
        return web.json_response({"access_token": f"token-{self.tokens_issued}", "expires_in": 7200})

    async def send(self, request: web.Request) -> web.Response:
        if request.query.get("access_token") != f"token-{self.tokens_issued}":
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        if self.fail_next_sends:
            self.fail_next_sends -= 1
            return web.json_response({"errcode": -1, "errmsg": "system busy"})
        body = await request.json()
        self.sent.append({**body, "at": time.monotonic()})
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def media(self, request: web.Request) -> web.Response:
        if request.query.get("access_token") != f"token-{self.tokens_issued}":
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        self.media_fetched.append(request.query.get("media_id"))
        return web.Response(body=b"#!AMR\n" + b"\x3c" * 320, content_type="audio/amr")

    def texts_to(self, openid: str) -> List[str]:
        return [m["text"]["content"] for m in self.sent if m["touser"] == openid]

    def start(self) -> "FakeWeChatApi":
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait(10)
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self.token)
        app.router.add_post("/cgi-bin/message/custom/send", self.send)
        app.router.add_get("/cgi-bin/media/get", self.media)
        runner = web.AppRunner(app)
        self._loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
        self._ready.set()
        self._loop.run_forever()
