"""The supervisor's plan for several Rasa servers (the whole system running it is tests/scaleout/)."""
import subprocess
import sys

import pytest

from bot import balancer
from bot.run import build_services
from bot.settings import REPO_ROOT, Settings
from tests.running import free_port_block


def test_several_rasa_servers_get_consecutive_ports_and_the_balancer_starts_after_them():
    if balancer.haproxy_binary() is None:
        pytest.skip("haproxy not found (make test installs Debian's haproxy)")
    port = free_port_block(3)
    settings = Settings.from_env({"RASA_SERVERS": "2", "RASA_PORT": str(port),
                                  "LOCK_STORE_URL": "redis://127.0.0.1:6379/1"})
    try:
        services = {s.name: s for s in build_services(settings, "token")}
        assert list(services) == ["actions", "rasa-1", "rasa-2", "balancer", "web", "voice"]
        for index, name in enumerate(("rasa-1", "rasa-2"), start=1):
            command = services[name].command
            assert command[command.index("--port") + 1] == str(port + index)
            assert "token" not in command  # by environment only
        assert services["balancer"].after == ("rasa-1", "rasa-2")
        config = balancer.config_path(settings).read_text()
        assert f"bind 127.0.0.1:{port}\n" in config
        assert f"server rasa2 127.0.0.1:{port + 2} check" in config
    finally:
        balancer.config_path(settings).unlink(missing_ok=True)


def test_one_rasa_server_runs_alone_on_rasa_port():
    services = build_services(Settings.from_env({"RASA_PORT": "6100"}), "token")
    rasa = [s for s in services if s.name.startswith("rasa") or s.name == "balancer"]
    assert [s.name for s in rasa] == ["rasa"]
    assert rasa[0].command[rasa[0].command.index("--port") + 1] == "6100"


def test_make_run_refuses_several_servers_without_a_shared_lock_store():
    result = subprocess.run([sys.executable, "-m", "bot.run"], cwd=REPO_ROOT, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "RASA_SERVERS": "2"}, timeout=60)
    assert result.returncode == 1
    assert "LOCK_STORE_URL" in result.stderr and "Traceback" not in result.stderr
