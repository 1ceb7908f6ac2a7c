"""One settings object for the services, read from the environment with safe defaults."""
from __future__ import annotations

import ipaddress
import os
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple, Union
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TRACKER_STORE_URL = "sqlite:///var/tracker.db"
DEFAULT_CASE_STORE_URL = "sqlite:///var/cases.db"
DATA_DIR = REPO_ROOT / "var"
# The development key lives outside the data directory, so a copy or backup of var/ is not readable.
DEFAULT_CASE_KEY_FILE = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "hotline96110" / \
    "case-store.key"
LEGACY_CASE_KEY_FILE = DATA_DIR / "case-store.key"


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


def positive_setting(env: Mapping[str, str], name: str, default):
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


def on_off(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in ("on", "off"):
        raise SettingsError(f"{name} must be on or off, got {raw!r}")
    return raw == "on"


def time_zone(env: Mapping[str, str], name: str, default: str) -> str:
    """An IANA time zone name (Asia/Shanghai), checked against the system's zone database."""
    raw = env.get(name, "").strip() or default
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"{name} must be an IANA time zone such as Asia/Shanghai, got {raw!r}") from None
    return raw


Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
MAX_RASA_SERVERS = 16


def redis_url(env: Mapping[str, str], name: str) -> Optional[str]:
    """redis://[[user]:password@]host[:port][/db] or rediss://… (TLS); None when unset."""
    raw = env.get(name, "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise SettingsError(f"{name} must be a redis://host:port/db URL")  # the URL may hold a password
    return raw


def service_url(env: Mapping[str, str], name: str) -> str:
    """A base URL of one of our services (http://host:port); empty when unset."""
    raw = env.get(name, "").strip().rstrip("/")
    if raw and (urlsplit(raw).scheme not in ("http", "https") or not urlsplit(raw).hostname):
        raise SettingsError(f"{name} must be an http://host:port URL, got {raw!r}")
    return raw


def rasa_servers(env: Mapping[str, str]) -> int:
    count = positive_setting(env, "RASA_SERVERS", 1)
    if count > MAX_RASA_SERVERS:
        raise SettingsError(f"RASA_SERVERS must be at most {MAX_RASA_SERVERS}, got {count}")
    return count


def networks(env: Mapping[str, str], name: str) -> Tuple[Network, ...]:
    """Comma-separated addresses or networks (192.0.2.10, 10.0.0.0/8, ::1)."""
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False)
                     for part in env.get(name, "").split(",") if part.strip())
    except ValueError as error:
        raise SettingsError(f"{name}: {error}") from None


@dataclass(frozen=True)
class Settings:
    host: str
    rasa_port: int
    actions_port: int
    web_port: int
    rasa_token: Optional[str]  # the service token: Rasa's HTTP API and every call between our services
    tracker_store_url: str
    model_path: Path
    case_store_url: str = DEFAULT_CASE_STORE_URL
    # Fernet key for card/ID numbers at rest; required when production is set.
    case_store_key: Optional[str] = None
    case_key_file: Path = DEFAULT_CASE_KEY_FILE  # CASE_KEY_FILE: a secrets file (e.g. /run/secrets/…)
    case_key_file_set: bool = False
    production: bool = False
    lockout_attempts: int = 5
    lockout_minutes: float = 15.0
    session_hours: float = 12.0
    # How long the desk waits for Rasa to take an officer's message; an item a crashed desk instance had on its
    # way is sent again this long (plus a margin) after the crash.
    delivery_timeout_s: float = 60.0
    audiosocket_port: int = 9092
    voice_port: int = 8090
    vosk_model_dir: Path = REPO_ROOT / "models" / "vosk-model-small-cn-0.22"
    max_calls: int = 20
    # A transfer this recent (or of unknown time) makes a report urgent: handed to an officer at once.
    urgent_window_hours: float = 24.0
    actions_token: Optional[str] = None  # what the Rasa server shows the action server; generated by bot.run
    # Reverse proxies whose X-Forwarded-For names the desk's client (login throttling is per address).
    trusted_proxies: Tuple[Network, ...] = ()
    # The centre's time zone: every time on the desk and its printed pages, whatever the browser's zone.
    desk_time_zone: str = "Asia/Shanghai"
    # 受理单位: the requesting unit printed on stop-payment requests.
    desk_unit: str = "96110 反诈中心"
    desk_line_refresh_s: float = 10.0  # how often an open desk page reads the voice line's state
    # Scale-out: RASA_SERVERS Rasa servers behind HAProxy on RASA_PORT, their locks in Redis (LOCK_STORE_URL).
    rasa_servers: int = 1
    lock_store_url: Optional[str] = None  # redis://…: Rasa's RedisLockStore; unset: locks in the server's memory
    # Redis for what several web instances or Rasa servers share (web-chat pushes, WeChat retries and its
    # access token); REDIS_URL, else the lock store's Redis; unset: kept in each process's memory.
    redis_url: Optional[str] = None
    # Where our services reach each other (another machine, a container, a balancer); "" until __post_init__
    # fills in this host's port. rasa_url is the balancer when RASA_SERVERS > 1.
    rasa_url: str = ""
    actions_url: str = ""
    web_url: str = ""
    voice_url: str = ""
    # Rasa server speed-ups (validator built once, recent conversations in memory, SQLite WAL, event
    # classes looked up once, a direct scam-type scorer); RASA_TUNING=off runs Rasa as shipped, only for
    # bench.turn_cost to measure the difference side by side.
    rasa_tuning: bool = True
    tracker_cache_mb: float = 64.0  # conversations' current sessions kept in each Rasa server's memory

    def __post_init__(self) -> None:
        for name, port in (("rasa_url", self.rasa_port), ("actions_url", self.actions_port),
                           ("web_url", self.web_port), ("voice_url", self.voice_port)):
            object.__setattr__(self, name, getattr(self, name) or f"http://{self.host}:{port}")
        if self.rasa_servers > 1:
            if not self.lock_store_url:
                raise SettingsError("RASA_SERVERS > 1 needs LOCK_STORE_URL=redis://…: without a shared lock two "
                                    "servers would answer one conversation at the same time")
            if self.rasa_port + self.rasa_servers > 65535:
                raise SettingsError(f"RASA_PORT + RASA_SERVERS must stay below 65536 (the servers listen on "
                                    f"RASA_PORT+1 … RASA_PORT+{self.rasa_servers})")

    @property
    def rasa_server_ports(self) -> Tuple[int, ...]:
        """The Rasa servers this machine runs: RASA_PORT itself, or RASA_PORT+1 … +N behind the balancer."""
        if self.rasa_servers == 1:
            return (self.rasa_port,)
        return tuple(range(self.rasa_port + 1, self.rasa_port + 1 + self.rasa_servers))

    def data_directories(self) -> Tuple[Path, ...]:
        """Where the stores keep data: var/ and the directory of each SQLite store."""
        directories = {DATA_DIR.resolve()}
        for url in (self.tracker_store_url, self.case_store_url):
            if url.startswith("sqlite:///"):
                directories.add((REPO_ROOT / url[len("sqlite:///"):]).resolve().parent)
        return tuple(sorted(directories))

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
            case_key_file_set=bool(env.get("CASE_KEY_FILE")),
            production=env.get("HOTLINE_ENV", "").strip().lower() == "production",
            lockout_attempts=positive_setting(env, "DESK_LOCKOUT_ATTEMPTS", 5),
            lockout_minutes=positive_setting(env, "DESK_LOCKOUT_MINUTES", 15.0),
            session_hours=positive_setting(env, "DESK_SESSION_HOURS", 12.0),
            delivery_timeout_s=positive_setting(env, "DESK_DELIVERY_TIMEOUT_SECONDS", 60.0),
            audiosocket_port=_port(env, "AUDIOSOCKET_PORT", 9092),
            voice_port=_port(env, "VOICE_PORT", 8090),
            vosk_model_dir=Path(env.get("VOSK_MODEL_DIR") or REPO_ROOT / "models" / "vosk-model-small-cn-0.22"),
            max_calls=positive_setting(env, "MAX_CALLS", 20),
            urgent_window_hours=positive_setting(env, "REPORT_URGENT_WINDOW_HOURS", 24.0),
            actions_token=env.get("ACTIONS_TOKEN") or None,
            trusted_proxies=networks(env, "DESK_TRUSTED_PROXIES"),
            desk_time_zone=time_zone(env, "DESK_TIME_ZONE", "Asia/Shanghai"),
            desk_unit=env.get("DESK_UNIT", "").strip()[:100] or "96110 反诈中心",
            desk_line_refresh_s=positive_setting(env, "DESK_LINE_REFRESH_SECONDS", 10.0),
            rasa_servers=rasa_servers(env),
            lock_store_url=redis_url(env, "LOCK_STORE_URL"),
            redis_url=redis_url(env, "REDIS_URL") or redis_url(env, "LOCK_STORE_URL"),
            rasa_url=service_url(env, "RASA_URL"),
            actions_url=service_url(env, "ACTIONS_URL"),
            web_url=service_url(env, "WEB_URL"),
            voice_url=service_url(env, "VOICE_URL"),
            rasa_tuning=on_off(env, "RASA_TUNING", True),
            tracker_cache_mb=positive_setting(env, "TRACKER_CACHE_MB", 64.0),
        )
