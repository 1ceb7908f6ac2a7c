"""A small run of the scam-type benchmark so the script cannot rot."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.scam.classifier import SHIPPED
from bot.scam.types import SCAM_TYPES

pytestmark = pytest.mark.slow


def test_benchmark_prints_and_writes_every_figure(repo_root: Path, tmp_path):
    out = tmp_path / "cv.json"
    result = subprocess.run(
        [sys.executable, "bench/scam_type_cv.py", "--folds", "2", "--repeats", "1", "--per-type", "12",
         "--baseline-epochs", "5",
         "--json", str(out)],
        cwd=repo_root, capture_output=True, text=True, timeout=1200, check=True,
    )
    assert "macro-F1" in result.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    for kind in (SHIPPED, "rasa_default"):
        assert set(figures[kind]["per_type"]) == set(SCAM_TYPES)
        assert 0.0 <= figures[kind]["macro_f1"] <= 1.0
