"""What every input channel does with a citizen's text before it reaches NLU (one place for all).

- A message longer than MAX_MESSAGE_CHARS is refused with a polite reply: NLU cost grows with the
  square of the length, so one long message must not stall everyone else's turns.
- Rasa reads a message that starts with "/" as a command ("/officer_message{...}" sets an intent and
  entities directly). Citizens' text is never a command: a leading "/" becomes the full-width "／".
- Volunteered codes and passwords are masked (bot.extract.secrets); lone surrogates and control
  characters (which break JSON and logs) are dropped.
"""
from __future__ import annotations

import hmac
import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

from bot.extract.secrets import mask_secrets

MAX_MESSAGE_CHARS = 1000
TOO_LONG = f"消息太长了，请分几次发送，每次不超过{MAX_MESSAGE_CHARS}字。情况紧急请直接拨打110。"
EMPTY = "请输入要咨询的内容。"
COMMAND_PREFIX = "/"
SAFE_PREFIX = "／"
_UNWANTED = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class Checked:
    text: Optional[str]           # what goes to Rasa; None when refused
    refusal: Optional[str] = None  # what the citizen is told instead


def clean(text: str) -> str:
    return unicodedata.normalize("NFC", _UNWANTED.sub("", text))


def citizen_text(raw: object) -> Checked:
    if not isinstance(raw, str):
        return Checked(None, EMPTY)
    if len(raw) > 4 * MAX_MESSAGE_CHARS:  # refuse before any work on a huge text
        return Checked(None, TOO_LONG)
    text = clean(raw).strip()
    if not text:
        return Checked(None, EMPTY)
    if len(text) > MAX_MESSAGE_CHARS:
        return Checked(None, TOO_LONG)
    if text.startswith(COMMAND_PREFIX):
        text = SAFE_PREFIX + text[len(COMMAND_PREFIX):]
    return Checked(mask_secrets(text))


def bearer_matches(header: Optional[str], token: Optional[str]) -> bool:
    """A call from another of our services: `Authorization: Bearer <token>`."""
    return bool(token) and hmac.compare_digest((header or "").encode(), f"Bearer {token}".encode())
