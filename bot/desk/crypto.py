"""Card and ID numbers at rest: Fernet encryption, keyed digests to link cases without decrypting, and the
audit trail's keyed hash chain."""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import shutil
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.desk.errors import ConfigError
from bot.settings import LEGACY_CASE_KEY_FILE, Settings

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
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
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


def _beside_the_data(path: Path, settings: Settings) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(directory) for directory in settings.data_directories())


def _key_file(path: Path) -> str:
    if not path.is_file():
        raise ConfigError(f"找不到密钥文件 {path}（CASE_KEY_FILE）")
    if path.stat().st_mode & 0o077:
        raise ConfigError(f"密钥文件 {path} 只能由服务账号读取（chmod 600）")
    return path.read_text(encoding="ascii").strip()


def _move_legacy_key(settings: Settings) -> None:
    """Older versions kept the development key in var/: it moves out, once."""
    if settings.case_key_file_set or settings.case_key_file.exists() or not LEGACY_CASE_KEY_FILE.exists():
        return
    settings.case_key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.copy2(LEGACY_CASE_KEY_FILE, settings.case_key_file)
    os.chmod(settings.case_key_file, 0o600)
    LEGACY_CASE_KEY_FILE.unlink()
    logger.warning("development case-store key moved from %s to %s (out of the data directory)",
                   LEGACY_CASE_KEY_FILE, settings.case_key_file)


def load_cipher(settings: Settings) -> CaseCipher:
    """CASE_STORE_KEY, or a key file outside the data: CASE_KEY_FILE (a secrets file) in production, a
    development key made once under ~/.config otherwise. A key stored beside the data is refused."""
    if settings.case_store_key:
        return CaseCipher(settings.case_store_key)
    if _beside_the_data(settings.case_key_file, settings):
        raise ConfigError(f"密钥文件 {settings.case_key_file} 与数据放在同一目录，备份或拷走数据就等于交出密钥；"
                          "请放到数据目录以外（CASE_KEY_FILE），或用 CASE_STORE_KEY 传入。")
    if settings.production:
        if not settings.case_key_file_set:
            raise ConfigError("HOTLINE_ENV=production 时必须设置 CASE_STORE_KEY 或 CASE_KEY_FILE（案件库加密密钥）；"
                              "可用 `python -m bot.desk generate-key` 生成。")
        return CaseCipher(_key_file(settings.case_key_file))
    _move_legacy_key(settings)
    return CaseCipher(_dev_key(settings.case_key_file))
