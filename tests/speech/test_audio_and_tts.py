import asyncio
import struct

import pytest

from speech import audiosocket as proto
from speech.audio import duration_s, frame_bytes, frames, resample, rms
from speech.errors import ProtocolError
from speech.tts import EspeakTts, split_sentences, spoken_text, to_pinyin

needs_espeak = pytest.mark.skipif(not EspeakTts.available(), reason="espeak-ng is not installed (make setup installs it)")


@needs_espeak
@pytest.mark.parametrize("rate_hz", [8000, 16000])
async def test_speech_comes_at_the_calls_rate_with_the_same_duration(rate_hz):
    tts = EspeakTts()
    pcm = await tts.synthesize("您好，这里是96110反诈中心。", rate_hz)
    reference = await tts.synthesize("您好，这里是96110反诈中心。", 22050)
    assert len(pcm) % 2 == 0 and rms(pcm) > 500  # whole 16-bit samples, not silence
    assert 2.0 < duration_s(pcm, rate_hz) < 10.0
    assert duration_s(pcm, rate_hz) == pytest.approx(duration_s(reference, 22050), rel=0.01)


@needs_espeak
async def test_the_pinyin_voice_is_used_and_repeated_prompts_are_cached():
    tts = EspeakTts()
    first = await tts.synthesize("报案请按1", 8000)
    again = await asyncio.wait_for(tts.synthesize("报案请按1", 8000), 0.01)  # no second espeak run
    assert first is again
    assert to_pinyin("报案请按1") == "bao4 an4 qing3 an4 yi1"


def test_numbers_are_read_the_way_a_hotline_reads_them():
    assert spoken_text("请拨打110") == "请拨打幺幺零"
    assert spoken_text("转了50000元") == "转了五万元"
    assert spoken_text("卡号6222021234567890128").startswith("卡号六二二二，零二幺二，")
    assert spoken_text("十分钟，3点") == "十分钟，三点"


def test_long_replies_are_split_so_speech_starts_quickly():
    pieces = split_sentences("已记下最关键的信息。请您现在：①不要再向对方转任何钱；②保留聊天记录、转账凭证和对方的联系方式，"
                             "不要删除；③先不要拉黑对方，也不要告诉对方您已报警。")
    assert len(pieces) >= 4 and all(len(p) <= 40 for p in pieces)
    assert "".join(pieces).startswith("已记下最关键的信息。")


def test_frames_are_20_ms_and_padded():
    pcm = b"\x01\x00" * 8100
    chunks = list(frames(pcm, 8000))
    assert all(len(c) == frame_bytes(8000) == 320 for c in chunks) and len(chunks) == 51
    assert duration_s(resample(pcm, 8000, 16000), 16000) == pytest.approx(duration_s(pcm, 8000), rel=0.01)


def test_audiosocket_frames_round_trip_byte_exact():
    assert proto.hangup_frame().encode() == b"\x00\x00\x00"
    assert proto.audio_frame(b"\x01\x02", 8000).encode() == b"\x10\x00\x02\x01\x02"
    assert proto.audio_frame(b"\x01\x02", 16000).encode() == b"\x12\x00\x02\x01\x02"
    assert proto.Frame(proto.DTMF, b"#").encode() == b"\x03\x00\x01#"


async def read(data: bytes):
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    return await proto.read_frame(reader, 1)


async def test_frames_are_read_and_validated():
    uuid_bytes = bytes(range(16))
    frame = await read(b"\x01\x00\x10" + uuid_bytes)
    assert proto.call_uuid(frame) == "00010203-0405-0607-0809-0a0b0c0d0e0f"
    assert (await read(b"\x16\x00\x04abcd")).rate_hz == 48000
    assert await read(b"") is None  # a clean end of stream
    for garbage in (b"\x10\x00", b"\x10\x00\x04ab", b"\x42\x00\x00", b"\x01\x00\x02ab", b"\x03\x00\x01Z",
                    struct.pack(">BH", 0x10, proto.MAX_PAYLOAD + 1)):
        with pytest.raises(ProtocolError):
            await read(garbage)
