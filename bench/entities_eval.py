"""Entity extraction on bench/data/entity_corpus.yml: the shipped extractor (bot/extract, rules) against
the plain baseline (Rasa's default pipeline with jieba, bench/rasa_baseline.py) trained on the same
annotated messages by k-fold cross-validation.

Two scores per entity: *span* F1 (the right kind of detail found at the right place: same entity,
overlapping characters, one-to-one) and *value* F1 (the normalised value the officer's packet gets:
30000 for "三万", the full date and time for "昨天晚上九点半"). The shipped extractor is not trained,
so its figures are over the whole corpus; the baseline's are over the held-out folds, median of
repeated shuffles.
Usage: .venv/bin/python bench/entities_eval.py [--folds 5] [--repeats 3] [--no-baseline] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from statistics import median
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.extract.entities import extract_entities  # noqa: E402

CORPUS = REPO / "bench" / "data" / "entity_corpus.yml"
Found = Tuple[str, int, int, str]  # entity, start, end, value


def load_corpus(path: Path = CORPUS):
    """(now, [Rasa Message with text, intent and the annotated entities])."""
    from rasa.shared.nlu.training_data.entities_parser import parse_training_example

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    messages = [parse_training_example(line.strip()[2:], intent)
                for intent, block in data["examples"].items()
                for line in block.splitlines() if line.strip().startswith("- ")]
    return datetime.fromisoformat(data["now"]), messages


def as_found(entities: Sequence[Dict[str, Any]]) -> List[Found]:
    return [(e["entity"], e["start"], e["end"], str(e["value"])) for e in entities]


def counts(gold: Sequence[List[Found]], predicted: Sequence[List[Found]]) -> Dict[str, Dict[str, Counter]]:
    """Per entity, true/false positives and misses for spans and for values."""
    spans: Dict[str, Counter] = defaultdict(Counter)
    values: Dict[str, Counter] = defaultdict(Counter)
    for truth, guess in zip(gold, predicted):
        unmatched = list(guess)
        for name, start, end, _ in truth:
            match = next((g for g in unmatched if g[0] == name and g[1] < end and start < g[2]), None)
            if match:
                unmatched.remove(match)
                spans[name]["tp"] += 1
            else:
                spans[name]["fn"] += 1
        for g in unmatched:
            spans[g[0]]["fp"] += 1
        truth_values = Counter((name, value) for name, _, _, value in truth)
        guess_values = Counter((name, value) for name, _, _, value in guess)
        for key in truth_values | guess_values:
            tp = min(truth_values[key], guess_values[key])
            values[key[0]]["tp"] += tp
            values[key[0]]["fn"] += truth_values[key] - tp
            values[key[0]]["fp"] += guess_values[key] - tp
    return {"span": spans, "value": values}


def prf(c: Counter) -> Dict[str, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": c["tp"] + c["fn"]}


def table(counted: Dict[str, Dict[str, Counter]], names: Sequence[str]) -> Dict[str, Any]:
    result: Dict[str, Any] = {}
    for kind, per_entity in counted.items():
        rows = {name: prf(per_entity.get(name, Counter())) for name in names}
        rows["micro"] = prf(sum(per_entity.values(), Counter()))
        result[kind] = rows
    return result


def shipped(now: datetime, messages) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    gold = [as_found(m.get("entities") or []) for m in messages]
    predicted = [as_found(extract_entities(m.get("text"), now)) for m in messages]
    misses = []
    for message, truth, guess in zip(messages, gold, predicted):
        truth_values, guess_values = ({(name, value) for name, _, _, value in found} for found in (truth, guess))
        if truth_values != guess_values:
            misses.append({"text": message.get("text"), "missing": sorted(truth_values - guess_values),
                           "extra": sorted(guess_values - truth_values)})
    return table(counts(gold, predicted), entity_names(messages)), misses


def baseline(messages, folds: int, repeats: int, epochs: Optional[int] = None) -> Dict[str, Any]:
    """The baseline's held-out predictions over k folds, per repeat; each figure the median over repeats."""
    from sklearn.model_selection import KFold

    from bench.rasa_baseline import parse_all, train

    gold = [as_found(m.get("entities") or []) for m in messages]
    runs = []
    for seed in range(repeats):
        predicted: List[List[Found]] = [[] for _ in messages]
        for train_index, test_index in KFold(folds, shuffle=True, random_state=seed).split(messages):
            agent = train([messages[i] for i in train_index], epochs)
            parses = parse_all(agent, [messages[i].get("text") for i in test_index])
            for i, parse in zip(test_index, parses):
                predicted[i] = as_found(parse.get("entities") or [])
        runs.append(table(counts(gold, predicted), entity_names(messages)))
    return {kind: {name: {metric: median(run[kind][name][metric] for run in runs)
                          for metric in ("precision", "recall", "f1", "support")}
                   for name in runs[0][kind]}
            for kind in runs[0]}


def entity_names(messages) -> List[str]:
    return sorted({e["entity"] for m in messages for e in m.get("entities") or []})


def evaluate(folds: int = 5, repeats: int = 3, with_baseline: bool = True,
             baseline_epochs: Optional[int] = None) -> Dict[str, Any]:
    now, messages = load_corpus()
    mine, misses = shipped(now, messages)
    result = {"messages": len(messages), "folds": folds, "repeats": repeats, "shipped": mine, "misses": misses}
    if with_baseline:
        result["baseline"] = baseline(messages, folds, repeats, baseline_epochs)
        result["baseline_epochs"] = baseline_epochs  # None: the configuration's (bench/baseline_config.yml)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true", help="only the shipped extractor (no training)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--baseline-epochs", type=int,
                        help="train the baseline this many epochs (a smoke run; its figures are not the baseline's)")
    args = parser.parse_args()
    result = evaluate(args.folds, args.repeats, not args.no_baseline, args.baseline_epochs)
    base = result.get("baseline")
    print(f"entity extraction on {result['messages']} annotated messages; baseline: Rasa default + jieba, "
          f"{args.folds}-fold CV, median of {args.repeats}")
    print(f"{'entity':18} {'n':>4}   {'span F1':>8} {'value F1':>8}   {'baseline span':>13} {'value':>6}")
    for name, row in result["shipped"]["span"].items():
        value = result["shipped"]["value"][name]
        print(f"{name:18} {row['support']:4d}   {row['f1']:8.3f} {value['f1']:8.3f}   "
              + (f"{base['span'][name]['f1']:13.3f} {base['value'][name]['f1']:6.3f}" if base else ""))
    for miss in result["misses"]:
        print(f"  miss: {miss['text']}  missing={miss['missing']} extra={miss['extra']}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
