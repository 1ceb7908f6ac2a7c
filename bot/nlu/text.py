"""Pure text normalisation shared by the NLU pipeline and the channels."""
from __future__ import annotations

from functools import lru_cache

IDEOGRAPHIC_SPACE = "\u3000"
FULLWIDTH_FIRST, FULLWIDTH_LAST = 0xFF01, 0xFF5E
FULLWIDTH_OFFSET = 0xFEE0


def to_halfwidth(text: str) -> str:
    """Full-width ASCII forms (ＡＢＣ１２３！) become half-width; length is preserved."""
    chars = []
    for char in text:
        code = ord(char)
        if FULLWIDTH_FIRST <= code <= FULLWIDTH_LAST:
            chars.append(chr(code - FULLWIDTH_OFFSET))
        elif char == IDEOGRAPHIC_SPACE:
            chars.append(" ")
        else:
            chars.append(char)
    return "".join(chars)


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str, config: str = "t2s") -> str:
    """Traditional → Simplified Chinese with OpenCC; characters only, never vocabulary."""
    converted = _converter(config).convert(text)
    # t2s maps character by character; keep offsets valid if a phrase rule ever changes length.
    return converted if len(converted) == len(text) else text


def normalize(text: str, opencc_config: str = "t2s") -> str:
    return to_simplified(to_halfwidth(text), opencc_config)
