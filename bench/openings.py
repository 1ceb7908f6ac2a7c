"""How a conversation starts: each opening of tests/corpus/openings/ (the first one to three messages, before
the bot asked anything) is said to the running system, and the bot's last words are read as a person
reads them (bench.report_corpus.question_field).

A citizen who has lost money should be in a report at once (the bot asks a report question); one who
has not should never be asked for the details of a transfer (the bot treating it as a loss).

    python -m bench.openings            # every file against a fresh system; a held-out file prints only its figures
    python -m bench.openings -v lost.txt   # and each opening of a development file with what the bot asked
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Optional

from bench.report_corpus import question_field

OPENINGS_DIR = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "openings"
# file → whether its citizens have lost money
FILES = {"lost.txt": True, "lost_more.txt": True, "not_lost.txt": False,
         "heldout_lost.txt": True, "heldout_not_lost.txt": False}
REPORT_QUESTIONS = {"money_sent", "to_account", "amount", "time", "bank", "holder", "channel", "from_account",
                    "more", "name", "phone"}
TRANSFER_QUESTIONS = {"to_account", "amount", "time", "bank", "holder", "channel", "from_account"}


def openings(name: str) -> List[List[str]]:
    lines = (OPENINGS_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.split(" || ") for line in lines if line.strip() and not line.startswith("#")]


@dataclass
class FileResult:
    name: str
    lost: bool
    played: int = 0
    right: int = 0      # lost: a report started; not lost: never asked for a transfer's details

    @property
    def rate(self) -> float:
        return self.right / self.played if self.played else 0.0

    def summary(self) -> str:
        what = "started a report" if self.lost else "not treated as a loss"
        return f"openings {self.name}: {self.right}/{self.played} {what} ({self.rate:.0%})"


def play_file(name: str, say: Callable[[str, str], List[str]], every: int = 1, verbose: bool = False) -> FileResult:
    result = FileResult(name, FILES[name])
    stamp = int(time.time() * 1000)
    for index, messages in enumerate(openings(name)[::every]):
        replies: List[str] = []
        for message in messages:
            replies = say(f"opening-{Path(name).stem}-{stamp}-{index}", message)
        asked = question_field(replies, False)
        right = asked in REPORT_QUESTIONS if result.lost else asked not in TRANSFER_QUESTIONS
        result.played += 1
        result.right += right
        if verbose and not name.startswith("heldout") and not right:
            print(f"  [{asked}] {' / '.join(messages)}\n      -> {' | '.join(r[:80] for r in replies)[-200:]}")
    return result


def main(argv: Optional[List[str]] = None) -> int:
    from tests.running import start_system, stop_system

    parser = argparse.ArgumentParser()
    parser.add_argument("-v", "--verbose", action="store_true", help="print each miss (never of a held-out file)")
    parser.add_argument("files", nargs="*", help=f"only these of {', '.join(FILES)}")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        system = start_system(Path(work), dict(os.environ))
        try:
            for name in args.files or FILES:
                print(play_file(name, system.say, verbose=args.verbose).summary(), flush=True)
        finally:
            stop_system(system)
    return 0


if __name__ == "__main__":
    sys.exit(main())
