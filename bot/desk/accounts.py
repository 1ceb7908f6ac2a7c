"""Officer accounts: scrypt password hashes, login back-off (throttle.py), trusted browsers, API tokens that
expire, browser sessions, and what an administrator does from the command line."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import and_, delete, func, insert, select, update

from bot.desk.errors import BadRequest, Conflict, Unauthorized
from bot.desk.masking import mask_name
from bot.desk.models import api_tokens, officers, sessions, trusted_devices
from bot.desk.store import CaseStore
from bot.desk.throttle import KIND_LABELS, Bucket, LoginThrottle, account_bucket, address_bucket

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,30}$")  # 13912345678, 021-12345678, +86 139 1234 5678
MIN_PASSWORD_CHARS = 10
# scrypt cost: ~50 ms and 16 MiB per check on these machines (RFC 7914 interactive-login range).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
TOKEN_PREFIX = "dsk_"
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650
LEGACY_TOKEN_DAYS = DEFAULT_TOKEN_DAYS  # tokens issued before expiry existed count from their creation
TRUSTED_DEVICE_DAYS = 30
WRONG_LOGIN = "用户名或密码错误。"


def _phone(phone: Optional[str]) -> str:
    phone = (phone or "").strip()
    if not PHONE.match(phone) or sum(ch.isdigit() for ch in phone) < 5:
        raise BadRequest("电话应为数字，可带区号和连字符，例如 13912345678 或 021-12345678。")
    return phone


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    encode = lambda raw: base64.b64encode(raw).decode("ascii")  # noqa: E731
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt)}${encode(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt),
                                n=int(n), r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


_DUMMY_HASH = None


def _dummy_hash() -> str:
    """What an unknown user's password is checked against: the same scrypt cost as a real check."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(8))
    return _DUMMY_HASH


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Session:
    username: str
    csrf_token: str


@dataclass(frozen=True)
class Login:
    username: str
    device_token: str  # the browser's new trusted-device cookie


class Accounts:
    def __init__(self, store: CaseStore, lockout_attempts: int = 5, lockout_minutes: float = 15.0,
                 session_hours: float = 12.0) -> None:
        self.store = store
        self.throttle = LoginThrottle(lockout_attempts, lockout_minutes * 60)
        self.session_s = session_hours * 3600

    @property
    def _engine(self):
        return self.store.engine

    def _require(self, conn, username: str) -> None:
        if not conn.execute(select(officers.c.username).where(officers.c.username == username)).first():
            raise BadRequest(f"没有用户 {username}。")

    def add_officer(self, username: str, password: str, phone: Optional[str] = None) -> None:
        if not USERNAME.match(username or ""):
            raise BadRequest("用户名只能包含字母、数字、点、下划线和连字符（2–64位）。")
        if len(password or "") < MIN_PASSWORD_CHARS:
            raise BadRequest(f"密码至少{MIN_PASSWORD_CHARS}位。")
        phone = _phone(phone) if phone else None
        with self._engine.begin() as conn:
            if conn.execute(select(officers.c.username).where(officers.c.username == username)).first():
                raise Conflict(f"用户 {username} 已存在。")
            conn.execute(insert(officers).values(username=username, password_hash=hash_password(password),
                                                 failed_attempts=0, created_at=self.store.clock(), phone=phone))
            self.store.audit(conn, None, "add_officer", None, username + ("；已登记电话" if phone else ""))

    def set_phone(self, username: str, phone: str) -> None:
        """The officer's phone, printed on stop-payment requests (the bank calls back)."""
        phone = _phone(phone)
        with self._engine.begin() as conn:
            self._require(conn, username)
            conn.execute(update(officers).where(officers.c.username == username).values(phone=phone))
            self.store.audit(conn, None, "set_phone", None, f"{username}：{phone}（命令行）")

    def phone(self, username: str) -> Optional[str]:
        with self.store.reading() as conn:
            return conn.execute(select(officers.c.phone).where(officers.c.username == username)).scalar()

    # --- logging in ------------------------------------------------------------------------------
    def _trusted_device(self, device_token: Optional[str], username: str, now: float) -> Optional[str]:
        if not device_token:
            return None
        digest = _sha256(device_token)
        with self.store.reading() as conn:
            found = conn.execute(select(trusted_devices.c.device_hash).where(and_(
                trusted_devices.c.device_hash == digest, trusted_devices.c.username == username,
                trusted_devices.c.expires_at > now))).first()
        return digest if found else None

    def authenticate(self, username: str, password: str, address: str = "unknown",
                     device_token: Optional[str] = None) -> Login:
        """The officer if the password is right. Unknown users and wrong passwords get the same answer
        after the same work; too many misses get Throttled (see throttle.py) without a password check."""
        now = self.store.clock()
        device = self._trusted_device(device_token, username, now)
        buckets = [Bucket("device", device)] if device else [address_bucket(address), account_bucket(username)]
        with self._engine.begin() as conn:
            started = self.throttle.count_attempt(conn, buckets, now)
        with self.store.reading() as conn:
            row = conn.execute(select(officers.c.username, officers.c.password_hash)
                               .where(officers.c.username == username)).first()
        right = verify_password(password, row.password_hash if row else _dummy_hash()) and row is not None
        where = f"来自 {address}" + ("（已信任的浏览器）" if device else "")
        if not right:
            with self._engine.begin() as conn:
                for bucket, backoff_s in started.items():
                    if backoff_s:
                        self.store.audit(conn, row.username if row else None, "login_backoff", None,
                                         f"{KIND_LABELS[bucket.kind]}暂停 {backoff_s:.0f} 秒；{where}")
                self.store.audit(conn, row.username if row else None, "login_failed", None,
                                 where if row else f"{where}；未知用户名 {mask_name(username[:64])}")
            raise Unauthorized(WRONG_LOGIN)
        new_device = secrets.token_urlsafe(32)
        with self._engine.begin() as conn:
            self.throttle.give_back(conn, started)
            self.throttle.forget_quiet(conn, now)
            conn.execute(delete(trusted_devices).where(trusted_devices.c.expires_at < now))
            if device:
                conn.execute(delete(trusted_devices).where(trusted_devices.c.device_hash == device))
            conn.execute(insert(trusted_devices).values(device_hash=_sha256(new_device), username=row.username,
                                                        expires_at=now + TRUSTED_DEVICE_DAYS * 86400))
            self.store.audit(conn, row.username, "login", None, where)
        return Login(row.username, new_device)

    def unlock(self, username: str, address: Optional[str] = None) -> int:
        """Ends the account's back-off (and its trusted browsers', and an address's if given)."""
        with self._engine.begin() as conn:
            self._require(conn, username)
            devices = conn.execute(select(trusted_devices.c.device_hash)
                                   .where(trusted_devices.c.username == username)).scalars().all()
            buckets = [account_bucket(username)] + [Bucket("device", d) for d in devices]
            if address:
                buckets.append(address_bucket(address))
            cleared = self.throttle.clear(conn, buckets)
            self.store.audit(conn, None, "unlock", None,
                             f"{username}" + (f"；地址 {address}" if address else "") + "（命令行）")
        return cleared

    # --- API tokens ------------------------------------------------------------------------------
    def issue_token(self, username: str, days: float = DEFAULT_TOKEN_DAYS) -> str:
        if not (isinstance(days, (int, float)) and 0 < days <= MAX_TOKEN_DAYS):
            raise BadRequest(f"有效期应为 1 到 {MAX_TOKEN_DAYS} 天。")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self.store.clock()
        with self._engine.begin() as conn:
            self._require(conn, username)
            conn.execute(insert(api_tokens).values(token_hash=_sha256(token), username=username,
                                                   created_at=now, expires_at=now + days * 86400))
            self.store.audit(conn, username, "issue_token", None, f"{token[:8]}…，有效期 {days:g} 天")
        return token

    def officer_for_token(self, token: str) -> Optional[str]:
        """The officer of an unexpired token (one issued before expiry existed counts from its creation)."""
        expires_at = func.coalesce(api_tokens.c.expires_at, api_tokens.c.created_at + LEGACY_TOKEN_DAYS * 86400)
        with self.store.reading() as conn:
            return conn.execute(select(officers.c.username).select_from(
                api_tokens.join(officers, officers.c.username == api_tokens.c.username)).where(and_(
                    api_tokens.c.token_hash == _sha256(token), expires_at > self.store.clock()))).scalar()

    def revoke_tokens(self, username: str) -> int:
        with self._engine.begin() as conn:
            self._require(conn, username)
            revoked = conn.execute(delete(api_tokens).where(api_tokens.c.username == username)).rowcount
            self.store.audit(conn, None, "revoke_tokens", None, f"{username}：撤销 {revoked} 个令牌（命令行）")
        return revoked

    # --- sessions --------------------------------------------------------------------------------
    def start_session(self, username: str) -> tuple:
        """(session id for the cookie, CSRF token for the page)."""
        session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.store.clock()
        with self._engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.expires_at < now))
            conn.execute(insert(sessions).values(session_hash=_sha256(session_id), username=username,
                                                 csrf_token=csrf, expires_at=now + self.session_s))
        return session_id, csrf

    def session(self, session_id: str) -> Optional[Session]:
        with self.store.reading() as conn:
            row = conn.execute(select(sessions).where(sessions.c.session_hash == _sha256(session_id))).first()
        if row is None or row.expires_at < self.store.clock():
            return None
        return Session(row.username, row.csrf_token)

    def end_session(self, session_id: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.session_hash == _sha256(session_id)))

    # --- removing an officer ---------------------------------------------------------------------
    def remove_officer(self, username: str) -> list:
        """Sessions, tokens and trusted browsers end at once; cases the officer holds go back to the
        queue. Returns those cases' ids."""
        with self._engine.begin() as conn:
            self._require(conn, username)
            devices = conn.execute(select(trusted_devices.c.device_hash)
                                   .where(trusted_devices.c.username == username)).scalars().all()
            self.throttle.clear(conn, [account_bucket(username)] + [Bucket("device", d) for d in devices])
            for table in (sessions, api_tokens, trusted_devices):
                conn.execute(delete(table).where(table.c.username == username))
            conn.execute(delete(officers).where(officers.c.username == username))
            released = self.store.release_claims(conn, username)
            # audit rows last: on PostgreSQL the chain's lock is then held only at the very end
            for case_id in released:
                self.store.audit(conn, None, "unclaim", case_id, f"民警 {username} 已被移除，案件退回待认领（命令行）")
            self.store.audit(conn, None, "remove_officer", None,
                             f"{username}；退回待认领的案件：{'、'.join(f'#{i}' for i in released) or '无'}（命令行）")
        return released
