"""Past capacity the line degrades gracefully and says so: at most VOICE_SPEECH_CALLS calls have speech
recognition; the next callers get the keypad menu (or, with VOICE_OVERFLOW=busy, the busy message), past
MAX_CALLS the busy message with the 110 advice; while recognition lags, new callers get the keypad menu.
The admitted callers speak real recordings to the real recogniser (the stand-in model) meanwhile."""
import asyncio

import pytest

import speech.server
from bench.voice_recognition import pacing
from speech.call import KEYPAD_BECAUSE_BUSY, CallSettings
from tests.speech.phone import Phone
from tests.speech.samples import MISSING, SAMPLES, load
from tests.speech.stand_in import needs_stand_in, stand_in_model_dir

pytestmark = [needs_stand_in, pytest.mark.skipif(not SAMPLES.exists(), reason=MISSING)]


def started(line, phone):
    [event] = [e for call_id, e in line.events if call_id == phone.call_id and e.kind == "call-started"]
    return event.data


def recognized(line, phone):
    return [e for call_id, e in line.events if call_id == phone.call_id and e.kind == "recognized"]


async def until(condition, timeout_s: float = 30.0) -> None:
    for _ in range(int(timeout_s / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def health(line) -> dict:
    return line.health()


async def test_more_callers_than_the_limits_get_the_keypad_menu_then_the_busy_message(start_voice_line):
    line = await start_voice_line(CallSettings(reprompt_after_s=30, speech_calls=2), max_calls=4,
                                  model_dir=stand_in_model_dir())              # the real voice (espeak-ng)
    await line.recognizers.warm(2, 8000, [load("funasr_asr_example.wav")])
    phones = []
    for _ in range(5):                                          # five callers, one after the other
        phones.append(await Phone(line.settings.audiosocket_port).dial())
        await asyncio.sleep(0.3)
    talkers, keypad_callers, refused = phones[:2], phones[2:4], phones[4]
    await refused.wait_closed(30)
    assert refused.hung_up_by_server and refused.audio_frames()   # told (busy, 110), then hung up
    assert [started(line, p)["keypad_only"] for p in phones[:4]] == [False, False, True, True]
    for phone in keypad_callers:
        assert started(line, phone)["overflow"]
        greeting = next(e for call_id, e in line.events if call_id == phone.call_id and e.kind == "prompt")
        assert KEYPAD_BECAUSE_BUSY in greeting.data["text"] and "110" in greeting.data["text"]
    for phone in talkers + keypad_callers:
        await phone.wait_until_quiet(0.4, timeout=60)           # the greeting, in full
    for phone in talkers:
        phone.say(load())
    for phone in keypad_callers:
        await phone.press("2")                                 # the menu works: 防骗咨询
    for phone in talkers:
        await until(lambda: recognized(line, phone))
        assert recognized(line, phone)[0].data["text"] and recognized(line, phone)[0].data["after_end_ms"] < 2000
    await until(lambda: len(line.fake_rasa.turns) == 4)
    said = sorted(message for _, message in line.fake_rasa.turns)
    assert said.count("怎么识别电信诈骗") == 2
    state = line.health()
    assert (state["calls"], state["speech_calls"], state["keypad_calls"], state["speech_limit"]) == (4, 2, 2, 2)
    assert state["admitted"] == {"speech": 2, "keypad": 2, "busy": 1} and not state["recognition"]["saturated"]
    for phone in talkers:                                      # the admitted calls stay in real time
        await phone.wait_until_quiet(0.4, timeout=60)
        heard = pacing(phone)
        assert heard["stretch"] < 1.1 and heard["p99_gap_ms"] < 150, heard   # loose: a loaded CI machine
    for phone in phones:
        await phone.hang_up()


async def test_while_recognition_lags_new_callers_get_the_keypad_menu(start_voice_line, monkeypatch):
    monkeypatch.setattr(speech.server, "SATURATED_HOLD_S", 0.5)
    line = await start_voice_line(CallSettings(reprompt_after_s=30, speech_calls=4), max_calls=4,
                                  model_dir=stand_in_model_dir())
    lag = [2.0]
    monkeypatch.setattr(line.pool, "lag_s", lambda: lag[0])
    first = await Phone(line.settings.audiosocket_port).dial()
    await until(lambda: line.calls)
    assert started(line, first)["overflow"] and line.health()["recognition"]["saturated"]
    lag[0] = 0.0
    await asyncio.sleep(0.7)                                   # recovered: the next caller gets speech again
    second = await Phone(line.settings.audiosocket_port).dial()
    await until(lambda: len(line.calls) == 2)
    assert not started(line, second)["keypad_only"] and not line.health()["recognition"]["saturated"]
    assert line.health()["recognition"]["max_lag_ms"] >= 2000
    for phone in (first, second):
        await phone.hang_up()


async def test_with_overflow_busy_callers_past_the_speech_limit_hear_the_busy_message(start_voice_line):
    line = await start_voice_line(CallSettings(reprompt_after_s=30, speech_calls=1, overflow="busy"), max_calls=4,
                                  model_dir=stand_in_model_dir())
    first = await Phone(line.settings.audiosocket_port).dial()
    await until(lambda: line.calls)
    second = await Phone(line.settings.audiosocket_port).dial()
    await second.wait_closed(30)
    assert second.hung_up_by_server and second.audio_frames() and len(line.calls) == 1
    assert line.health()["admitted"] == {"speech": 1, "keypad": 0, "busy": 1}
    await first.hang_up()


async def test_the_health_endpoint_shows_calls_and_saturation(start_voice_line):
    import aiohttp

    line = await start_voice_line(CallSettings(reprompt_after_s=30, speech_calls=3), max_calls=4,
                                  model_dir=stand_in_model_dir())
    phone = await Phone(line.settings.audiosocket_port).dial()
    await until(lambda: line.calls)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{line.settings.voice_port}/api/health") as response:
            body = await response.json()
    assert body["calls"] == 1 and body["speech_calls"] == 1 and body["speech_limit"] == 3
    assert body["recognition"]["saturated"] is False and body["recognition"]["decode_threads"] >= 1
    await phone.hang_up()
