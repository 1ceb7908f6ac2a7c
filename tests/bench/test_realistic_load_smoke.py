"""The realistic load benchmark runs in its quick version (10 and 20 citizens, 12 s each) on the tests'
shared system so it cannot rot: turns are measured, light load has no errors, and an officer's messages
reach the web chat page."""
import pytest

from bench.realistic_load import LEVELS_QUICK, add_figures, run, show
from bench.run import Figures

pytestmark = [pytest.mark.slow, pytest.mark.integration]

MAX_CLIENT_CORES = 0.5  # the load client must not be what limits the figures


def test_quick_realistic_load_measures_turns_and_officer_messages(system, capsys, record_figure):
    result = run(LEVELS_QUICK, quick=True, search=False, running=system)
    show(result)
    figures = Figures()
    add_figures(figures, result)
    printed = capsys.readouterr().out
    levels = result["levels"]
    assert sorted(levels) == [10, 20]
    for n, (row,) in levels.items():
        assert row["turns"] >= 10, row
        assert row["turns_per_s"] > 0
        assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"] <= row["max_ms"], row
        assert set(row["citizens_arrived"]) == {"report", "question"}, row["citizens_arrived"]
        assert row["officer_sent"] >= 3 and row["officer_arrived"] == row["officer_sent"], row
        assert 0 < row["officer_p50_s"] <= row["officer_p95_s"] <= row["officer_max_s"] < 30, row
        assert row["cpu_cores"]["load client"] < MAX_CLIENT_CORES, row["cpu_cores"]
        assert row["cpu_cores"]["rasa"] > 0, row["cpu_cores"]
    light = levels[10][0]
    assert light["errors"] == 0, light["error_kinds"]
    assert levels[20][0]["errors"] <= 0.05 * levels[20][0]["turns"], levels[20][0]["error_kinds"]
    names = {f["name"] for f in figures.items}
    for needed in ("realistic load, 10 citizens: turn latency p50 / p95 / p99",
                   "realistic load, 20 citizens: officer message → web chat page p50 / p95",
                   "realistic load: highest concurrency with p95 < 300 ms"):
        assert needed in names, sorted(names)
    assert "realistic load on" in printed and "load client" in printed
    record_figure("realistic load (quick, shared test system): " + "; ".join(
        f"{n} citizens {row['turns_per_s']:.1f} turns/s p50/p95/p99 {row['p50_ms']:.0f}/{row['p95_ms']:.0f}/"
        f"{row['p99_ms']:.0f} ms, officer p95 {row['officer_p95_s']:.2f} s, other load "
        f"{row['cpu_cores']['rest of machine']:.1f} cores" for n, (row,) in levels.items()))
