"""No caller holds a line for ever, and a real caller is never cut off early: the speech service in
process (as in test_server.py) with a short stand-in voice and limits scaled from minutes to seconds.
Assertions count events (key presses, turns, limits), not gaps, so a loaded machine does not flake."""
import asyncio
import struct
import time
import uuid

import aiohttp
import pytest

from bot.settings import SettingsError
from speech.call import GOODBYE_NO_PROGRESS, GOODBYE_TOO_LONG, LOOPBACK, CallSettings, parse_peers
from speech.server import AUDIO_BURST_S, MAX_CLIP_BYTES, AudioBudget
from tests.speech.conftest import SERVICE_TOKEN, ShortTts
from tests.speech.phone import Phone


def limits(**overrides) -> CallSettings:
    """Counts as shipped; times scaled down (the silence reprompt at 1 s instead of 8 s)."""
    values = dict(reprompt_after_s=1.0, max_reprompts=2, max_call_s=600, idle_s=600)
    values.update(overrides)
    return CallSettings(**values)


def events_of(line, phone, kind=None):
    return [e for call_id, e in line.events if call_id == phone.call_id and (kind is None or e.kind == kind)]


async def press_until_cut_off(phone, key: str, every_s: float, at_most: int) -> int:
    """Presses key every every_s until the line hangs up; how many presses that took."""
    presses = 0
    while presses < at_most:
        await asyncio.sleep(every_s)
        if phone.closed:
            break
        await phone.press(key)
        presses += 1
    await phone.wait_closed(10)
    return presses


async def test_an_attacker_pressing_a_key_every_few_seconds_is_cut_off(start_voice_line):
    # The reported attack: a meaningless key every 15 s, the silence reprompt (8 s) firing in between.
    line = await start_voice_line(limits(), ShortTts())
    phone = await Phone(line.settings.audiosocket_port).dial()
    await phone.wait_until_quiet(0.3)
    presses = await press_until_cut_off(phone, "9", every_s=1.5, at_most=30)
    assert phone.hung_up_by_server
    assert presses <= CallSettings().max_no_progress + 1, presses  # one may be on its way
    [limit] = events_of(line, phone, "limit-reached")
    assert limit.data["reason"] == "no-progress" and not limit.data["handoff"]
    assert events_of(line, phone, "prompt")[-1].data["text"] == GOODBYE_NO_PROGRESS
    assert not line.calls and not line.fake_rasa.turns


async def test_keys_never_reset_the_idle_limit(start_voice_line):
    line = await start_voice_line(limits(idle_s=4, max_no_progress=1000), ShortTts())
    phone = await Phone(line.settings.audiosocket_port).dial()
    presses = await press_until_cut_off(phone, "*", every_s=0.4, at_most=60)
    assert phone.hung_up_by_server and presses < 60
    [limit] = events_of(line, phone, "limit-reached")
    assert limit.data["reason"] == "idle"
    assert not line.calls


async def test_an_endless_number_is_not_progress(start_voice_line):
    line = await start_voice_line(limits(max_no_progress=2), ShortTts())
    phone = await Phone(line.settings.audiosocket_port).dial()
    await phone.press("1")                               # 报案: the fake asks for the amount (at most 10 digits)
    await asyncio.sleep(0.5)
    for _ in range(4):
        if phone.closed:
            break
        await phone.press("1" * 11)                      # never '#'
    await phone.wait_closed(10)
    why = [e.data["why"] for e in events_of(line, phone, "no-progress")]
    assert why == ["wrong-length", "wrong-length"]
    [limit] = events_of(line, phone, "limit-reached")
    assert limit.data == {"reason": "no-progress", "handoff": True, "call_s": limit.data["call_s"]}
    assert line.fake_rasa.turns[-1] == (phone.call_id, "转人工")   # a report under way goes to an officer


async def test_turns_going_round_in_a_circle_are_not_progress(start_voice_line):
    line = await start_voice_line(limits(max_no_progress=2), ShortTts())
    phone = await Phone(line.settings.audiosocket_port).dial()
    await phone.press("1")
    for amount in ("111", "112", "111", "112", "111"):
        await asyncio.sleep(0.4)
        if phone.closed:
            break
        await phone.press(amount + "#")
        await asyncio.sleep(0.4)
        await phone.press("1")
    await phone.wait_closed(10)
    assert [e.data["why"] for e in events_of(line, phone, "no-progress")] == ["same-turn", "same-turn"]
    said = [message for _, message in line.fake_rasa.turns]
    assert said == ["我要报案", "111元", "112元", "111元", "112元", "转人工"]


async def test_a_caller_who_keeps_the_dialogue_moving_is_still_ended_at_the_maximum_length(start_voice_line):
    line = await start_voice_line(limits(max_call_s=5), ShortTts())
    phone = await Phone(line.settings.audiosocket_port).dial()

    async def answered(turns: int) -> None:
        for _ in range(100):
            if len(line.fake_rasa.turns) >= turns or phone.closed:
                return
            await asyncio.sleep(0.05)

    await phone.press("1")
    await answered(1)
    amounts = [str(n) for n in range(111, 999) if "0" not in str(n)]  # 0 alone would ask for an officer
    while not phone.closed and amounts:
        await asyncio.sleep(0.3)
        await phone.press(amounts.pop(0) + "#")
        await asyncio.sleep(0.3)
        await phone.press("1")                           # confirmed: a new turn each time
        await answered(len(line.fake_rasa.turns) + 1)
    await phone.wait_closed(30)
    assert phone.hung_up_by_server
    [limit] = events_of(line, phone, "limit-reached")
    assert limit.data["reason"] == "max-duration" and limit.data["handoff"]
    said = [message for _, message in line.fake_rasa.turns]
    assert said[-1] == "转人工" and "111元" in said    # it did make progress, then went to an officer
    assert events_of(line, phone, "handoff")
    assert not line.calls


async def test_at_the_maximum_length_a_caller_outside_a_report_hears_a_goodbye(start_voice_line):
    line = await start_voice_line(limits(max_call_s=2, reprompt_after_s=60), ShortTts())
    phone = await Phone(line.settings.audiosocket_port).dial()
    await phone.wait_closed(20)
    assert phone.hung_up_by_server
    [limit] = events_of(line, phone, "limit-reached")
    assert limit.data["reason"] == "max-duration" and not limit.data["handoff"]
    goodbye = [e for e in events_of(line, phone, "prompt") if e.data["text"] == GOODBYE_TOO_LONG]
    assert goodbye and phone.audio_frames(since=goodbye[0].at)  # spoken before the hang-up
    assert not line.fake_rasa.turns


async def test_a_slow_caller_who_makes_mistakes_is_not_cut_off(start_voice_line):
    # Pauses longer than the reprompt, keys pressed just under it, wrong keys, a number keyed again:
    # the whole call lasts longer than the idle limit, and nothing ends it but the caller's own 0.
    idle_s = 25
    line = await start_voice_line(limits(idle_s=idle_s), ShortTts())
    phone = await Phone(line.settings.audiosocket_port).dial()
    started = time.monotonic()

    async def listen_then(keys: str, pause_s: float = 0.8) -> None:
        await phone.wait_until_quiet(0.4)
        for key in keys:
            await asyncio.sleep(pause_s)
            await phone.press(key)

    await phone.wait_until_quiet(0.4)
    await asyncio.sleep(1.3)                             # thinks: "请问您还在吗？"
    await listen_then("9")                               # wrong key
    await listen_then("7")                               # wrong again
    await listen_then("1")                               # 报案
    await listen_then("50000#")                          # slowly
    await listen_then("1")                               # confirmed
    await listen_then("20000#")
    await listen_then("2")                               # no, again
    await listen_then("30000#")
    await listen_then("1")
    await listen_then("8000#")
    await listen_then("1")
    assert time.monotonic() - started > idle_s, "the call must outlast the idle limit to show anything"
    await listen_then("0")                               # the caller asks for an officer
    await phone.wait_closed(10)
    assert events_of(line, phone, "handoff")
    assert not events_of(line, phone, "limit-reached") and not events_of(line, phone, "silence-hangup")
    said = [message for _, message in line.fake_rasa.turns]
    assert said == ["我要报案", "50000元", "30000元", "8000元", "转人工"]
    assert events_of(line, phone, "reprompt")            # it did pause past the reprompt


async def test_a_key_in_the_read_back_does_not_switch_off_the_silence_watch(start_voice_line):
    line = await start_voice_line(limits(reprompt_after_s=0.5, max_reprompts=1), ShortTts())
    phone = await Phone(line.settings.audiosocket_port).dial()
    await phone.press("1")
    await asyncio.sleep(0.4)
    await phone.press("500#")
    await asyncio.sleep(0.4)
    await phone.press("5")                               # neither 1 nor 2, then silence
    await phone.wait_closed(20)
    assert events_of(line, phone, "silence-hangup")


async def test_a_hang_up_frame_frees_the_line_at_once(voice_line):
    first = await Phone(voice_line.settings.audiosocket_port).dial()
    second = await Phone(voice_line.settings.audiosocket_port).dial()
    await first.wait_for_audio(0)
    await second.wait_for_audio(0)
    assert len(voice_line.calls) == 2                    # MAX_CALLS=2: the line is full
    first.stop_talking()
    await asyncio.sleep(0.1)
    first.send_hangup_frame()                            # and nothing after it, the socket left open
    deadline = time.monotonic() + 5                      # not the 30 s read timeout
    while len(voice_line.calls) == 2 and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert len(voice_line.calls) == 1
    third = await Phone(voice_line.settings.audiosocket_port).dial()
    await third.wait_for_audio(0)
    await asyncio.sleep(1.0)
    assert not third.hung_up_by_server and len(voice_line.calls) == 2   # answered, not told "busy"
    await first.wait_closed(5)                           # the server closed the hung-up connection
    for phone in (first, second, third):
        await phone.hang_up()


async def test_callers_who_wait_before_their_first_audio_cannot_overrun_the_cap(voice_line):
    port = voice_line.settings.audiosocket_port
    connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(5)]
    for _, writer in connections:
        writer.write(struct.pack(">BH", 0x01, 16) + uuid.uuid4().bytes)
    await asyncio.sleep(0.5)                             # every one is past the UUID
    silence = b"\x00" * 320
    most = 0
    for _ in range(40):
        for _, writer in connections:
            writer.write(struct.pack(">BH", 0x10, len(silence)) + silence)
        most = max(most, len(voice_line.calls))
        await asyncio.sleep(0.05)
    assert most == 2                                     # MAX_CALLS; the others were told "busy"
    for _, writer in connections:
        writer.close()


async def test_audiosocket_connections_only_from_the_allowed_peers(start_voice_line):
    line = await start_voice_line(limits(allowed_peers=parse_peers("10.1.2.3, 192.168.0.0/16")), ShortTts())
    phone = await Phone(line.settings.audiosocket_port).dial()
    await phone.wait_closed(5)
    assert not phone.received and not line.events


async def test_browser_calls_cannot_take_every_line(start_voice_line):
    line = await start_voice_line(limits(browser_max_calls=1), ShortTts(), max_calls=3)
    url = f"http://127.0.0.1:{line.settings.voice_port}/voice/ws"
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url) as first, session.ws_connect(url) as second:
            await first.send_json({"type": "start", "rate": 8000})
            assert (await first.receive_json(timeout=10))["type"] == "call"
            await second.send_json({"type": "start", "rate": 8000})
            while True:  # busy: a spoken message, then a hang-up
                message = await second.receive(timeout=10)
                if message.type == aiohttp.WSMsgType.TEXT:
                    assert message.json() == {"type": "hangup", "reason": "busy"}
                    break
            phone = await Phone(line.settings.audiosocket_port).dial()  # the telephone line is still free
            await phone.wait_for_audio(0)
            await asyncio.sleep(0.5)
            assert not phone.hung_up_by_server and len(line.calls) == 2
            await phone.hang_up()


async def test_a_browser_message_that_is_not_an_object_ends_only_that_call(start_voice_line):
    line = await start_voice_line(limits(), ShortTts())
    url = f"http://127.0.0.1:{line.settings.voice_port}/voice/ws"
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url) as socket:
            await socket.send_json({"type": "start", "rate": 8000})
            assert (await socket.receive_json(timeout=10))["type"] == "call"
            await socket.send_str("[1]")
            while (await socket.receive(timeout=10)).type not in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                pass
    for _ in range(50):
        if not line.calls:
            break
        await asyncio.sleep(0.05)
    assert not line.calls


def test_audio_faster_than_real_time_is_dropped():
    now = [0.0]
    budget = AudioBudget(8000, clock=lambda: now[0])
    second = 16000                                       # bytes of one second at 8 kHz
    assert all(budget.take(second // 50) for _ in range(int(AUDIO_BURST_S * 50)))  # a burst is taken
    assert not budget.take(second) and budget.dropped == second
    now[0] = 10.0
    assert budget.take(10 * second)                      # real time is always taken


# --- /api/transcribe, the WeChat channel's -------------------------------------------------------
class PresentModel:
    directory = "stand-in"

    def present(self):
        return True

    def model(self):
        return object()


async def test_transcribe_needs_the_service_token_and_limits_the_clip(start_voice_line):
    line = await start_voice_line(limits(), ShortTts())
    url = f"http://127.0.0.1:{line.settings.voice_port}/api/transcribe"
    token = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    line.stt = PresentModel()
    async with aiohttp.ClientSession() as session:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": SERVICE_TOKEN}):
            async with session.post(url, data=b"x" * 100, headers=headers) as response:
                assert response.status == 401
        async with session.post(url, data=b"x" * (MAX_CLIP_BYTES + 1), headers=token) as response:
            assert response.status == 413

        async def too_much():  # chunked: no Content-Length to go by
            for _ in range(MAX_CLIP_BYTES // 65536 + 8):
                yield b"x" * 65536
        async with session.post(url, data=too_much(), headers=token) as response:
            assert response.status == 413


async def test_transcribe_takes_the_whole_clip(start_voice_line, monkeypatch):
    import speech.server
    import speech.stt
    from speech.stt import Recognition

    line = await start_voice_line(limits(), ShortTts())
    line.stt = line.recognizers.loader = PresentModel()
    decoded = []

    async def decode(clip, rate_hz):
        decoded.append(len(clip))
        return b"\x00" * 3200

    class StandIn:
        def __init__(self, model, rate_hz, digits=False):
            self.rate_hz, self.digits, self.clean, self.busy = rate_hz, digits, True, False

        def accept(self, pcm):
            return Recognition("", final=False)

        def finish(self):
            return Recognition("出租 银行卡 犯法 吗", [("x", 0.9)])

    monkeypatch.setattr(speech.server, "decode_to_pcm", decode)
    monkeypatch.setattr(speech.stt, "Transcriber", StandIn)

    async def slowly():  # a clip that arrives in pieces
        for _ in range(5):
            await asyncio.sleep(0.05)
            yield b"#!AMR\n" + b"\x01" * 20000

    url = f"http://127.0.0.1:{line.settings.voice_port}/api/transcribe"
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=slowly(), headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}) as response:
            assert response.status == 200
            assert (await response.json())["text"] == "出租银行卡犯法吗"
    assert decoded == [5 * 20006]


# --- settings ------------------------------------------------------------------------------------
def test_limits_come_from_the_environment_with_safe_defaults():
    default = CallSettings.from_env({})
    assert (default.max_call_s, default.idle_s, default.max_no_progress, default.browser_max_calls) == (1800, 300, 6, 5)
    assert default.allowed_peers == LOOPBACK
    assert default.peer_allowed("127.0.0.1") and default.peer_allowed("::1") and not default.peer_allowed("10.0.0.5")
    tuned = CallSettings.from_env({"VOICE_MAX_CALL_MINUTES": "45", "VOICE_IDLE_SECONDS": "600",
                                   "VOICE_MAX_NO_PROGRESS": "8", "VOICE_BROWSER_MAX_CALLS": "2",
                                   "AUDIOSOCKET_ALLOWED_PEERS": "10.0.0.5, 192.168.10.0/24"})
    assert (tuned.max_call_s, tuned.idle_s, tuned.max_no_progress, tuned.browser_max_calls) == (2700, 600, 8, 2)
    assert tuned.peer_allowed("10.0.0.5") and tuned.peer_allowed("::ffff:192.168.10.7")
    assert not tuned.peer_allowed("127.0.0.1") and not tuned.peer_allowed("not an address")
    assert CallSettings.from_env({"AUDIOSOCKET_ALLOWED_PEERS": "*"}).peer_allowed("203.0.113.9")
    for env in ({"VOICE_MAX_CALL_MINUTES": "0"}, {"VOICE_IDLE_SECONDS": "soon"}, {"VOICE_MAX_NO_PROGRESS": "2.5"},
                {"AUDIOSOCKET_ALLOWED_PEERS": "asterisk.local"}):
        with pytest.raises(SettingsError):
            CallSettings.from_env(env)
