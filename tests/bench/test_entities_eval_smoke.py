"""The entity benchmark runs, and extraction does not regress on its annotated messages. The baseline's
training (bench/rasa_baseline.py: train_on, parse_all) runs in the scam-type benchmark's smoke test; its
entity figures are `make bench`'s (a 2-fold run of it here cost three minutes of a 2-core CI run)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

MIN_MICRO_VALUE_F1 = 0.94


def test_entity_benchmark_prints_and_scores(repo_root: Path, tmp_path, record_figure):
    out = tmp_path / "entities.json"
    result = subprocess.run([sys.executable, "bench/entities_eval.py", "--no-baseline", "--json", str(out)],
                            cwd=repo_root, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "micro" in result.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    mine = figures["shipped"]
    assert "amount" in mine["span"] and "baseline" not in figures
    assert all(0.0 <= row["f1"] <= 1.0 for table in mine.values() for row in table.values())
    record_figure(f"entity micro-F1 on {figures['messages']} messages: span {mine['span']['micro']['f1']:.3f}, "
                  f"value {mine['value']['micro']['f1']:.3f} (the baseline's figures: make bench)")
    assert mine["value"]["micro"]["f1"] >= MIN_MICRO_VALUE_F1, figures["misses"]
