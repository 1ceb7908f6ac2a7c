"""The entity benchmark runs with its baseline, and extraction does not regress on its annotated messages."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

MIN_MICRO_VALUE_F1 = 0.94


def test_entity_benchmark_prints_and_scores(repo_root: Path, tmp_path, record_figure):
    out = tmp_path / "entities.json"
    result = subprocess.run([sys.executable, "bench/entities_eval.py", "--folds", "2", "--repeats", "1",
                             "--baseline-epochs", "5", "--json", str(out)],
                            cwd=repo_root, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "micro" in result.stdout and "baseline" in result.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    mine, base = figures["shipped"], figures["baseline"]
    assert set(mine["span"]) == set(base["span"]) and "amount" in mine["span"]
    assert all(0.0 <= row["f1"] <= 1.0 for kind in (mine, base) for table in kind.values() for row in table.values())
    assert figures["baseline_epochs"] == 5
    record_figure(f"entity micro-F1 on {figures['messages']} messages: span {mine['span']['micro']['f1']:.3f}, "
                  f"value {mine['value']['micro']['f1']:.3f} (the baseline's figures: make bench)")
    assert mine["value"]["micro"]["f1"] >= MIN_MICRO_VALUE_F1, figures["misses"]
