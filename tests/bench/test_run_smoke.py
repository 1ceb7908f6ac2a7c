"""The benchmark suite runs in its small version, so it cannot rot: every section prints figures."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_quick_benchmark_measures_every_section(repo_root: Path, trained_model, tmp_path, record_figure):
    out = tmp_path / "results.json"
    result = subprocess.run([sys.executable, "-m", "bench.run", "--quick", "--out", str(out)], cwd=repo_root,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    names = {f["name"]: f for f in report["figures"]}
    assert report["cores"] and report["commit"]
    for needed in ("start to ready (all services)", "turn latency p50 / p95 / p99 at 1 concurrent",
                   "time to hand-off: citizen turns (median over scam types)", "soak: lost",
                   "report corpus (held-out): complete stop-payment packets"):
        assert needed in names, sorted(names)
    assert names["soak: lost"]["value"] == 0 and names["soak: duplicated"]["value"] == 0
    assert names["soak: misrouted"]["value"] == 0
    record_figure("bench (quick): " + "; ".join(f"{f['name']} {f['value']} {f['unit']}" for f in report["figures"]
                                               if f["name"].startswith(("turn latency", "hand-off →"))))
