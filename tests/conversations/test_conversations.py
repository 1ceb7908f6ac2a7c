"""Runs the Rasa test stories in tests/conversations end to end against the trained model.

The stories are evaluated by the tests' running Rasa server, which has the model loaded already
(POST /model/test/stories?e2e=true: the same evaluation as `rasa test core --e2e`, without loading the
model a second time), one story per request so a failure names its story. The accuracy Rasa returns
covers every action, intent and entity (type, span and normalised value) of the story: below 1.0 is a
failed story."""
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
import yaml

pytestmark = [pytest.mark.slow, pytest.mark.integration]

STORY_FILES = ("test_stories.yml", "test_report_stories.yml")
STORY_COUNT = 23


def stories(directory: Path) -> List[Tuple[str, str]]:
    """(name, a test-stories YAML document holding that story alone) for every story in the files."""
    found = []
    for name in STORY_FILES:
        document = yaml.safe_load((directory / name).read_text(encoding="utf-8"))
        for story in document["stories"]:
            alone = {"version": document["version"], "stories": [story]}
            found.append((story["story"], yaml.safe_dump(alone, allow_unicode=True, sort_keys=False)))
    return found


def evaluate(system, document: str) -> Tuple[int, Dict[str, Any]]:
    request = urllib.request.Request(f"{system.rasa_url}/model/test/stories?e2e=true&token={system.token}",
                                     data=document.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/x-yaml"})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read().decode("utf-8", "replace")}


def test_all_test_stories_pass(system, repo_root: Path):
    found = stories(repo_root / "tests" / "conversations")
    assert len(found) == STORY_COUNT  # every story of both files is evaluated
    failed = []
    for name, document in found:
        status, result = evaluate(system, document)
        assert status == 200, (name, result)
        assert result["is_end_to_end_evaluation"] and result["actions"], (name, result)  # the story was read
        if result["accuracy"] != 1.0:
            wrong = [a for a in result["actions"] if a["action"] != a["predicted"]]
            failed.append(f"{name}: accuracy {result['accuracy']:.3f} (actions, intents and entities); "
                          f"wrong actions {wrong}")
    assert not failed, "\n".join(failed)
