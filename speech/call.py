"""One call on the voice line, independent of the transport (AudioSocket or a browser WebSocket).

The transport feeds 20 ms audio frames and keypad digits in and gives two callbacks out: send one
frame, hang up. The call greets, speaks Rasa's replies sentence by sentence (paced in real time,
stopped by the caller's voice or keys), takes numbers by keypad or digit-mode speech and reads
every one back, offers a keypad menu when recognition fails or no model is loaded, reprompts on
silence and hangs up politely after repeated silence, and ends its leg when the case went to an
officer (the dialplan then continues to the officers' queue). Every step is a CallEvent.

Speech is decoded while the caller speaks (speech.stt.UtteranceStream on the line's decoding pool), with a
warm recogniser lent to the call for each utterance (speech.stt.RecognizerPool: never one made per call or per
utterance once the line is warm), only what the VAD gates as speech, and at most TAIL_MS of each pause in it.
A caller who says "请再说一遍"/"没听清" or presses * hears the last question again; asking again and again
for the same question counts as no progress after CallSettings.max_replays.

No call holds the line for ever: it ends after CallSettings.max_call_s, after idle_s without progress
in the dialogue, or after max_no_progress inputs in a row that do not move it (invalid keys, unheard
speech, the same turn again). Key presses alone never keep a call open. A caller in the middle of a
report is handed to an officer at such a limit, with what is known; anyone else hears a goodbye.
"""
from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Deque, Dict, List, Mapping, Optional, Tuple

from bot.settings import Network, SettingsError, networks, positive_setting
from speech import keypad
from speech.audio import frame_bytes, send_paced
from speech.errors import SpeechError, SttError
from speech.itn import digits_only, normalise_transcript
from speech.rasa_client import Turn, VoiceRasa
from speech.stt import DecodingPool, ModelLoader, RecognizerPool, UtteranceStream, default_decode_threads
from speech.tts import SPEED_WPM, TextToSpeech, split_sentences
from speech.vad import UtteranceDetector, VadSettings

logger = logging.getLogger(__name__)

GREETING = "您好，这里是96110反诈中心。"
ASK_SPEECH = "请说出您遇到的情况，或者按键：" + keypad.MENU_PROMPT
ASK_KEYS = keypad.MENU_PROMPT
NOT_HEARD = "抱歉，没有听清。"
GOODBYE_SILENT = "很抱歉，一直没有听到您的声音。如有紧急情况请直接拨打110。再见。"
BUSY_RASA = "抱歉，系统暂时繁忙。情况紧急请直接拨打110，一般咨询请稍后再拨96110。再见。"
CONFIRM_KEYS = "确认请按1，重新输入请按2。"
INVALID_KEY = "按键无效。"
OFFICER_HINT = "需要人工服务请按0。"
ARE_YOU_THERE = "请问您还在吗？"
GOODBYE_TOO_LONG = "很抱歉，本次通话时间已到。如需继续，请重新拨打96110；情况紧急请直接拨打110。再见。"
GOODBYE_NO_PROGRESS = ("很抱歉，一直没能明白您的意思。如需帮助，请重新拨打96110，按0转人工；"
                       "情况紧急请直接拨打110。再见。")
GOODBYES = {"silence": GOODBYE_SILENT, "max-duration": GOODBYE_TOO_LONG}  # else GOODBYE_NO_PROGRESS
REPLAY_HINT = "再听一遍请按星号键。"
REPLAY_PREFIX = "好的，再说一遍："
KEYPAD_BECAUSE_BUSY = "现在来电较多，请用按键选择；情况紧急请直接拨打110。"
RECOGNITION_FAILED = "抱歉，系统出现故障。情况紧急请直接拨打110，其他问题请稍后再拨96110。再见。"
# What a caller says to hear the question again (short utterances only: "我没听清他说的账号" is an answer).
REPLAY_WORDS = ("再说一遍", "再说一次", "再讲一遍", "重复一遍", "重复一下", "没听清", "没听见", "听不清", "没听到")
REPLAY_MAX_CHARS = 10
TAIL_MS = 300  # of a pause inside an utterance, only this much reaches the recogniser (the rest is silence)

# Calls with recognition that one core keeps in real time (p95 reply latency ≤ 1.5 s, answers paced):
# 4 on 2 cores with the stand-in model (bench/voice_recognition.py, README "Capacity with recognition");
# VOICE_SPEECH_CALLS overrides it. Measure again with the Chinese model before relying on it.
SPEECH_CALLS_PER_CORE = 2.0

LOOPBACK: Tuple[Network, ...] = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


@dataclass(frozen=True)
class CallEvent:
    kind: str
    data: Dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)


@dataclass
class CallSettings:
    """The voice line's own settings (its ports and MAX_CALLS are in bot.settings.Settings)."""
    reprompt_after_s: float = 8.0
    max_reprompts: int = 2
    max_failed_recognitions: int = 2
    max_call_s: float = 30 * 60.0       # VOICE_MAX_CALL_MINUTES
    idle_s: float = 5 * 60.0            # VOICE_IDLE_SECONDS: this long without progress ends a call
    max_no_progress: int = 6            # VOICE_MAX_NO_PROGRESS: inputs in a row that do not move the dialogue
    browser_max_calls: int = 5          # VOICE_BROWSER_MAX_CALLS: of MAX_CALLS, at most this many from browsers
    allowed_peers: Optional[Tuple[Network, ...]] = LOOPBACK  # AUDIOSOCKET_ALLOWED_PEERS; None: any
    max_replays: int = 2                # VOICE_MAX_REPLAYS: replays of one question on request that are not "no progress"
    speech_rate_wpm: int = SPEED_WPM    # VOICE_SPEECH_RATE: espeak-ng words per minute
    decode_threads: int = field(default_factory=default_decode_threads)  # VOICE_DECODE_THREADS
    recognizers: Optional[int] = None   # VOICE_RECOGNIZERS: full-model recognisers shared by the calls; None: 1 per thread
    speech_calls: Optional[int] = None  # VOICE_SPEECH_CALLS: calls with recognition; None: measured capacity per core
    overflow: str = "keypad"            # VOICE_OVERFLOW: past speech_calls, "keypad" (menu, no recognition) or "busy"
    vad: VadSettings = field(default_factory=VadSettings)

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "CallSettings":
        env = os.environ if env is None else env
        overflow = env.get("VOICE_OVERFLOW", "").strip().lower() or "keypad"
        if overflow not in ("keypad", "busy"):
            raise SettingsError(f"VOICE_OVERFLOW must be keypad or busy, got {overflow!r}")
        raw_speech_calls = env.get("VOICE_SPEECH_CALLS", "").strip()
        raw_recognizers = env.get("VOICE_RECOGNIZERS", "").strip()
        return cls(max_call_s=60 * positive_setting(env, "VOICE_MAX_CALL_MINUTES", 30.0),
                   idle_s=positive_setting(env, "VOICE_IDLE_SECONDS", 300.0),
                   max_no_progress=positive_setting(env, "VOICE_MAX_NO_PROGRESS", 6),
                   browser_max_calls=positive_setting(env, "VOICE_BROWSER_MAX_CALLS", 5),
                   allowed_peers=parse_peers(env.get("AUDIOSOCKET_ALLOWED_PEERS", "")),
                   max_replays=positive_setting(env, "VOICE_MAX_REPLAYS", 2),
                   speech_rate_wpm=positive_setting(env, "VOICE_SPEECH_RATE", SPEED_WPM),
                   decode_threads=positive_setting(env, "VOICE_DECODE_THREADS", default_decode_threads()),
                   speech_calls=(int(positive_setting(env, "VOICE_SPEECH_CALLS", 1)) if raw_speech_calls
                                 else None),
                   recognizers=int(positive_setting(env, "VOICE_RECOGNIZERS", 1)) if raw_recognizers else None,
                   overflow=overflow)

    @property
    def speech_call_limit(self) -> int:
        """Calls with recognition at once: VOICE_SPEECH_CALLS, or the measured capacity per decoding thread."""
        if self.speech_calls is not None:
            return self.speech_calls
        return max(1, int(SPEECH_CALLS_PER_CORE * self.decode_threads))

    def peer_allowed(self, address: str) -> bool:
        if self.allowed_peers is None:
            return True
        try:
            ip = ipaddress.ip_address(address.split("%")[0])
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        return any(ip in network for network in self.allowed_peers)


def parse_peers(raw: str) -> Optional[Tuple[Network, ...]]:
    """AUDIOSOCKET_ALLOWED_PEERS: addresses or networks, comma-separated; empty: loopback; "*": any."""
    raw = raw.strip()
    if not raw:
        return LOOPBACK
    if raw == "*":
        return None
    return networks({"AUDIOSOCKET_ALLOWED_PEERS": raw}, "AUDIOSOCKET_ALLOWED_PEERS")


def asks_replay(text: str) -> bool:
    """"请再说一遍", "没听清" …: a short utterance asking to hear the question again."""
    plain = "".join(text.split())
    return len(plain) <= REPLAY_MAX_CHARS and any(words in plain for words in REPLAY_WORDS)


class Call:
    def __init__(self, call_id: str, rate_hz: int, send_frame: Callable[[bytes], Awaitable[None]],
                 hangup: Callable[[], Awaitable[None]], rasa: VoiceRasa, tts: TextToSpeech,
                 stt: Optional[ModelLoader], on_event: Callable[[CallEvent], None] = lambda e: None,
                 settings: Optional[CallSettings] = None, recognizers: Optional[RecognizerPool] = None,
                 overflow: bool = False) -> None:
        """stt None (or no model): keypad only; overflow: keypad only because the line is busy (said so)."""
        self.call_id = call_id
        self.rate_hz = rate_hz
        self._send_frame = send_frame
        self._hangup = hangup
        self._rasa = rasa
        self._tts = tts
        self._stt = stt if stt is not None and not overflow and stt.present() else None
        self.overflow = overflow
        self._emit = on_event
        self.settings = settings or CallSettings()
        self._recognizers = recognizers
        self._vad = UtteranceDetector(self.settings.vad)
        self._stream: Optional[UtteranceStream] = None     # the utterance being spoken
        self._streams: List[UtteranceStream] = []           # … and those still being decoded or read
        self._held: List[bytes] = []                       # quiet frames past TAIL_MS, fed only if speech resumes
        self._replays = 0
        self._replayed = ""             # the question the replays were of
        self._question = ""             # what a replay says: Rasa's last turn (with its keys), the menu, the greeting's ask
        self._inputs: asyncio.Queue = asyncio.Queue(100)
        self._player: Optional[asyncio.Task] = None
        self._tasks: List[asyncio.Task] = []
        self._keys = ""
        self._mode = "menu"            # menu | answer | digits | confirm
        self._slot: Optional[str] = None
        self._pending: Optional[str] = None   # the number awaiting read-back confirmation
        self._last_prompt = ""          # what an invalid key repeats
        self._reprompt = ""             # what silence gets: the question or the menu, not the greeting
        self._waiting_since: Optional[float] = None
        self._reprompts = 0
        self._failed_recognitions = 0
        self._started_at = self._progress_at = time.monotonic()
        self._no_progress = 0
        self._recent_turns: Deque[tuple] = deque(maxlen=4)   # (message, replies) of the last Rasa turns
        self._stopping = False          # a limit was reached: the goodbye or hand-off is under way
        self.ended = False

    @property
    def keypad_only(self) -> bool:
        return self._stt is None

    # --- what the transport calls ------------------------------------------------------------
    async def start(self) -> None:
        self._started_at = self._progress_at = time.monotonic()
        self._emit(CallEvent("call-started", {"call_id": self.call_id, "rate_hz": self.rate_hz,
                                              "keypad_only": self.keypad_only, "overflow": self.overflow}))
        if self._stt is not None and self._recognizers is None:
            self._recognizers = RecognizerPool(self._stt, DecodingPool(1))
        self._tasks = [asyncio.create_task(self._work(), name=f"call-{self.call_id}"),
                       asyncio.create_task(self._watch(), name=f"call-watch-{self.call_id}")]
        ask = ASK_KEYS if self.keypad_only else ASK_SPEECH
        greeting = GREETING + (KEYPAD_BECAUSE_BUSY if self.overflow else "") + ask + REPLAY_HINT
        await self._inputs.put(("say", (greeting, ask)))
        self._reprompt = self._question = ask

    async def audio(self, pcm: bytes) -> None:
        if self.ended or self._stopping or self.keypad_only or len(pcm) != frame_bytes(self.rate_hz):
            return
        result = self._vad.feed(pcm)
        if result == "start":
            self._barge_in("speech")
            self._begin_utterance(self._vad.heard())
        elif result is None:
            if self._vad.speaking:
                self._speech_frame(pcm)
        else:
            self._emit(CallEvent("utterance", {"ms": len(result) * 500 // self.rate_hz}))
            stream, self._stream, self._held = self._stream, None, []
            if stream is not None:
                stream.end()
                await self._put(("utterance", stream))

    def _begin_utterance(self, onset: bytes) -> None:
        """Speech began: a stream on the call's recogniser, fed from the onset on while the caller speaks."""
        if self._stream is not None:
            self._stream.cancel()
        self._held = []
        digits = self._mode == "digits"  # a number is heard with the digit grammar
        self._stream = UtteranceStream(lambda: self._recognizers.take(self.rate_hz, digits), self._recognizers.pool,
                                       self.rate_hz, lambda text: self._emit(CallEvent("partial", {"text": text})),
                                       done=self._recognizers.give_back)
        self._streams = [s for s in self._streams if not s.done] + [self._stream]
        self._stream.feed(onset)

    def _speech_frame(self, pcm: bytes) -> None:
        """A frame inside an utterance: decoded, except the part of a pause beyond TAIL_MS (fed only when
        speech resumes, so a trailing pause costs no decoding)."""
        if self._stream is None:
            return
        if self._vad.quiet_ms == 0:
            for held in self._held:
                self._stream.feed(held)
            self._held = []
        if self._vad.quiet_ms <= TAIL_MS:
            self._stream.feed(pcm)
        else:
            self._held.append(pcm)

    async def dtmf(self, digit: str) -> None:
        if self.ended or self._stopping:
            return
        self._emit(CallEvent("dtmf", {"digit": digit}))
        self._barge_in("dtmf")
        await self._put(("key", digit))

    async def end(self) -> None:
        """The caller hung up (or the transport failed): stop everything, always."""
        self.ended = True
        for stream in self._streams:
            stream.cancel()  # its recogniser goes back to the pool, cleaned
        for task in [*self._tasks, self._player]:
            if task and task is not asyncio.current_task():
                task.cancel()
        await asyncio.gather(*[t for t in [*self._tasks, self._player] if t and t is not asyncio.current_task()],
                             return_exceptions=True)
        self._emit(CallEvent("call-ended", {"call_id": self.call_id}))

    async def _put(self, item: tuple) -> None:
        try:
            self._inputs.put_nowait(item)
        except asyncio.QueueFull:
            self._emit(CallEvent("input-dropped", {"kind": item[0]}))
            if isinstance(item[1], UtteranceStream):
                item[1].cancel()

    # --- the call's one worker ---------------------------------------------------------------
    async def _work(self) -> None:
        try:
            while not self.ended:
                kind, value = await self._inputs.get()
                self._waiting_since = None
                if kind != "say":
                    self._reprompts = 0  # the caller is there
                if kind == "say":
                    await self._prompt(*value)
                elif kind == "key":
                    await self._key(value)
                elif kind == "utterance":
                    await self._utterance(value)
                if self._waiting_since is None and not (self.ended or self._stopping):
                    self._waiting_since = time.monotonic()  # whatever happened, silence is watched again
        except asyncio.CancelledError:
            raise
        except Exception as error:  # one bad call never harms another: end this one cleanly
            logger.exception("call %s failed", self.call_id)
            self._emit(CallEvent("error", {"code": getattr(error, "code", "call-failed"), "error": str(error)}))
            await self._finish()

    async def _key(self, digit: str) -> None:
        if self._mode == "digits":
            if digit == keypad.OFFICER_KEY and not self._keys:
                await self._to_rasa(keypad.MENU["0"])
            elif digit == keypad.REPLAY_KEY and not self._keys:
                await self._replay("key")
            elif digit == keypad.CLEAR_KEY:
                self._keys = ""
                if not await self._stalled("cleared"):
                    await self._prompt("请重新输入。" + keypad.prompt_for(self._slot))
            elif digit == keypad.END_KEY:
                keys, self._keys = self._keys, ""
                await self._number_entered(keys)
            elif digit.isdigit():
                self._keys += digit
                self._waiting_since = time.monotonic()
                if len(self._keys) > keypad.DIGITS[self._slot].max_digits:  # never an endless number
                    keys, self._keys = self._keys, ""
                    await self._number_entered(keys)
            else:
                await self._invalid_key()
            return
        if self._mode == "confirm":
            if digit == "1":
                number, self._pending = self._pending, None
                await self._to_rasa(keypad.digits_message(self._slot, number))
            elif digit == "2":
                self._pending, self._mode = None, "digits"
                if not await self._stalled("re-enter"):
                    await self._prompt("请重新输入。" + keypad.prompt_for(self._slot))
            elif digit == keypad.OFFICER_KEY:
                await self._to_rasa(keypad.MENU["0"])
            elif digit == keypad.REPLAY_KEY:
                await self._replay("key")
            else:
                await self._invalid_key()
            return
        if digit == keypad.OFFICER_KEY:
            await self._to_rasa(keypad.MENU["0"])
        elif digit == keypad.REPLAY_KEY:
            await self._replay("key")
        elif self._mode == "menu" and digit in keypad.MENU:
            await self._to_rasa(keypad.MENU[digit])
        elif self._mode == "answer" and self._slot in keypad.CHOICES and digit in keypad.CHOICES[self._slot].choices:
            await self._to_rasa(keypad.CHOICES[self._slot].choices[digit])
        elif self._mode == "answer" and self._slot in keypad.SKIPPABLE and digit == keypad.END_KEY:
            await self._to_rasa(keypad.DONT_KNOW)
        else:
            await self._invalid_key()

    async def _replay(self, by: str) -> None:
        """The last question again, on request. The first max_replays of one question are not "no progress"
        (an elderly caller may need them); more are, so replays alone never hold a line."""
        question = self._last_prompt if self._mode == "confirm" else (self._question or self._last_prompt)
        if question != self._replayed:
            self._replayed, self._replays = question, 0
        self._replays += 1
        self._emit(CallEvent("replay", {"by": by, "count": self._replays}))
        if self._replays > self.settings.max_replays and await self._stalled("replay"):
            return
        await self._prompt(REPLAY_PREFIX + question, repeat=question)

    async def _invalid_key(self) -> None:
        if await self._stalled("invalid-key"):
            return
        hint = OFFICER_HINT if self._no_progress >= 2 and "按0" not in self._last_prompt else ""
        await self._prompt(INVALID_KEY + self._last_prompt + hint, repeat=self._last_prompt)

    async def _number_entered(self, keys: str) -> None:
        message = keypad.digits_message(self._slot, keys)
        if message is None:
            if not await self._stalled("wrong-length"):
                await self._prompt(f"您输入了{len(keys)}位，位数不对。" + keypad.prompt_for(self._slot))
        elif not keys:
            await self._to_rasa(message)
        else:
            self._pending, self._mode = keys, "confirm"
            await self._prompt(f"您输入的{keypad.DIGITS[self._slot].read_back}是{keypad.read_back(self._slot, keys)}。"
                               + CONFIRM_KEYS)

    async def _utterance(self, stream: UtteranceStream) -> None:
        digit_mode = self._mode == "digits"
        try:
            recognition = await stream.result()
        except SttError as error:  # this call's recogniser failed: this call ends, the others go on
            logger.warning("call %s: recognition failed: %s", self.call_id, error)
            self._emit(CallEvent("error", {"code": error.code, "error": str(error)}))
            self._stopping = True
            await self._say(RECOGNITION_FAILED)
            await self._finish()
            return
        text = recognition.text
        self._emit(CallEvent("recognized", {"text": text, "confidence": recognition.confidence,
                                            "after_end_ms": round(1000 * (time.monotonic() - stream.ended_at)),
                                            "decoded_s": round(stream.decoded_s, 2)}))
        if text and asks_replay(text):
            await self._replay("speech")
            return
        if not text:
            self._failed_recognitions += 1
            if await self._stalled("not-heard"):
                return
            if self._failed_recognitions >= self.settings.max_failed_recognitions:
                self._mode, self._question = "menu", keypad.MENU_PROMPT
                await self._prompt(NOT_HEARD + keypad.MENU_PROMPT, repeat=keypad.MENU_PROMPT)
            else:
                await self._prompt(NOT_HEARD + "请再说一遍。")
            return
        self._failed_recognitions = 0
        if self._mode == "confirm":
            if any(word in text for word in ("对", "是", "没错", "确认")) and "不" not in text:
                await self._key("1")
            else:
                await self._key("2")
        elif digit_mode:
            await self._number_entered(digits_only(text))
        else:
            await self._to_rasa(normalise_transcript(text))

    async def _to_rasa(self, text: str) -> None:
        self._emit(CallEvent("rasa-turn", {"text": text}))
        try:
            turn = await self._rasa.turn(self.call_id, text)
        except SpeechError as error:
            self._emit(CallEvent("error", {"code": error.code, "error": str(error)}))
            await self._say(BUSY_RASA)
            await self._finish()
            return
        # The dialogue moved unless a message got the same answer as lately ("2", "2"… or "1", "2", "1", "2"…).
        exchange = (text, tuple(turn.texts))
        repeated = turn.handoff_case_id is None and exchange in self._recent_turns
        self._recent_turns.append(exchange)
        if not repeated:
            self._progressed()
        elif await self._stalled("same-turn"):
            return
        await self._answer(turn)

    async def _answer(self, turn: Turn) -> None:
        if turn.handoff_case_id is not None:
            await self._say("".join(turn.texts))
            self._emit(CallEvent("handoff", {"case_id": turn.handoff_case_id}))
            await self._finish()
            return
        self._slot = turn.requested_slot
        self._mode = "digits" if self._slot in keypad.DIGITS else ("answer" if self._slot else "menu")
        self._keys = ""
        extra = keypad.prompt_for(self._slot) if self._slot else (keypad.MENU_PROMPT if self.keypad_only else "")
        question = split_sentences("".join(turn.texts))[-1:] if turn.texts else []
        self._reprompt = "".join(question) + extra or keypad.MENU_PROMPT
        self._question = "".join(turn.texts) + extra
        await self._prompt(self._question)

    # --- progress and limits -----------------------------------------------------------------
    def _progressed(self) -> None:
        self._no_progress = 0
        self._progress_at = time.monotonic()

    async def _stalled(self, why: str) -> bool:
        """An input that did not move the dialogue; True when that was one too many (the call is ending)."""
        self._no_progress += 1
        self._emit(CallEvent("no-progress", {"why": why, "count": self._no_progress}))
        if self._no_progress < self.settings.max_no_progress:
            return False
        await self._give_up("no-progress")
        return True

    async def _give_up(self, reason: str) -> None:
        """A limit was reached: a report under way goes to an officer with what is known, otherwise a goodbye."""
        if self._stopping or self.ended:
            return
        self._stopping = True
        handoff = self._slot is not None and reason != "silence"  # silence: nobody there to hand over
        if reason != "silence":  # silence has its own event, "silence-hangup"
            self._emit(CallEvent("limit-reached", {"reason": reason, "handoff": handoff,
                                                   "call_s": round(time.monotonic() - self._started_at, 1)}))
        worker = self._tasks[0] if self._tasks else None
        if worker is not None and worker is not asyncio.current_task():
            worker.cancel()
            await asyncio.gather(worker, return_exceptions=True)
        self._waiting_since = None
        if handoff:
            self._emit(CallEvent("rasa-turn", {"text": keypad.MENU["0"]}))
            try:
                turn = await self._rasa.turn(self.call_id, keypad.MENU["0"])
            except SpeechError as error:
                self._emit(CallEvent("error", {"code": error.code, "error": str(error)}))
                turn = None
            if turn is not None and turn.handoff_case_id is not None:
                await self._answer(turn)
                return
        await self._say(GOODBYES.get(reason, GOODBYE_NO_PROGRESS))
        await self._finish()

    # --- speaking ----------------------------------------------------------------------------
    async def _prompt(self, text: str, repeat: Optional[str] = None) -> None:
        """Says text, then waits for the caller (the silence watchdog starts counting)."""
        self._last_prompt = text if repeat is None else repeat
        await self._say(text)
        self._waiting_since = time.monotonic()

    async def _say(self, text: str) -> None:
        self._emit(CallEvent("prompt", {"text": text}))
        self._player = asyncio.create_task(self._play(text))
        try:
            await self._player
        except asyncio.CancelledError:
            if self.ended or self._stopping:  # the call is ending, not a barge-in
                raise
        finally:
            self._player = None

    async def _play(self, text: str) -> None:
        """Sentence by sentence (the first starts quickly), 20 ms frames paced to real time."""
        next_at = None
        for sentence in split_sentences(text):
            pcm = await self._tts.synthesize(sentence, self.rate_hz)
            next_at = await send_paced(pcm, self.rate_hz, self._send_frame, next_at, lambda: self.ended)

    def _barge_in(self, by: str) -> None:
        if self._player and not self._player.done():
            self._player.cancel()
            self._emit(CallEvent("barge-in", {"by": by}))

    async def _watch(self) -> None:
        """Silence, the idle limit and the call's length, every 250 ms."""
        while not (self.ended or self._stopping):
            await asyncio.sleep(0.25)
            if self.ended or self._stopping:
                return
            now = time.monotonic()
            if now - self._started_at >= self.settings.max_call_s:
                await self._give_up("max-duration")
                return
            if now - self._progress_at >= self.settings.idle_s:
                await self._give_up("idle")
                return
            waiting = self._waiting_since
            if waiting is None or self._vad.speaking or now - waiting < self.settings.reprompt_after_s:
                continue
            self._waiting_since = None
            if self._reprompts >= self.settings.max_reprompts:
                self._emit(CallEvent("silence-hangup"))
                await self._give_up("silence")
                return
            self._reprompts += 1
            self._emit(CallEvent("reprompt", {"count": self._reprompts}))
            ask = self._reprompt or self._last_prompt
            await self._put(("say", (ARE_YOU_THERE + ask, ask)))

    async def _finish(self) -> None:
        if not self.ended:
            self.ended = True
            await self._hangup()
            self._emit(CallEvent("hangup-sent"))
