"""Runs the Rasa test stories in tests/conversations against the trained model."""
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_all_test_stories_pass(repo_root: Path, trained_model: Path, rasa_env, tmp_path):
    result = subprocess.run(
        [str(repo_root / ".venv/bin/rasa"), "test", "core", "--model", str(trained_model),
         "--stories", "tests/conversations/test_stories.yml", "--out", str(tmp_path),
         "--e2e", "--fail-on-prediction-errors", "--no-plot"],
        cwd=repo_root, env=rasa_env, capture_output=True, text=True, timeout=900,
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text(encoding="utf-8") if failed.exists() else ""
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:] + "\n" + details
