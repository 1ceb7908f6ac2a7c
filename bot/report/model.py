"""The fraud report and its transfers: the one definition the form, the hand-off, the case store and
the stop-payment request all use. Pure: no Rasa, no HTTP, no database.

A field is None while nobody has said it, and UNKNOWN ("不详") once the citizen said they do not know.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional

from bot.extract.times import transfer_moment

UNKNOWN = "不详"


@dataclass
class Transfer:
    amount: Any = None           # yuan (float) | UNKNOWN
    time: Optional[str] = None   # ISO 8601 date-time, ISO date | UNKNOWN
    channel: Optional[str] = None  # bot.extract.channels.CHANNEL_NAMES key | UNKNOWN
    from_account: Optional[str] = None  # the victim's card digits, "支付宝余额", "建设银行卡 尾号3456" | UNKNOWN
    to_account: Optional[str] = None    # receiving card digits or account | UNKNOWN
    to_bank: Optional[str] = None       # canonical bank name (bot.extract.banks) | UNKNOWN
    to_name: Optional[str] = None       # receiving account holder (户名) | UNKNOWN
    to_branch: Optional[str] = None     # receiving bank's branch (开户网点), when known
    serial: Optional[str] = None        # the bank's transaction serial number (流水号), when the citizen has it

    @classmethod
    def from_json(cls, data: Optional[Dict[str, Any]]) -> "Transfer":
        data = data or {}
        transfer = cls(**{f.name: data.get(f.name) for f in fields(cls)})
        if transfer.amount not in (None, UNKNOWN):
            try:
                transfer.amount = float(transfer.amount)
            except (TypeError, ValueError):
                transfer.amount = None
            else:
                if not (0 < transfer.amount < 1e12):  # not a sum anybody transferred
                    transfer.amount = None
        for name in ("time", "channel", "from_account", "to_account", "to_bank", "to_name", "to_branch", "serial"):
            value = getattr(transfer, name)
            setattr(transfer, name, None if value in (None, "") else str(value)[:200])
        return transfer

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    def has_details(self) -> bool:
        return any(getattr(self, name) not in (None, UNKNOWN) for name in ("amount", "to_account", "time"))

    def moment(self) -> Optional[datetime]:
        return transfer_moment(self.time)


TRANSFER_FIELDS = tuple(f.name for f in fields(Transfer))
# What a bank checks before it stops an account (银发〔2016〕86号): missing ones are marked on the card.
BANK_CHECKED_FIELDS = ("to_account", "to_name", "amount", "time")


@dataclass
class Victim:
    name: Optional[str] = None
    phone: Optional[str] = None


@dataclass
class Report:
    victim: Victim = field(default_factory=Victim)
    transfers: List[Transfer] = field(default_factory=list)
    scam_type: str = "none"
    scam_type_confidence: float = 0.0
    scam_detail: Optional[str] = None
    fraudster_contacts: List[str] = field(default_factory=list)
    narrative: str = ""
    warnings: List[str] = field(default_factory=list)
    money_sent: bool = False
    in_progress: bool = False

    @classmethod
    def from_json(cls, data: Optional[Dict[str, Any]]) -> "Report":
        data = data or {}
        victim = data.get("victim") or {}
        scam = data.get("scam_type")
        scam_name, confidence = (scam.get("name"), scam.get("confidence")) if isinstance(scam, dict) else (
            scam, data.get("scam_type_confidence"))
        return cls(
            victim=Victim(name=_text(victim.get("name")), phone=_text(victim.get("phone"))),
            transfers=[Transfer.from_json(t) for t in _items(data.get("transfers")) if isinstance(t, dict)],
            scam_type=str(scam_name or "none"),
            scam_type_confidence=_share(confidence),
            scam_detail=_text(data.get("scam_detail")),
            fraudster_contacts=[str(c)[:200] for c in _items(data.get("fraudster_contacts"))],
            narrative=str(data.get("narrative") or "")[:MAX_NARRATIVE_CHARS],
            warnings=[str(w)[:500] for w in _items(data.get("warnings"))],
            money_sent=bool(data.get("money_sent")),
            in_progress=bool(data.get("in_progress")),
        )

    def to_json(self) -> Dict[str, Any]:
        return {
            "victim": asdict(self.victim),
            "transfers": [t.to_json() for t in self.transfers],
            "scam_type": {"name": self.scam_type, "confidence": self.scam_type_confidence},
            "scam_detail": self.scam_detail,
            "fraudster_contacts": list(self.fraudster_contacts),
            "narrative": self.narrative,
            "warnings": list(self.warnings),
            "money_sent": self.money_sent,
            "in_progress": self.in_progress,
        }

    def packet(self) -> Dict[str, Any]:
        """What the desk stores as the case's stop-payment packet."""
        data = self.to_json()
        return {key: data[key] for key in PACKET_KEYS}

    def urgent(self, now: datetime, window: timedelta) -> bool:
        """In progress, or a transfer within the window (an unknown time counts as recent)."""
        return self.in_progress or any(is_recent(t, now, window) for t in self.transfers)

    def total_amount(self) -> float:
        return sum(t.amount for t in self.transfers if isinstance(t.amount, float))


PACKET_KEYS = ("victim", "transfers", "fraudster_contacts", "narrative", "scam_detail", "warnings")


def is_recent(transfer: Transfer, now: datetime, window: timedelta) -> bool:
    moment = transfer.moment()
    return moment is None or now - moment <= window


MAX_ITEMS = 50
MAX_NARRATIVE_CHARS = 5000


def _items(value: Any) -> list:
    return list(value)[:MAX_ITEMS] if isinstance(value, (list, tuple)) else []


def _share(value: Any) -> float:
    """A confidence in [0, 1]; anything else (text, NaN, infinity) is 0."""
    try:
        share = float(value or 0.0)
    except (TypeError, ValueError):
        return 0.0
    return share if 0.0 <= share <= 1.0 else 0.0


def _text(value: Any) -> Optional[str]:
    """Text (or a number written as text); objects and lists are not a name, phone or detail."""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        return None
    return str(value)[:200]
