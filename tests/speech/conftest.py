import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.settings import Settings
from speech.call import CallSettings
from speech.server import VoiceLine, create_voice_app
from tests.conftest import free_port


class FakeVoiceChannel:
    """Rasa's voice channel as the speech service sees it (the real one is tested in tests/e2e)."""

    def __init__(self) -> None:
        self.turns = []
        app = web.Application()
        app.router.add_post("/webhooks/voice/webhook", self.webhook)
        self.server = TestServer(app)

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.turns.append((body["sender"], body["message"]))
        if body["message"] == "转人工":
            return web.json_response({"messages": [{"text": "好的，正在为您转接值班民警。"}],
                                      "requested_slot": None, "handoff_case_id": 1})
        return web.json_response({"messages": [{"text": "请问转了多少钱？"}], "requested_slot": "amount",
                                  "handoff_case_id": None})


@pytest.fixture
async def voice_line(tmp_path):
    """The real speech service (AudioSocket + WebSocket) in this process, against a fake voice channel."""
    rasa = FakeVoiceChannel()
    await rasa.server.start_server()
    settings = Settings.from_env({"AUDIOSOCKET_PORT": str(free_port()), "VOICE_PORT": str(free_port()),
                                  "RASA_PORT": str(rasa.server.port), "MAX_CALLS": "2",
                                  "VOSK_MODEL_DIR": str(tmp_path / "no-model")})
    line = VoiceLine(settings, call_settings=CallSettings(reprompt_after_s=0.6, max_reprompts=2))
    server = TestServer(create_voice_app(line), port=settings.voice_port)
    await server.start_server()
    line.fake_rasa = rasa
    yield line
    await server.close()
    await rasa.server.close()
