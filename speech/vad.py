"""End of utterance by loudness: speech starts after a few loud frames, ends after enough quiet."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from speech.audio import FRAME_MS, rms


@dataclass
class VadSettings:
    speech_rms: int = 700          # 16-bit RMS above which a 20 ms frame counts as voice
    start_frames: int = 3          # 60 ms of voice starts an utterance
    end_silence_ms: int = 700      # this much quiet ends it
    max_utterance_ms: int = 15000
    preroll_ms: int = 200          # quiet kept before the first loud frame (the recogniser hears the onset)


class UtteranceDetector:
    """Feed 20 ms frames; returns "start" when speech begins and the utterance PCM when it ends.
    While an utterance goes on, quiet_ms says how long it has been quiet (0 after a loud frame)."""

    def __init__(self, settings: Optional[VadSettings] = None) -> None:
        self.settings = settings or VadSettings()
        self._loud = 0
        self.quiet_ms = 0
        self._buffer = bytearray()
        self.speaking = False

    def feed(self, pcm: bytes) -> Optional[object]:
        loud = rms(pcm) >= self.settings.speech_rms
        if not self.speaking:
            self._loud = self._loud + 1 if loud else 0
            kept = self.settings.start_frames + self.settings.preroll_ms // FRAME_MS
            self._buffer = (self._buffer + pcm)[-len(pcm) * kept:]
            if self._loud >= self.settings.start_frames:
                self.speaking, self.quiet_ms = True, 0
                return "start"
            return None
        self._buffer += pcm
        self.quiet_ms = 0 if loud else self.quiet_ms + FRAME_MS
        too_long = len(self._buffer) // len(pcm) * FRAME_MS >= self.settings.max_utterance_ms
        if self.quiet_ms >= self.settings.end_silence_ms or too_long:
            utterance = bytes(self._buffer)
            self.reset()
            return utterance
        return None

    def heard(self) -> bytes:
        """The utterance so far (at "start": the onset with its pre-roll)."""
        return bytes(self._buffer)

    def reset(self) -> None:
        self._loud, self.quiet_ms, self._buffer, self.speaking = 0, 0, bytearray(), False
