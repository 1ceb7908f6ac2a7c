"""A throwaway Redis server (Debian's redis-server) on loopback, with a password, for the scale-out tests."""
from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

import pytest

SEARCH_PATH = "/usr/bin:/usr/sbin:/usr/local/bin"
START_TIMEOUT_S = 10


@dataclass(frozen=True)
class RedisServer:
    port: int
    password: str
    process: Optional[subprocess.Popen]
    config: Path

    def url(self, db: int = 0) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/{db}"


def _binary() -> Optional[str]:
    return shutil.which("redis-server") or shutil.which("redis-server", path=SEARCH_PATH)


def start_redis(root: Path) -> RedisServer:
    binary = _binary()
    if binary is None:
        raise FileNotFoundError("redis-server")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    password = secrets.token_urlsafe(18)
    config = root / "redis.conf"
    config.touch(mode=0o600)
    # The password is in a file only this user reads, never on a command line (`ps` shows those).
    config.write_text(f"port {port}\nbind 127.0.0.1\nprotected-mode yes\nrequirepass {password}\n"
                      f"dir {root}\nsave \"\"\nappendonly no\ndaemonize no\nlogfile {root / 'redis.log'}\n")
    return _run(binary, RedisServer(port, password, None, config))


def _run(binary: str, server: RedisServer) -> RedisServer:
    process = subprocess.Popen([binary, str(server.config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", server.port)) == 0:
                return RedisServer(server.port, server.password, process, server.config)
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log = server.config.parent / "redis.log"
            raise RuntimeError("redis-server did not start:\n" + log.read_text(errors="replace"))
        time.sleep(0.05)


def restart_redis(server: RedisServer) -> RedisServer:
    """The same server (port, password) after a stop: an outage, for the tests of what survives one."""
    stop_redis(server)
    return _run(_binary(), server)


def stop_redis(server: RedisServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    root = Path(tempfile.mkdtemp(prefix="hotline-redis-"))
    try:
        server = start_redis(root)
    except FileNotFoundError:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip("redis-server not found (make test installs Debian's redis-server)")
    try:
        yield server
    finally:
        stop_redis(server)
        shutil.rmtree(root, ignore_errors=True)
