"""One call on the voice line, independent of the transport (AudioSocket or a browser WebSocket).

The transport feeds 20 ms audio frames and keypad digits in and gives two callbacks out: send one
frame, hang up. The call greets, speaks Rasa's replies sentence by sentence (paced in real time,
stopped by the caller's voice or keys), takes numbers by keypad or digit-mode speech and reads
every one back, offers a keypad menu when recognition fails or no model is loaded, reprompts on
silence and hangs up politely after repeated silence, and ends its leg when the case went to an
officer (the dialplan then continues to the officers' queue). Every step is a CallEvent.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional

from speech import keypad
from speech.audio import frame_bytes, send_paced
from speech.errors import SpeechError
from speech.itn import digits_only, normalise_transcript
from speech.rasa_client import Turn, VoiceRasa
from speech.stt import ModelLoader, Transcriber
from speech.tts import TextToSpeech, split_sentences
from speech.vad import UtteranceDetector, VadSettings

logger = logging.getLogger(__name__)

GREETING = "您好，这里是96110反诈中心。"
ASK_SPEECH = "请说出您遇到的情况，或者按键：" + keypad.MENU_PROMPT
ASK_KEYS = keypad.MENU_PROMPT
NOT_HEARD = "抱歉，没有听清。"
GOODBYE_SILENT = "很抱歉，一直没有听到您的声音。如有紧急情况请直接拨打110。再见。"
BUSY_RASA = "抱歉，系统暂时繁忙。情况紧急请直接拨打110，一般咨询请稍后再拨96110。再见。"
CONFIRM_KEYS = "确认请按1，重新输入请按2。"


@dataclass(frozen=True)
class CallEvent:
    kind: str
    data: Dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)


@dataclass
class CallSettings:
    reprompt_after_s: float = 8.0
    max_reprompts: int = 2
    max_failed_recognitions: int = 2
    vad: VadSettings = field(default_factory=VadSettings)


class Call:
    def __init__(self, call_id: str, rate_hz: int, send_frame: Callable[[bytes], Awaitable[None]],
                 hangup: Callable[[], Awaitable[None]], rasa: VoiceRasa, tts: TextToSpeech,
                 stt: Optional[ModelLoader], on_event: Callable[[CallEvent], None] = lambda e: None,
                 settings: Optional[CallSettings] = None) -> None:
        self.call_id = call_id
        self.rate_hz = rate_hz
        self._send_frame = send_frame
        self._hangup = hangup
        self._rasa = rasa
        self._tts = tts
        self._stt = stt if stt is not None and stt.present() else None
        self._emit = on_event
        self.settings = settings or CallSettings()
        self._vad = UtteranceDetector(self.settings.vad)
        self._inputs: asyncio.Queue = asyncio.Queue(100)
        self._player: Optional[asyncio.Task] = None
        self._tasks: List[asyncio.Task] = []
        self._keys = ""
        self._mode = "menu"            # menu | answer | digits | confirm
        self._slot: Optional[str] = None
        self._pending: Optional[str] = None   # the number awaiting read-back confirmation
        self._last_prompt = ""
        self._reprompt = ""             # what silence gets: the question or the menu, not the greeting
        self._waiting_since: Optional[float] = None
        self._reprompts = 0
        self._failed_recognitions = 0
        self.ended = False

    @property
    def keypad_only(self) -> bool:
        return self._stt is None

    # --- what the transport calls ------------------------------------------------------------
    async def start(self) -> None:
        self._emit(CallEvent("call-started", {"call_id": self.call_id, "rate_hz": self.rate_hz,
                                              "keypad_only": self.keypad_only}))
        self._tasks = [asyncio.create_task(self._work(), name=f"call-{self.call_id}"),
                       asyncio.create_task(self._watch_silence(), name=f"call-silence-{self.call_id}")]
        await self._inputs.put(("say", GREETING + (ASK_KEYS if self.keypad_only else ASK_SPEECH)))
        self._reprompt = ASK_KEYS if self.keypad_only else ASK_SPEECH

    async def audio(self, pcm: bytes) -> None:
        if self.ended or self.keypad_only or len(pcm) != frame_bytes(self.rate_hz):
            return
        result = self._vad.feed(pcm)
        if result == "start":
            self._barge_in("speech")
        elif isinstance(result, bytes):
            self._emit(CallEvent("utterance", {"ms": len(result) * 500 // self.rate_hz}))
            await self._put(("utterance", result))

    async def dtmf(self, digit: str) -> None:
        if self.ended:
            return
        self._emit(CallEvent("dtmf", {"digit": digit}))
        self._barge_in("dtmf")
        await self._put(("key", digit))

    async def end(self) -> None:
        """The caller hung up (or the transport failed): stop everything, always."""
        self.ended = True
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

    # --- the call's one worker ---------------------------------------------------------------
    async def _work(self) -> None:
        try:
            while not self.ended:
                kind, value = await self._inputs.get()
                self._waiting_since = None
                if kind != "say":
                    self._reprompts = 0  # the caller is there
                if kind == "say":
                    await self._prompt(value)
                elif kind == "key":
                    await self._key(value)
                elif kind == "utterance":
                    await self._utterance(value)
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
            elif digit == keypad.CLEAR_KEY:
                self._keys = ""
                await self._prompt("请重新输入。" + keypad.prompt_for(self._slot))
            elif digit == keypad.END_KEY:
                keys, self._keys = self._keys, ""
                await self._number_entered(keys)
            elif digit.isdigit():
                self._keys += digit
                self._waiting_since = time.monotonic()
            return
        if self._mode == "confirm":
            if digit == "1":
                number, self._pending = self._pending, None
                await self._to_rasa(keypad.digits_message(self._slot, number))
            elif digit == "2":
                self._pending, self._mode = None, "digits"
                await self._prompt("请重新输入。" + keypad.prompt_for(self._slot))
            elif digit == keypad.OFFICER_KEY:
                await self._to_rasa(keypad.MENU["0"])
            return
        if digit == keypad.OFFICER_KEY:
            await self._to_rasa(keypad.MENU["0"])
        elif self._mode == "menu" and digit in keypad.MENU:
            await self._to_rasa(keypad.MENU[digit])
        elif self._mode == "answer" and self._slot in keypad.CHOICES and digit in keypad.CHOICES[self._slot].choices:
            await self._to_rasa(keypad.CHOICES[self._slot].choices[digit])
        elif self._mode == "answer" and self._slot in keypad.SKIPPABLE and digit == keypad.END_KEY:
            await self._to_rasa(keypad.DONT_KNOW)
        else:
            await self._prompt("按键无效。" + self._last_prompt)

    async def _number_entered(self, keys: str) -> None:
        message = keypad.digits_message(self._slot, keys)
        if message is None:
            await self._prompt(f"您输入了{len(keys)}位，位数不对。" + keypad.prompt_for(self._slot))
        elif not keys:
            await self._to_rasa(message)
        else:
            self._pending, self._mode = keys, "confirm"
            await self._prompt(f"您输入的{keypad.DIGITS[self._slot].read_back}是{keys}。" + CONFIRM_KEYS)

    async def _utterance(self, pcm: bytes) -> None:
        digit_mode = self._mode == "digits"
        transcriber = await asyncio.to_thread(Transcriber, self._stt.model(), self.rate_hz, digit_mode)
        chunk = frame_bytes(self.rate_hz) * 5  # 100 ms at a time: partial results as Vosk goes
        heard = []
        for start in range(0, len(pcm), chunk):
            result = await asyncio.to_thread(transcriber.accept, pcm[start:start + chunk])
            if result.final and result.text:
                heard.append(result.text)
            elif result.text:
                self._emit(CallEvent("partial", {"text": result.text}))
        final = await asyncio.to_thread(transcriber.finish)
        text = " ".join(heard + [final.text]).strip()
        self._emit(CallEvent("recognized", {"text": text, "confidence": final.confidence}))
        if not text:
            self._failed_recognitions += 1
            if self._failed_recognitions >= self.settings.max_failed_recognitions:
                self._mode = "menu"
                await self._prompt(NOT_HEARD + keypad.MENU_PROMPT)
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
        await self._prompt("".join(turn.texts) + extra)

    # --- speaking ----------------------------------------------------------------------------
    async def _prompt(self, text: str) -> None:
        """Says text, then waits for the caller (the silence watchdog starts counting)."""
        self._last_prompt = text
        await self._say(text)
        self._waiting_since = time.monotonic()

    async def _say(self, text: str) -> None:
        self._emit(CallEvent("prompt", {"text": text}))
        self._player = asyncio.create_task(self._play(text))
        try:
            await self._player
        except asyncio.CancelledError:
            if self.ended:
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

    async def _watch_silence(self) -> None:
        while not self.ended:
            await asyncio.sleep(0.25)
            waiting = self._waiting_since
            if waiting is None or self._vad.speaking or time.monotonic() - waiting < self.settings.reprompt_after_s:
                continue
            self._waiting_since = None
            if self._reprompts >= self.settings.max_reprompts:
                self._emit(CallEvent("silence-hangup"))
                await self._say(GOODBYE_SILENT)
                await self._finish()
                return
            self._reprompts += 1
            self._emit(CallEvent("reprompt", {"count": self._reprompts}))
            await self._put(("say", "请问您还在吗？" + (self._reprompt or self._last_prompt)))

    async def _finish(self) -> None:
        if not self.ended:
            self.ended = True
            await self._hangup()
            self._emit(CallEvent("hangup-sent"))
