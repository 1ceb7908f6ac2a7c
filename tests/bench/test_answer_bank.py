"""The answer banks: one reply to one question, read as the system reads it (bench/answer_bank.py)."""
import yaml

from bench.answer_bank import ANSWERS_DIR, BANKS, score

# Floors a little under the figures of 2026-12-03 (development 95 %, held-out 90 %): a change that
# reads fewer replies right fails here before the slow corpus run.
FLOORS = {"development": 0.93, "held-out": 0.88}


def rate(part):
    items = [i for name in BANKS[part] for i in yaml.safe_load((ANSWERS_DIR / name).read_text(encoding="utf-8"))]
    counts = score(items, verbose=False)
    return sum(c["ok"] for c in counts.values()) / len(items)


def test_development_replies_are_recorded_as_an_officer_would():
    assert rate("development") >= FLOORS["development"]


def test_held_out_replies_are_recorded_as_an_officer_would():
    assert rate("held-out") >= FLOORS["held-out"]


def test_a_wrong_reading_is_scored_as_a_miss():
    item = {"field": "amount", "answer": "转了五万", "expected": 40000}
    assert score([item], verbose=False)["amount"]["miss"] == 1
    assert score([{**item, "expected": 50000}], verbose=False)["amount"]["ok"] == 1
