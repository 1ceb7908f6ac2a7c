"""What the audit trail may show of a citizen. bot.privacy.mask_numbers masks every number of 11 or more
digits (mobiles, card and ID numbers) to its last four; it has no masker for shorter landline numbers or
for names, so these two are the desk's own."""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List

from bot.privacy import mask_numbers
from bot.report.model import UNKNOWN

# 021-1234567, 0755 123456 (10 digits or fewer with the area code) → 021-****4567
_LANDLINE = re.compile(r"(?<![\dA-Za-z\-])(0\d{2,3})[\s\-]?\d{2,4}(\d{4})(?![\dA-Za-z])")


def mask_phones(text: str) -> str:
    """Landline numbers that bot.privacy leaves alone (too short for it)."""
    return _LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(2)}", text)


def mask_name(name: str) -> str:
    """王芳 → 王*, 欧阳娜娜 → 欧***: the surname stays, enough to tell records apart."""
    if not name or name == UNKNOWN:
        return name
    return name[0] + "*" * (len(name) - 1)


def packet_names(*packets: Dict[str, Any]) -> List[str]:
    """The citizens' and account holders' names a case packet holds."""
    names = []
    for packet in packets:
        victim = packet.get("victim") if isinstance(packet.get("victim"), dict) else {}
        names.append(victim.get("name"))
        names += [t.get("to_name") for t in packet.get("transfers") or [] if isinstance(t, dict)]
    return [n for n in names if isinstance(n, str)]


def mask_audit(text: str, names: Iterable[str] = ()) -> str:
    """Long numbers, phones and every known name, wherever it appears (longest first), masked."""
    text = mask_phones(mask_numbers(text))
    for name in sorted({n.strip() for n in names if n}, key=len, reverse=True):
        if len(name) >= 2 and name != UNKNOWN:
            text = text.replace(name, mask_name(name))
    return text
