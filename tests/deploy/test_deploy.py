"""deploy/: the compose file's services start modules that exist with settings the README defines, and its
HAProxy configuration is valid and balances like the one `make run` writes."""
import importlib.util
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.balancer import haproxy_binary, haproxy_config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
README = DEPLOY.parent / "README.md"
NOT_OURS = {"POSTGRES_PASSWORD", "POSTGRES_USER", "POSTGRES_DB"}  # the postgres image's own


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def documented_settings() -> set:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Configuration"):text.index("## Security and deployment")]
    return set(re.findall(r"^\| `([A-Z_]+)`", table, re.M)) | set(re.findall(r"`([A-Z][A-Z_]+)`", table))


def test_every_service_of_ours_runs_a_module_of_this_repository():
    services = compose()["services"]
    ours = {name: s for name, s in services.items() if s.get("image") == "hotline96110:latest"}
    assert set(ours) == {"rasa", "actions", "web", "voice"}
    for name, service in ours.items():
        command = service["command"]
        assert command[:2] == ["python", "-m"], name
        assert importlib.util.find_spec(command[2]) is not None, f"{name}: no module {command[2]}"
        assert not any("TOKEN" in part or "://" in part for part in command), f"{name}: a secret on its command line"


def test_every_variable_the_deployment_sets_is_a_documented_setting():
    names = set()
    for service in compose()["services"].values():
        names |= set((service.get("environment") or {}).keys())
    for line in (DEPLOY / "hotline.env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            names.add(line.split("=", 1)[0])
    assert names - NOT_OURS <= documented_settings(), names - NOT_OURS - documented_settings()


def test_published_ports_are_on_loopback_only():
    for name, service in compose()["services"].items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} on every address"


def sections_before_the_frontend(config: str) -> list:
    head = config[:config.index("\nfrontend ")]
    return [line.strip() for line in head.splitlines()
            if line.strip() and not line.lstrip().startswith("#") and not line.startswith("resolvers")
            and not line.lstrip().startswith(("nameserver", "hold"))]


def backend_without_servers(config: str) -> list:
    return [line.strip() for line in config[config.index("backend "):].splitlines()
            if line.strip() and not line.strip().startswith("server")]


def test_the_compose_balancer_is_configured_like_make_runs():
    generated = haproxy_config(("127.0.0.1", 5005), [("127.0.0.1", 5006), ("127.0.0.1", 5007)])
    deployed = (DEPLOY / "haproxy.cfg").read_text(encoding="utf-8")
    assert sections_before_the_frontend(deployed) == sections_before_the_frontend(generated)
    assert backend_without_servers(deployed) == backend_without_servers(generated)


def test_the_compose_balancer_configuration_is_valid(tmp_path):
    binary = haproxy_binary()
    if binary is None:
        pytest.skip("haproxy not found (make test installs Debian's haproxy)")
    checked = subprocess.run([binary, "-c", "-f", str(DEPLOY / "haproxy.cfg")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
