"""The load balancer in front of several Rasa servers: HAProxy (Debian's `haproxy`), configured here.

`make run` with RASA_SERVERS=N > 1 writes var/haproxy-<RASA_PORT>.cfg and runs HAProxy on RASA_PORT
(BIND_HOST), in front of N Rasa servers on RASA_PORT+1 … RASA_PORT+N. Every conversation may go to
any server: the tracker store and the lock store (Redis) are shared, so no stickiness is needed.
Requests pass unchanged (Rasa checks the service token itself); a server that refuses connections
(killed, restarting) is skipped at once and taken out of rotation by its health check, and back in
once it answers again.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Optional, Sequence, Tuple

from bot.settings import DATA_DIR, Settings

# Debian installs it in /usr/sbin, which is not on a normal user's PATH.
SEARCH_PATH = ("/usr/sbin", "/usr/local/sbin", "/sbin")
INSTALL_HINT = "apt-get install haproxy"


def haproxy_binary() -> Optional[str]:
    return shutil.which("haproxy") or shutil.which("haproxy", path=":".join(SEARCH_PATH))


def config_path(settings: Settings) -> Path:
    return DATA_DIR / f"haproxy-{settings.rasa_port}.cfg"


def haproxy_config(bind: Tuple[str, int], servers: Sequence[Tuple[str, int]]) -> str:
    """HAProxy's configuration for one balancer in front of the Rasa servers (host, port)."""
    host, port = bind
    lines = [
        "# Written by `python -m bot.run` (RASA_SERVERS); rewritten at every start. See bot/balancer.py.",
        "global",  # in the foreground (-db) it reports servers going down and up on stderr: make run's output
        "    maxconn 4096",
        "",
        "defaults",
        "    mode http",
        "    timeout connect 2s",
        # A turn may wait behind its conversation's queue (the desk waits up to 120 s for a delivery).
        "    timeout client 180s",
        "    timeout server 180s",
        # Longer than our clients keep idle connections (aiohttp 15 s): HAProxy never closes one they reuse.
        "    timeout http-keep-alive 75s",
        "    timeout check 10s",
        # A server that refuses the connection never saw the request: it is sent to another one.
        "    retries 3",
        "    option redispatch 1",
        "",
        "frontend rasa",
        f"    bind {host}:{port}",
        "    default_backend rasa_servers",
        "",
        "backend rasa_servers",
        "    balance leastconn",
        "    option httpchk GET /",  # Rasa answers / once its model is loaded (it listens only then)
        "    http-check expect status 200",
        "    default-server inter 1s fall 2 rise 2",
    ]
    lines += [f"    server rasa{index} {server_host}:{server_port} check"
              for index, (server_host, server_port) in enumerate(servers, start=1)]
    return "\n".join(lines) + "\n"


def write_config(settings: Settings) -> Path:
    path = config_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(haproxy_config((settings.host, settings.rasa_port),
                                   [(settings.host, port) for port in settings.rasa_server_ports]),
                    encoding="utf-8")
    return path
