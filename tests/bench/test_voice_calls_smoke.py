"""The voice capacity benchmark runs (a quick version) so it cannot rot."""
import subprocess
import sys
from pathlib import Path

import pytest

from speech.tts import EspeakTts

pytestmark = pytest.mark.skipif(not EspeakTts.available(), reason="espeak-ng is not installed")


def test_voice_benchmark_prints_cpu_and_real_time_figures(repo_root: Path, record_figure):
    result = subprocess.run([sys.executable, "-m", "bench.voice_calls", "--quick"], cwd=repo_root,
                            capture_output=True, text=True, timeout=300, check=True)
    lines = result.stdout.splitlines()
    assert any(line.strip().startswith("1 ") for line in lines), result.stdout
    assert "concurrent calls kept in real time" in result.stdout
    assert "recognition real-time factor" in result.stdout
    record_figure("voice benchmark (quick): " + " | ".join(l.strip() for l in lines if l.strip()[:1].isdigit()))
