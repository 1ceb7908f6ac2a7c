"""Spoken replies: Chinese text → pinyin with tones (pypinyin) → espeak-ng's `cmn-latn-pinyin` voice.

The plain `cmn` voice reads Chinese as spelled-out pinyin; `cmn-latn-pinyin` reads pinyin with tone
numbers as Mandarin, so the text is converted first. Digit strings are read digit by digit (幺 for 1,
as on Chinese phone lines), amounts as numbers (五万元).
"""
from __future__ import annotations

import asyncio
import re
import shutil
import struct
from collections import OrderedDict
from typing import List, Protocol

import cn2an
from pypinyin import Style, lazy_pinyin

from bot.handoff import OFFICER_PREFIX
from speech.audio import resample
from speech.errors import TtsError

VOICE = "cmn-latn-pinyin"
SPEED_WPM = 150  # VOICE_SPEECH_RATE; espeak-ng's own default is 175, a little fast for elderly callers
MAX_SENTENCE_CHARS = 40
SPOKEN_DIGITS = "零幺二三四五六七八九"
_AMOUNT = re.compile(r"\d+(?:\.\d+)?(?=\s*(?:元|块|万|千|百))")
_DIGIT_STRING = re.compile(r"\d(?:[ \-]?\d){2,}")  # phone, card and hotline numbers: digit by digit
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")
_PAUSE = {"，": ",", "、": ",", "：": ",", ",": ",", "。": ".", "！": ".", "？": "?", "；": ".", "\n": "."}
_CJK = re.compile(r"[\u4e00-\u9fff]")


class TextToSpeech(Protocol):
    async def synthesize(self, text: str, rate_hz: int) -> bytes:
        """16-bit mono PCM at rate_hz."""


def split_sentences(text: str) -> List[str]:
    """Sentences short enough that the first one is spoken quickly."""
    pieces: List[str] = []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip()
        while len(sentence) > MAX_SENTENCE_CHARS:
            cut = max(sentence.rfind(mark, 0, MAX_SENTENCE_CHARS) for mark in "，、,：")
            cut = cut + 1 if cut > 0 else MAX_SENTENCE_CHARS
            pieces.append(sentence[:cut])
            sentence = sentence[cut:].strip()
        if sentence:
            pieces.append(sentence)
    return pieces


def digit_groups(digits: str) -> List[str]:
    """How a number is read in groups, with a pause after each: up to five digits at once (110, 96110), six as
    3-3, a mobile number 3-4-4, anything longer (cards, accounts, ID numbers) in fours."""
    if len(digits) <= 5:
        return [digits]
    if len(digits) == 6:
        return [digits[:3], digits[3:]]
    if len(digits) == 11 and digits.startswith("1"):
        return [digits[:3], digits[3:7], digits[7:]]
    return [digits[i:i + 4] for i in range(0, len(digits), 4)]


def spoken_text(text: str) -> str:
    """What is read aloud: amounts as numbers (五万元); numbers of three or more digits digit by digit
    (幺幺零), always in groups (digit_groups); small numbers as numbers (十分钟)."""
    text = text.replace(OFFICER_PREFIX, "民警说：")

    def digits(match: re.Match) -> str:
        groups = digit_groups(re.sub(r"\D", "", match.group(0)))
        spoken = "，".join("".join(SPOKEN_DIGITS[int(d)] for d in group) for group in groups)
        return spoken + "，" if len(groups) > 1 else spoken

    text = _AMOUNT.sub(lambda m: cn2an.an2cn(m.group(0), "low"), text)
    text = _DIGIT_STRING.sub(digits, text)
    return _NUMBER.sub(lambda m: cn2an.an2cn(m.group(0), "low"), text)


def to_pinyin(text: str) -> str:
    """Pinyin with tone numbers, pauses kept as punctuation, everything else dropped."""
    words: List[str] = []
    for token in lazy_pinyin(spoken_text(text), style=Style.TONE3, neutral_tone_with_five=True,
                             errors=lambda chars: list(chars)):
        token = token.strip()
        if not token:
            continue
        if token in _PAUSE:
            words.append(_PAUSE[token])
        elif re.fullmatch(r"[a-z]+[1-5]", token):
            words.append(token)
        elif re.fullmatch(r"[A-Za-z]+", token):
            words.append(token.lower())
    return " ".join(words)


def pcm_from_wav(data: bytes) -> tuple:
    """(pcm, rate_hz) from a WAV espeak-ng streamed (its size fields may be placeholders)."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise TtsError("espeak-ng did not produce WAV audio")
    position, rate = 12, None
    while position + 8 <= len(data):
        chunk, size = data[position:position + 4], struct.unpack("<I", data[position + 4:position + 8])[0]
        if chunk == b"fmt ":
            channels, rate, _, _, bits = struct.unpack("<HIIHH", data[position + 10:position + 24])
            if channels != 1 or bits != 16:
                raise TtsError(f"unexpected espeak-ng format: {channels} channels, {bits} bits")
        elif chunk == b"data":
            return data[position + 8:], rate
        position += 8 + size
    raise TtsError("no audio in espeak-ng output")


class EspeakTts:
    def __init__(self, voice: str = VOICE, speed_wpm: int = SPEED_WPM, cache_size: int = 256) -> None:
        self.voice = voice
        self.speed_wpm = speed_wpm
        self._cache: "OrderedDict[tuple, bytes]" = OrderedDict()
        self._cache_size = cache_size

    @staticmethod
    def available() -> bool:
        return shutil.which("espeak-ng") is not None

    async def synthesize(self, text: str, rate_hz: int) -> bytes:
        key = (text, rate_hz)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        pinyin = to_pinyin(text)
        if not pinyin.strip(" ,.?"):
            return b""
        try:
            process = await asyncio.create_subprocess_exec(
                "espeak-ng", "-v", self.voice, "-s", str(self.speed_wpm), "--stdout", "--stdin",
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        except FileNotFoundError as error:
            raise TtsError("espeak-ng is not installed (apt-get install espeak-ng)") from error
        out, err = await process.communicate(pinyin.encode("utf-8"))
        if process.returncode != 0:
            raise TtsError(f"espeak-ng failed: {err.decode('utf-8', 'replace')[:200]}")
        pcm, source_rate = pcm_from_wav(out)
        pcm = resample(pcm, source_rate, rate_hz)
        self._cache[key] = pcm
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return pcm
