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


class ShortTts:
    """A stand-in voice: 100 ms of tone per sentence, so limits measured in minutes can be tested in seconds."""

    async def synthesize(self, text: str, rate_hz: int) -> bytes:
        return b"\x00\x10" * (rate_hz // 10)


SERVICE_TOKEN = "speech-test-token"
# The real voice (espeak-ng) at a faster rate (VOICE_SPEECH_RATE): every prompt is still synthesised and paced
# in real time, in about a third of the wall time (the greeting 7 s instead of 20 s).
FAST_SPEECH_WPM = 350


@pytest.fixture
async def start_voice_line(tmp_path):
    """Starts the real speech service (AudioSocket + WebSocket) in this process, against a fake voice
    channel; every call event lands in line.events as (call_id, event). With the stand-in model the Vosk
    model is loaded once for the whole test process (speech.stt.ModelLoader), as in the service."""
    started = []

    async def start(call_settings: CallSettings, tts=None, max_calls: int = 2, model_dir=None) -> VoiceLine:
        """model_dir: a Vosk model for VOSK_MODEL_DIR (the stand-in model); none: keypad only."""
        rasa = FakeVoiceChannel()
        await rasa.server.start_server()
        settings = Settings.from_env({"AUDIOSOCKET_PORT": str(free_port()), "VOICE_PORT": str(free_port()),
                                      "RASA_PORT": str(rasa.server.port), "MAX_CALLS": str(max_calls),
                                      "RASA_TOKEN": SERVICE_TOKEN,
                                      "VOSK_MODEL_DIR": str(model_dir or tmp_path / "no-model")})
        line = VoiceLine(settings, tts=tts, call_settings=call_settings, warm_up=False)
        server = TestServer(create_voice_app(line), port=settings.voice_port)
        await server.start_server()
        started.append((server, rasa))
        line.fake_rasa = rasa
        line.events = []
        line.listeners.append(lambda call_id, event: line.events.append((call_id, event)))
        return line

    yield start
    for server, rasa in started:
        await server.close()
        await rasa.server.close()


@pytest.fixture
async def voice_line(start_voice_line):
    """The speech service with the real voice (espeak-ng, spoken fast) and short silence limits."""
    return await start_voice_line(CallSettings(reprompt_after_s=0.6, max_reprompts=2, speech_rate_wpm=FAST_SPEECH_WPM))
