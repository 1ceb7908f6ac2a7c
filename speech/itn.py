"""Inverse text normalisation of a transcript before Rasa sees it: 六二二二… → 6222…, 五万 → 50000.

Reuses the report normalisers (bot/extract), so the voice line and the chat read numbers alike.
"""
from __future__ import annotations

import re

from bot.extract.amounts import find_amounts
from bot.extract.numerals import spoken_digits_to_ascii

# Recognisers put spaces between words; Chinese is written without them.
_SPACE_BETWEEN = re.compile(r"(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff\d])")
_CHINESE_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿幺]")


def normalise_transcript(text: str) -> str:
    text = _SPACE_BETWEEN.sub("", text.strip())
    text = spoken_digits_to_ascii(text)
    for start, end, value in reversed(find_amounts(text)):
        spoken = text[start:end]
        if _CHINESE_NUMERAL.search(spoken):
            unit = "元" if spoken.endswith(("元", "块", "块钱")) else ""
            text = f"{text[:start]}{value}{unit}{text[end:]}"
    return text


def digits_only(text: str) -> str:
    """A number said in digit mode ("幺三八 一二三四…"), as ASCII digits."""
    return re.sub(r"\D", "", spoken_digits_to_ascii(_SPACE_BETWEEN.sub("", text)))
