"""The per-turn CPU meter of bench.turn_cost, on the shared running system (the full comparison of two
systems side by side runs in `make bench`)."""
import pytest

from bench.turn_cost import Meter, report_turns

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_cpu_per_turn_is_read_for_both_servers_and_both_kinds(system, record_figure):
    meter = Meter(system)
    assert set(meter.pids) == {"rasa", "actions"}
    for i, question in enumerate(["出租银行卡犯法吗", "什么是安全账户", "刷单是真的吗"]):
        meter.say("faq", f"turn-cost-faq-{i}", question)
    report_turns(meter, "turn-cost-report", "investment")
    faq, report = meter.samples["faq"], meter.samples["report"]
    assert len(faq["rasa"]) == 3 and len(report["rasa"]) >= 8  # a whole report, to the hand-off
    assert sum(report["rasa"]) > 0 and sum(report["actions"]) > 0  # the report's form runs in the action server
    assert all(value >= 0 for values in (*faq.values(), *report.values()) for value in values)
    record_figure(f"CPU per turn (smoke, shared system): faq rasa {sum(faq['rasa']) / 3:.0f} ms; report rasa "
                  f"{sum(report['rasa']) / len(report['rasa']):.0f} ms, actions "
                  f"{sum(report['actions']) / len(report['actions']):.0f} ms")
