"""Officer accounts: scrypt password hashes, lockout after wrong passwords, API tokens, browser sessions."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import delete, insert, select, update

from bot.desk.errors import BadRequest, Conflict, Locked, Unauthorized
from bot.desk.models import api_tokens, officers, sessions
from bot.desk.store import CaseStore

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
MIN_PASSWORD_CHARS = 10
# scrypt cost: ~50 ms and 16 MiB per check on these machines (RFC 7914 interactive-login range).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
TOKEN_PREFIX = "dsk_"


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


class Accounts:
    def __init__(self, store: CaseStore, lockout_attempts: int = 5, lockout_minutes: float = 15.0,
                 session_hours: float = 12.0) -> None:
        self.store = store
        self.lockout_attempts = lockout_attempts
        self.lockout_s = lockout_minutes * 60
        self.session_s = session_hours * 3600

    @property
    def _engine(self):
        return self.store.engine

    def add_officer(self, username: str, password: str) -> None:
        if not USERNAME.match(username or ""):
            raise BadRequest("用户名只能包含字母、数字、点、下划线和连字符（2–64位）。")
        if len(password or "") < MIN_PASSWORD_CHARS:
            raise BadRequest(f"密码至少{MIN_PASSWORD_CHARS}位。")
        with self._engine.begin() as conn:
            if conn.execute(select(officers.c.username).where(officers.c.username == username)).first():
                raise Conflict(f"用户 {username} 已存在。")
            conn.execute(insert(officers).values(username=username, password_hash=hash_password(password),
                                                 failed_attempts=0, created_at=self.store.clock()))
            self.store.audit(conn, None, "add_officer", None, username)

    def authenticate(self, username: str, password: str) -> str:
        """The username if the password is right; counts failures and locks the account."""
        now = self.store.clock()
        with self.store.reading() as conn:
            row = conn.execute(select(officers).where(officers.c.username == username)).first()
        if row is None:
            verify_password(password, _dummy_hash())  # same cost: no user enumeration by timing
            self.store.record_access(None, "login_failed", None, f"未知用户 {username[:64]}")
            raise Unauthorized("用户名或密码错误。")
        if row.locked_until and row.locked_until > now:
            self.store.record_access(username, "login_locked", None)
            raise Locked(f"密码错误次数过多，账号已锁定，请 {int((row.locked_until - now) // 60) + 1} 分钟后再试。")
        if not verify_password(password, row.password_hash):
            with self._engine.begin() as conn:
                failures = (row.failed_attempts or 0) + 1
                locked_until = now + self.lockout_s if failures >= self.lockout_attempts else None
                conn.execute(update(officers).where(officers.c.username == username).values(
                    failed_attempts=0 if locked_until else failures, locked_until=locked_until))
                self.store.audit(conn, username, "account_locked" if locked_until else "login_failed", None,
                                 f"连续第{failures}次密码错误")
            if locked_until:
                raise Locked()
            raise Unauthorized("用户名或密码错误。")
        with self._engine.begin() as conn:
            conn.execute(update(officers).where(officers.c.username == username)
                         .values(failed_attempts=0, locked_until=None))
            self.store.audit(conn, username, "login", None)
        return username

    def issue_token(self, username: str) -> str:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._engine.begin() as conn:
            if not conn.execute(select(officers.c.username).where(officers.c.username == username)).first():
                raise BadRequest(f"没有用户 {username}。")
            conn.execute(insert(api_tokens).values(token_hash=_sha256(token), username=username,
                                                   created_at=self.store.clock()))
            self.store.audit(conn, username, "issue_token", None, token[:8] + "…")
        return token

    def officer_for_token(self, token: str) -> Optional[str]:
        with self.store.reading() as conn:
            return conn.execute(select(api_tokens.c.username)
                                .where(api_tokens.c.token_hash == _sha256(token))).scalar()

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
