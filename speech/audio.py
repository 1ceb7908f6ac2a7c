"""16-bit mono PCM helpers: resampling, 20 ms framing, loudness."""
from __future__ import annotations

import asyncio
import audioop
import time
from typing import Awaitable, Callable, Iterator, Optional

SAMPLE_WIDTH = 2  # bytes per sample (signed 16-bit little-endian)
FRAME_MS = 20


def frame_bytes(rate_hz: int, frame_ms: int = FRAME_MS) -> int:
    return rate_hz * frame_ms // 1000 * SAMPLE_WIDTH


def duration_s(pcm: bytes, rate_hz: int) -> float:
    return len(pcm) / SAMPLE_WIDTH / rate_hz


def resample(pcm: bytes, from_hz: int, to_hz: int) -> bytes:
    if from_hz == to_hz or not pcm:
        return pcm
    converted, _ = audioop.ratecv(pcm, SAMPLE_WIDTH, 1, from_hz, to_hz, None)
    return converted


def frames(pcm: bytes, rate_hz: int, frame_ms: int = FRAME_MS) -> Iterator[bytes]:
    """Fixed-size frames; the last one padded with silence."""
    size = frame_bytes(rate_hz, frame_ms)
    for start in range(0, len(pcm), size):
        chunk = pcm[start:start + size]
        yield chunk + b"\x00" * (size - len(chunk))


def rms(pcm: bytes) -> int:
    return audioop.rms(pcm, SAMPLE_WIDTH) if pcm else 0


async def send_paced(pcm: bytes, rate_hz: int, send_frame: Callable[[bytes], Awaitable[None]],
                     start_at: Optional[float] = None, stop: Callable[[], bool] = lambda: False) -> float:
    """Sends 20 ms frames in real time from start_at (default now); returns when the next frame is due,
    so consecutive pieces of speech continue without a gap or a burst."""
    next_at = max(start_at or 0.0, time.monotonic())
    for frame in frames(pcm, rate_hz):
        if stop():
            break
        await send_frame(frame)
        next_at += FRAME_MS / 1000
        delay = next_at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
    return next_at
