"""`make run`: starts the action server, Rasa, the web service (chat + desk) and the voice line.

With RASA_SERVERS=N > 1 it starts N Rasa servers on RASA_PORT+1 … RASA_PORT+N and HAProxy on RASA_PORT
in front of them (bot/balancer.py): every service reaches Rasa through RASA_PORT either way.
Prints the URLs once everything answers; Ctrl-C (or SIGTERM) stops all of them cleanly.
A process that dies after start-up is restarted (cases, messages and conversations are in the
stores); one that keeps dying stops everything with a non-zero exit code.
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from bot import balancer
from bot.desk.crypto import load_cipher
from bot.desk.errors import DeskError
from bot.privacy import keep_files_private
from bot.settings import REPO_ROOT, Settings, SettingsError

READY_TIMEOUT_S = 300
STOP_TIMEOUT_S = 15
MAX_RESTARTS = 5
RESTART_WINDOW_S = 300


@dataclass
class Service:
    name: str
    command: List[str]
    health_url: str
    after: Tuple[str, ...] = ()  # started once these services answer (the balancer after the Rasa servers)
    process: Optional[subprocess.Popen] = field(default=None, repr=False)
    restarts: List[float] = field(default_factory=list)

    def start(self, env: Dict[str, str]) -> None:
        self.process = subprocess.Popen(self.command, cwd=REPO_ROOT, env=env, start_new_session=True)

    def exited(self) -> Optional[int]:
        return None if self.process is None else self.process.poll()

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.health_url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class Stop(Exception):
    pass


def _raise_stop(signum, frame) -> None:
    raise Stop()


def data_files(settings: Settings) -> List[Path]:
    """The SQLite stores (var/ by default) and the development key."""
    files = [settings.case_key_file]
    for url in (settings.tracker_store_url, settings.case_store_url):
        if url.startswith("sqlite:///"):
            files.append(REPO_ROOT / url[len("sqlite:///"):])
    return files


def rasa_services(settings: Settings, token: str) -> List[Service]:
    """One Rasa server on RASA_PORT, or RASA_SERVERS of them behind HAProxy (its config written here)."""
    servers = [
        Service(
            "rasa" if settings.rasa_servers == 1 else f"rasa-{index}",
            # the token reaches it by environment, never on a command line (`ps` shows those)
            [sys.executable, "-m", "bot.rasa_server", "--model", str(settings.model_path), "--enable-api",
             "--interface", settings.host, "--port", str(port),
             "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"],
            f"http://{settings.host}:{port}/status?token={token}",
        )
        for index, port in enumerate(settings.rasa_server_ports, start=1)
    ]
    if settings.rasa_servers == 1:
        return servers
    if settings.tracker_store_url.startswith("sqlite"):
        print("run: note: several Rasa servers share one SQLite file; under load, or on several machines, use "
              "PostgreSQL (TRACKER_STORE_URL)", file=sys.stderr)
    haproxy = balancer.haproxy_binary()
    if haproxy is None:
        raise SettingsError(f"RASA_SERVERS={settings.rasa_servers} needs HAProxy as the load balancer; "
                            f"install it: {balancer.INSTALL_HINT}")
    config = balancer.write_config(settings)
    # -db: stay in the foreground, so the supervisor sees it exit and restarts it like the others
    return servers + [Service("balancer", [haproxy, "-db", "-f", str(config)],
                              f"http://{settings.host}:{settings.rasa_port}/",
                              after=tuple(server.name for server in servers))]


def build_services(settings: Settings, token: str) -> List[Service]:
    return [
        Service(
            "actions",
            [sys.executable, "-m", "bot.action_server"],
            f"{settings.actions_url}/health",
        ),
        *rasa_services(settings, token),
        Service(
            "web",
            [sys.executable, "-m", "bot.web", "serve"],
            f"{settings.web_url}/api/health",
        ),
        Service(
            "voice",
            [sys.executable, "-m", "speech", "serve"],
            f"{settings.voice_url}/api/health",
        ),
    ]


def child_env(settings: Settings, token: str, actions_token: str) -> Dict[str, str]:
    env = dict(os.environ)
    env.update({
        "RASA_PORT": str(settings.rasa_port),
        "ACTIONS_PORT": str(settings.actions_port),
        "WEB_PORT": str(settings.web_port),
        "AUDIOSOCKET_PORT": str(settings.audiosocket_port),
        "VOICE_PORT": str(settings.voice_port),
        "RASA_TOKEN": token,
        "ACTIONS_TOKEN": actions_token,  # only the Rasa server may call the action server
        "SANIC_HOST": settings.host,  # the action server's bind address
        # Rasa and the action server (both Sanic) keep idle connections longer than their aiohttp
        # clients (15 s), so a client never reuses a connection the server is closing: Rasa would
        # otherwise drop a custom action's events ("Cannot write to closing transport").
        "SANIC_KEEP_ALIVE_TIMEOUT": "75",
        "TRACKER_STORE_URL": settings.tracker_store_url,
        "CASE_STORE_URL": settings.case_store_url,
        "CASE_KEY_FILE": str(settings.case_key_file),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": env.get("TF_CPP_MIN_LOG_LEVEL", "2"),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    })
    return env


def main() -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"run: {error}", file=sys.stderr)
        return 1
    keep_files_private(*data_files(settings))
    if not settings.model_path.exists():
        print(f"run: no trained model at {settings.model_path}; run `make run` to train it first.",
              file=sys.stderr)
        return 1
    try:
        load_cipher(settings)  # the development key is created here, once, before the services share it
    except DeskError as error:
        print(f"run: {error}", file=sys.stderr)
        return 1
    token = settings.rasa_token or secrets.token_urlsafe(24)
    env = child_env(settings, token, settings.actions_token or secrets.token_urlsafe(24))
    try:
        services = build_services(settings, token)
    except SettingsError as error:
        print(f"run: {error}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGINT, _raise_stop)
    signal.signal(signal.SIGTERM, _raise_stop)
    exit_code = 0
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        waiting = list(services)
        while waiting:
            ready = {s.name for s in services if s not in waiting}
            for service in services:
                if service.process is None and set(service.after) <= ready:
                    service.start(env)
                if service.exited() is not None:
                    print(f"run: {service.name} exited with code {service.exited()} while starting",
                          file=sys.stderr)
                    return 1
            waiting = [s for s in waiting if not (s.process is not None and s.healthy())]
            if time.monotonic() > deadline:
                print(f"run: not ready after {READY_TIMEOUT_S}s: {', '.join(s.name for s in waiting)}",
                      file=sys.stderr)
                return 1
            time.sleep(0.5)
        print("\n96110 反诈助手已启动 (ready)", flush=True)
        print(f"  citizen web chat : {settings.web_url}/")
        print(f"  officer desk     : {settings.web_url}/desk/  (accounts: python -m bot.desk add-officer NAME)")
        print(f"  Rasa REST channel: {settings.rasa_url}/webhooks/rest/webhook")
        print(f"  Rasa HTTP API    : {settings.rasa_url}  (token: "
              f"{'from RASA_TOKEN' if settings.rasa_token else token})")
        if settings.rasa_servers > 1:
            print(f"  Rasa servers     : {settings.rasa_servers} behind HAProxy on port {settings.rasa_port} "
                  f"(ports {', '.join(map(str, settings.rasa_server_ports))}; locks in Redis)")
        print(f"  action server    : {settings.actions_url}/webhook")
        print(f"  voice line       : AudioSocket {settings.host}:{settings.audiosocket_port}; "
              f"browser calls {settings.voice_url}/voice/")
        print("Press Ctrl-C to stop.", flush=True)
        while True:
            for service in services:
                code = service.exited()
                if code is None:
                    continue
                now = time.monotonic()
                service.restarts = [t for t in service.restarts if now - t < RESTART_WINDOW_S] + [now]
                if len(service.restarts) > MAX_RESTARTS:
                    print(f"run: {service.name} exited with code {code} {MAX_RESTARTS} times; stopping",
                          file=sys.stderr)
                    exit_code = 1
                    raise Stop()
                print(f"run: {service.name} exited with code {code}; restarting", file=sys.stderr, flush=True)
                service.start(env)
            time.sleep(0.5)
    except Stop:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for service in reversed(services):
            service.stop()
        if settings.rasa_servers > 1:
            balancer.config_path(settings).unlink(missing_ok=True)  # written afresh at every start
        print("run: stopped", flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
