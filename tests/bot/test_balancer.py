"""The HAProxy configuration `make run` writes for RASA_SERVERS > 1, run by the real HAProxy in front of two
small HTTP servers standing in for Rasa servers (the whole system with Rasa is tests/scaleout/)."""
import json
import socket
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.balancer import haproxy_binary, haproxy_config
from tests.running import free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def haproxy() -> str:
    binary = haproxy_binary()
    if binary is None:
        pytest.skip("haproxy not found (make test installs Debian's haproxy)")
    return binary


class Backend(ThreadingHTTPServer):
    """Answers every request with its own name and the Authorization header it received."""

    daemon_threads = True

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(handler):  # noqa: N805
                self.seen.append(handler.path)
                body = json.dumps({"server": self.name,
                                   "authorization": handler.headers.get("Authorization")}).encode()
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)

            do_POST = do_GET

            def log_message(handler, *args):  # noqa: N805
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.shutdown()
        self.server_close()


def ask(port: int) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=b"{}",
                                     headers={"Authorization": "Bearer service-token"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def wait_until(condition, timeout_s: float = 10.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_the_generated_configuration_is_valid(haproxy, tmp_path):
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config(("127.0.0.1", 5005), [("127.0.0.1", 5006), ("127.0.0.1", 5007)]))
    checked = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_balancer_spreads_requests_passes_the_token_and_skips_a_dead_server(haproxy, tmp_path):
    first, second = Backend("first"), Backend("second")
    port = free_port()
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config(("127.0.0.1", port), [("127.0.0.1", first.port), ("127.0.0.1", second.port)]))
    process = subprocess.Popen([haproxy, "-db", "-f", str(config)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        def listening() -> bool:
            with socket.socket() as sock:
                return sock.connect_ex(("127.0.0.1", port)) == 0
        wait_until(listening)
        wait_until(lambda: "/" in first.seen and "/" in second.seen)  # both passed their health checks
        answers = [ask(port) for _ in range(6)]
        assert {a["server"] for a in answers} == {"first", "second"}
        assert {a["authorization"] for a in answers} == {"Bearer service-token"}  # Rasa checks it itself

        first.close()  # killed: connections refused from now on
        started = time.monotonic()
        answers = [ask(port) for _ in range(6)]  # before and after its health check notices
        assert {a["server"] for a in answers} == {"second"}
        assert time.monotonic() - started < 5
    finally:
        process.terminate()
        process.wait(10)
        second.close()
