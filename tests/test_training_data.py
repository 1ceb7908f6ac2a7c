"""The training data is valid and rich enough for the public-question promise."""
import subprocess
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow


def test_rasa_data_validate_finds_no_conflicts(repo_root: Path, rasa_env):
    result = subprocess.run(
        [str(repo_root / ".venv/bin/rasa"), "data", "validate", "--data", "nlu_data",
         "--config", "config.yml", "--domain", "domain.yml"],
        cwd=repo_root, env=rasa_env, capture_output=True, text=True, timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "No story structure conflicts found" in output


def _faq_examples(repo_root: Path):
    examples = {}
    for path in sorted((repo_root / "nlu_data/nlu").glob("faq_*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            lines = [l[2:].strip() for l in block["examples"].splitlines() if l.strip()]
            examples[block["intent"]] = lines
    return examples


def test_at_least_40_questions_with_8_paraphrases_and_an_answer_each(repo_root: Path):
    examples = _faq_examples(repo_root)
    responses = yaml.safe_load((repo_root / "nlu_data/responses/faq.yml").read_text("utf-8"))
    answered = {name[len("utter_"):] for name in responses["responses"]}
    assert len(examples) >= 40
    assert {k for k, v in examples.items() if len(set(v)) < 8} == set()
    assert set(examples) == answered


def test_heldout_questions_are_not_in_the_training_data(repo_root: Path):
    training = {e for lines in _faq_examples(repo_root).values() for e in lines}
    heldout = yaml.safe_load((repo_root / "tests/nlu/faq_heldout.yml").read_text("utf-8"))
    for block in heldout["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip():
                assert line.strip()[2:] not in training
