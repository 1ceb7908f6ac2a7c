"""The recognition engine for real, with the stand-in Vosk model (tests/speech/stand_in.py) as VOSK_MODEL_DIR:
the model loaded once per process and shared, one recogniser per call, speech decoded while it is spoken
(partial results, then the final one), the end of an utterance, the runtime-grammar path, and a recogniser
error that ends only its own call. Real Mandarin recordings from ../shared/speech-samples, 8 kHz over
AudioSocket, paced in real time by the test telephone. The stand-in model is Korean: these tests check the
engine, never the words (the Chinese text is judged in test_stt.py, which needs the Chinese model)."""
import asyncio

import pytest

import speech.call
import speech.stt
from speech.call import RECOGNITION_FAILED, CallSettings
from speech.errors import SttError
from speech.itn import normalise_transcript
from speech.stt import DecodingPool, ModelLoader, RecognizerPool, Transcriber, UtteranceStream
from tests.speech.conftest import ShortTts
from tests.speech.phone import Phone
from tests.speech.samples import MISSING, SAMPLES, load as sample
from tests.speech.stand_in import DIGIT_WORDS, needs_stand_in, stand_in_model_dir

pytestmark = [needs_stand_in, pytest.mark.skipif(not SAMPLES.exists(), reason=MISSING)]


def settings(**overrides) -> CallSettings:
    values = dict(reprompt_after_s=30, max_call_s=600, idle_s=600)
    values.update(overrides)
    return CallSettings(**values)


def events_of(line, phone, kind):
    return [e for call_id, e in line.events if call_id == phone.call_id and e.kind == kind]


async def until(condition, timeout_s: float = 20.0) -> None:
    for _ in range(int(timeout_s / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def start_line(start_voice_line, warm: int = 0, **overrides):
    """The line with the stand-in model; warm: recognisers warmed first (on another recording), as the
    service does at start (a cold recogniser needs seconds of CPU for its first words)."""
    line = await start_voice_line(settings(**overrides), ShortTts(), max_calls=4, model_dir=stand_in_model_dir())
    await line.recognizers.warm(warm, 8000, [sample("funasr_asr_example.wav")])
    return line


async def test_the_model_is_loaded_once_and_warm_recognisers_are_reused(start_voice_line, monkeypatch):
    made = []

    class Counted(Transcriber):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(speech.stt, "Transcriber", Counted)
    monkeypatch.setattr(speech.stt, "DIGIT_GRAMMAR", DIGIT_WORDS)   # the Chinese digit words are not Korean
    line = await start_line(start_voice_line)
    loads = ModelLoader.loads
    other = await start_line(start_voice_line)                 # a second line in the same process
    assert ModelLoader.loads == loads and other.stt.model() is line.stt.model()
    phones = [await Phone(line.settings.audiosocket_port).dial() for _ in range(2)]
    for phone in phones:
        await phone.wait_until_quiet(0.3)
    for turn in (1, 2, 3):                                     # both speak at once, three times
        for phone in phones:
            phone.say(sample())
        for phone in phones:
            await until(lambda: len(events_of(line, phone, "recognized")) == turn, 30)
        if turn == 1:
            await until(lambda: len(line.fake_rasa.turns) == 2)  # the fake now asks for a number
    full = [t for t in made if not t.digits]
    assert len(full) <= 2                  # two at once: at most two recognisers, then the same again
    assert 1 <= len(made) - len(full) <= 2                      # digit-grammar ones, lent per number too
    for phone in phones:
        assert events_of(line, phone, "recognized")[0].data["text"]
        await phone.hang_up()
    assert line.recognizers.idle(8000) == len(full) and line.recognizers.idle(8000, digits=True) == len(made) - len(full)
    assert ModelLoader.loads == loads


async def test_speech_is_decoded_while_it_is_spoken_and_ends_at_the_pause(start_voice_line):
    line = await start_line(start_voice_line, warm=1)
    phone = await Phone(line.settings.audiosocket_port).dial()
    await phone.wait_until_quiet(0.3)
    stopped_at = await phone.say(sample())                    # 3.6 s of speech, then line silence
    await until(lambda: events_of(line, phone, "recognized"))
    [utterance] = events_of(line, phone, "utterance")
    [recognized] = events_of(line, phone, "recognized")
    partials = events_of(line, phone, "partial")
    assert partials and partials[0].at < stopped_at            # partial results while the caller speaks
    assert 0.6 < utterance.at - stopped_at < 1.5               # the end: 0.7 s of quiet after the speech
    assert recognized.data["text"] and recognized.data["after_end_ms"] < 1500
    assert recognized.data["decoded_s"] < len(sample()) / 16000 + 0.3 + 0.4  # onset, speech, ≤ TAIL_MS of pauses
    heard = await phone.wait_for_audio(recognized.at)          # the reply to what was recognised
    assert line.fake_rasa.turns == [(phone.call_id, normalise_transcript(recognized.data["text"]))]
    assert heard - stopped_at < 3.0
    await phone.hang_up()


async def test_a_stream_gives_partials_then_the_final_text():
    pool = DecodingPool(1)
    transcriber = Transcriber(ModelLoader(stand_in_model_dir()).model(), 8000)

    async def ready():
        return transcriber

    partials = []
    stream = UtteranceStream(ready, pool, 8000, on_partial=partials.append)
    pcm = sample()
    for start in range(0, len(pcm), 320):
        stream.feed(pcm[start:start + 320])
        if start % 3200 == 0:
            await asyncio.sleep(0.03)                          # about three times real time
    assert stream.lag_s() < 5
    result = await stream.result()
    assert partials and result.text and result.words and 0 < result.confidence <= 1
    assert stream.decoded_s == pytest.approx(len(pcm) / 16000, abs=0.01) and pool.lag_s() == 0
    pool.close()


def test_the_runtime_grammar_limits_what_is_heard():
    model = ModelLoader(stand_in_model_dir()).model()
    heard = {}
    for digits in (False, True):
        transcriber = Transcriber(model, 8000, digits=digits, digit_grammar=DIGIT_WORDS)
        transcriber.accept(sample())
        heard[digits] = transcriber.finish().text.split()
        assert transcriber.clean
    assert heard[True] and set(heard[True]) <= set(DIGIT_WORDS)
    assert heard[False] and not set(heard[False]) <= set(DIGIT_WORDS)


async def test_a_number_question_is_heard_with_the_digit_grammar(start_voice_line, monkeypatch):
    monkeypatch.setattr(speech.stt, "DIGIT_GRAMMAR", DIGIT_WORDS)   # the Chinese digit words are not Korean
    line = await start_line(start_voice_line)
    phone = await Phone(line.settings.audiosocket_port).dial()
    await phone.wait_until_quiet(0.3)
    phone.say(sample())                                        # the fake Rasa then asks for the amount
    await until(lambda: line.fake_rasa.turns)
    await phone.wait_until_quiet(0.3)
    phone.say(sample())
    await until(lambda: len(events_of(line, phone, "recognized")) == 2)
    free, digits = (e.data["text"].split() for e in events_of(line, phone, "recognized"))
    assert not set(free) <= set(DIGIT_WORDS) and set(digits) <= set(DIGIT_WORDS)
    await phone.hang_up()


async def test_a_recogniser_error_ends_only_its_own_call(start_voice_line, monkeypatch):
    made = []

    class FailsFirst(Transcriber):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

        def accept(self, pcm):
            if self is made[0]:
                raise SttError("decoder failed")
            return super().accept(pcm)

    monkeypatch.setattr(speech.stt, "Transcriber", FailsFirst)
    line = await start_line(start_voice_line)
    broken, good = [await Phone(line.settings.audiosocket_port).dial() for _ in range(2)]
    for phone in (broken, good):
        await phone.wait_until_quiet(0.3)
    broken.say(sample())
    await until(lambda: made)                                  # the first recogniser: the broken caller's
    good.say(sample())
    await broken.wait_closed(20)
    assert broken.hung_up_by_server
    assert [e.data["code"] for e in events_of(line, broken, "error")] == ["stt-failed"]
    assert events_of(line, broken, "prompt")[-1].data["text"] == RECOGNITION_FAILED
    await until(lambda: line.fake_rasa.turns)
    assert [sender for sender, _ in line.fake_rasa.turns] == [good.call_id]
    assert not good.closed and len(line.calls) == 1 and line.pool.lag_s() < 1
    await good.wait_until_quiet(0.3)
    good.say(sample())                                         # and it goes on recognising
    await until(lambda: len(events_of(line, good, "recognized")) == 2)
    await good.hang_up()


async def test_past_the_recogniser_limit_an_utterance_waits_for_one_and_catches_up():
    pool = DecodingPool(1)
    recognizers = RecognizerPool(ModelLoader(stand_in_model_dir()), pool, limit=1)
    streams = [UtteranceStream(lambda: recognizers.take(8000), pool, 8000, done=recognizers.give_back)
               for _ in range(2)]
    pcm, lag = sample(), 0.0
    for start in range(0, len(pcm), 320):
        for stream in streams:
            stream.feed(pcm[start:start + 320])
        if start % 3200 == 0:
            await asyncio.sleep(0.03)
            lag = max(lag, pool.lag_s())
    results = await asyncio.gather(*(stream.result() for stream in streams))
    assert all(result.text for result in results)
    assert (recognizers.created, recognizers.idle(), lag > 0.3) == (1, 1, True)   # the second one waited
    pool.close()
