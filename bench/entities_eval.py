"""Entity extraction scores (precision/recall/F1 per entity) on bench/data/entity_cases.yml.

Usage: .venv/bin/python bench/entities_eval.py [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.extract.entities import extract_entities  # noqa: E402

CASES = REPO / "bench" / "data" / "entity_cases.yml"


def score(cases_path: Path = CASES):
    data = yaml.safe_load(cases_path.read_text(encoding="utf-8"))
    now = datetime.fromisoformat(data["now"])
    counts = defaultdict(Counter)  # entity → tp/fp/fn
    misses = []
    for case in data["cases"]:
        gold = Counter((name, str(value)) for name, value in case["entities"])
        found = Counter((e["entity"], str(e["value"])) for e in extract_entities(case["text"], now))
        for key in gold | found:
            tp = min(gold[key], found[key])
            counts[key[0]]["tp"] += tp
            counts[key[0]]["fn"] += gold[key] - tp
            counts[key[0]]["fp"] += found[key] - tp
        if gold != found:
            misses.append({"text": case["text"], "missing": sorted((gold - found).elements()),
                           "extra": sorted((found - gold).elements())})
    table = {}
    for name, c in sorted(counts.items()):
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        table[name] = {"precision": p, "recall": r, "f1": f, "support": c["tp"] + c["fn"]}
    tp = sum(c["tp"] for c in counts.values())
    fp = sum(c["fp"] for c in counts.values())
    fn = sum(c["fn"] for c in counts.values())
    micro_p, micro_r = tp / (tp + fp), tp / (tp + fn)
    micro_f1 = 2 * micro_p * micro_r / (micro_p + micro_r)
    return {"per_entity": table, "micro_f1": micro_f1, "cases": len(data["cases"]), "misses": misses}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = score()
    print(f"entity extraction on {result['cases']} annotated messages (exact normalised values)")
    print(f"{'entity':20} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}")
    for name, s in result["per_entity"].items():
        print(f"{name:20} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['support']:4d}")
    print(f"{'micro-F1':20} {'':6} {'':6} {result['micro_f1']:6.3f}")
    for miss in result["misses"]:
        print(f"  miss: {miss['text']}  missing={miss['missing']} extra={miss['extra']}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
