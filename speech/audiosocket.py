"""Asterisk AudioSocket framing (Asterisk ≥ 18): 1-byte kind, 2-byte big-endian length, payload.

Kinds: 0x00 hang-up, 0x01 call UUID (16 bytes), 0x03 DTMF digit (1 ASCII byte), 0x10 audio
slin 8 kHz, 0x11–0x16 slin at 12/16/24/32/44.1/48 kHz (newer Asterisk), 0xff error.
"""
from __future__ import annotations

import asyncio
import struct
import uuid
from dataclasses import dataclass
from typing import Optional

from speech.errors import ProtocolError

HANGUP, UUID, DTMF, ERROR = 0x00, 0x01, 0x03, 0xFF
AUDIO_RATES_HZ = {0x10: 8000, 0x11: 12000, 0x12: 16000, 0x13: 24000, 0x14: 32000, 0x15: 44100, 0x16: 48000}
AUDIO_KIND_FOR_RATE = {rate: kind for kind, rate in AUDIO_RATES_HZ.items()}
DTMF_DIGITS = frozenset("0123456789*#ABCD")
MAX_PAYLOAD = 8192  # 85 ms at 48 kHz; Asterisk sends 20 ms frames


@dataclass(frozen=True)
class Frame:
    kind: int
    payload: bytes = b""

    def encode(self) -> bytes:
        return struct.pack(">BH", self.kind, len(self.payload)) + self.payload

    @property
    def rate_hz(self) -> Optional[int]:
        return AUDIO_RATES_HZ.get(self.kind)


def audio_frame(pcm: bytes, rate_hz: int) -> Frame:
    return Frame(AUDIO_KIND_FOR_RATE[rate_hz], pcm)


def hangup_frame() -> Frame:
    return Frame(HANGUP)


def validate(frame: Frame) -> None:
    """Raises ProtocolError for a frame the protocol does not allow."""
    if frame.kind == UUID and len(frame.payload) != 16:
        raise ProtocolError(f"UUID frame of {len(frame.payload)} bytes")
    if frame.kind == DTMF and (len(frame.payload) != 1 or chr(frame.payload[0]) not in DTMF_DIGITS):
        raise ProtocolError(f"bad DTMF payload {frame.payload!r}")
    if frame.rate_hz and len(frame.payload) % 2:
        raise ProtocolError("audio payload is not whole 16-bit samples")
    if frame.kind not in (HANGUP, UUID, DTMF, ERROR) and frame.rate_hz is None:
        raise ProtocolError(f"unknown frame kind 0x{frame.kind:02x}")


async def read_frame(reader: asyncio.StreamReader, timeout_s: float) -> Optional[Frame]:
    """The next frame; None on a clean end of stream before a header. Never mistakes garbage for an end."""
    try:
        header = await asyncio.wait_for(reader.readexactly(3), timeout_s)
    except asyncio.IncompleteReadError as error:
        if not error.partial:
            return None
        raise ProtocolError("connection closed inside a frame header") from None
    kind, length = struct.unpack(">BH", header)
    if length > MAX_PAYLOAD:
        raise ProtocolError(f"frame of {length} bytes exceeds {MAX_PAYLOAD}")
    try:
        payload = await asyncio.wait_for(reader.readexactly(length), timeout_s) if length else b""
    except asyncio.IncompleteReadError:
        raise ProtocolError("connection closed inside a frame payload") from None
    frame = Frame(kind, payload)
    validate(frame)
    return frame


def call_uuid(frame: Frame) -> str:
    return str(uuid.UUID(bytes=frame.payload))
