"""Reads the scam-type training narratives from nlu_data/scam_types/<id>.yml."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import List, Tuple

import yaml

from bot.scam.types import SCAM_TYPES


class NarrativeError(ValueError):
    pass


def load_narratives(directory: Path) -> Tuple[List[str], List[str]]:
    texts: List[str] = []
    labels: List[str] = []
    for path in sorted(Path(directory).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        scam_type = data.get("scam_type")
        if scam_type not in SCAM_TYPES:
            raise NarrativeError(f"{path}: unknown scam_type {scam_type!r}")
        for line in str(data.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- ") and line[2:].strip():
                texts.append(line[2:].strip())
                labels.append(scam_type)
    missing = set(SCAM_TYPES) - set(labels)
    if missing:
        raise NarrativeError(f"no narratives for: {', '.join(sorted(missing))}")
    return texts, labels


def narratives_fingerprint(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(directory).glob("*.yml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
