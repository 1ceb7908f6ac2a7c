"""Chinese digit words inside numbers (六二二二 / 幺三八 / 两) → ASCII digits, length-preserving."""
from __future__ import annotations

import re

DIGIT_WORDS = {
    "零": "0", "〇": "0", "洞": "0",
    "一": "1", "幺": "1", "壹": "1", "么": "1", "腰": "1",   # 么 for 幺, typed; never the first of a run (什么, 怎么);
    # 腰: 幺 as a recogniser writes it
    "二": "2", "两": "2", "贰": "2",
    "三": "3", "叁": "3",
    "四": "4", "肆": "4",
    "五": "5", "伍": "5",
    "六": "6", "陆": "6",
    "七": "7", "柒": "7", "拐": "7",
    "八": "8", "捌": "8",
    "九": "9", "玖": "9", "勾": "9",
}
# Runs of at least this many spoken digits are digit strings (card, phone), not quantities.
MIN_SPOKEN_RUN = 4
_DIGIT_CLASS = "".join(DIGIT_WORDS) + "0-9"
_SPOKEN_RUN = re.compile(rf"[{_DIGIT_CLASS.replace('么', '')}](?:[\s\-]?[{_DIGIT_CLASS}])+")


def spoken_digits_to_ascii(text: str) -> str:
    """Rewrites spoken digit strings ("六二二二 零二…", "幺三八") as ASCII; quantities like 一万二 stay."""

    def rewrite(match: re.Match) -> str:
        run = match.group(0)
        digits = sum(1 for ch in run if ch in DIGIT_WORDS or ch.isdigit())
        if digits < MIN_SPOKEN_RUN:
            return run
        return "".join(DIGIT_WORDS.get(ch, ch) for ch in run)

    return _SPOKEN_RUN.sub(rewrite, text)
