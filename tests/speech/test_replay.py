"""For elderly callers: "请再说一遍"/"没听清" and the * key replay the last question; asking again is not
"no progress" the first VOICE_MAX_REPLAYS times for one question, then it is (replays alone never hold a
line); keyed numbers are read back in groups, amounts as amounts and times as times; the voice is a
little slower (VOICE_SPEECH_RATE)."""
import asyncio

import pytest

from bot.settings import SettingsError
from speech import keypad
from speech.call import ASK_KEYS, REPLAY_PREFIX, CallSettings, asks_replay
from speech.server import VoiceLine
from speech.tts import SPEED_WPM, EspeakTts, spoken_text
from tests.speech.conftest import ShortTts
from tests.speech.phone import Phone


def events_of(line, phone, kind):
    return [e for call_id, e in line.events if call_id == phone.call_id and e.kind == kind]


async def test_star_replays_the_question_and_endless_replays_end_the_call(start_voice_line):
    line = await start_voice_line(CallSettings(reprompt_after_s=30, max_no_progress=2, max_replays=2), ShortTts())
    phone = await Phone(line.settings.audiosocket_port).dial()
    await phone.wait_until_quiet(0.3)
    for _ in range(6):
        if phone.closed:
            break
        await phone.press("*")
        await asyncio.sleep(0.4)
    await phone.wait_closed(10)
    replays = events_of(line, phone, "replay")
    assert [e.data["count"] for e in replays] == [1, 2, 3, 4]
    prompts = [e.data["text"] for e in events_of(line, phone, "prompt")]
    assert prompts[1] == REPLAY_PREFIX + ASK_KEYS                 # the question, not the whole greeting
    assert [e.data["why"] for e in events_of(line, phone, "no-progress")] == ["replay", "replay"]
    assert events_of(line, phone, "limit-reached") and not line.fake_rasa.turns


async def test_star_clears_a_number_being_keyed_and_replays_the_question_when_nothing_is_keyed(start_voice_line):
    line = await start_voice_line(CallSettings(reprompt_after_s=30), ShortTts())
    phone = await Phone(line.settings.audiosocket_port).dial()
    await phone.press("1")                                     # 报案 → the fake asks for the amount
    await asyncio.sleep(0.5)
    await phone.press("12*")                                   # wrong: cleared
    await asyncio.sleep(0.3)
    await phone.press("*")                                     # nothing keyed: the question again
    await asyncio.sleep(0.3)
    await phone.press("50000#")
    await asyncio.sleep(0.5)
    assert [e.data["why"] for e in events_of(line, phone, "no-progress")] == ["cleared"]
    [replay] = events_of(line, phone, "replay")
    prompts = [e.data["text"] for e in events_of(line, phone, "prompt")]
    assert any(p.startswith(REPLAY_PREFIX + "请问转了多少钱？") and keypad.DIGITS["amount"].prompt in p for p in prompts)
    assert prompts[-1] == "您输入的金额是50000元。确认请按1，重新输入请按2。"
    await phone.press("*")                                     # the read-back again
    await asyncio.sleep(0.3)
    assert events_of(line, phone, "prompt")[-1].data["text"] == REPLAY_PREFIX + prompts[-1]
    await phone.press("1")
    await asyncio.sleep(0.5)
    assert line.fake_rasa.turns[-1] == (phone.call_id, "50000元")
    await phone.hang_up()


@pytest.mark.parametrize("text,replay", [("请再说一遍", True), ("没 听 清", True), ("啊我没听清楚", True),
                                         ("你再说一次", True), ("我没听清他说的银行卡号是多少", False),
                                         ("我转了五万", False)])
def test_what_asks_for_the_question_again(text, replay):
    assert asks_replay(text) is replay


def test_numbers_are_read_back_in_groups():
    assert spoken_text("手机13812345678") == "手机幺三八，幺二三四，五六七八，"
    assert spoken_text("验证码123456") == "验证码幺二三，四五六，"
    assert spoken_text("卡号6222021234567890128") == "卡号六二二二，零二幺二，三四五六，七八九零，幺二八，"
    assert spoken_text("请拨打96110") == "请拨打九六幺幺零"
    assert spoken_text(keypad.read_back("amount", "50000")) == "五万元"
    assert spoken_text(keypad.read_back("time", "1505")) == "十五点零五分"
    assert spoken_text(keypad.read_back("time", "900")) == "九点整"
    assert keypad.read_back("to_account", "6222021234567890128") == "6222021234567890128"


def test_the_voice_is_a_little_slower_and_configurable(tmp_path):
    from bot.settings import Settings

    assert SPEED_WPM < 175                                     # espeak-ng's own default
    settings = CallSettings.from_env({"VOICE_SPEECH_RATE": "130", "VOICE_MAX_REPLAYS": "3"})
    assert (settings.speech_rate_wpm, settings.max_replays) == (130, 3)
    line = VoiceLine(Settings.from_env({"VOSK_MODEL_DIR": str(tmp_path)}), call_settings=settings)
    assert isinstance(line.tts, EspeakTts) and line.tts.speed_wpm == 130


def test_admission_settings_come_from_the_environment():
    default = CallSettings.from_env({})
    assert default.speech_calls is None and default.overflow == "keypad"
    assert default.speech_call_limit >= default.decode_threads >= 1      # derived from the measured capacity
    tuned = CallSettings.from_env({"VOICE_SPEECH_CALLS": "7", "VOICE_OVERFLOW": "busy", "VOICE_DECODE_THREADS": "3"})
    assert (tuned.speech_call_limit, tuned.overflow, tuned.decode_threads) == (7, "busy", 3)
    for env in ({"VOICE_OVERFLOW": "hangup"}, {"VOICE_SPEECH_CALLS": "0"}, {"VOICE_SPEECH_RATE": "fast"},
                {"VOICE_DECODE_THREADS": "-1"}):
        with pytest.raises(SettingsError):
            CallSettings.from_env(env)
