"""Cross-validated scam-type classification on the project's narratives.

Prints per-type precision/recall/F1 and macro-F1 for the shipped classifier and the plain baseline
(Rasa's default pipeline with jieba, bench/rasa_baseline.py) on the same folds, as medians over
repeated shuffles. `--naive-bayes` adds a second, cheaper baseline (jieba words, naive Bayes).
Usage: .venv/bin/python bench/scam_type_cv.py [--folds 5] [--repeats 3] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


from bot.scam.classifier import BASELINE, SHIPPED, build_classifier, prepare  # noqa: E402
from bot.scam.narratives import load_narratives  # noqa: E402
from bot.scam.types import SCAM_TYPES  # noqa: E402


RASA_DEFAULT = "rasa_default"


def make(kind: str, baseline_epochs: Optional[int] = None):
    if kind in (SHIPPED, BASELINE):
        return build_classifier(kind)
    if kind == RASA_DEFAULT:
        from bench.rasa_baseline import RasaDefaultIntentClassifier

        return RasaDefaultIntentClassifier(baseline_epochs)
    from bench.spacy_textcat import AveragedProbabilities, SpacyTextcat

    if kind == "spacy_textcat":
        return SpacyTextcat()
    if kind == "shipped+spacy_textcat":
        return AveragedProbabilities(build_classifier(SHIPPED), SpacyTextcat())
    raise ValueError(kind)


def evaluate(kind: str, texts, labels, folds: int, repeats: int, baseline_epochs: Optional[int] = None):
    """Per-type P/R/F1 and macro-F1, each the median over `repeats` shuffled k-fold runs."""
    from statistics import median

    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    names = list(SCAM_TYPES)
    runs = []
    started = time.perf_counter()
    for seed in range(repeats):
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        predicted = cross_val_predict(make(kind, baseline_epochs), prepare(texts), labels, cv=splitter)
        runs.append(precision_recall_fscore_support(labels, predicted, labels=names, zero_division=0))
    per_type = {}
    for i, name in enumerate(names):
        per_type[name] = {metric: float(median(run[k][i] for run in runs))
                          for k, metric in enumerate(("precision", "recall", "f1"))}
        per_type[name]["support"] = int(runs[0][3][i])
    macro = float(median(sum(run[2]) / len(names) for run in runs))
    return {"per_type": per_type, "macro_f1": macro, "repeats": repeats,
            "seconds_per_run": (time.perf_counter() - started) / repeats}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--per-type", type=int, help="at most this many narratives of each type (a quick run)")
    parser.add_argument("--naive-bayes", action="store_true", help="also measure jieba words + naive Bayes")
    parser.add_argument("--spacy", action="store_true",
                        help="also measure spaCy textcat alone and averaged with the shipped model")
    parser.add_argument("--baseline-epochs", type=int,
                        help="train the Rasa baseline this many epochs (a smoke run; its figures are not the baseline's)")
    args = parser.parse_args()
    texts, labels = load_narratives(REPO / "nlu_data" / "scam_types")
    if args.per_type:
        kept = [i for i, label in enumerate(labels) if labels[:i].count(label) < args.per_type]
        texts, labels = [texts[i] for i in kept], [labels[i] for i in kept]
    results = {kind: evaluate(kind, texts, labels, args.folds, args.repeats, args.baseline_epochs)
               for kind in (SHIPPED, RASA_DEFAULT)}
    print(f"scam-type classification: {args.folds}-fold stratified CV, median of {args.repeats} "
          f"shuffles, {len(texts)} narratives")
    print(f"{'type':26} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}   baseline F1 (Rasa default + jieba)")
    for name in SCAM_TYPES:
        mine, base = results[SHIPPED]["per_type"][name], results[RASA_DEFAULT]["per_type"][name]
        print(f"{name:26} {mine['precision']:6.3f} {mine['recall']:6.3f} {mine['f1']:6.3f} "
              f"{mine['support']:4d}   {base['f1']:6.3f}")
    print(f"{'macro-F1':26} {'':6} {'':6} {results[SHIPPED]['macro_f1']:6.3f} {'':4}   "
          f"{results[RASA_DEFAULT]['macro_f1']:6.3f}")
    extra = [BASELINE] if args.naive_bayes else []
    extra += ["spacy_textcat", "shipped+spacy_textcat"] if args.spacy else []
    for kind in extra:
        results[kind] = evaluate(kind, texts, labels, args.folds, args.repeats)
        print(f"{kind:26} macro-F1 {results[kind]['macro_f1']:.3f}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
