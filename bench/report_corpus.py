"""Messy citizens make reports: each corpus conversation is played over the REST channel and the case
that reaches the desk is checked field by field against what the citizen meant.

The simulated citizen reads the bot's question the way a person does (by its words), answers it from
the conversation's script (fillers first, then the real answer), asks its side questions, and corrects
the read-back. Corpus format: tests/corpus/README.md.

    python -m bench.report_corpus            # both parts against a fresh system; prints the figures
"""
from __future__ import annotations

import re
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo

import opencc
import yaml

from bot.extract.banks import bank_for_card, canonical_bank
from bot.extract.cards import luhn_valid

CORPUS_DIR = Path(__file__).resolve().parent.parent / "tests" / "corpus"
# Each part: its files. The held-out files are frozen: never tuned on, never edited.
PARTS = {"development": ("report_conversations.yml", "report_conversations_more_a.yml",
                         "report_conversations_more_b.yml", "report_conversations_more_c.yml",
                         "report_conversations_more_d.yml", "report_conversations_more_f.yml",
                         "report_conversations_more_g.yml", "report_conversations_more_h.yml",
                         "report_conversations_more_i.yml", "report_conversations_more_j.yml",
                         "report_conversations_more_k.yml", "report_conversations_more_l.yml",
                         "report_conversations_more_m.yml", "report_conversations_more_n.yml",
                         "report_conversations_more_o.yml", "report_conversations_more_p.yml",
                         "report_conversations_more_q.yml", "report_conversations_more_r.yml",
                         "report_conversations_more_s.yml", "report_conversations_more_t.yml",
                         "report_conversations_more_u.yml", "report_conversations_more_v.yml",
                         "report_conversations_more_w.yml", "report_conversations_more_x.yml",
                         "report_conversations_more_y.yml", "report_conversations_more_z.yml",
                         "report_conversations_more_za.yml", "report_conversations_more_zb.yml",
                         "report_conversations_more_zc.yml", "report_conversations_more_zd.yml",
                         "report_conversations_more_ze.yml", "report_conversations_more_zf.yml",
                         "report_conversations_more_zg.yml", "report_conversations_more_zh.yml",
                         "report_conversations_more_zi.yml", "report_conversations_more_zj.yml",
                         "report_conversations_more_zk.yml", "report_conversations_more_zl.yml",
                         "report_conversations_more_zm.yml", "report_conversations_more_zn.yml",
                         "report_conversations_more_zo.yml", "report_conversations_more_zp.yml"),
         "held-out": ("report_conversations_heldout.yml", "report_conversations_heldout_2.yml",
                      "report_conversations_heldout_3.yml", "report_conversations_heldout_4.yml",
                      "report_conversations_heldout_5.yml", "report_conversations_heldout_6.yml",
                      "report_conversations_heldout_8.yml", "report_conversations_heldout_9.yml",
                      "report_conversations_heldout_10.yml", "report_conversations_heldout_11.yml",
                      "report_conversations_heldout_12.yml", "report_conversations_heldout_13.yml",
                      "report_conversations_heldout_14.yml", "report_conversations_heldout_15.yml",
                      "report_conversations_heldout_16.yml", "report_conversations_heldout_17.yml",
                      "report_conversations_heldout_18.yml", "report_conversations_heldout_19.yml",
                      "report_conversations_heldout_20.yml", "report_conversations_heldout_21.yml",
                      "report_conversations_heldout_22.yml", "report_conversations_heldout_23.yml")}
FIELDS = ("money_sent", "time", "to_account", "amount", "bank", "holder", "channel", "from_account",
          "more", "name", "phone", "detail", "confirm")
MAX_TURNS = 45
SAME_QUESTION_LIMIT = 3     # asked more often than this in a row (fillers included) is a loop
GENERIC_ERROR = "没能处理您的消息"
TZ = ZoneInfo("Asia/Shanghai")
_t2s = opencc.OpenCC("t2s")

# How a person recognises what the bot is asking: (field, words), first match wins; the question is
# the last reply of the turn that matches anything.
QUESTION_WORDS: List[Tuple[str, str]] = [
    ("to_account", r"卡号.{0,40}校验|校验没有通过"),   # the card read back digit by digit
    ("confirm", r"核对|信息正确|是否正确|确认一下|信息都对"),
    ("money_sent", r"转出去了吗|已经转(出去|走)?了吗|钱.{0,4}转出去|转了还是|还没转|钱有没有被转走"),
    ("more", r"其他转账|别的转账|还有.{0,6}(转账|一笔|别的)|另外.{0,4}转"),
    ("from_account", r"(自己|您的?).{0,8}(哪张|哪个|什么).{0,6}(卡|账户)|从.{0,16}转出|付款(账户|卡)"),
    ("holder", r"户名|收款人(姓名|叫|是)|收款人的?名字|开户人"),
    ("bank", r"哪个银行|哪家银行|什么银行|开户行"),
    ("name", r"怎么称呼|您的姓名|您的名字|您叫什么|贵姓|您的全名"),
    ("phone", r"手机号|联系电话|电话号码|联系到您"),
    ("time", r"什么时候|几点|时间"),
    ("amount", r"多少钱|金额|转了多少"),
    ("channel", r"什么方式转|怎么转的|方式转|哪种方式转|转账方式|付款方式|用什么转|怎么付的"),
    ("to_account", r"卡号|账号|收款账户"),
]
_COMPILED = [(name, re.compile(words)) for name, words in QUESTION_WORDS]
QUESTION_MARK = re.compile(r"[?？]\s*$|[?？]（")
# A question, or a request to say something ("请留一个手机号"); "请通过官方APP核实" is advice, not a question.
REQUEST = re.compile(r"[?？]|回复|请(告诉|说|留|问|输入|提供|把)|麻烦(您)?(说|告诉|提供)")


def question_field(replies: List[str], in_report: bool) -> Optional[str]:
    """What the bot's turn asks about, read as a person reads it (None: it asks nothing)."""
    for reply in reversed(replies):
        sentences = [s for s in re.split(r"(?<=[。！!？?\n])", reply) if s.strip()]
        for sentence in reversed(sentences):
            for name, pattern in _COMPILED:
                if pattern.search(sentence) and (REQUEST.search(sentence) or name == "confirm"):
                    return name
        if in_report and any(QUESTION_MARK.search(s) or REQUEST.search(s) for s in sentences):
            return "detail"   # the scam-specific question: whatever else the bot asks in a report
        if reply.strip():
            return None   # the bot's last words ask nothing a person would answer
    return None


def load_part(part: str, files: Optional[Sequence[str]] = None) -> List[Dict[str, Any]]:
    conversations = [c for name in (files or PARTS[part]) if (CORPUS_DIR / name).exists()
                     for c in yaml.safe_load((CORPUS_DIR / name).read_text(encoding="utf-8"))]
    ids = [c.get("id") for c in conversations]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:   # the id names the citizen's conversation: two with one id would talk in one tracker
        raise ValueError(f"conversation ids used twice in the {part} part: {repeated}")
    for conversation in conversations:
        missing = [f for f in FIELDS if not conversation.get("answers", {}).get(f)]
        if missing or "expected" not in conversation:
            raise ValueError(f"{conversation.get('id')}: answers missing for {missing} or no expected")
    return conversations


# --- judging the desk case ---------------------------------------------------------------------------
def _norm(value: Any) -> str:
    return _t2s.convert(re.sub(r"\s", "", str(value)))


def _is_unknown(value: Any) -> bool:
    return value in (None, "", "不详", "unknown")


def _amount_ok(expected: Any, actual: Any) -> bool:
    if expected == "unknown":
        return _is_unknown(actual)
    try:
        return abs(float(actual) - float(expected)) < 0.01
    except (TypeError, ValueError):
        return False


def _time_ok(expected: Any, actual: Any, said_at: datetime) -> bool:
    if expected == "unknown":
        return _is_unknown(actual)
    try:
        moment = datetime.fromisoformat(str(actual))
    except ValueError:
        return False
    if moment.tzinfo is None:  # a date alone
        moment = moment.replace(tzinfo=TZ)
        date_only = True
    else:
        date_only = "T" not in str(actual)
    moment = moment.astimezone(TZ)
    if "minutes_ago" in expected:
        ago = (said_at - moment).total_seconds() / 60
        return not date_only and abs(ago - expected["minutes_ago"]) <= max(10, 0.3 * expected["minutes_ago"])
    local = said_at.astimezone(TZ)
    later = "at" in expected and tuple(int(x) for x in str(expected["at"]).split(":")) > (local.hour, local.minute)
    if moment.date() != _expected_day(expected, local.date(), at_later=later):
        return False
    if "at" not in expected:
        return True
    hh, mm = (int(x) for x in str(expected["at"]).split(":"))
    return not date_only and (moment.hour, moment.minute) == (hh, mm)


def _expected_day(expected: Dict[str, Any], today: date, at_later: bool = False) -> date:
    """{days_ago: D}; {date: "MM-DD"} (11月28号: the latest one not after today); {weekday: 1–7, week: last |
    this | latest} (上周五 = last week's Friday, 这周一, 礼拜天 alone = the latest Sunday, last week's when said on a
    Sunday before the hour it names; weeks start on Monday)."""
    if "date" in expected:
        month, day = (int(x) for x in str(expected["date"]).split("-"))
        said = today.replace(month=month, day=day)
        return said if said <= today else said.replace(year=today.year - 1)
    if "weekday" in expected:
        wanted, week = int(expected["weekday"]) - 1, expected.get("week", "latest")
        if week == "latest":
            latest = today - timedelta(days=(today.weekday() - wanted) % 7)
            return latest - timedelta(days=7) if latest == today and at_later else latest
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(days=wanted - (7 if week == "last" else 0))
    return today - timedelta(days=int(expected["days_ago"]))


def _text_ok(expected: Any, actual: Any) -> bool:
    if expected == "unknown":
        return _is_unknown(actual)
    return not _is_unknown(actual) and _norm(actual) == _norm(expected)


def _holder_ok(expected: Any, actual: Any) -> bool:
    """A holder the citizen saw only masked ("何*凯", "**东") and the writer filed as unknown: the packet shows what
    the app showed (with the bot's note that the full name must be checked), which is not a wrong name."""
    if expected == "unknown" and re.fullmatch(r"[\u4e00-\u9fff]{0,3}\*{1,3}[\u4e00-\u9fff]{0,3}", _norm(actual)):
        return True
    return _text_ok(expected, actual)


def _from_account_ok(expected: Any, actual: Any) -> bool:
    if expected == "unknown":   # paid in cash: no account of the citizen's, which "现金" says
        return _is_unknown(actual) or _norm(actual).startswith("现金")
    if _is_unknown(actual):
        return False
    text = _norm(actual)
    if isinstance(expected, dict):   # a bank as the writer named it ("邮政储蓄") is found by its canonical name too
        mentions = [_norm(m) for m in expected.get("mentions") or []]
        mentions = [canonical_bank(m) if canonical_bank(m) and canonical_bank(m) in text else m for m in mentions]
        digits = re.sub(r"\D", "", text)
        if re.fullmatch(r"\d{16,19}", digits) and luhn_valid(digits):   # "还是那张工行卡，尾号6946": its whole number kept
            return all(digits.endswith(m) if m.isdigit() else canonical_bank(m) == bank_for_card(digits) for m in mentions)
        return all(m in text for m in mentions)
    if expected == "alipay":
        return "支付宝" in text
    if expected == "wechat_pay":
        return "微信" in text
    return re.sub(r"\D", "", text) == str(expected)


def _channel_ok(expected: Any, actual: Any) -> bool:
    return _is_unknown(actual) if expected == "unknown" else actual == expected


def _account_ok(expected: Any, actual: Any) -> bool:
    """A card or phone login by its digits; a wallet id ("yhm_1314520") as the bot files it, with or
    without the "微信账号 " label it puts in front for the officer."""
    if expected == "unknown":
        return _is_unknown(actual)
    if str(expected).isdigit():
        return re.sub(r"\D", "", str(actual or "")) == str(expected)
    return re.sub(r"^(支付宝|微信|云闪付)?账号\s*", "", str(actual or "")).lower() == str(expected).lower()


TRANSFER_CHECKS: Dict[str, Tuple[str, Callable[[Any, Any], bool]]] = {
    # expected key → (case key, check)
    "amount": ("amount", _amount_ok),
    "to_account": ("to_account", lambda e, a: _account_ok(e, a)),
    "bank": ("to_bank", _text_ok),
    "holder": ("to_name", _holder_ok),
    "channel": ("channel", _channel_ok),
    "from_account": ("from_account", _from_account_ok),
}


def judge(expected: Dict[str, Any], case: Optional[Dict[str, Any]], said_at: datetime) -> Dict[str, List[str]]:
    """Wrong or missing fields of the stop-payment packet, and of the scam type (judged apart)."""
    if case is None:
        return {"packet": ["no case on the desk"], "scam_type": ["no case"]}
    wrong: List[str] = []
    victim = case.get("victim") or {}
    if not _text_ok(expected["victim"]["name"], victim.get("name")):
        wrong.append(f"victim.name={victim.get('name')!r}")
    if str(victim.get("phone") or "") != str(expected["victim"]["phone"]):
        wrong.append(f"victim.phone={victim.get('phone')!r}")
    transfers = case.get("transfers") or []
    if len(transfers) != len(expected["transfers"]):
        wrong.append(f"{len(transfers)} transfers, expected {len(expected['transfers'])}")
    for index, (want, got) in enumerate(zip(expected["transfers"], transfers), start=1):
        for key, (case_key, check) in TRANSFER_CHECKS.items():
            if not check(want.get(key, "unknown"), got.get(case_key)):
                wrong.append(f"transfer{index}.{case_key}={got.get(case_key)!r} (expected {want.get(key)!r})")
        if not _time_ok(want.get("time", "unknown"), got.get("time"), said_at):
            wrong.append(f"transfer{index}.time={got.get('time')!r} (expected {want.get('time')!r})")
    scam = (case.get("scam_type") or {}).get("name")
    return {"packet": wrong, "scam_type": [] if scam == expected.get("scam_type") else [f"scam_type={scam}"]}


# --- playing one conversation --------------------------------------------------------------------------
@dataclass
class Played:
    id: str
    part: str
    turns: int = 0
    transcript: List[Tuple[str, List[str]]] = field(default_factory=list)
    asked: List[Optional[str]] = field(default_factory=list)
    generic_errors: int = 0
    longest_repeat: int = 0
    case: Optional[Dict[str, Any]] = None
    wrong: Dict[str, List[str]] = field(default_factory=dict)
    turns_to_packet: Optional[int] = None
    error: Optional[str] = None

    @property
    def complete(self) -> bool:
        return self.case is not None and not self.wrong.get("packet")

    @property
    def looped(self) -> bool:
        return self.longest_repeat > SAME_QUESTION_LIMIT

    def dump(self) -> str:
        lines = [f"--- {self.id} ({self.part}) wrong={self.wrong} error={self.error} repeat={self.longest_repeat}"]
        for said, replies in self.transcript:
            lines.append(f"  citizen: {said}")
            lines += [f"      bot: {r}" for r in replies]
        return "\n".join(lines)


TRANSFER_FIELDS = ("time", "to_account", "amount", "bank", "holder", "channel", "from_account")


class Citizen:
    """Answers from a conversation's script; each field's answers are used in order, the last repeated.
    A transfer field with exactly one answer per transfer gives the answer of the transfer being told
    (one more after each "yes, another one"), also when the first transfer's answer was volunteered and
    never asked for."""

    def __init__(self, conversation: Dict[str, Any]) -> None:
        self.answers = {k: list(v) for k, v in conversation["answers"].items()}
        self.used = {k: 0 for k in self.answers}
        self.asides = {a["before"]: a["text"] for a in conversation.get("asides") or []}
        expected = conversation.get("expected") or {}
        self.transfers = len(expected.get("transfers") or []) if isinstance(expected, dict) else 0

    def reply(self, asked: str) -> str:
        aside = self.asides.pop(asked, None)
        if aside:
            return aside
        options = self.answers[asked]
        index = self.used[asked]
        if asked in TRANSFER_FIELDS and self.transfers > 1 and len(options) == self.transfers:
            index = max(index, min(self.used.get("more", 0), self.transfers - 1))
        index = min(index, len(options) - 1)
        self.used[asked] = index + 1
        return str(options[index])


def play(conversation: Dict[str, Any], part: str, say: Callable[[str, str], List[str]],
         case_of: Callable[[str], Optional[Dict[str, Any]]], sender: str) -> Played:
    played = Played(conversation["id"], part)
    citizen = Citizen(conversation)
    said_at = datetime.now(TZ)
    queue = [str(m) for m in conversation["opening"]]
    repeat, previous, in_report = 0, None, False
    while played.turns < MAX_TURNS:
        message = queue.pop(0)
        replies = say(sender, message)
        played.turns += 1
        played.transcript.append((message, replies))
        played.generic_errors += sum(GENERIC_ERROR in r for r in replies)
        if queue:
            continue
        asked = question_field(replies, in_report)
        in_report = in_report or asked not in (None, "detail")
        played.asked.append(asked)
        repeat = repeat + 1 if asked == previous and asked is not None else 1
        previous = asked
        played.longest_repeat = max(played.longest_repeat, repeat)
        if asked is None or played.longest_repeat > SAME_QUESTION_LIMIT + 2:
            break
        queue.append(citizen.reply(asked))
    else:
        played.error = f"not finished in {MAX_TURNS} turns"
    played.case = case_of(sender)
    played.wrong = judge(conversation["expected"], played.case, said_at)
    if played.complete:
        played.turns_to_packet = played.turns
    return played


@dataclass
class PartResult:
    part: str
    played: List[Played]

    @property
    def complete_rate(self) -> float:
        return sum(p.complete for p in self.played) / len(self.played)

    @property
    def all_fields_rate(self) -> float:
        return sum(p.complete and not p.wrong.get("scam_type") for p in self.played) / len(self.played)

    @property
    def median_turns(self) -> Optional[float]:
        turns = [p.turns_to_packet for p in self.played if p.turns_to_packet is not None]
        return statistics.median(turns) if turns else None

    def summary(self) -> str:
        loops = sum(p.looped for p in self.played)
        errors = sum(p.generic_errors for p in self.played)
        return (f"{self.part}: {sum(p.complete for p in self.played)}/{len(self.played)} complete packets "
                f"({self.complete_rate:.0%}); with scam type right {self.all_fields_rate:.0%}; "
                f"median citizen turns {self.median_turns}; loops {loops}; generic errors {errors}; "
                f"wrong fields: {self.wrong_fields() or 'none'}")

    def wrong_fields(self) -> str:
        """Which kinds of field were wrong, counted (the held-out part shows no more than this)."""
        def kind(wrong: str) -> str:
            if wrong[0].isdigit():
                return "transfer count"
            return "no case" if wrong.startswith("no case") else re.sub(r"^transfer\d+\.|[=( ].*$", "", wrong)
        kinds = Counter(kind(w) for p in self.played for w in p.wrong.get("packet", []))
        return ", ".join(f"{kind} {count}" for kind, count in kinds.most_common())


CITIZENS_AT_ONCE = 3  # conversations played side by side, as citizens arrive (each turn still waits for its answer)


def run_part(part: str, say, case_of, prefix: str = "corpus", limit: Optional[int] = None,
             at_once: int = CITIZENS_AT_ONCE, files: Optional[Sequence[str]] = None, every: int = 1) -> PartResult:
    """Plays the part's conversations (the first `limit`; every `every`-th of them, from each writer's files
    alike) and reads each case off the desk."""
    conversations = load_part(part, files)[:limit][::every]
    stamp = int(time.time())
    with ThreadPoolExecutor(at_once) as citizens:
        played = citizens.map(lambda c: play(c, part, say, case_of, f"{prefix}-{part[:3]}-{c['id']}-{stamp}"),
                              conversations)
        return PartResult(part, list(played))


def desk_case_lookup(system, officer: str = "corpus-reader") -> Callable[[str], Optional[Dict[str, Any]]]:
    system.officer(officer)  # made once, before the citizens play side by side
    def case_of(sender: str) -> Optional[Dict[str, Any]]:
        status, body = system.desk("GET", "/api/cases", officer=officer)
        found = [c for c in body.get("cases", []) if c["conversation_id"] == sender] if status == 200 else []
        if not found:
            return None
        status, case = system.desk("GET", f"/api/cases/{found[0]['id']}", officer=officer)
        return case if status == 200 else None
    return case_of


def main(argv: Optional[List[str]] = None) -> int:
    import argparse
    import os
    import tempfile

    from tests.running import start_system, stop_system

    parser = argparse.ArgumentParser(prog="python -m bench.report_corpus")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every conversation, not only failures")
    parser.add_argument("--part", choices=list(PARTS), action="append", help="only these parts (default: all)")
    parser.add_argument("--file", action="append",
                        help="play only these files of tests/corpus (a held-out file's conversations are not printed)")
    args = parser.parse_args(argv)
    part_of = {name: part for part, names in PARTS.items() for name in names}
    parts = sorted({part_of.get(name, "development") for name in args.file}) if args.file else args.part or list(PARTS)
    with tempfile.TemporaryDirectory() as work:
        system = start_system(Path(work), dict(os.environ))
        try:
            for part in parts:
                files = [name for name in args.file if part_of.get(name, "development") == part] if args.file else None
                result = run_part(part, system.say, desk_case_lookup(system), files=files)
                print(result.summary(), flush=True)
                for played in result.played:
                    if part != "held-out" and (args.verbose or not played.complete):
                        print(played.dump())
                    elif part == "held-out" and not played.complete:   # which fields, never what was said
                        print(f"{played.id}: {[w.split('=')[0] for w in played.wrong.get('packet', [])]}")
        finally:
            stop_system(system)
    return 0


if __name__ == "__main__":
    sys.exit(main())
