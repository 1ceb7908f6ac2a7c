"""Speech recognition with Vosk: the Chinese model loaded once per process, one streaming recogniser
per utterance, partial and final results with word confidences, and a digit mode (runtime grammar).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Tuple

from bot.settings import REPO_ROOT
from speech.errors import ModelMissing, SttError

logger = logging.getLogger(__name__)

MODEL_NAME = "vosk-model-small-cn-0.22"
DEFAULT_MODEL_DIR = REPO_ROOT / "models" / MODEL_NAME
MODEL_URL = f"https://alphacephei.com/vosk/models/{MODEL_NAME}.zip"
# Digit words the digit mode may hear (幺 is how 1 is said in phone and card numbers).
DIGIT_GRAMMAR = ["零", "一", "幺", "二", "两", "三", "四", "五", "六", "七", "八", "九", "[unk]"]


@dataclass(frozen=True)
class Recognition:
    text: str
    words: List[Tuple[str, float]] = field(default_factory=list)  # (word, confidence 0–1)
    final: bool = True

    @property
    def confidence(self) -> float:
        return min((c for _, c in self.words), default=0.0) if self.words else 0.0


class ModelLoader:
    """Loads the model on first use, once per process; calls share it (Vosk models are thread-safe)."""

    def __init__(self, directory: Path = DEFAULT_MODEL_DIR) -> None:
        self.directory = Path(directory)
        self._model = None
        self._lock = threading.Lock()

    def present(self) -> bool:
        return (self.directory / "conf" / "model.conf").exists() or (self.directory / "am").is_dir()

    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    if not self.present():
                        raise ModelMissing(f"no Vosk model in {self.directory} (python -m speech download-model)")
                    import vosk

                    vosk.SetLogLevel(-1)
                    self._model = vosk.Model(str(self.directory))
                    logger.info("Vosk model loaded from %s", self.directory)
        return self._model


class Transcriber:
    """One utterance: feed PCM as it arrives, read partials, take the final result."""

    def __init__(self, model, rate_hz: int, digits: bool = False) -> None:
        import vosk

        self._recognizer = vosk.KaldiRecognizer(model, float(rate_hz))
        self._recognizer.SetWords(True)
        if digits:
            self._recognizer.SetGrammar(json.dumps(DIGIT_GRAMMAR, ensure_ascii=False))

    def accept(self, pcm: bytes) -> Recognition:
        """A final result when Vosk closed a segment, else the partial so far."""
        try:
            if self._recognizer.AcceptWaveform(pcm):
                return self._parse(self._recognizer.Result(), final=True)
            partial = json.loads(self._recognizer.PartialResult()).get("partial", "")
            return Recognition(partial, final=False)
        except (ValueError, RuntimeError) as error:
            raise SttError(str(error)) from error

    def finish(self) -> Recognition:
        return self._parse(self._recognizer.FinalResult(), final=True)

    @staticmethod
    def _parse(raw: str, final: bool) -> Recognition:
        result = json.loads(raw)
        words = [(w.get("word", ""), float(w.get("conf", 0.0))) for w in result.get("result") or []]
        return Recognition(result.get("text", ""), words, final)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download_model(target: Path, expected_sha256: str, url: str = MODEL_URL) -> Path:
    """Downloads the official model archive, checks its sha256, unpacks it to target."""
    if not expected_sha256:
        raise SttError("the expected sha256 is required: pass --sha256 (as published with the model)")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:  # same file system: the final move is atomic
        archive = Path(work) / "model.zip"
        logger.info("downloading %s", url)
        with urllib.request.urlopen(url, timeout=60) as response, open(archive, "wb") as out:
            shutil.copyfileobj(response, out)
        actual = sha256_of(archive)
        if actual != expected_sha256.lower():
            raise SttError(f"sha256 mismatch: expected {expected_sha256}, got {actual}; nothing installed")
        with zipfile.ZipFile(archive) as bundle:
            names = bundle.namelist()
            if any(name.startswith("/") or ".." in Path(name).parts for name in names):
                raise SttError("unsafe paths in the model archive")
            bundle.extractall(work)
        unpacked = Path(work) / names[0].split("/")[0]
        if target.exists():
            shutil.rmtree(target)
        os.replace(unpacked, target)
    return target
