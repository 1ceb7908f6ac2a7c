"""Login back-off, kept in the case store so every desk process (SQLite or PostgreSQL) shares it.

An attempt is counted *before* its password is checked, by one atomic upsert per bucket that refuses
while the bucket is backing off: parallel guesses cannot all slip under the limit. A right password
gives the attempt back. Buckets:

- address: after DESK_LOCKOUT_ATTEMPTS misses the address waits DESK_LOCKOUT_MINUTES, doubling with each
  further miss — this is what stops a single attacker;
- account (known or not, so the answer never tells which accounts exist): from the same count on it only
  slows down, 2 s doubling up to DESK_LOCKOUT_MINUTES, so strangers cannot keep an officer out for long;
- device: a browser the officer logged in from before is counted on its own instead of the two above,
  so an officer's own browser gets in whatever strangers do (like an address, it backs off after misses).

A bucket quiet for DESK_LOCKOUT_MINUTES after its back-off ended starts again from zero.
"""
from __future__ import annotations

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from typing import Dict, Iterable, Sequence

from sqlalchemy import delete, select, text, update
from sqlalchemy.engine import Connection

from bot.desk.errors import Throttled
from bot.desk.models import login_throttle

KIND_LABELS = {"address": "来自该地址的登录", "account": "该账号的登录", "device": "该浏览器的登录"}
ACCOUNT_FIRST_DELAY_S = 2.0
MAX_BACKOFF_S = 24 * 3600.0

# One statement: count the attempt unless the bucket is backing off (then no row comes back).
_COUNT_ATTEMPT = text(
    "INSERT INTO login_throttle (bucket, misses, last_attempt_at, blocked_until) VALUES (:bucket, 1, :now, NULL) "
    "ON CONFLICT (bucket) DO UPDATE SET "
    "misses = CASE WHEN COALESCE(login_throttle.blocked_until, login_throttle.last_attempt_at) < :forget_before "
    "THEN 1 ELSE login_throttle.misses + 1 END, last_attempt_at = :now, blocked_until = NULL "
    "WHERE login_throttle.blocked_until IS NULL OR login_throttle.blocked_until <= :now "
    "RETURNING misses")


@dataclass(frozen=True)
class Bucket:
    kind: str  # address | account | device
    value: str

    @property
    def key(self) -> str:
        """Hashed: neither addresses nor typed user names (sometimes a password) are stored."""
        return hashlib.sha256(f"{self.kind}:{self.value}".encode("utf-8")).hexdigest()


def address_bucket(address: str) -> Bucket:
    """IPv6 clients usually hold a whole /64: it counts as one address."""
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return Bucket("address", address or "unknown")
    if ip.version == 6:
        if ip.ipv4_mapped:
            return Bucket("address", str(ip.ipv4_mapped))
        return Bucket("address", str(ipaddress.ip_network(f"{ip}/64", strict=False)))
    return Bucket("address", str(ip))


def account_bucket(username: str) -> Bucket:
    return Bucket("account", username.strip().lower())


class LoginThrottle:
    def __init__(self, attempts: int, lockout_s: float) -> None:
        self.attempts = attempts
        self.lockout_s = lockout_s

    def backoff_s(self, kind: str, misses: int) -> float:
        over = min(misses - self.attempts, 40)
        if over < 0:
            return 0.0
        if kind == "account":
            return min(self.lockout_s, ACCOUNT_FIRST_DELAY_S * 2 ** over)
        return min(MAX_BACKOFF_S, self.lockout_s * 2 ** over)

    def count_attempt(self, conn: Connection, buckets: Sequence[Bucket], now: float) -> Dict[Bucket, float]:
        """Counts one attempt in every bucket; raises Throttled (count nothing: roll back) if one is
        backing off. Returns the back-off each bucket now started (0: none)."""
        started, wait_s = {}, 0.0
        for bucket in sorted(buckets, key=lambda b: b.key):  # one lock order for every login
            misses = conn.execute(_COUNT_ATTEMPT, {"bucket": bucket.key, "now": now,
                                                   "forget_before": now - self.lockout_s}).scalar()
            if misses is None:
                until = conn.execute(select(login_throttle.c.blocked_until)
                                     .where(login_throttle.c.bucket == bucket.key)).scalar()
                wait_s = max(wait_s, (until or now) - now, 1.0)
                continue
            started[bucket] = self.backoff_s(bucket.kind, misses)
            if started[bucket]:
                conn.execute(update(login_throttle).where(login_throttle.c.bucket == bucket.key)
                             .values(blocked_until=now + started[bucket]))
        if wait_s:
            raise Throttled(math.ceil(wait_s))  # the caller's transaction rolls back: nothing counted
        return started

    def give_back(self, conn: Connection, started: Dict[Bucket, float]) -> None:
        """The password was right: the account and the device start afresh; the address gets this
        attempt back (its earlier misses stay) and loses the back-off this attempt started."""
        for bucket, backoff in started.items():
            where = login_throttle.c.bucket == bucket.key
            if bucket.kind == "address":
                values = {"misses": login_throttle.c.misses - 1}
                if backoff:
                    values["blocked_until"] = None
                conn.execute(update(login_throttle).where(where & (login_throttle.c.misses > 0)).values(**values))
            else:
                conn.execute(delete(login_throttle).where(where))

    def clear(self, conn: Connection, buckets: Iterable[Bucket]) -> int:
        keys = [b.key for b in buckets]
        return conn.execute(delete(login_throttle).where(login_throttle.c.bucket.in_(keys))).rowcount if keys else 0

    def forget_quiet(self, conn: Connection, now: float) -> None:
        """Buckets that would start from zero anyway."""
        conn.execute(delete(login_throttle).where(
            (login_throttle.c.last_attempt_at < now - self.lockout_s)
            & ((login_throttle.c.blocked_until.is_(None)) | (login_throttle.c.blocked_until < now - self.lockout_s))))
