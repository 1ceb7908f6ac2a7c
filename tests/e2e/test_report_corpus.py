"""Messy citizens make reports (tests/corpus): played over the REST channel by a citizen who answers
what the bot asks in their own words; the case on the officer desk is checked field by field."""
import os

import pytest

from bench.report_corpus import PARTS, desk_case_lookup, run_part

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.timeout(2400)]
# Floors that catch a regression. The goals of the report issue (95% / 90%) are not reached yet:
# `make bench` (and `python -m bench.report_corpus`) plays every conversation and reports where the parts stand.
# The held-out floor went from 0.70 to 0.65 when writers O and P's 76 conversations (first played at 64 %) joined it,
# and to 0.72 when the part reached 80 % (176/220, 2026-12-03), to 0.78 at 85 % (188/220, 2026-12-03);
# the development floor to 0.90 at 96 %; the held-out part stood at 85 % (305/358) on 2026-12-03 17:48, and to 0.82
# at 88 % (350/400, 2026-12-03 22:22); the development floor to 0.88 when writers am–ap's 144 conversations (first
# played at 63 %) brought the part to 93 % (998/1068, 2026-12-04).
FLOORS = {"development": 0.88, "held-out": 0.84}
# Every held-out conversation; every twelfth development one (all of them: CORPUS_EVERY=1), to keep `make test` short.
EVERY = {"development": int(os.environ.get("CORPUS_EVERY", "12")), "held-out": 1}


@pytest.fixture(scope="module")
def corpus_results(system):
    return {part: run_part(part, system.say, desk_case_lookup(system), every=EVERY[part]) for part in PARTS}


@pytest.mark.parametrize("part", list(PARTS))
def test_reports_reach_the_desk_complete_and_correct(corpus_results, record_figure, part):
    result = corpus_results[part]
    record_figure("report corpus " + result.summary()
                  + (f" (every {EVERY[part]}. conversation of the part)" if EVERY[part] > 1 else ""))
    failed = [p for p in result.played if not p.complete]
    # The held-out part is never read while developing: only which conversations and fields failed.
    failures = "\n".join(p.dump() if part != "held-out" else
                          f"{p.id}: {[w.split('=')[0] for w in p.wrong.get('packet', [])]}" for p in failed)
    assert result.complete_rate >= FLOORS[part], failures


@pytest.mark.parametrize("part", list(PARTS))
def test_no_generic_error_and_no_question_asked_over_and_over(corpus_results, part):
    result = corpus_results[part]
    errors = [p.id for p in result.played if p.generic_errors]
    loops = [(p.id, p.longest_repeat) for p in result.played if p.looped]
    assert not errors and not loops, "\n".join(
        p.dump() if part != "held-out" else f"{p.id}: errors {p.generic_errors}, longest repeat {p.longest_repeat}"
        for p in result.played if p.generic_errors or p.looped)
