"""One reply to one question: how often the report reader records what a careful officer would.

The answer banks (tests/corpus/answers/) hold citizens' replies to the assistant's questions, written by
helpers who saw no code, with what an officer records from each. Each reply is read by the report dialogue
(bot.report) as the running system reads it (normalised text, the same entity extraction), in the state of
a report asking that question; when the bot asks again (the tail of the card named, the full name after a
surname), the citizen says "不知道" and what is then recorded counts. Fast (no Rasa): a check of the readers,
not of the whole conversation.

    python -m bench.answer_bank                 # both banks; the held-out one prints only its figures
    python -m bench.answer_bank --file answers_dev.yml -v   # and every miss of a development bank
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo

import opencc
import yaml

from bot.extract.entities import extract_entities
from bot.nlu.text import normalize
from bot.report.dialogue import VICTIM_NAME, Draft, Said
from bot.report.model import UNKNOWN, Transfer
from bot.report.reader import read

ANSWERS_DIR = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "answers"
BANKS = {"development": ("answers_dev.yml", "answers_dev_names.yml", "answers_dev_holders.yml"),
         "held-out": ("answers_heldout.yml",)}
NOW = datetime(2026, 12, 3, 15, 40, tzinfo=ZoneInfo("Asia/Shanghai"))
_t2s = opencc.OpenCC("t2s")
# The report's state when each question is asked: the fields told before it.
TOLD_BEFORE = {
    "to_name": dict(to_account="6222021234567890128", amount=50000.0, time=NOW.isoformat(), to_bank="工商银行"),
    "amount": dict(to_account="6222021234567890128"),
    "to_bank": dict(to_account="6222021234567890128", amount=50000.0, time=NOW.isoformat()),
    "channel": dict(to_account="6222021234567890128", amount=50000.0, time=NOW.isoformat(), to_bank="工商银行",
                    to_name="李四"),
    "from_account": dict(to_account="6222021234567890128", amount=50000.0, time=NOW.isoformat(), to_bank="工商银行",
                         to_name="李四", channel="bank_transfer"),
}
ASKED = {"victim_name": VICTIM_NAME}
DONT_KNOW = "不知道"


def draft_asking(field: str) -> Draft:
    draft = Draft(money_sent=True)
    if field == "victim_name":
        draft.report.transfers.append(Transfer(**TOLD_BEFORE["from_account"], from_account="支付宝"))
        draft.transfers_done = True
    else:
        draft.report.transfers.append(Transfer(**TOLD_BEFORE[field]))
    return draft


def _norm(value: Any) -> str:
    return _t2s.convert(re.sub(r"\s", "", str(value)))


def recorded(draft: Draft, field: str) -> Tuple[Any, Optional[float]]:
    """The field's value after the reply, and a rough sum kept aside (amount only)."""
    if field == "victim_name":
        return draft.report.victim.name, None
    return getattr(draft.current, field), draft.rough_amount if field == "amount" else None


def correct(item: Dict[str, Any], value: Any, rough: Optional[float], draft: Draft) -> bool:
    expected = item["expected"]
    if expected == "unknown":
        return value == UNKNOWN or (value is None and draft.last_reply == "approximate")
    if value in (None, UNKNOWN) and not (item["field"] == "amount" and rough is not None):
        return False
    field = item["field"]
    if field == "amount":
        if isinstance(expected, str) and expected.startswith("rough"):
            target = float(expected.split()[1])
            return rough == target or value == target
        return value is not None and value != UNKNOWN and abs(float(value) - float(expected)) < 0.01
    if field == "from_account":
        return all(_norm(m) in _norm(value) for m in expected)
    return _norm(value) == _norm(expected)


def score(items: List[Dict[str, Any]], verbose: bool) -> Dict[str, Counter]:
    counts: Dict[str, Counter] = defaultdict(Counter)
    for item in items:
        field = item["field"]
        draft = draft_asking(field)
        text = normalize(str(item["answer"]))
        said = Said(text=text, at=NOW, entities=extract_entities(text, NOW))
        read(draft, ASKED.get(field, field), said, NOW)
        if recorded(draft, field)[0] is None:   # asked again (the tail of the named card, the full name…): "不知道"
            read(draft, ASKED.get(field, field), Said(text=DONT_KNOW, at=NOW, entities=[]), NOW)
        value, rough = recorded(draft, field)
        ok = correct(item, value, rough, draft)
        counts[field]["ok" if ok else "miss"] += 1
        if verbose and not ok:
            print(f"  {field}: {item['answer']!r} -> {value!r}{f' (rough {rough:g})' if rough else ''}"
                  f"  expected {item['expected']!r}")
    return counts


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss (never of a held-out bank)")
    parser.add_argument("--file", action="append", help="only these banks")
    args = parser.parse_args(argv)
    for part, files in BANKS.items():
        for name in files:
            if args.file and name not in args.file or not (ANSWERS_DIR / name).exists():
                continue
            items = yaml.safe_load((ANSWERS_DIR / name).read_text(encoding="utf-8"))
            counts = score(items, args.verbose and part != "held-out")
            total = sum(c["ok"] for c in counts.values())
            fields = ", ".join(f"{f} {c['ok']}/{c['ok'] + c['miss']}" for f, c in sorted(counts.items()))
            print(f"{part} ({name}): {total}/{len(items)} recorded as an officer would ({total / len(items):.0%}); {fields}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
