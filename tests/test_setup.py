"""The setup script: a clear stop without Python 3.10, and nothing reinstalled when nothing changed."""
import os
import subprocess
from pathlib import Path


def test_stops_with_a_clear_message_when_no_python310(repo_root: Path, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "VENV": str(tmp_path / "venv")}
    result = subprocess.run(["bash", "scripts/setup"], cwd=repo_root, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "no Python 3.10 found" in result.stderr
    assert not (tmp_path / "venv").exists()


def test_second_run_installs_nothing(repo_root: Path):
    subprocess.run(["bash", "scripts/setup"], cwd=repo_root, check=True, timeout=1800)
    result = subprocess.run(["bash", "scripts/setup"], cwd=repo_root, capture_output=True,
                            text=True, check=True, timeout=60, env=dict(os.environ))
    assert result.stdout == ""
