"""Reads scam-type texts: nlu_data/scam_types/**/*.yml, one file per (register, type).

A file names its `scam_type` and holds its texts either as `examples: |` (one text per `  - ` line) or as
`texts:`, a YAML list whose items may span lines (a call transcript, one turn per line). It may name its `register` (how the text is written: a scammer's call
script, an SMS, a victim's account, speech-recognition output, news …) and its `source` (who wrote
it); the evaluation groups by them so a register never appears on both sides of a split.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple

import yaml

from bot.scam.types import SCAM_TYPES

DEFAULT_REGISTER = "narrative"  # the first, bulletin-like third-person narratives


class NarrativeError(ValueError):
    pass


@dataclass(frozen=True)
class Example:
    text: str
    scam_type: str
    register: str
    source: str


def _files(directory: Path) -> List[Path]:
    return sorted(Path(directory).rglob("*.yml"))


def _texts(path: Path, data: dict) -> List[str]:
    texts = [line.strip()[2:].strip() for line in str(data.get("examples", "")).splitlines()
             if line.strip().startswith("- ") and line.strip()[2:].strip()]
    listed = data.get("texts") or []
    if not isinstance(listed, list) or not all(isinstance(text, str) for text in listed):
        raise NarrativeError(f"{path}: `texts` must be a list of strings")
    return texts + [text.strip() for text in listed if text.strip()]


def load_examples(directory: Path, require_all_types: bool = True) -> List[Example]:
    examples: List[Example] = []
    for path in _files(directory):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        scam_type = data.get("scam_type")
        if scam_type not in SCAM_TYPES:
            raise NarrativeError(f"{path}: unknown scam_type {scam_type!r}")
        register = str(data.get("register") or DEFAULT_REGISTER)
        source = str(data.get("source") or "project")
        for text in _texts(path, data):
            examples.append(Example(text, scam_type, register, source))
    missing = set(SCAM_TYPES) - {e.scam_type for e in examples}
    if require_all_types and missing:
        raise NarrativeError(f"no narratives for: {', '.join(sorted(missing))}")
    return examples


def load_narratives(directory: Path) -> Tuple[List[str], List[str]]:
    examples = load_examples(directory)
    return [e.text for e in examples], [e.scam_type for e in examples]


def narratives_fingerprint(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in _files(directory):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
