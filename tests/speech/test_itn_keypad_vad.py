import wave
from pathlib import Path

import pytest

from speech import keypad
from speech.audio import frames, resample
from speech.itn import digits_only, normalise_transcript
from speech.vad import UtteranceDetector

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "speech-samples"


@pytest.mark.parametrize("heard,text", [
    ("我 转 了 五万", "我转了50000"),
    ("转 了 三千 块", "转了3000元"),
    ("卡号 是 六 二 二 二 零 二 一 二 三 四 五 六 七 八 九 零 一 二 八", "卡号是6222021234567890128"),
    ("手机 幺 三 八 一 二 三 四 五 六 七 八", "手机13812345678"),
    ("出租 银行卡 犯法 吗", "出租银行卡犯法吗"),
])
def test_transcripts_are_normalised_before_rasa(heard, text):
    assert normalise_transcript(heard) == text


def test_digit_mode_keeps_only_digits():
    assert digits_only("幺 三 八 一二三四 五六七八") == "13812345678"


def test_keyed_numbers_become_messages_the_form_understands():
    assert keypad.digits_message("to_account", "6222021234567890128") == "6222021234567890128"
    assert keypad.digits_message("amount", "50000") == "50000元"
    assert keypad.digits_message("time", "905") == "今天9点05分"
    assert keypad.digits_message("time", "2575") is None
    assert keypad.digits_message("victim_phone", "1381234567") is None  # 10 digits: ask again
    assert keypad.digits_message("from_account", "") == keypad.DONT_KNOW


def read_wav(path: Path):
    with wave.open(str(path)) as audio:
        return audio.readframes(audio.getnframes()), audio.getframerate()


@pytest.mark.skipif(not SAMPLES.exists(), reason="../shared/speech-samples is not beside the repository")
def test_real_mandarin_speech_is_one_utterance_ended_by_silence():
    pcm, rate = read_wav(SAMPLES / "aishell1_BAC009S0724W0121.wav")
    pcm = resample(pcm, rate, 8000) + b"\x00" * 16000  # then a second of line silence
    detector = UtteranceDetector()
    events = [e for e in (detector.feed(f) for f in frames(pcm, 8000)) if e is not None]
    assert events[0] == "start" and isinstance(events[-1], bytes)
    assert 2.5 < len(events[-1]) / 16000 < 5.0  # the 4.3 s sentence, not the silence after it
