"""One settings object for the services, read from the environment with safe defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TRACKER_STORE_URL = "sqlite:///var/tracker.db"
DEFAULT_CASE_STORE_URL = "sqlite:///var/cases.db"
DEFAULT_CASE_KEY_FILE = REPO_ROOT / "var" / "case-store.key"


class SettingsError(ValueError):
    pass


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        port = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a port number, got {raw!r}") from None
    if not 0 < port < 65536:
        raise SettingsError(f"{name} must be between 1 and 65535, got {port}")
    return port


def _positive(env: Mapping[str, str], name: str, default):
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = type(default)(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be positive, got {raw}")
    return value


@dataclass(frozen=True)
class Settings:
    host: str
    rasa_port: int
    actions_port: int
    web_port: int
    rasa_token: Optional[str]
    tracker_store_url: str
    model_path: Path
    case_store_url: str = DEFAULT_CASE_STORE_URL
    # Fernet key for card/ID numbers at rest; required when production is set.
    case_store_key: Optional[str] = None
    case_key_file: Path = DEFAULT_CASE_KEY_FILE
    production: bool = False
    lockout_attempts: int = 5
    lockout_minutes: float = 15.0
    session_hours: float = 12.0
    audiosocket_port: int = 9092
    voice_port: int = 8090
    vosk_model_dir: Path = REPO_ROOT / "models" / "vosk-model-small-cn-0.22"
    max_calls: int = 20
    # A transfer this recent (or of unknown time) makes a report urgent: handed to an officer at once.
    urgent_window_hours: float = 24.0

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}"

    @property
    def voice_url(self) -> str:
        return f"http://{self.host}:{self.voice_port}"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        env = os.environ if env is None else env
        return cls(
            host=env.get("BIND_HOST", "127.0.0.1"),
            rasa_port=_port(env, "RASA_PORT", 5005),
            actions_port=_port(env, "ACTIONS_PORT", 5055),
            web_port=_port(env, "WEB_PORT", 8080),
            rasa_token=env.get("RASA_TOKEN") or None,
            tracker_store_url=env.get("TRACKER_STORE_URL") or DEFAULT_TRACKER_STORE_URL,
            model_path=Path(env.get("RASA_MODEL", REPO_ROOT / "models" / "hotline.tar.gz")),
            case_store_url=env.get("CASE_STORE_URL") or DEFAULT_CASE_STORE_URL,
            case_store_key=env.get("CASE_STORE_KEY") or None,
            case_key_file=Path(env.get("CASE_KEY_FILE") or DEFAULT_CASE_KEY_FILE),
            production=env.get("HOTLINE_ENV", "").strip().lower() == "production",
            lockout_attempts=_positive(env, "DESK_LOCKOUT_ATTEMPTS", 5),
            lockout_minutes=_positive(env, "DESK_LOCKOUT_MINUTES", 15.0),
            session_hours=_positive(env, "DESK_SESSION_HOURS", 12.0),
            audiosocket_port=_port(env, "AUDIOSOCKET_PORT", 9092),
            voice_port=_port(env, "VOICE_PORT", 8090),
            vosk_model_dir=Path(env.get("VOSK_MODEL_DIR") or REPO_ROOT / "models" / "vosk-model-small-cn-0.22"),
            max_calls=_positive(env, "MAX_CALLS", 20),
            urgent_window_hours=_positive(env, "REPORT_URGENT_WINDOW_HOURS", 24.0),
        )
