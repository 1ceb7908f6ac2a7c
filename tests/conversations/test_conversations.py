"""Runs the Rasa test stories in tests/conversations against the trained model."""
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_all_test_stories_pass(repo_root: Path, trained_model: Path, rasa_env, tmp_path):
    result = subprocess.run(
        [str(repo_root / ".venv/bin/rasa"), "test", "core", "--model", str(trained_model),
         "--stories", "tests/conversations", "--out", str(tmp_path),
         "--e2e", "--no-plot"],
        cwd=repo_root, env=rasa_env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    failed = (tmp_path / "failed_test_stories.yml").read_text(encoding="utf-8")
    # Wrong intents and actions are marked "# predicted"; wrong entities only list the story.
    assert "- story:" not in failed, failed
    assert "Evaluating 23 stories" in result.stdout + result.stderr  # every story file was read
