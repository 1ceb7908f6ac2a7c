"""Rasa's calls to the action server share one open connection and send the same JSON as before."""
import json

from aiohttp import web
from aiohttp.test_utils import TestServer
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_http


async def test_calls_share_one_connection_and_carry_rasas_body_token_and_headers(monkeypatch):
    seen, peers = [], set()

    async def webhook(request: web.Request) -> web.Response:
        peers.add(request.transport.get_extra_info("peername"))
        seen.append((await request.read(), request.query.get("token"), request.headers.get("X-Centre")))
        return web.json_response({"events": [], "responses": [{"text": "好的"}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    server = TestServer(app)
    await server.start_server()
    monkeypatch.setattr(EndpointConfig, "session", rasa_http.shared_session)   # what install() does, undone after
    try:
        endpoint = EndpointConfig(str(server.make_url("/webhook")), token="s3cret", headers={"X-Centre": "96110"})
        body = {"next_action": "report_form", "tracker": {"latest_message": {"text": "转了五千 到 6222/0212"}},
                "amount": 5000.5, "none": None}
        answers = [await endpoint.request(json=body, method="post") for _ in range(5)]
    finally:
        await rasa_http.close_sessions()
        await server.close()
    assert answers == [{"events": [], "responses": [{"text": "好的"}]}] * 5
    assert len(peers) == 1  # one connection for all five calls (Rasa as shipped opens five)
    assert all(json.loads(raw) == body and token == "s3cret" and header == "96110" for raw, token, header in seen)
