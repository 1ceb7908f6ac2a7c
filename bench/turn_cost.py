"""CPU per citizen turn, by kind: what one FAQ turn and one report turn cost the Rasa server and the action
server. Two systems run side by side, one running Rasa as shipped (RASA_TUNING=off, "before": per-call
validation of action responses, every stored conversation re-read from the database, sklearn's scoring)
and one with this project's speed-ups (the default, "after"); turns alternate between them so machine noise falls on both alike. Turns are sent one at a time, and each
turn's CPU is read from /proc before and after it (utime + stime of the service's whole process; the
kernel counts in 10 ms ticks, so the figure is the mean over many turns).

    .venv/bin/python -m bench.turn_cost [--rounds 3] [--before-model models/old.tar.gz]

--before-model: the model the "before" system runs, e.g. one trained from an earlier config.yml (the
README's figures compare against the model with TEDPolicy the project shipped before). It must come from
the current domain: a model from before 7da86c3 asks with action_ask_*, which the action server no
longer has.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

from bench.citizen import ANSWERS, HANDED_OFF, SCAM_REPORTS
from bench.run import QUESTIONS, SERVICES, _children
from tests.running import RunningSystem, start_system, stop_system

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
VARIANTS = {"before": {"RASA_TUNING": "off"}, "after": {}}


def cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return 1000 * (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def service_pids(system: RunningSystem) -> Dict[str, int]:
    pids = {}
    for child in _children(system.process.pid):
        command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        for name in ("rasa", "actions"):
            if SERVICES[name] in command:
                pids[name] = child
    return pids


class Meter:
    def __init__(self, system: RunningSystem) -> None:
        self.system = system
        self.pids = service_pids(system)
        self.samples: Dict[str, Dict[str, List[float]]] = {"faq": {"rasa": [], "actions": []},
                                                          "report": {"rasa": [], "actions": []}}

    def say(self, kind: str, sender: str, text: str) -> List[str]:
        before = {name: cpu_ms(pid) for name, pid in self.pids.items()}
        replies = self.system.say(sender, text)
        for name, pid in self.pids.items():
            self.samples[kind][name].append(cpu_ms(pid) - before[name])
        return replies


def report_turns(meter: Meter, sender: str, scam_type: str, max_turns: int = 25) -> None:
    message = SCAM_REPORTS[scam_type]
    for _ in range(max_turns):
        replies = meter.say("report", sender, message)
        if any(HANDED_OFF in r for r in replies):
            return
        question = replies[-1] if replies else ""
        message = next((answer for words, answer in ANSWERS if words in question), "对方用微信联系我的")


def run(rounds: int = 3, scam_types: Optional[List[str]] = None, before_model: Optional[Path] = None
        ) -> Dict[str, Dict[str, Dict[str, float]]]:
    scam_types = scam_types or list(SCAM_REPORTS)[:4]
    variants = {name: dict(extra) for name, extra in VARIANTS.items()}
    if before_model is not None:
        variants["before"]["RASA_MODEL"] = str(Path(before_model).resolve())
    with tempfile.TemporaryDirectory() as work:
        systems = {}
        try:
            for variant, extra in variants.items():
                directory = Path(work) / variant
                directory.mkdir()
                systems[variant] = start_system(directory, dict(os.environ, **extra))
            meters = {variant: Meter(system) for variant, system in systems.items()}
            for variant, meter in meters.items():  # warm-up, not counted
                meter.system.say(f"warm-{variant}", "你好")
                report_turns(Meter(meter.system), f"warm-report-{variant}", scam_types[0])
            for round_ in range(rounds):
                for i, question in enumerate(QUESTIONS):
                    for variant, meter in meters.items():
                        meter.say("faq", f"faq-{variant}-{round_}-{i}", question)
                for scam_type in scam_types:
                    for variant, meter in meters.items():
                        report_turns(meter, f"report-{variant}-{round_}-{scam_type}", scam_type)
        finally:
            for system in systems.values():
                stop_system(system)
    return {variant: {kind: {name: statistics.fmean(values) for name, values in by_service.items()}
                      | {"turns": len(by_service["rasa"])}
                      for kind, by_service in meter.samples.items()}
            for variant, meter in meters.items()}


def show(result: Dict[str, Dict[str, Dict[str, float]]]) -> None:
    print("CPU per turn (mean, ms), one turn at a time; before = Rasa as shipped (RASA_TUNING=off), "
          "after = with the project's speed-ups")
    print(f"{'turn':>8} {'service':>8} {'before':>8} {'after':>8} {'after/before':>13}")
    for kind in ("faq", "report"):
        for name in ("rasa", "actions"):
            before, after = result["before"][kind][name], result["after"][kind][name]
            ratio = f"{after / before:.2f}" if before else "-"
            print(f"{kind:>8} {name:>8} {before:8.1f} {after:8.1f} {ratio:>13}")
    print(f"(turns per variant: faq {result['after']['faq']['turns']}, report {result['after']['report']['turns']})")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.turn_cost")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before-model", type=Path, help="the model the 'before' system runs")
    args = parser.parse_args(argv)
    if args.before_model is not None and not args.before_model.is_file():
        parser.error(f"no model file at {args.before_model}")
    show(run(args.rounds, before_model=args.before_model))
    return 0


if __name__ == "__main__":
    sys.exit(main())
