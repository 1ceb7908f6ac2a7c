"""The speech service's transports in-process: protocol errors, slow peers, the call cap, silence."""
import asyncio
import time

from tests.speech.phone import Phone


async def test_garbage_ends_only_that_call_repeatedly(voice_line):
    for garbage in (b"\x42\x00\x02ab", b"\x10\xff\xff", b"\x03\x00\x01Z", b"\x10\x00\x03abc"):
        good = await Phone(voice_line.settings.audiosocket_port).dial()
        bad = await Phone(voice_line.settings.audiosocket_port).dial()
        await bad.wait_for_audio(0)
        bad.send_raw(garbage)
        await bad.wait_closed(3)
        await good.wait_for_audio(0)
        await good.press("0")
        await good.wait_closed(10)
        assert good.hung_up_by_server
        await bad.hang_up()
        await good.hang_up()
    assert not voice_line.calls


async def test_extra_calls_get_a_busy_message_not_a_slower_line(voice_line):
    first = await Phone(voice_line.settings.audiosocket_port).dial()
    second = await Phone(voice_line.settings.audiosocket_port).dial()
    await first.wait_for_audio(0)
    await second.wait_for_audio(0)
    third = await Phone(voice_line.settings.audiosocket_port).dial()  # MAX_CALLS=2
    await third.wait_closed(20)
    assert third.hung_up_by_server and third.audio_frames()  # told, then hung up
    assert len(voice_line.calls) == 2
    for phone in (first, second, third):
        await phone.hang_up()


async def test_silence_gets_reprompts_then_a_polite_goodbye(voice_line, caplog):
    caplog.set_level("INFO", logger="speech.server")
    phone = await Phone(voice_line.settings.audiosocket_port).dial()
    await phone.wait_closed(60)  # reprompt after 0.6 s of silence, twice, then goodbye
    assert phone.hung_up_by_server
    for _ in range(100):  # the call's end is logged just after the server closed the connection
        if any(event.kind == "call-ended" for _, event in voice_line.events):
            break
        await asyncio.sleep(0.05)
    events = [r.getMessage().split(" ", 2)[2] for r in caplog.records if r.getMessage().startswith("call ")]
    kinds = [e.split(" ")[0] for e in events]
    assert kinds.count("reprompt") == 2 and kinds[-2:] == ["silence-hangup", "call-ended"], events
    bursts, last = 0, None
    for t, _ in phone.audio_frames():  # the caller heard each: silence of >= 0.6 s separates them
        if last is None or t - last > 0.55:
            bursts += 1
        last = t
    assert bursts >= 4  # greeting, two reprompts, goodbye (a loaded machine may stall inside one)
    await phone.hang_up()


async def test_a_peer_that_stops_reading_ends_only_its_call(voice_line):
    stalled = await Phone(voice_line.settings.audiosocket_port).dial()
    stalled.writer.transport.pause_reading()  # our side of the socket stops reading audio
    stalled._tasks[1].cancel()
    started = time.monotonic()
    good = await Phone(voice_line.settings.audiosocket_port).dial()
    await good.wait_for_audio(0)
    await good.press("0")
    await good.wait_closed(10)
    assert good.hung_up_by_server
    while voice_line.calls and time.monotonic() - started < 60:
        await asyncio.sleep(0.2)
    assert not voice_line.calls  # the stalled call was ended (write timeout or silence), not kept forever
    await stalled.hang_up()
    await good.hang_up()


async def test_keyed_numbers_are_read_back_before_they_reach_rasa(voice_line):
    phone = await Phone(voice_line.settings.audiosocket_port).dial()
    await phone.wait_for_audio(0)
    await phone.press("1")                     # 报案 → the fake asks for the amount
    await asyncio.sleep(0.5)
    await phone.press("50000#")                # read back, not yet sent
    await asyncio.sleep(0.5)
    assert voice_line.fake_rasa.turns[-1][1] == "我要报案"
    await phone.press("2")                     # wrong: key it again
    await asyncio.sleep(0.3)
    await phone.press("30000#")
    await asyncio.sleep(0.3)
    await phone.press("1")                     # confirmed
    for _ in range(50):
        if voice_line.fake_rasa.turns[-1][1] != "我要报案":
            break
        await asyncio.sleep(0.1)
    assert voice_line.fake_rasa.turns[-1] == (phone.call_id, "30000元")
    await phone.hang_up()


async def test_browser_calls_from_another_site_are_refused(voice_line):
    import aiohttp

    url = f"http://127.0.0.1:{voice_line.settings.voice_port}/voice/ws"
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers={"Origin": "http://evil.example"}):
                raise AssertionError("a cross-origin call was accepted")
        except aiohttp.WSServerHandshakeError as error:
            assert error.status == 403


async def test_a_16khz_call_is_answered_at_16khz(voice_line):
    phone = await Phone(voice_line.settings.audiosocket_port, rate_hz=16000).dial()
    await phone.wait_for_audio(0)
    await asyncio.sleep(0.5)
    kinds = {kind for _, kind, _ in phone.received}
    assert kinds == {0x12} and all(len(p) == 640 for _, p in phone.audio_frames())  # 20 ms of 16 kHz
    await phone.hang_up()
