"""Accuracy of public-question (and report) understanding on messages the model never saw."""
from pathlib import Path

import pytest
import yaml

pytestmark = [pytest.mark.slow, pytest.mark.integration]

MIN_ACCURACY = 0.85


def predicted_question(parse: dict) -> str:
    intent = parse["intent"]["name"]
    if intent != "faq":
        return intent
    return parse["response_selector"]["faq"]["response"]["intent_response_key"]


def test_heldout_public_question_accuracy(system, repo_root: Path, record_figure):
    data = yaml.safe_load((repo_root / "tests/nlu/faq_heldout.yml").read_text(encoding="utf-8"))
    total, misses = 0, []
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            if not line.strip():
                continue
            text = line.strip()[2:]
            total += 1
            predicted = predicted_question(system.parse(text))
            if predicted != block["intent"]:
                misses.append(f"  {text} -> {predicted} (expected {block['intent']})")
    accuracy = (total - len(misses)) / total
    record_figure(f"held-out public-question accuracy: {total - len(misses)}/{total} = {accuracy:.1%}")
    for miss in misses:
        record_figure(miss)
    assert accuracy >= MIN_ACCURACY
