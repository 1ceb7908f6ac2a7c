"""A case's transcript as Rasa recorded the conversation: what the citizen said and what the bot said to
them, in order. The action server (as it opens and follows a case) and the desk (reading a case whose
conversation the bot answers again, or closing it) both take it from Rasa's events through here; the
store merges it into the case's messages, so every message is there once however often it is sent.
Pure: no Rasa, no HTTP, no database."""
from __future__ import annotations

from typing import Any, Dict, Iterable, List

from bot.extract.secrets import mask_secrets
from bot.handoff import OFFICER_PREFIX

EXTERNAL_PREFIX = "EXTERNAL: "  # how Rasa writes the text of an intent the desk triggered
MAX_MESSAGE_CHARS = 2000


def is_external(event: Dict[str, Any]) -> bool:
    """A user event the desk triggered (an officer's message, the claim, hand-back, close), not the citizen."""
    return bool((event.get("metadata") or {}).get("is_external")) or \
        (event.get("text") or "").startswith(EXTERNAL_PREFIX)


def transcript_of(events: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """[{"from": "citizen"|"bot", "text", "at"}] of Rasa's events. Codes the citizen volunteered are masked;
    an officer's words said by the bot are left out (the case has them as the officer's)."""
    transcript = []
    for event in events:
        text = event.get("text")
        if not text or event.get("event") not in ("user", "bot") or is_external(event):
            continue
        if event["event"] == "bot" and text.startswith(OFFICER_PREFIX):
            continue
        citizen = event["event"] == "user"
        transcript.append({"from": "citizen" if citizen else "bot",
                           "text": (mask_secrets(text) if citizen else text)[:MAX_MESSAGE_CHARS],
                           "at": event.get("timestamp") or 0.0})
    return transcript
