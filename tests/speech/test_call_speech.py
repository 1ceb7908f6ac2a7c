"""The speech path of a call (VAD → recogniser → ITN → Rasa) with real audio from
../shared/speech-samples and a stand-in recogniser that returns the Chinese text a recogniser would
(the Vosk Chinese model is not available on the build machines). The real engine runs in
test_engine.py (with the stand-in Korean model) and test_stt.py (with the Chinese model, when present)."""
import asyncio
import wave
from pathlib import Path

import aiohttp
import pytest

import speech.stt
from speech.audio import frames, resample
from speech.call import Call, CallSettings
from speech.rasa_client import VoiceRasa
from speech.stt import Recognition
from speech.tts import EspeakTts
from tests.speech.conftest import FakeVoiceChannel

SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "speech-samples" / "aishell1_BAC009S0724W0121.wav"
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/speech-samples is not beside the repository")


class PresentModel:
    directory = Path("stand-in")

    def present(self):
        return True

    def model(self):
        return object()


def stand_in_recogniser(heard):
    class StandIn:
        def __init__(self, model, rate_hz, digits=False):
            self.rate_hz, self.digits, self.clean = rate_hz, digits, True

        def accept(self, pcm):
            return Recognition("", final=False)

        def finish(self):
            return Recognition(heard.pop(0) if heard else "", [("x", 0.9)])
    return StandIn


def speech_frames():
    with wave.open(str(SAMPLE)) as audio:
        pcm = audio.readframes(audio.getnframes())
    return list(frames(resample(pcm, 16000, 8000) + b"\x00" * 16000, 8000))


async def run_call(monkeypatch, heard, utterances=1):
    monkeypatch.setattr(speech.stt, "Transcriber", stand_in_recogniser(list(heard)))
    rasa = FakeVoiceChannel()
    await rasa.server.start_server()
    events = []
    async with aiohttp.ClientSession() as session:
        call = Call("call-1", 8000, lambda pcm: asyncio.sleep(0), lambda: asyncio.sleep(0),
                    VoiceRasa(session, str(rasa.server.make_url(""))), EspeakTts(), PresentModel(),
                    events.append, CallSettings(reprompt_after_s=30))
        await call.start()
        await asyncio.sleep(0.2)
        for _ in range(utterances):
            for frame in speech_frames():
                await call.audio(frame)
            await asyncio.sleep(1.0)
        await call.end()
    await rasa.server.close()
    return rasa.turns, events


async def test_a_spoken_sentence_is_recognised_normalised_and_sent_to_rasa(monkeypatch):
    turns, events = await run_call(monkeypatch, ["我 转 了 五万"])
    assert turns == [("call-1", "我转了50000")]
    kinds = [e.kind for e in events]
    assert "barge-in" in kinds and kinds.index("utterance") < kinds.index("recognized")


async def test_two_failed_recognitions_fall_back_to_the_keypad_menu(monkeypatch):
    turns, events = await run_call(monkeypatch, ["", ""], utterances=2)
    assert turns == []
    prompts = [e.data["text"] for e in events if e.kind == "prompt"]
    assert "请再说一遍" in prompts[-2] and "报案请按1" in prompts[-1]


async def test_asking_to_hear_it_again_replays_the_question_without_a_turn(monkeypatch):
    from speech.call import ASK_SPEECH, REPLAY_PREFIX

    turns, events = await run_call(monkeypatch, ["请 再 说 一 遍"])
    assert turns == []
    assert [e.data["by"] for e in events if e.kind == "replay"] == ["speech"]
    prompts = [e.data["text"] for e in events if e.kind == "prompt"]
    assert prompts[-1] == REPLAY_PREFIX + ASK_SPEECH
