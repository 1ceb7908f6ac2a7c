"""Accuracy of public-question (and report) understanding on messages the model never saw."""
from pathlib import Path

import pytest

from bench.run import heldout_questions, predicted_question

pytestmark = [pytest.mark.slow, pytest.mark.integration]

MIN_ACCURACY = 0.85


def test_heldout_public_question_accuracy(system, repo_root: Path, record_figure):
    questions = heldout_questions()
    total, misses = len(questions), []
    for text, intent in questions:
        predicted = predicted_question(system.parse(text))
        if predicted != intent:
            misses.append(f"  {text} -> {predicted} (expected {intent})")
    accuracy = (total - len(misses)) / total
    record_figure(f"held-out public-question accuracy: {total - len(misses)}/{total} = {accuracy:.1%}")
    for miss in misses:
        record_figure(miss)
    assert accuracy >= MIN_ACCURACY
