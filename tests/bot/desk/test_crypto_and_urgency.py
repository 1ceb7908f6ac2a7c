import subprocess
import sys

import pytest

from bot.desk.crypto import CaseCipher, generate_key, load_cipher
from bot.desk.errors import ConfigError
from bot.desk.urgency import urgency
from bot.settings import Settings


def test_encryption_round_trips_and_digests_need_the_key():
    one, other = CaseCipher(generate_key()), CaseCipher(generate_key())
    token = one.encrypt("6222021234567890128")
    assert "6222" not in token and one.decrypt(token) == "6222021234567890128"
    assert one.digest("account", "6222") == one.digest("account", "6222") != other.digest("account", "6222")
    with pytest.raises(ConfigError):
        other.decrypt(token)


def test_a_missing_key_is_an_error_in_production_and_a_local_key_file_otherwise(tmp_path):
    with pytest.raises(ConfigError, match="CASE_STORE_KEY"):
        load_cipher(Settings.from_env({"HOTLINE_ENV": "production"}))
    dev = Settings.from_env({"CASE_KEY_FILE": str(tmp_path / "k")})
    token = load_cipher(dev).encrypt("x")
    assert load_cipher(dev).decrypt(token) == "x"  # the same key next time
    assert (tmp_path / "k").stat().st_mode & 0o077 == 0
    with pytest.raises(ConfigError):
        load_cipher(Settings.from_env({"CASE_STORE_KEY": "not-a-key"}))


def test_production_reads_a_private_secrets_file(tmp_path):
    secret = tmp_path / "secrets" / "case-store.key"
    secret.parent.mkdir()
    secret.write_text(generate_key())
    secret.chmod(0o644)
    production = Settings.from_env({"HOTLINE_ENV": "production", "CASE_KEY_FILE": str(secret)})
    with pytest.raises(ConfigError, match="chmod 600"):
        load_cipher(production)
    secret.chmod(0o600)
    assert load_cipher(production).decrypt(load_cipher(production).encrypt("y")) == "y"


@pytest.mark.parametrize("production", [True, False])
def test_a_key_beside_the_data_is_refused(tmp_path, production):
    beside = tmp_path / "data" / "case-store.key"
    beside.parent.mkdir()
    beside.write_text(generate_key())
    beside.chmod(0o600)
    env = {"CASE_STORE_URL": f"sqlite:///{tmp_path / 'data' / 'cases.db'}", "CASE_KEY_FILE": str(beside)}
    with pytest.raises(ConfigError, match="同一目录"):
        load_cipher(Settings.from_env({**env, "HOTLINE_ENV": "production" if production else ""}))


def test_the_desk_refuses_to_start_in_production_without_a_key(tmp_path, repo_root):
    env = {"HOTLINE_ENV": "production", "CASE_STORE_URL": f"sqlite:///{tmp_path / 'c.db'}",
           "WEB_PORT": "1", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "bot.desk", "serve"], cwd=repo_root, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "CASE_STORE_KEY" in result.stderr


def test_urgency_prefers_scams_in_progress_then_fresh_transfers_then_amount():
    now = 1_000_000.0
    running = urgency(in_progress=True, has_transfers=False, last_transfer_at=None, total_amount=0, now=now)
    fresh = urgency(in_progress=False, has_transfers=True, last_transfer_at=now - 600, total_amount=50000, now=now)
    old = urgency(in_progress=False, has_transfers=True, last_transfer_at=now - 5 * 86400, total_amount=50000,
                  now=now)
    unknown = urgency(in_progress=False, has_transfers=True, last_transfer_at=None, total_amount=50000, now=now)
    assert fresh["score"] > unknown["score"] > old["score"]
    assert running["level"] == fresh["level"] == "high" and old["level"] == "low"
    assert "最近一笔转账 10分钟前" in fresh["reasons"] and "涉案 50,000 元" in fresh["reasons"]
