"""The case store: cases, their transcripts, the delivery outbox, the change feed and the audit log.

Used by the action server (opening hand-offs, relaying citizen messages) and by the desk (everything
officers do). Sync SQLAlchemy; async callers run it in a thread.
"""
from __future__ import annotations

import copy
import json
import math
import re
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, func, insert, or_, select, text, update
from sqlalchemy.orm import aliased
from sqlalchemy.engine import Connection, Engine, make_url

from bot.desk.crypto import CaseCipher, load_cipher
from bot.desk.errors import BadRequest, Conflict, Forbidden, NotFound
from bot.desk.masking import mask_audit, mask_name, packet_names
from bot.desk.models import (
    audit_log, case_events, case_identifiers, case_messages, cases, create_schema, make_engine, officers, outbox,
    stop_requests,
)
from bot.desk.timefmt import UnreadableTime, typed_time
from bot.desk.transcript import MAX_MESSAGE_CHARS
from bot.desk.urgency import urgency
from bot.desk.validation import (
    amount, clean_packet, clean_scam_type, clean_transcript, dumps, epoch, field_error, finite_or_none, short_text,
    yuan,
)
from bot.extract.channels import CHANNEL_NAMES
from bot.extract.times import LOCAL_TIMEZONE, transfer_moment
from bot.report.model import PACKET_KEYS, UNKNOWN, Report
from bot.scam.types import SCAM_TYPES
from bot.settings import Settings

STATUSES = ("waiting", "claimed", "closed")
SENDERS = ("citizen", "bot", "officer")
OUTCOMES = {"stopped": "止付成功", "partial": "部分止付", "failed": "止付失败", "none": "无需止付"}
NOTHING_FROZEN = ("failed", "none")  # outcomes without a frozen amount
REASONS = {"report": "紧急报案", "in_progress": "诈骗进行中", "requested": "群众要求转人工",
           "fallback": "智能助手两次未能理解", "registration": "报案登记（非紧急）",
           "unclear": "止付信息未能确认"}
PROVISIONAL_MATCH_S = 300  # Rasa's copy of what an action said comes within this long of it
# Audit kinds of looking at a case (not changing it); reads are left out of a case's trail unless asked for.
READ_CASE, EXPORT_STOP_PAYMENT, PRINT_STOP_PAYMENT = "read_case", "export_stop_payment", "print_stop_payment"
READ_AUDIT = "read_audit"
SEARCH_CASES = "search_cases"
READS = (READ_CASE, READ_AUDIT)
# A stop-payment lasts 48 hours and may be renewed once (银发〔2016〕86号); the desk warns this long before.
STOP_HOURS = 48
STOP_NOTICE_HOURS = 12
MAX_STOP_RENEWALS = 1
STOP_ACTIONS = {"requested": "已申请止付", "renewed": "已续止付", "frozen": "已冻结", "lifted": "已解除止付"}
STOP_STATUSES = {"requested": "止付中", "frozen": "已冻结", "lifted": "已解除"}
CHAIN_START = "0" * 64  # the previous hash of the first chained audit row
_AUDIT_LOCK_ID = 96110  # PostgreSQL advisory lock: one audit row appended at a time
_TZ = ZoneInfo(LOCAL_TIMEZONE)


def iso(epoch: Optional[float]) -> Optional[str]:
    return None if epoch is None else datetime.fromtimestamp(epoch, _TZ).isoformat(timespec="seconds")


def transfer_epoch(value: Any) -> Optional[float]:
    moment = transfer_moment(value)
    return None if moment is None else moment.timestamp()


def account_key(account: Any) -> Optional[str]:
    """A receiving account as cases are linked by it: the digits of a card, or the lower-cased text."""
    account = str(account or "").strip()
    digits = re.sub(r"[\s\-]", "", account)
    if digits.isdigit() and len(digits) >= 6:
        return digits
    return account.lower() if account and account not in (UNKNOWN, "unknown") else None


def receiving_accounts(transfers: List[Dict[str, Any]]) -> List[tuple]:
    """(account key or None, indexes of its transfers), in the order the citizen named the accounts; the
    transfers whose receiving account is unknown last. One stop-payment request each."""
    groups: Dict[Optional[str], List[int]] = {}
    for index, transfer in enumerate(transfers):
        groups.setdefault(account_key(transfer.get("to_account")), []).append(index)
    return sorted(groups.items(), key=lambda group: group[0] is None)


def _phone_key(phone: Any) -> Optional[str]:
    digits = re.sub(r"\D", "", str(phone or ""))
    return digits[-11:] or None


def _contact_identifier(contact: Any) -> Optional[tuple]:
    kind, _, value = str(contact).partition(":")
    if kind == "phone":
        phone = _phone_key(value)
        return ("phone", phone) if phone else None
    return ("contact", f"{kind}:{value.strip().lower()}") if value.strip() else None


def _identifiers(packet: Dict[str, Any]) -> List[tuple]:
    """What links cases (串并): receiving accounts, phone numbers, the fraudster's contacts."""
    found = set()
    for transfer in packet.get("transfers") or []:
        key = account_key(transfer.get("to_account"))
        if key:
            found.add(("account", key))
    phone = _phone_key((packet.get("victim") or {}).get("phone"))
    if phone:
        found.add(("phone", phone))
    for contact in packet.get("fraudster_contacts") or []:
        identifier = _contact_identifier(contact)
        if identifier:
            found.add(identifier)
    return sorted(found)


CONTACT_KINDS = ("qq", "wechat", "url", "app")  # bot.extract.contacts
MIN_SEARCH_CHARS = 4


def search_identifiers(query: str) -> List[tuple]:
    """What an officer typed into the search box, as every identifier it could be."""
    query = query.strip()
    found = set()
    if ":" in query or "：" in query:
        identifier = _contact_identifier(query.replace("：", ":", 1))
        if identifier:
            found.add(identifier)
    key = account_key(query)
    if key:
        found.add(("account", key))
    digits = re.sub(r"[\s\-+]", "", query)
    if digits.isdigit():
        found.add(("phone", _phone_key(digits)))
    for kind in CONTACT_KINDS:
        found.add(("contact", f"{kind}:{query.lower()}"))
    return sorted(found)


def normalise_packet(packet: Dict[str, Any]) -> Dict[str, Any]:
    """The packet as the report model has it; every field checked first (BadRequest naming the field)."""
    return Report.from_json(clean_packet(packet)).packet()


def audit_content(prev_hash: str, at: float, officer: Optional[str], action: str, case_id: Optional[int],
                  detail: str) -> str:
    """What an audit row's hash covers: the previous row's hash and everything the row says but its id."""
    return json.dumps([prev_hash, f"{at:.6f}", officer, action, case_id, detail], ensure_ascii=False,
                      separators=(",", ":"))


@dataclass(frozen=True)
class AuditCheck:
    checked: int                  # chained rows whose hashes were checked
    unchained: int                # rows written before the chain existed (all before the first chained row)
    last_hash: Optional[str]      # note it somewhere else: deleting the newest rows is seen only against it
    bad_id: Optional[int] = None  # the first row that does not fit
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.bad_id is None


def _summary_columns(packet: Dict[str, Any]) -> Dict[str, Any]:
    transfers = packet["transfers"]
    times = [transfer_epoch(t.get("time")) for t in transfers]
    known = [t for t in times if t is not None]
    return {
        "total_amount": sum(t["amount"] for t in transfers if isinstance(t["amount"], (int, float))),  # not 不详
        "has_transfers": bool(transfers),
        # Unknown if any transfer's time is unknown: it may be the freshest.
        "last_transfer_at": max(known) if known and len(known) == len(times) else None,
    }


def _masked_fields(fields: Dict[str, Any]) -> Dict[str, Any]:
    """A correction's before/after for the audit trail: names masked where the packet has them."""
    masked = copy.deepcopy(fields)
    victim = masked.get("victim")
    if isinstance(victim, dict) and isinstance(victim.get("name"), str):
        victim["name"] = mask_name(victim["name"])
    for transfer in masked.get("transfers") or []:
        if isinstance(transfer, dict) and isinstance(transfer.get("to_name"), str):
            transfer["to_name"] = mask_name(transfer["to_name"])
    return masked


def _readable_packet(packet: Dict[str, Any]) -> Dict[str, Any]:
    """A stored packet as the desk shows it, whatever an older version let in: text where text belongs,
    finite amounts. Packets written now pass clean_packet and come out unchanged."""
    def text(value: Any) -> Optional[str]:
        return value if value is None or isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    def money(value: Any) -> Any:
        if isinstance(value, str) or value is None:
            return value
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and math.isfinite(value) else None
    victim = packet.get("victim") if isinstance(packet.get("victim"), dict) else {}
    transfers = [t for t in packet.get("transfers") or [] if isinstance(t, dict)]
    return {
        "victim": {"name": text(victim.get("name")), "phone": text(victim.get("phone"))},
        "transfers": [{k: money(v) if k == "amount" else text(v) for k, v in t.items()} for t in transfers],
        "fraudster_contacts": [text(c) for c in packet.get("fraudster_contacts") or [] if c is not None],
        "narrative": text(packet.get("narrative")) or "",
        "scam_detail": text(packet.get("scam_detail")),
        "warnings": [text(w) for w in packet.get("warnings") or [] if w is not None],
    }


def is_registration(case: Dict[str, Any]) -> bool:
    return case["reason"] == "registration" and not case["handoff_active"]


def known_total(packet: Dict[str, Any]) -> Optional[float]:
    """What the citizen reported in all, when every transfer's amount is known; else None."""
    amounts = [t.get("amount") for t in packet.get("transfers") or []]
    if not amounts or not all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in amounts):
        return None
    return float(sum(amounts))


# The ways of paying as the desk shows them (and some officers write them), back to the stored names.
CHANNEL_BY_LABEL = {**{label: name for name, label in CHANNEL_NAMES.items()}, "其他": "other",
                    **{name: name for name in CHANNEL_NAMES}}


def typed_transfers(transfers: List[Dict[str, Any]], zone: ZoneInfo, now: float) -> List[Dict[str, Any]]:
    """Transfers as an officer corrected them: times and ways of paying as the desk shows them
    ("12月2日 22:05", "银行转账") stored as the report model has them; what cannot be read is refused."""
    for number, transfer in enumerate(transfers, start=1):
        time_text = transfer.get("time")
        if time_text not in (None, UNKNOWN):
            try:
                transfer["time"] = typed_time(time_text, zone, now)
            except UnreadableTime as error:
                raise BadRequest(f"第 {number} 笔转账的转账时间（transfers[{number - 1}].time）：{error}。") from None
        channel = transfer.get("channel")
        if channel not in (None, UNKNOWN):
            if channel.strip() not in CHANNEL_BY_LABEL:
                raise BadRequest(f"第 {number} 笔转账的方式（transfers[{number - 1}].channel）应为"
                                 + "、".join(CHANNEL_NAMES.values()) + "或“不详”。")
            transfer["channel"] = CHANNEL_BY_LABEL[channel.strip()]
    return transfers


class CaseStore:
    def __init__(self, engine: Engine, cipher: CaseCipher, clock: Callable[[], float] = time.time,
                 zone: ZoneInfo = _TZ) -> None:
        self.engine = engine
        self.cipher = cipher
        self.clock = clock
        self.zone = zone  # the centre's (DESK_TIME_ZONE): what officers type is read in it

    @classmethod
    def open(cls, settings: Settings, clock: Callable[[], float] = time.time) -> "CaseStore":
        url = make_url(settings.case_store_url)
        if url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        cipher = load_cipher(settings)
        engine = make_engine(settings.case_store_url)
        create_schema(engine)
        return cls(engine, cipher, clock, ZoneInfo(settings.desk_time_zone))

    def close(self) -> None:
        self.engine.dispose()

    def reading(self) -> Connection:
        """A read-only connection: on SQLite it does not take the write lock."""
        return self.engine.connect().execution_options(readonly=True)

    # --- writing -----------------------------------------------------------------------------
    def _event(self, conn: Connection, case_id: int, kind: str) -> None:
        conn.execute(insert(case_events).values(case_id=case_id, kind=kind, at=self.clock()))

    def audit(self, conn: Connection, officer: Optional[str], action: str, case_id: Optional[int],
              detail: str = "", names: Iterable[str] = ()) -> None:
        """Appends to the audit chain; numbers, phones and the given names are masked. Call it last in a
        transaction: on PostgreSQL it holds the chain's lock until commit."""
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_ID})
        prev_hash = conn.execute(select(audit_log.c.row_hash).order_by(audit_log.c.id.desc()).limit(1)).scalar()
        prev_hash = prev_hash or CHAIN_START
        at, detail = self.clock(), mask_audit(detail, names)
        conn.execute(insert(audit_log).values(
            at=at, officer=officer, action=action, case_id=case_id, detail=detail, prev_hash=prev_hash,
            row_hash=self.cipher.audit_digest(audit_content(prev_hash, at, officer, action, case_id, detail))))

    def _packet(self, row: Any) -> Dict[str, Any]:
        return json.loads(self.cipher.decrypt(row.payload_enc))

    def _add_message(self, conn: Connection, case_id: int, sender: str, text: str,
                     at: Optional[float] = None, officer: Optional[str] = None, provisional: bool = False,
                     rasa_at: Optional[float] = None) -> int:
        result = conn.execute(insert(case_messages).values(
            case_id=case_id, sender=sender, officer=officer, text_enc=self.cipher.encrypt(text),
            at=self.clock() if at is None else at, provisional=provisional or None, rasa_at=rasa_at))
        return result.inserted_primary_key[0]

    def _merge_transcript(self, conn: Connection, case_id: int, transcript: List[Dict[str, Any]],
                          said: Iterable[str] = (), said_at: Optional[float] = None) -> bool:
        """Rasa's record of the conversation (the citizen's and the bot's messages with Rasa's timestamps)
        into the case: what the case has is left, what it lacks is added, so sending it again adds
        nothing. said: what the bot is saying right now, before Rasa recorded it (provisional, until
        Rasa's copy is known as the same message); placed at said_at (a notice of what an officer did: when
        the officer did it), else right after the last message Rasa recorded. Whether anything changed."""
        rows = conn.execute(select(case_messages.c.id, case_messages.c.sender, case_messages.c.text_enc,
                                   case_messages.c.at, case_messages.c.provisional, case_messages.c.rasa_at)
                            .where(case_messages.c.case_id == case_id).order_by(case_messages.c.id)).all()
        recorded = set()
        pending = []  # [id, text, at] of provisional messages not yet matched
        for row in rows:
            if row.sender == "officer":
                continue
            text = self.cipher.decrypt(row.text_enc)
            if row.provisional:
                pending.append([row.id, text, row.at])
            else:
                recorded.add((row.sender, round(row.at if row.rasa_at is None else row.rasa_at, 3), text))
        changed = False
        for message in transcript:
            sender, text, at = message["from"], message["text"][:MAX_MESSAGE_CHARS], message["at"]
            key = (sender, round(at, 3), text)
            if sender not in ("citizen", "bot") or key in recorded:
                continue
            recorded.add(key)
            changed = True
            match = next((p for p in pending if sender == "bot" and p[1] == text
                          and abs(p[2] - at) <= PROVISIONAL_MATCH_S), None)
            if match is not None:  # keeps its place: where the citizen saw it, before the officer's next words
                pending.remove(match)
                conn.execute(update(case_messages).where(case_messages.c.id == match[0])
                             .values(provisional=None, rasa_at=at))
            else:
                self._add_message(conn, case_id, sender, text, at, rasa_at=at)
        # right after the last message Rasa recorded (whatever this machine's clock says), in the order said
        after = said_at if said_at is not None else max((m["at"] for m in transcript), default=None)
        for number, text in enumerate(said, start=1):
            at = self.clock() if after is None else after + number * 0.001
            self._add_message(conn, case_id, "bot", text[:MAX_MESSAGE_CHARS], at, provisional=True)
            changed = True
        return changed

    def _index(self, conn: Connection, case_id: int, packet: Dict[str, Any]) -> None:
        conn.execute(case_identifiers.delete().where(case_identifiers.c.case_id == case_id))
        rows = [{"case_id": case_id, "kind": kind, "digest": self.cipher.digest(kind, value)}
                for kind, value in _identifiers(packet)]
        if rows:
            conn.execute(insert(case_identifiers), rows)

    def open_handoff(self, **case: Any) -> Dict[str, Any]:
        """A new case, or the conversation's open case handed to an officer again."""
        return self._open(handoff=True, **case)

    def open_registration(self, **case: Any) -> Dict[str, Any]:
        """A report that is not urgent: a case in the queue an officer follows up (no live hand-off). On a
        conversation whose case is already with the officers, only its details are updated."""
        return self._open(handoff=False, reason="registration", **case)

    def _open(self, *, conversation_id: str, channel: str, reason: str, packet: Dict[str, Any],
              scam_type: Dict[str, Any], in_progress: bool, transcript: Iterable[Dict[str, Any]],
              handoff: bool, said: Iterable[str] = ()) -> Dict[str, Any]:
        if not isinstance(reason, str) or reason not in REASONS:
            raise BadRequest(f"unknown hand-off reason {reason!r}")
        conversation_id = short_text(conversation_id, "conversation_id", 128)
        channel = short_text(channel, "channel", 32)
        scam_name, scam_confidence = clean_scam_type(scam_type)
        if not isinstance(in_progress, bool):
            raise field_error("in_progress", "应为 true 或 false")
        transcript = clean_transcript(transcript)
        packet = normalise_packet(packet)
        now = self.clock()
        with self.engine.begin() as conn:
            row = conn.execute(select(cases).where(and_(
                cases.c.conversation_id == conversation_id, cases.c.status != "closed"))
                .order_by(cases.c.id.desc())).first()
            values = dict(
                channel=channel, handoff_active=handoff, reason=reason,
                scam_type=scam_name, scam_confidence=scam_confidence, in_progress=in_progress,
                payload_enc=self.cipher.encrypt(dumps(packet)),
                updated_at=now, handoff_at=now, **_summary_columns(packet))
            if row is None:
                case_id = conn.execute(insert(cases).values(
                    conversation_id=conversation_id, status="waiting", created_at=now, **values)
                ).inserted_primary_key[0]
                kind = "case_created"
            else:
                case_id = row.id
                if row.handoff_active:  # already with the officers: details updated, not handed over again
                    values.update(handoff_at=row.handoff_at)
                if row.handoff_active and not handoff:
                    values.update(handoff_active=True, reason=row.reason)  # an officer has it: keep it so
                elif not handoff and row.reason != "registration":
                    values.update(reason=row.reason)  # an urgent (or promoted) case stays urgent
                conn.execute(update(cases).where(cases.c.id == case_id).values(**values))
                kind = "handoff_reopened" if handoff else "case_updated"
            self._merge_transcript(conn, case_id, transcript, said)
            self._index(conn, case_id, packet)
            self._event(conn, case_id, kind)
            self.audit(conn, None, kind, case_id, f"{REASONS[reason]}；渠道 {channel}")
        return self.case(case_id)

    def citizen_message(self, conversation_id: str, text: str, at: Optional[float] = None) -> Optional[int]:
        """Records what the citizen said during a hand-off; the case id, or None if none is active."""
        if not isinstance(text, str):
            raise field_error("text", "应为文字")
        at = epoch(at, "at")
        with self.engine.begin() as conn:
            case_id = conn.execute(select(cases.c.id).where(and_(
                cases.c.conversation_id == conversation_id, cases.c.handoff_active.is_(True)))
                .order_by(cases.c.id.desc())).scalar()
            if case_id is None:
                return None
            self._add_message(conn, case_id, "citizen", text[:MAX_MESSAGE_CHARS], at)
            conn.execute(update(cases).where(cases.c.id == case_id).values(updated_at=self.clock()))
            self._event(conn, case_id, "citizen_message")
        return case_id

    def record_transcript(self, case_id: int, transcript: Iterable[Dict[str, Any]],
                          said: Iterable[str] = (), said_at: Optional[float] = None) -> bool:
        """Rasa's record of the conversation (and what the bot says right now) into this case, whatever its
        status (the closing notice is said as it closes); whether anything was new."""
        transcript = clean_transcript(transcript)
        with self.engine.begin() as conn:
            if conn.execute(select(cases.c.id).where(cases.c.id == case_id)).first() is None:
                raise NotFound()
            changed = self._merge_transcript(conn, case_id, transcript, list(said), said_at)
            if changed:
                conn.execute(update(cases).where(cases.c.id == case_id).values(updated_at=self.clock()))
                self._event(conn, case_id, "transcript")
        return changed

    def follow_conversation(self, conversation_id: str, transcript: Iterable[Dict[str, Any]],
                            handed_off_only: bool = False) -> Optional[int]:
        """Rasa's record of the conversation into its open case (only one an officer has the conversation
        of, if handed_off_only); the case id, or None when there is none."""
        with self.reading() as conn:
            query = select(cases.c.id).where(and_(cases.c.conversation_id == conversation_id,
                                                  cases.c.status != "closed"))
            if handed_off_only:
                query = query.where(cases.c.handoff_active.is_(True))
            case_id = conn.execute(query.order_by(cases.c.id.desc())).scalar()
        if case_id is not None:
            self.record_transcript(case_id, transcript)
        return case_id

    def open_conversation(self, case_id: int) -> Optional[str]:
        """The conversation of this case while it is open (None: closed or no such case)."""
        with self.reading() as conn:
            row = conn.execute(select(cases.c.conversation_id, cases.c.status).where(cases.c.id == case_id)).first()
        return row.conversation_id if row is not None and row.status != "closed" else None

    def _owned(self, conn: Connection, case_id: int, officer: str) -> Any:
        row = conn.execute(select(cases).where(cases.c.id == case_id)).first()
        if row is None:
            raise NotFound()
        if row.status == "closed":
            raise Conflict("案件已结案。")
        if row.claimed_by != officer:
            raise Forbidden(f"案件由 {row.claimed_by} 处理中。" if row.claimed_by else "请先认领案件。")
        return row

    def claim(self, case_id: int, officer: str) -> Dict[str, Any]:
        now = self.clock()
        with self.engine.begin() as conn:
            won = conn.execute(update(cases).where(and_(cases.c.id == case_id, cases.c.status == "waiting"))
                               .values(status="claimed", claimed_by=officer, claimed_at=now, updated_at=now)
                               ).rowcount == 1
            if not won:
                row = conn.execute(select(cases.c.status, cases.c.claimed_by).where(cases.c.id == case_id)).first()
                if row is None:
                    raise NotFound()
                if row.claimed_by != officer or row.status == "closed":
                    raise Conflict(f"案件已由 {row.claimed_by} 认领。" if row.status == "claimed" else "案件已结案。")
            else:
                row = conn.execute(select(cases).where(cases.c.id == case_id)).first()
                if row.handoff_active and row.channel != "voice":
                    self._queue(conn, row, "joined")  # a citizen the bot is still asking is told the officer is here
                self._event(conn, case_id, "claimed")
                self.audit(conn, officer, "claim", case_id)
        return self.case(case_id)

    def officer_message(self, case_id: int, officer: str, text: str) -> Dict[str, Any]:
        if text is not None and not isinstance(text, str):
            raise field_error("text", "应为文字")
        text = (text or "").strip()
        if not text:
            raise BadRequest("消息不能为空。")
        if len(text) > MAX_MESSAGE_CHARS:
            raise BadRequest(f"消息太长（不超过{MAX_MESSAGE_CHARS}字）。")
        now = self.clock()
        with self.engine.begin() as conn:
            row = self._owned(conn, case_id, officer)
            if not row.handoff_active:
                raise Conflict("对话已交回智能助手，不能再发消息。")
            message_id = self._add_message(conn, case_id, "officer", text, now, officer)
            # the officer's own words tell the citizen the officer is here: a notice not yet on its way is dropped
            conn.execute(update(outbox).where(
                outbox.c.case_id == case_id, outbox.c.kind == "joined", outbox.c.delivered_at.is_(None),
                outbox.c.sent_at.is_(None), or_(outbox.c.leased_until.is_(None), outbox.c.leased_until <= now))
                .values(delivered_at=now))
            delivery_id = self._queue(conn, row, "message", message_id)
            self._event(conn, case_id, "officer_message")
            self.audit(conn, officer, "message", case_id, text, names=packet_names(self._packet(row)))
        return {"id": message_id, "from": "officer", "officer": officer, "text": text, "at": iso(now),
                "delivery_id": delivery_id}

    def _queue(self, conn: Connection, row: Any, kind: str, message_id: Optional[int] = None) -> int:
        now = self.clock()
        return conn.execute(insert(outbox).values(case_id=row.id, conversation_id=row.conversation_id, kind=kind,
                                                  message_id=message_id, created_at=now, next_attempt_at=now)
                            ).inserted_primary_key[0]

    def handback(self, case_id: int, officer: str) -> Dict[str, Any]:
        with self.engine.begin() as conn:
            row = self._owned(conn, case_id, officer)
            if not row.handoff_active:
                raise Conflict("对话已交回智能助手。")
            conn.execute(update(cases).where(cases.c.id == case_id)
                         .values(handoff_active=False, updated_at=self.clock()))
            self._queue(conn, row, "handback")
            self._event(conn, case_id, "handed_back")
            self.audit(conn, officer, "handback", case_id)
        return self.case(case_id)

    def close_case(self, case_id: int, officer: str, outcome: Any, frozen_amount: Any = None) -> Dict[str, Any]:
        if not isinstance(outcome, str) or outcome not in OUTCOMES:
            raise BadRequest("请选择结果：" + "、".join(f"{k}（{v}）" for k, v in OUTCOMES.items()))
        frozen = amount(frozen_amount, "frozen_amount", allow_unknown=False)
        if outcome in NOTHING_FROZEN and frozen:
            raise BadRequest(f"结果为“{OUTCOMES[outcome]}”时没有冻结金额，请清空冻结金额或改选结果。")
        now = self.clock()
        with self.engine.begin() as conn:
            row = self._owned(conn, case_id, officer)
            total = known_total(self._packet(row))
            if frozen is not None and total is not None and frozen > total + 0.005:
                raise BadRequest(f"冻结金额 {yuan(frozen)} 超过本案报案金额合计 {yuan(total)}，请核对。")
            if outcome in NOTHING_FROZEN:
                frozen = None
            conn.execute(update(cases).where(cases.c.id == case_id).values(
                status="closed", handoff_active=False, outcome=outcome, frozen_amount=frozen,
                closed_at=now, updated_at=now))
            if row.handoff_active:
                self._queue(conn, row, "close")
            self._event(conn, case_id, "closed")
            self.audit(conn, officer, "close", case_id,
                       f"{OUTCOMES[outcome]}" + (f"，冻结 {frozen:.2f} 元" if frozen is not None else ""))
        return self.case(case_id)

    def correct(self, case_id: int, officer: str, changes: Dict[str, Any]) -> Dict[str, Any]:
        """An officer's corrections to the packet (victim, transfers, contacts, scam type)."""
        if not isinstance(changes, dict) or not changes:
            raise BadRequest("没有要更正的内容。")
        allowed = set(PACKET_KEYS) | {"scam_type"}
        unknown = set(changes) - allowed
        if unknown:
            raise BadRequest("不能更正这些字段：" + "、".join(sorted(unknown)))
        if "scam_type" in changes and (not isinstance(changes["scam_type"], str)
                                       or changes["scam_type"] not in SCAM_TYPES):
            raise field_error("scam_type", "应为诈骗类型编号：" + "、".join(SCAM_TYPES))
        corrections = clean_packet({k: v for k, v in changes.items() if k != "scam_type"})
        if "transfers" in corrections:
            corrections["transfers"] = typed_transfers(corrections["transfers"], self.zone, self.clock())
        with self.engine.begin() as conn:
            row = self._owned(conn, case_id, officer)
            stored = self._packet(row)
            before = {k: stored.get(k) for k in corrections}
            packet = normalise_packet({**stored, **corrections})
            values = dict(payload_enc=self.cipher.encrypt(dumps(packet)),
                          updated_at=self.clock(), **_summary_columns(packet))
            if "scam_type" in changes:
                values.update(scam_type=changes["scam_type"], scam_confidence=1.0)
            conn.execute(update(cases).where(cases.c.id == case_id).values(**values))
            self._index(conn, case_id, packet)
            self._event(conn, case_id, "corrected")
            after = {k: packet.get(k) for k in before}
            if "scam_type" in changes:
                before["scam_type"], after["scam_type"] = row.scam_type, changes["scam_type"]
            self.audit(conn, officer, "correct", case_id,
                       dumps({"before": _masked_fields(before), "after": _masked_fields(after)}),
                       names=packet_names(stored, packet))
        return self.case(case_id)

    def record_access(self, officer: str, action: str, case_id: Optional[int], detail: str = "",
                      names: Iterable[str] = ()) -> None:
        with self.engine.begin() as conn:
            self.audit(conn, officer, action, case_id, detail, names)

    def read_case(self, case_id: int, officer: str) -> Dict[str, Any]:
        """A case as an officer opens it: the read is in the audit trail."""
        case = self.case(case_id)
        self.record_access(officer, READ_CASE, case_id)
        return case

    def release_claims(self, conn: Connection, officer: str) -> List[int]:
        """The officer's open cases go back to the queue (the officer was removed). Audit is the caller's."""
        case_ids = conn.execute(select(cases.c.id).where(and_(cases.c.claimed_by == officer,
                                                              cases.c.status == "claimed"))).scalars().all()
        if case_ids:
            conn.execute(update(cases).where(cases.c.id.in_(case_ids)).values(
                status="waiting", claimed_by=None, claimed_at=None, updated_at=self.clock()))
            for case_id in case_ids:
                self._event(conn, case_id, "unclaimed")
        return list(case_ids)

    def reassign(self, case_id: int, officer: str, by: Optional[str] = None) -> Dict[str, Any]:
        """An open case to another officer (from the command line: by is None)."""
        now = self.clock()
        with self.engine.begin() as conn:
            row = conn.execute(select(cases.c.status, cases.c.claimed_by).where(cases.c.id == case_id)).first()
            if row is None:
                raise NotFound()
            if row.status == "closed":
                raise Conflict("案件已结案。")
            if not conn.execute(select(officers.c.username).where(officers.c.username == officer)).first():
                raise BadRequest(f"没有用户 {officer}。")
            conn.execute(update(cases).where(cases.c.id == case_id).values(
                status="claimed", claimed_by=officer, claimed_at=now, updated_at=now))
            self._event(conn, case_id, "reassigned")
            self.audit(conn, by, "reassign", case_id,
                       f"{row.claimed_by or '（无人认领）'} → {officer}" + ("" if by else "（命令行）"))
        return self.case(case_id)

    def promote(self, case_id: int, officer: str) -> Dict[str, Any]:
        """A registration made urgent: it joins the urgent queue (and alerts every desk)."""
        now = self.clock()
        with self.engine.begin() as conn:
            row = conn.execute(select(cases).where(cases.c.id == case_id)).first()
            if row is None:
                raise NotFound()
            if row.status == "closed":
                raise Conflict("案件已结案。")
            if row.reason != "registration":
                raise Conflict("这不是报案登记，已在紧急队列中。")
            conn.execute(update(cases).where(cases.c.id == case_id).values(
                reason="report", promoted_at=now, updated_at=now))
            self._event(conn, case_id, "promoted")
            self.audit(conn, officer, "promote", case_id, "报案登记转为紧急警情")
        return self.case(case_id)

    # --- stop-payment requests -----------------------------------------------------------------
    def record_stop(self, case_id: int, officer: str, account: Any, action: Any,
                    frozen_amount: Any = None) -> Dict[str, Any]:
        """What the officer did at a bank for one receiving account of the case: requested a stop (48 h),
        renewed it (once), had it frozen, or lifted it."""
        if not isinstance(action, str) or action not in STOP_ACTIONS:
            raise field_error("action", "应为 " + "、".join(f"{k}（{v}）" for k, v in STOP_ACTIONS.items()))
        if not isinstance(account, str) or not account_key(account) or len(account) > 200:
            raise field_error("account", "应为案件中的收款账号")
        frozen = amount(frozen_amount, "frozen_amount", allow_unknown=False)
        now = self.clock()
        with self.engine.begin() as conn:
            row = conn.execute(select(cases).where(cases.c.id == case_id)).first()
            if row is None:
                raise NotFound()
            if row.claimed_by != officer:
                raise Forbidden(f"案件由 {row.claimed_by} 处理中。" if row.claimed_by else "请先认领案件。")
            packet = self._packet(row)
            key = account_key(account)
            if key not in {account_key(t.get("to_account")) for t in packet.get("transfers") or []}:
                raise field_error("account", "不是本案的收款账号")
            digest = self.cipher.digest("account", key)
            current = conn.execute(select(stop_requests).where(and_(
                stop_requests.c.case_id == case_id, stop_requests.c.account_digest == digest))
                .order_by(stop_requests.c.id.desc())).first()
            active = current is not None and current.status == "requested" and current.expires_at > now
            if action == "requested":
                if active:
                    raise Conflict("该账户已在止付中，到期前可续止付一次。")
                if current is not None and current.status == "frozen":
                    raise Conflict("该账户已冻结。")
                conn.execute(insert(stop_requests).values(
                    case_id=case_id, account_digest=digest, account_enc=self.cipher.encrypt(account.strip()),
                    status="requested", officer=officer, requested_at=now, expires_at=now + STOP_HOURS * 3600,
                    renewals=0, updated_at=now))
            else:
                if current is None or current.status not in ("requested", "frozen"):
                    raise Conflict("该账户还没有申请止付。")
                if action == "renewed":
                    if not active:
                        raise Conflict("止付已到期或已冻结，不能续止付；请重新申请。")
                    if current.renewals >= MAX_STOP_RENEWALS:
                        raise Conflict("止付只能续一次；请尽快办理冻结。")
                    values = dict(expires_at=current.expires_at + STOP_HOURS * 3600,
                                  renewals=current.renewals + 1)
                elif action == "frozen":
                    values = dict(status="frozen", frozen_amount=frozen)
                else:
                    values = dict(status="lifted")
                conn.execute(update(stop_requests).where(stop_requests.c.id == current.id).values(
                    officer=officer, updated_at=now, **values))
            self._event(conn, case_id, "stop_" + action)
            self.audit(conn, officer, "stop_" + action, case_id,
                       f"收款账号 {account.strip()}：{STOP_ACTIONS[action]}"
                       + (f"，冻结 {frozen:.2f} 元" if action == "frozen" and frozen is not None else ""),
                       names=packet_names(packet))
        return self.case(case_id)

    def _stop_json(self, row: Any, now: float) -> Dict[str, Any]:
        active = row.status == "requested"
        account = self.cipher.decrypt(row.account_enc)
        return {
            "id": row.id, "case_id": row.case_id, "account": account, "key": account_key(account),
            "status": row.status, "status_label": STOP_STATUSES.get(row.status, row.status),
            "officer": row.officer, "requested_at": iso(row.requested_at),
            "expires_at": iso(row.expires_at) if active else None, "renewals": row.renewals,
            "can_renew": active and row.expires_at > now and row.renewals < MAX_STOP_RENEWALS,
            "expired": active and row.expires_at <= now,
            "expiring_soon": active and now < row.expires_at <= now + STOP_NOTICE_HOURS * 3600,
            "frozen_amount": finite_or_none(row.frozen_amount),
        }

    def _stops(self, conn: Connection, case_ids: List[int], now: float) -> Dict[int, List[Dict[str, Any]]]:
        """The latest request per account of each case."""
        if not case_ids:
            return {}
        rows = conn.execute(select(stop_requests).where(stop_requests.c.case_id.in_(case_ids))
                            .order_by(stop_requests.c.id)).all()
        latest: Dict[tuple, Any] = {}
        for row in rows:
            latest[(row.case_id, row.account_digest)] = row
        found: Dict[int, List[Dict[str, Any]]] = {case_id: [] for case_id in case_ids}
        for (case_id, _), row in latest.items():
            found[case_id].append(self._stop_json(row, now))
        return found

    def open_stops(self) -> List[Dict[str, Any]]:
        """Every stop still running (or run out without a freeze), the soonest to expire first."""
        now = self.clock()
        with self.reading() as conn:
            case_ids = conn.execute(select(stop_requests.c.case_id).distinct()
                                    .where(stop_requests.c.status == "requested")).scalars().all()
            stops = self._stops(conn, list(case_ids), now)
        found = [stop for per_case in stops.values() for stop in per_case if stop["status"] == "requested"]
        return sorted(found, key=lambda stop: stop["expires_at"])

    # --- linked cases and search ---------------------------------------------------------------
    def _links(self, conn: Connection, case_id: int, packet: Dict[str, Any]) -> List[Dict[str, Any]]:
        """Each identifier of the case and the other cases that reported it."""
        identifiers = {self.cipher.digest(kind, value): (kind, value) for kind, value in _identifiers(packet)}
        others: Dict[str, List[int]] = {digest: [] for digest in identifiers}
        if identifiers:
            for digest, other_id in conn.execute(
                    select(case_identifiers.c.digest, case_identifiers.c.case_id).distinct().where(and_(
                        case_identifiers.c.digest.in_(list(identifiers)), case_identifiers.c.case_id != case_id))):
                others[digest].append(other_id)
        return [{"kind": kind, "value": value, "case_ids": sorted(others[digest])}
                for digest, (kind, value) in sorted(identifiers.items(), key=lambda item: item[1])]

    def search(self, query: Any, officer: str) -> List[Dict[str, Any]]:
        """Cases that reported this account, phone or contact (matched by keyed digest: numbers are never
        stored in clear). The search is in the audit trail, numbers masked."""
        if not isinstance(query, str) or len(query.strip()) < MIN_SEARCH_CHARS:
            raise field_error("q", f"应至少 {MIN_SEARCH_CHARS} 个字符（账号、电话或联系方式）")
        if len(query) > 200:
            raise field_error("q", "太长（不超过 200 字）")
        wanted = {self.cipher.digest(kind, value): kind for kind, value in search_identifiers(query)}
        now = self.clock()
        with self.reading() as conn:
            matched: Dict[int, set] = {}
            for case_id, digest in conn.execute(select(case_identifiers.c.case_id, case_identifiers.c.digest)
                                                .where(case_identifiers.c.digest.in_(list(wanted)))):
                matched.setdefault(case_id, set()).add(wanted[digest])
            rows = conn.execute(select(cases).where(cases.c.id.in_(list(matched)))
                                .order_by(cases.c.id.desc()).limit(100)).all()
            linked = self._linked(conn, [r.id for r in rows])
        self.record_access(officer, SEARCH_CASES, None, f"查询 {query.strip()}：{len(rows)} 案")
        found = []
        for row in rows:
            case = self._as_json(row, linked.get(row.id, []), now)
            case["matched"] = sorted(matched[row.id])
            found.append(case)
        return found

    # --- the shift dashboard -------------------------------------------------------------------
    def shift_rows(self, since: float) -> List[Dict[str, Any]]:
        """The summary columns (nothing encrypted) of cases handed over, claimed or closed since then."""
        with self.reading() as conn:
            rows = conn.execute(select(
                cases.c.id, cases.c.channel, cases.c.status, cases.c.reason, cases.c.scam_type,
                cases.c.total_amount, cases.c.handoff_at, cases.c.claimed_at, cases.c.closed_at, cases.c.outcome,
                cases.c.frozen_amount, cases.c.created_at).where(
                (cases.c.handoff_at >= since) | (cases.c.claimed_at >= since) | (cases.c.closed_at >= since)
                | (cases.c.created_at >= since))).all()
            frozen = conn.execute(select(stop_requests.c.case_id, stop_requests.c.frozen_amount).where(and_(
                stop_requests.c.status == "frozen", stop_requests.c.updated_at >= since))).all()
        by_case: Dict[int, float] = {}
        for case_id, value in frozen:
            by_case[case_id] = by_case.get(case_id, 0.0) + (finite_or_none(value) or 0.0)
        return [{**row._asdict(), "total_amount": finite_or_none(row.total_amount) or 0.0,
                 "frozen_amount": finite_or_none(row.frozen_amount),
                 "stops_frozen_amount": by_case.get(row.id, 0.0)} for row in rows]

    # --- the delivery outbox -----------------------------------------------------------------
    def due_deliveries(self, limit: int = 50, lease_s: float = 0.0) -> List[Dict[str, Any]]:
        """Each conversation's oldest undelivered item if it is due (later ones wait: order per conversation
        is kept), oldest first. lease_s: the items are this caller's for that long (another desk instance
        polling the same outbox skips them); delivered() or delivery_failed() ends the lease."""
        now = self.clock()
        firsts = (select(func.min(outbox.c.id)).where(outbox.c.delivered_at.is_(None))
                  .group_by(outbox.c.conversation_id))
        with self.engine.begin() as conn:
            rows = conn.execute(select(outbox, cases.c.channel).join(cases, cases.c.id == outbox.c.case_id)
                                .where(outbox.c.id.in_(firsts), outbox.c.next_attempt_at <= now,
                                       or_(outbox.c.leased_until.is_(None), outbox.c.leased_until <= now))
                                .order_by(outbox.c.id).limit(limit)).all()
            if lease_s:
                rows = [row for row in rows if conn.execute(
                    update(outbox).where(outbox.c.id == row.id, or_(outbox.c.leased_until.is_(None),
                                                                    outbox.c.leased_until <= now))
                    .values(leased_until=now + lease_s)).rowcount == 1]
            texts = {}
            ids = [r.message_id for r in rows if r.message_id]
            if ids:
                texts = {m.id: self.cipher.decrypt(m.text_enc) for m in conn.execute(
                    select(case_messages.c.id, case_messages.c.text_enc).where(case_messages.c.id.in_(ids)))}
        return [{"id": row.id, "case_id": row.case_id, "conversation_id": row.conversation_id,
                 "channel": row.channel, "kind": row.kind, "message_id": row.message_id,
                 "attempts": row.attempts, "sent_at": row.sent_at, "text": texts.get(row.message_id)} for row in rows]

    def lease_direct_send(self, outbox_id: int, lease_s: float) -> bool:
        """Whether this caller may put the item on the citizen's channel now: not sent yet, no other
        desk instance working on it (the lease is the caller's until sent_directly() or released), and no
        earlier "officer joined" notice being sent that is not on the channel yet (the officer's words
        would come before it)."""
        now = self.clock()
        notice = aliased(outbox)
        notice_on_its_way = exists().where(
            notice.c.conversation_id == outbox.c.conversation_id, notice.c.id < outbox.c.id,
            notice.c.kind == "joined", notice.c.delivered_at.is_(None), notice.c.sent_at.is_(None),
            notice.c.leased_until > now)
        with self.engine.begin() as conn:
            return conn.execute(update(outbox).where(
                outbox.c.id == outbox_id, outbox.c.sent_at.is_(None), outbox.c.delivered_at.is_(None),
                or_(outbox.c.leased_until.is_(None), outbox.c.leased_until <= now), ~notice_on_its_way)
                .values(leased_until=now + lease_s)).rowcount == 1

    def joined_notice_to_say(self, conversation_id: str) -> bool:
        """Whether the bot should say the "officer joined" notice now: taken (marked on the channel) when the desk
        has not shown it and is not sending it; False when the desk did or does (it must not reach the citizen twice)."""
        now = self.clock()
        with self.engine.begin() as conn:
            taken = conn.execute(update(outbox).where(
                outbox.c.conversation_id == conversation_id, outbox.c.kind == "joined", outbox.c.sent_at.is_(None),
                outbox.c.delivered_at.is_(None), or_(outbox.c.leased_until.is_(None), outbox.c.leased_until <= now))
                .values(sent_at=now)).rowcount
            if taken:
                return True
            return conn.execute(select(func.count()).select_from(outbox).where(
                outbox.c.conversation_id == conversation_id, outbox.c.kind == "joined",
                outbox.c.delivered_at.is_(None))).scalar() == 0

    def direct_items(self, case_id: int) -> List[int]:
        """The case's queued words for the citizen not on their channel yet, oldest first."""
        with self.reading() as conn:
            return list(conn.execute(select(outbox.c.id).where(
                outbox.c.case_id == case_id, outbox.c.kind.in_(("joined", "message")), outbox.c.sent_at.is_(None),
                outbox.c.delivered_at.is_(None)).order_by(outbox.c.id)).scalars())

    def release(self, outbox_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.id == outbox_id).values(leased_until=None))

    def outbox_item(self, outbox_id: int) -> Optional[Dict[str, Any]]:
        """What the desk queued under this id (the hand-off actions act only on what is here)."""
        with self.reading() as conn:
            row = conn.execute(select(outbox, cases.c.channel).join(cases, cases.c.id == outbox.c.case_id)
                               .where(outbox.c.id == outbox_id)).first()
            if row is None:
                return None
            text = None
            if row.message_id:
                enc = conn.execute(select(case_messages.c.text_enc)
                                   .where(case_messages.c.id == row.message_id)).scalar()
                text = self.cipher.decrypt(enc) if enc else None
        return {"id": row.id, "case_id": row.case_id, "conversation_id": row.conversation_id,
                "channel": row.channel, "kind": row.kind, "text": text, "sent_at": row.sent_at,
                "delivered_at": row.delivered_at, "created_at": row.created_at}

    def officer_wrote_since(self, outbox_id: int) -> bool:
        """Whether an officer's message queued after this item already reached the citizen's channel."""
        with self.reading() as conn:
            item = conn.execute(select(outbox.c.case_id).where(outbox.c.id == outbox_id)).first()
            return item is not None and conn.execute(select(func.count()).select_from(outbox).where(
                outbox.c.case_id == item.case_id, outbox.c.id > outbox_id, outbox.c.kind == "message",
                outbox.c.sent_at.is_not(None))).scalar() > 0

    def sent_directly(self, outbox_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.id == outbox_id).values(sent_at=self.clock()))

    def delivered(self, outbox_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.id == outbox_id).values(delivered_at=self.clock(),
                                                                               leased_until=None))

    def delivery_failed(self, outbox_id: int, error: str, retry_in_s: float) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.id == outbox_id).values(
                attempts=outbox.c.attempts + 1, last_error=error[:255], leased_until=None,
                next_attempt_at=self.clock() + retry_in_s))

    def undelivered_count(self) -> int:
        with self.reading() as conn:
            return conn.execute(select(func.count()).select_from(outbox)
                                .where(outbox.c.delivered_at.is_(None))).scalar()

    # --- the change feed ---------------------------------------------------------------------
    def events_after(self, last_id: int, limit: int = 200) -> List[Dict[str, Any]]:
        with self.reading() as conn:
            rows = conn.execute(select(case_events).where(case_events.c.id > last_id)
                                .order_by(case_events.c.id).limit(limit)).all()
        return [{"id": r.id, "case_id": r.case_id, "kind": r.kind, "at": iso(r.at)} for r in rows]

    def last_event_id(self) -> int:
        with self.reading() as conn:
            return conn.execute(select(func.max(case_events.c.id))).scalar() or 0

    # --- reading -----------------------------------------------------------------------------
    def _linked(self, conn: Connection, case_ids: List[int]) -> Dict[int, List[int]]:
        if not case_ids:
            return {}
        mine = case_identifiers.alias("mine")
        other = case_identifiers.alias("other")
        rows = conn.execute(select(mine.c.case_id, other.c.case_id).distinct()
                            .join(other, and_(mine.c.digest == other.c.digest, mine.c.case_id != other.c.case_id))
                            .where(mine.c.case_id.in_(case_ids))).all()
        linked: Dict[int, List[int]] = {case_id: [] for case_id in case_ids}
        for case_id, other_id in rows:
            linked[case_id].append(other_id)
        return {k: sorted(v) for k, v in linked.items()}

    def _as_json(self, row: Any, linked: List[int], now: float) -> Dict[str, Any]:
        packet = _readable_packet(self._packet(row))
        total_amount = finite_or_none(row.total_amount)
        return {
            "id": row.id, "conversation_id": row.conversation_id, "channel": row.channel,
            "status": row.status, "handoff_active": bool(row.handoff_active),
            "reason": row.reason, "reason_label": REASONS.get(row.reason, row.reason),
            "urgency": urgency(in_progress=bool(row.in_progress), has_transfers=bool(row.has_transfers),
                               last_transfer_at=row.last_transfer_at, total_amount=total_amount or 0.0,
                               now=now),
            "scam_type": {"name": row.scam_type, "label": SCAM_TYPES.get(row.scam_type, row.scam_type),
                          "confidence": round(finite_or_none(row.scam_confidence) or 0.0, 3)},
            "in_progress": bool(row.in_progress),
            **packet,
            "total_amount": total_amount,
            "last_transfer_at": iso(row.last_transfer_at),
            "linked_case_ids": linked,
            "created_at": iso(row.created_at), "handoff_at": iso(row.handoff_at),
            "claimed_by": row.claimed_by, "claimed_at": iso(row.claimed_at), "closed_at": iso(row.closed_at),
            "promoted_at": iso(row.promoted_at),
            "outcome": None if row.outcome is None else {
                "result": row.outcome, "label": OUTCOMES.get(row.outcome, row.outcome),
                "frozen_amount": finite_or_none(row.frozen_amount)},
        }

    def list_cases(self, status: Optional[str] = None) -> List[Dict[str, Any]]:
        if status is not None and status not in STATUSES:
            raise BadRequest("status 只能是 waiting、claimed 或 closed。")
        query = select(cases)
        query = query.where(cases.c.status == status) if status else query
        now = self.clock()
        with self.reading() as conn:
            rows = conn.execute(query.order_by(cases.c.id.desc()).limit(500)).all()
            linked = self._linked(conn, [r.id for r in rows])
            stops = self._stops(conn, [r.id for r in rows], now)
        found = [self._as_json(row, linked.get(row.id, []), now) for row in rows]
        for case in found:
            running = [s for s in stops.get(case["id"], []) if s["status"] == "requested"]
            case["next_stop_expiry"] = min((s["expires_at"] for s in running), default=None)
            case["stop_alert"] = "expired" if any(s["expired"] for s in running) else \
                "soon" if any(s["expiring_soon"] for s in running) else None
        # Open cases by urgency, most urgent first; closed ones most recent first.
        # Registrations (not urgent, nobody waiting on the line) come after every urgent case.
        found.sort(key=lambda c: (c["status"] == "closed", is_registration(c),
                                  -c["urgency"]["score"] if c["status"] != "closed" else 0,
                                  c["handoff_at"] if c["status"] != "closed" else ""))
        return found

    def officer_of(self, case_id: int) -> Optional[str]:
        """Who has claimed this open case (None: nobody yet, closed, or no such case)."""
        with self.reading() as conn:
            row = conn.execute(select(cases.c.claimed_by, cases.c.status).where(cases.c.id == case_id)).first()
        return row.claimed_by if row is not None and row.status != "closed" else None

    def case(self, case_id: int) -> Dict[str, Any]:
        with self.reading() as conn:
            row = conn.execute(select(cases).where(cases.c.id == case_id)).first()
            if row is None:
                raise NotFound()
            now = self.clock()
            linked = self._linked(conn, [case_id])[case_id]
            links = self._links(conn, case_id, self._packet(row))
            stops = self._stops(conn, [case_id], now)[case_id]
            messages = conn.execute(select(case_messages).where(case_messages.c.case_id == case_id)
                                    .order_by(case_messages.c.at, case_messages.c.id)).all()
        result = self._as_json(row, linked, now)
        result["links"] = links
        result["stops"] = stops
        result["accounts"] = [{"number": number, "key": key, "transfers": indexes,
                               "account": result["transfers"][indexes[0]]["to_account"] if key else None}
                              for number, (key, indexes) in enumerate(receiving_accounts(result["transfers"]), 1)]
        result["transcript"] = [
            {"id": m.id, "from": m.sender, "text": self.cipher.decrypt(m.text_enc), "at": iso(m.at),
             **({"officer": m.officer} if m.officer else {})} for m in messages]
        return result

    def case_for_conversation(self, conversation_id: str) -> Optional[Dict[str, Any]]:
        with self.reading() as conn:
            case_id = conn.execute(select(cases.c.id).where(cases.c.conversation_id == conversation_id)
                                   .order_by(cases.c.id.desc())).scalar()
        return None if case_id is None else self.case(case_id)

    def audit_entries(self, case_id: Optional[int] = None, reads: bool = True) -> List[Dict[str, Any]]:
        """The audit trail (of one case); reads=False leaves out the many reads of a case."""
        query = select(audit_log).order_by(audit_log.c.id)
        if case_id is not None:
            query = query.where(audit_log.c.case_id == case_id)
        if not reads:
            query = query.where(audit_log.c.action.not_in(READS))
        with self.reading() as conn:
            rows = conn.execute(query).all()
        return [{"id": r.id, "at": iso(r.at), "officer": r.officer, "action": r.action,
                 "case_id": r.case_id, "detail": r.detail} for r in rows]

    def verify_audit(self) -> AuditCheck:
        """Walks the hash chain from the first row: the first row that was changed, deleted (its
        successor no longer fits), inserted or reordered is named."""
        checked = unchained = 0
        expected_prev = CHAIN_START
        with self.reading() as conn:
            for row in conn.execute(select(audit_log).order_by(audit_log.c.id)):
                if row.row_hash is None:
                    if checked:
                        return AuditCheck(checked, unchained, expected_prev, row.id, "没有校验值")
                    unchained += 1
                    continue
                if row.prev_hash != expected_prev:
                    return AuditCheck(checked, unchained, expected_prev, row.id,
                                      "与前一条记录接不上：前面的记录被删除、插入或改动过")
                content = audit_content(row.prev_hash, row.at, row.officer, row.action, row.case_id, row.detail)
                if row.row_hash != self.cipher.audit_digest(content):
                    return AuditCheck(checked, unchained, expected_prev, row.id, "内容与校验值不符：这条记录被改动过")
                checked += 1
                expected_prev = row.row_hash
        return AuditCheck(checked, unchained, expected_prev if checked else None)
