"""How a conversation starts (bench/openings.py): a citizen who lost money is in a report at once; one
who did not is never asked for a transfer's details."""
import pytest

from bench.openings import play_file

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.timeout(1200)]
# Floors under the figures of 2026-12-03 (held-out: 149/150 losses started a report, 90/90 others never treated as a
# loss; development 157/160, 415/420 and 60/60); every held-out opening, every eighth development one of a loss.
CASES = [("heldout_lost.txt", 1, 0.95), ("heldout_not_lost.txt", 1, 0.95), ("lost.txt", 8, 0.92),
         ("lost_more.txt", 8, 0.92), ("not_lost.txt", 1, 0.95)]


@pytest.mark.parametrize("name, every, floor", CASES)
def test_openings(system, record_figure, name, every, floor):
    result = play_file(name, system.say, every=every)
    record_figure(result.summary() + (f" (every {every}. opening)" if every > 1 else ""))
    assert result.rate >= floor
