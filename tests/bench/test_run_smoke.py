"""The benchmark suite runs in its small version on the tests' running system, so it cannot rot: every
section prints figures and the report file is written."""
import json
from collections import defaultdict
from pathlib import Path

import pytest

from bench.run import Figures, measure_running, write_report

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_quick_benchmark_measures_every_section(system, tmp_path: Path, record_figure):
    figures = Figures()
    measure_running(system, True, defaultdict(list), figures)
    out = tmp_path / "results.json"
    write_report(out, figures, quick=True, repeats=1)
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
