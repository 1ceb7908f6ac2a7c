"""The report dialogue: every message is read for every field, whatever was asked; the next question
is the first field still missing. Pure: Rasa's form in actions/report.py only carries the draft.

A typed answer fills the asked field only if it has that field's shape (bot.report.answers); what is
refused there is still read for the other fields. Fillers get a patient repeat, "don't know" marks the
field unknown, two failed attempts skip a question or, for what a stop-payment cannot do without, call an
officer and ask again once the rest is told.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Optional

from bot.report.model import UNKNOWN, Report, Transfer

MONEY_SENT, MORE, VICTIM_NAME, VICTIM_PHONE, DETAIL, CONFIRM = (
    "money_sent", "more_transfers", "victim_name", "victim_phone", "scam_detail", "report_confirmed")
TRANSFER_QUESTIONS = ("to_account", "amount", "time", "to_bank", "to_name", "channel", "from_account")
QUESTIONS = (MONEY_SENT, *TRANSFER_QUESTIONS, MORE, VICTIM_NAME, VICTIM_PHONE, DETAIL, CONFIRM)
YES_NO_QUESTIONS = (MONEY_SENT, MORE, CONFIRM)
# Without these a stop-payment cannot start: failing twice calls an officer, the report goes on meanwhile.
STOP_PAYMENT_NEEDS = ("to_account", "amount")
MAX_FAILED = 2
FAQ_CONFIDENCE = 0.8   # below it, a question in the middle of a report gets the general answer
MAX_FILLERS = 4


@dataclass
class Said:
    """One citizen message as the NLU read it (text normalised, codes masked)."""
    text: str
    at: datetime
    intent: Optional[str] = None
    confidence: float = 0.0
    entities: List[Dict[str, Any]] = field(default_factory=list)
    faq_response: Optional[str] = None   # utter_faq/… the response selector picked
    in_progress: bool = False            # scam markers say it is happening now
    warning: Optional[str] = None        # the warning to give when in_progress

    def values(self, entity: str) -> List[Dict[str, Any]]:
        return [e for e in self.entities if e.get("entity") == entity]


@dataclass
class Draft:
    """The report being collected, and where the conversation about it stands."""
    report: Report = field(default_factory=Report)
    money_sent: Optional[bool] = None
    transfers_done: bool = False
    confirmed: bool = False
    pending: Optional[Dict[str, str]] = None  # {"field", "value"}: read back before it is kept
    failed: Dict[str, int] = field(default_factory=dict)
    asides: Dict[str, int] = field(default_factory=dict)  # questions of the citizen's instead of an answer
    fillers: int = 0
    last_reply: Optional[str] = None          # filler | failed | scanned | aside | deny | approximate | None
    advice_given: bool = False
    handover: bool = False
    victim_surname: Optional[str] = None
    remote_risk: bool = False                 # screen sharing / a code was given: money may have left unseen
    money_rechecked: bool = False
    vague_time: Optional[str] = None          # "刚才" in the story: used if the citizen cannot say better
    vague_part: Optional[str] = None          # "前天夜里": the part of day said with a day-only time
    found_out_morning: Optional[str] = None   # "今天早上一问才知道": that day; a later clock time is the day before
    rough_clock: Optional[str] = None         # "昨天下午四点多" in the story: the minutes asked for once
    holder_surname: Optional[str] = None
    bank_answered: bool = False               # the receiving bank was said in answer to its question
    hour_asked: bool = False                  # the day was said: the hour asked for once
    partial_card: Optional[str] = None        # the first digits of a card read out in two messages
    asks: Dict[str, int] = field(default_factory=dict)   # how often in a row the current question was asked
    last_text: Optional[Any] = None           # (question, reply) of the last turn: the same again is a miss
    paying_hint: Optional[str] = None         # "我的建设银行卡" in the story: used if no number is given
    approximated: List[str] = field(default_factory=list)  # "不记得" once: asked for a rough answer
    demanded: Optional[float] = None          # a sum asked for in the story, not yet said to be paid
    rough_amount: Optional[float] = None      # "三万多": kept as 30000 (with a note) if no exact sum is said
    paying_tail_asked: bool = False           # only the paying bank was said: its card's tail asked for once
    announced: Dict[str, Dict[str, Any]] = field(default_factory=dict)  # "第二笔三千六" said early: index → fields
    wallet_asked: Optional[str] = None        # "没有卡号，微信直接转的": the payee's 微信/支付宝 account asked for once
    nickname_given: Optional[str] = None      # "阿豪" for their name: the full name asked for once
    others_name_given: bool = False           # a relative's name given for theirs: asked who they are
    masked_holder: Optional[str] = None       # "*明辉" as the app shows it: the full name asked for once
    paying_differs: bool = False              # "也是从那张卡转出的吗？" "不是": the paying account asked plainly
    own_card_offered: Optional[str] = None    # the citizen's own paying card given as the receiving one: said once
    deferred: List[str] = field(default_factory=list)    # the last transfer's stop-payment fields put off: asked once more
    came_back: List[str] = field(default_factory=list)   # deferred fields asked again (never put off twice)
    officer_needed: Optional[str] = None      # a stop-payment field could not be got: the officer is called (once)
    declined_once: List[str] = field(default_factory=list)  # "不想说" for their name or phone: why, and asked once more

    @classmethod
    def from_json(cls, data: Optional[Dict[str, Any]]) -> "Draft":
        data = dict(data or {})
        report = Report.from_json(data.pop("report", None))
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(report=report, **known)

    def to_json(self) -> Dict[str, Any]:
        data = asdict(self)
        data["report"] = self.report.to_json()
        return data

    @property
    def current(self) -> Transfer:
        if not self.report.transfers:
            self.report.transfers.append(Transfer())
        return self.report.transfers[-1]

    def previous_transfer(self) -> Optional[Transfer]:
        return self.report.transfers[-2] if len(self.report.transfers) > 1 else None


@dataclass
class Turn:
    say: List[Dict[str, str]] = field(default_factory=list)  # {"text": …} or {"response": …}
    reject: bool = False     # not for the form: an officer request or stopping the report

    def text(self, text: str) -> None:
        self.say.append({"text": text})

    def response(self, name: str) -> None:
        self.say.append({"response": name})


def next_question(draft: Draft) -> Optional[str]:
    """The first field still missing, urgent details first; None when the report is confirmed."""
    if draft.handover:
        return None
    if draft.money_sent is None or (draft.money_sent is False and draft.remote_risk and not draft.money_rechecked):
        return MONEY_SENT
    if draft.money_sent:
        if draft.pending and draft.pending["field"] in TRANSFER_QUESTIONS:
            return draft.pending["field"]
        current = draft.current
        for name in TRANSFER_QUESTIONS:
            if getattr(current, name) is None:
                return name
        if not draft.transfers_done:
            return MORE
        for name in draft.deferred:   # "等我找找" three times: asked again once the transfers are told
            if getattr(current, name) == UNKNOWN:
                return name
    victim = draft.report.victim
    if victim.name is None:
        return VICTIM_NAME
    if victim.phone is None:
        return VICTIM_PHONE
    if draft.report.scam_detail is None:
        return DETAIL
    return None if draft.confirmed else CONFIRM
