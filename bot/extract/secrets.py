"""Verification codes and passwords a citizen volunteers: found, and masked before anything stores them."""
from __future__ import annotations

import re
from typing import List, Tuple

from bot.extract.numerals import spoken_digits_to_ascii

SECRET_CONTEXT = {
    "verification_code": re.compile(r"(验证码|校验码|动态码|短信码|验证号)[^\d*＊]{0,8}$"),
    "password": re.compile(r"(密码|口令|pin|PIN)[^\d*＊]{0,8}$"),
}
# Digits (or the mask itself) right after a secret word; masked runs are still recognised.
_CANDIDATE = re.compile(r"(?<![\dA-Za-z])[\d*＊](?:[\s\-]?[\d*＊]){3,11}(?![\dA-Za-z])")
MASK = "*"


def find_secrets(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, kind) of each code or password in text (digits, spoken digits or already masked)."""
    view = spoken_digits_to_ascii(text)  # same length: spans hold for text
    found = []
    for match in _CANDIDATE.finditer(view):
        before = view[max(0, match.start() - 12):match.start()]
        kind = next((k for k, pattern in SECRET_CONTEXT.items() if pattern.search(before)), None)
        if kind:
            found.append((match.start(), match.end(), kind))
    return found


def mask_secrets(text: str) -> str:
    """The text with every volunteered code or password replaced by * (same length)."""
    for start, end, _ in reversed(find_secrets(text)):
        text = text[:start] + MASK * (end - start) + text[end:]
    return text
