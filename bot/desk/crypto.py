"""Card and ID numbers at rest: Fernet encryption, keyed digests to link cases without decrypting, and the
audit trail's keyed hash chain."""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.desk.errors import ConfigError
from bot.settings import Settings

logger = logging.getLogger(__name__)


class CaseCipher:
    def __init__(self, key: str) -> None:
        try:
            self._fernet = Fernet(key.encode("ascii") if isinstance(key, str) else key)
        except (ValueError, TypeError) as error:
            raise ConfigError("CASE_STORE_KEY 不是有效的 Fernet 密钥（32字节 urlsafe-base64）") from error
        raw = base64.urlsafe_b64decode(key)
        self._index_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                               info=b"hotline case identifiers").derive(raw)
        self._audit_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                               info=b"hotline audit chain").derive(raw)

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as error:
            raise ConfigError("案件库无法解密：CASE_STORE_KEY 与写入时的密钥不一致") from error

    def digest(self, kind: str, value: str) -> str:
        """Equal identifiers give equal digests; the digest reveals nothing without the key."""
        return hmac.new(self._index_key, f"{kind}:{value}".encode("utf-8"), hashlib.sha256).hexdigest()

    def audit_digest(self, content: str) -> str:
        """An audit row's link in the hash chain: keyed, so rewriting the chain needs the key too."""
        return hmac.new(self._audit_key, content.encode("utf-8"), hashlib.sha256).hexdigest()


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _dev_key(path: Path) -> str:
    """The development key file, created once (atomically, so processes starting together agree)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
        try:
            os.write(fd, generate_key().encode("ascii"))
            os.close(fd)
            os.chmod(temp, 0o600)
            try:
                os.link(temp, path)  # fails if another process won the race: use theirs
                logger.warning("development case-store key created at %s; set CASE_STORE_KEY in production", path)
            except FileExistsError:
                pass
        finally:
            os.unlink(temp)
    return path.read_text(encoding="ascii").strip()


def load_cipher(settings: Settings) -> CaseCipher:
    if settings.case_store_key:
        return CaseCipher(settings.case_store_key)
    if settings.production:
        raise ConfigError("HOTLINE_ENV=production 时必须设置 CASE_STORE_KEY（案件库加密密钥）；"
                          "可用 `python -m bot.desk generate-key` 生成。")
    return CaseCipher(_dev_key(settings.case_key_file))
