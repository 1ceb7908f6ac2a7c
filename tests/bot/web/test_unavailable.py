"""When Rasa is down, citizens get a clear Chinese message, not a crash."""
import socket

from aiohttp.test_utils import TestClient, TestServer

from bot.settings import Settings
from bot.web.app import create_app


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_rasa_down_gives_503_with_advice_to_call_110():
    settings = Settings.from_env({"RASA_PORT": str(closed_port())})
    async with TestClient(TestServer(create_app(settings))) as client:
        response = await client.post("/api/chat", json={"sender": "abcdefgh12", "message": "你好"})
        assert response.status == 503
        body = await response.json()
        assert body["error"] == "assistant-unavailable" and "110" in body["message"]
        health = await client.get("/api/health")
        assert health.status == 200
