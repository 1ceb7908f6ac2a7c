"""The entity benchmark runs, and extraction does not regress on its annotated messages."""
import json
import subprocess
import sys
from pathlib import Path

MIN_MICRO_F1 = 0.95


def test_entity_benchmark_prints_and_scores(repo_root: Path, tmp_path, record_figure):
    out = tmp_path / "entities.json"
    result = subprocess.run([sys.executable, "bench/entities_eval.py", "--json", str(out)],
                            cwd=repo_root, capture_output=True, text=True, timeout=300, check=True)
    assert "micro-F1" in result.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    record_figure(f"entity extraction micro-F1: {figures['micro_f1']:.3f} on {figures['cases']} messages")
    assert figures["micro_f1"] >= MIN_MICRO_F1, figures["misses"]
