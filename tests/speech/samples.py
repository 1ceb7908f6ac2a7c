"""Real Mandarin recordings from ../shared/speech-samples as a telephone sends them: at the call's rate,
with the quiet before and after the speech cut off (so "the caller stopped speaking" is when the phone
stops sending them), and the same recordings a little faster or slower (a different voice for the
recogniser, so benchmarks do not decode the very same audio again and again)."""
from __future__ import annotations

import audioop
import wave
from pathlib import Path
from typing import List

from speech.audio import frames, resample, rms
from speech.vad import VadSettings

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "speech-samples"
MISSING = "../shared/speech-samples is not beside the repository"


def names() -> List[str]:
    return sorted(path.name for path in SAMPLES.glob("*.wav"))


def load(name: str = "aishell1_BAC009S0724W0121.wav", rate_hz: int = 8000, speed: float = 1.0) -> bytes:
    """The recording at rate_hz, trimmed to its speech (first to last 20 ms frame the VAD counts as voice)."""
    with wave.open(str(SAMPLES / name)) as audio:
        pcm = resample(audio.readframes(audio.getnframes()), audio.getframerate(), rate_hz)
    if speed != 1.0:  # played faster or slower: the pitch and the tempo change together
        pcm, _ = audioop.ratecv(pcm, 2, 1, round(rate_hz * speed), rate_hz, None)
    loud = [i for i, frame in enumerate(frames(pcm, rate_hz)) if rms(frame) >= VadSettings().speech_rms]
    size = rate_hz // 50 * 2
    return pcm[loud[0] * size:(loud[-1] + 1) * size] if loud else pcm
