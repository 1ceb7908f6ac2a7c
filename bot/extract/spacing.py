"""Text a speech recogniser wrote word by word ("手 机 银 行"), read as one phrase with spans that still
point into the original."""
from __future__ import annotations

import re
from typing import List, Tuple

_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def gapless(text: str) -> Tuple[str, List[int]]:
    """The text without spaces between Chinese characters, and for each of its characters the index in text."""
    kept = [True] * len(text)
    for gap in _GAP.finditer(text):
        for i in range(*gap.span()):
            kept[i] = False
    positions = [i for i, keep in enumerate(kept) if keep]
    return "".join(text[i] for i in positions), positions


def span_in_original(positions: List[int], start: int, end: int) -> Tuple[int, int]:
    return positions[start], positions[end - 1] + 1
