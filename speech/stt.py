"""Speech recognition with Vosk: the model loaded once per process and shared, one recogniser per call
(reused from utterance to utterance), audio decoded while the caller speaks (UtteranceStream) on a pool of
as many threads as cores (DecodingPool), partial and final results with word confidences, and a digit
mode (a runtime grammar of digit words, switched on the call's recogniser between utterances).
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Awaitable, Callable, Dict, List, Optional, Sequence, Tuple

from bot.settings import REPO_ROOT
from speech.errors import ModelMissing, SttError

logger = logging.getLogger(__name__)

MODEL_NAME = "vosk-model-small-cn-0.22"
DEFAULT_MODEL_DIR = REPO_ROOT / "models" / MODEL_NAME
MODEL_URL = f"https://alphacephei.com/vosk/models/{MODEL_NAME}.zip"
# Digit words the digit mode may hear (幺 is how 1 is said in phone and card numbers).
# The caller may also ask to hear the question again while a number is expected (speech.call.REPLAY_WORDS).
DIGIT_GRAMMAR = ["零", "一", "幺", "二", "两", "三", "四", "五", "六", "七", "八", "九",
                 "请 再 说 一 遍", "再 说 一 遍", "没 听 清", "[unk]"]


@dataclass(frozen=True)
class Recognition:
    text: str
    words: List[Tuple[str, float]] = field(default_factory=list)  # (word, confidence 0–1)
    final: bool = True

    @property
    def confidence(self) -> float:
        return min((c for _, c in self.words), default=0.0) if self.words else 0.0


class ModelLoader:
    """Loads the model on first use, once per process: every loader of the same directory (and so every call)
    shares that one model (Vosk models are read-only and thread-safe)."""

    _loaded: Dict[Path, object] = {}   # directory → model, for the whole process
    _lock = threading.Lock()
    loads = 0                          # how often a model was read from disk in this process

    def __init__(self, directory: Path = DEFAULT_MODEL_DIR) -> None:
        self.directory = Path(directory)

    def present(self) -> bool:
        return (self.directory / "conf" / "model.conf").exists() or (self.directory / "am").is_dir()

    def model(self):
        key = self.directory.resolve()
        model = ModelLoader._loaded.get(key)
        if model is None:
            with ModelLoader._lock:
                model = ModelLoader._loaded.get(key)
                if model is None:
                    if not self.present():
                        raise ModelMissing(f"no Vosk model in {self.directory} (python -m speech download-model)")
                    import vosk

                    vosk.SetLogLevel(-1)
                    model = ModelLoader._loaded[key] = vosk.Model(str(self.directory))
                    ModelLoader.loads += 1
                    logger.info("Vosk model loaded from %s", self.directory)
        return model


class Transcriber:
    """A recogniser: feed PCM as it arrives, read partials, take the final result (which readies it for the
    next utterance: Vosk rebuilds its feature pipeline after a final result, so nothing of one utterance
    reaches the next). Full language model or, with digits, the digit grammar, fixed for its life: switching
    back from a grammar to the full model rebuilds the composed graph, whose cache costs seconds of CPU to
    warm again (RecognizerPool). Not thread-safe: one decoding job at a time."""

    def __init__(self, model, rate_hz: int, digits: bool = False,
                 digit_grammar: Optional[Sequence[str]] = None) -> None:
        import vosk

        self.rate_hz = rate_hz
        self.digits = digits
        self.clean = True   # no utterance half decoded: it may serve another call
        self.busy = False   # a decoding job is using it (on a decoding thread)
        self._recognizer = vosk.KaldiRecognizer(model, float(rate_hz))
        self._recognizer.SetWords(True)
        if digits:
            self._recognizer.SetGrammar(json.dumps(list(digit_grammar or DIGIT_GRAMMAR), ensure_ascii=False))

    def accept(self, pcm: bytes) -> Recognition:
        """A final result when Vosk closed a segment, else the partial so far."""
        self.clean, self.busy = False, True
        try:
            if self._recognizer.AcceptWaveform(pcm):
                return self._parse(self._recognizer.Result(), final=True)
            partial = json.loads(self._recognizer.PartialResult()).get("partial", "")
            return Recognition(partial, final=False)
        except (ValueError, RuntimeError) as error:
            raise SttError(str(error)) from error
        finally:
            self.busy = False

    def finish(self) -> Recognition:
        self.busy = True
        try:
            result = self._parse(self._recognizer.FinalResult(), final=True)
        except (ValueError, RuntimeError) as error:
            raise SttError(str(error)) from error
        finally:
            self.busy = False
        self.clean = True
        return result

    @staticmethod
    def _parse(raw: str, final: bool) -> Recognition:
        result = json.loads(raw)
        words = [(w.get("word", ""), float(w.get("conf", 0.0))) for w in result.get("result") or []]
        return Recognition(result.get("text", ""), words, final)


def default_decode_threads() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class DecodingPool:
    """Every call's recognition work on a fixed number of threads (default: the cores this process may use).
    Vosk releases the GIL while it decodes, so the threads run in parallel; more threads than cores would only
    slow every call down together. Knows how far recognition is behind the audio (lag_s) across the calls."""

    def __init__(self, threads: Optional[int] = None) -> None:
        self.threads = threads or default_decode_threads()
        self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="decode")
        self.streams: "set[UtteranceStream]" = set()

    async def run(self, function: Callable, *args):
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    def lag_s(self) -> float:
        """How long the oldest audio not yet decoded has been waiting, over every utterance in progress."""
        now = time.monotonic()
        return max((stream.lag_s(now) for stream in self.streams), default=0.0)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class RecognizerPool:
    """A few warm recognisers, shared by every call. A Vosk recogniser of a small model composes its decoding
    graph (HCLr∘Gr) lazily, state by state, in a cache of its own: a new one spends seconds of CPU on its first
    sentences, sometimes more than a second on one 100 ms chunk (measured with the stand-in model: real-time
    factor 0.44–0.8 for its first 18 s of speech, 0.15–0.35 once warm, and about 90 MiB more memory). Many
    half-warm recognisers would make every caller wait on those slow chunks. So there are at most `limit`
    full-model recognisers (default: one per decoding thread), lent for one utterance at a time and given back
    after its final result, the most recently used first; an utterance that starts while all are lent waits
    for one (its audio is kept and decoded faster than real time when one comes: the wait shows as
    recognition lag). Digit-grammar recognisers (a tiny graph, quickly warm) are made as needed and kept.
    Only a recogniser whose utterance was finished goes back (Vosk rebuilds its feature pipeline after a
    final result: nothing of one caller reaches the next)."""

    def __init__(self, loader: ModelLoader, pool: DecodingPool, limit: Optional[int] = None) -> None:
        self.loader = loader
        self.pool = pool
        self.limit = limit or pool.threads
        self._idle: Dict[Tuple[int, bool], List[Transcriber]] = {}
        self._live: Dict[Tuple[int, bool], int] = {}
        self._waiters: Dict[Tuple[int, bool], List[asyncio.Future]] = {}
        self.created = 0

    async def take(self, rate_hz: int, digits: bool = False) -> Transcriber:
        key = (rate_hz, digits)
        idle = self._idle.get(key)
        if idle:
            return idle.pop()
        if digits or self._live.get(key, 0) < self.limit:
            self._live[key] = self._live.get(key, 0) + 1
            try:
                transcriber = await self.pool.run(Transcriber, self.loader.model(), rate_hz, digits)
            except BaseException:
                self._lost(key)
                raise
            self.created += 1
            return transcriber
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(key, []).append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter in self._waiters.get(key, []):
                self._waiters[key].remove(waiter)
            elif waiter.done() and not waiter.cancelled():
                self.give_back(waiter.result())
            raise

    def give_back(self, transcriber: Optional[Transcriber]) -> None:
        if transcriber is None:
            return
        key = (transcriber.rate_hz, transcriber.digits)
        if transcriber.busy:            # a job still runs on it (its call ended meanwhile): let it go
            self._lost(key)
        elif not transcriber.clean:     # an utterance cut short: finish it first
            asyncio.ensure_future(self._finish_then_give_back(transcriber))
        else:
            waiters = self._waiters.get(key)
            while waiters:
                waiter = waiters.pop(0)
                if not waiter.done():
                    waiter.set_result(transcriber)
                    return
            self._idle.setdefault(key, []).append(transcriber)

    async def _finish_then_give_back(self, transcriber: Transcriber) -> None:
        try:
            await self.pool.run(transcriber.finish)
        except SttError:
            self._lost((transcriber.rate_hz, transcriber.digits))
            return
        self.give_back(transcriber)

    def _lost(self, key: Tuple[int, bool]) -> None:
        self._live[key] = self._live.get(key, 1) - 1
        if self._waiters.get(key):  # someone waits: a new recogniser for them
            waiter = self._waiters[key].pop(0)
            asyncio.ensure_future(self._make_for(waiter, key))

    async def _make_for(self, waiter: asyncio.Future, key: Tuple[int, bool]) -> None:
        self._live[key] = self._live.get(key, 0) + 1
        transcriber = await self.pool.run(Transcriber, self.loader.model(), key[0], key[1])
        self.created += 1
        if waiter.done():
            self.give_back(transcriber)
        else:
            waiter.set_result(transcriber)

    def idle(self, rate_hz: int = 8000, digits: bool = False) -> int:
        return len(self._idle.get((rate_hz, digits), []))

    def waiting(self) -> int:
        return sum(len(w) for w in self._waiters.values())

    async def warm(self, count: int, rate_hz: int, speech: Sequence[bytes]) -> None:
        """Prepares count recognisers (at most the limit) by decoding speech (e.g. the line's own prompts)."""
        async def one() -> Transcriber:
            transcriber = await self.take(rate_hz)
            for pcm in speech:
                await self.pool.run(transcriber.accept, pcm)
                await self.pool.run(transcriber.finish)
            return transcriber

        for transcriber in await asyncio.gather(*(one() for _ in range(min(count, self.limit)))):
            self.give_back(transcriber)


class UtteranceStream:
    """One utterance decoded while it is spoken. The call feeds 20 ms frames; whenever at least chunk_ms of
    audio is waiting and no decoding job of this call is running, what is waiting goes to the pool in one job.
    At the end of the utterance (end()) only the last chunk and the final result remain to be decoded.
    A call's streams run one after the other on its one recogniser (previous: the stream before)."""

    def __init__(self, transcriber: Callable[[], Awaitable[Transcriber]], pool: DecodingPool, rate_hz: int,
                 on_partial: Callable[[str], None] = lambda text: None,
                 previous: Optional["UtteranceStream"] = None, chunk_ms: int = 100,
                 done: Callable[[Transcriber], None] = lambda transcriber: None) -> None:
        """transcriber: the recogniser to use, awaited before the first audio is decoded; done: given it back
        once this stream no longer uses it, its utterance finished (also after a cancellation)."""
        self._transcriber = transcriber
        self._done = done
        self._pool = pool
        self._chunk_bytes = rate_hz * 2 * chunk_ms // 1000
        self._bytes_per_s = rate_hz * 2
        self._on_partial = on_partial
        self._previous = previous
        self._waiting = bytearray()
        self._waiting_since: Optional[float] = None   # when the oldest audio waiting arrived
        self._decoding_since: Optional[float] = None  # … and the oldest of the audio being decoded now
        self._wake = asyncio.Event()
        self.ended_at: Optional[float] = None
        self.decoded_s = 0.0
        pool.streams.add(self)
        self._task = asyncio.create_task(self._decode())

    @property
    def ended(self) -> bool:
        return self.ended_at is not None

    def feed(self, pcm: bytes) -> None:
        if self.ended:
            return
        if not self._waiting:
            self._waiting_since = time.monotonic()
        self._waiting += pcm
        if len(self._waiting) >= self._chunk_bytes:
            self._wake.set()

    def end(self) -> None:
        """The utterance is over: decode what is left and the final result now."""
        if not self.ended:
            self.ended_at = time.monotonic()
            self._wake.set()

    async def result(self) -> Recognition:
        """The whole utterance's text (the segments Vosk closed on its own, then the final one)."""
        self.end()
        return await asyncio.shield(self._task)

    def lag_s(self, now: Optional[float] = None) -> float:
        oldest = self._decoding_since or self._waiting_since
        return 0.0 if oldest is None else (now or time.monotonic()) - oldest

    @property
    def done(self) -> bool:
        return self._task.done()

    def cancel(self) -> None:
        self._task.cancel()
        self._pool.streams.discard(self)

    async def _decode(self) -> Recognition:
        heard: List[str] = []
        words: List[Tuple[str, float]] = []
        transcriber: Optional[Transcriber] = None
        try:
            if self._previous is not None:
                await asyncio.gather(self._previous._task, return_exceptions=True)
                self._previous = None
            transcriber = await self._transcriber()
            while True:
                await self._wake.wait()
                self._wake.clear()
                while len(self._waiting) >= self._chunk_bytes or (self.ended and self._waiting):
                    pcm, self._waiting = bytes(self._waiting), bytearray()
                    self._decoding_since, self._waiting_since = self._waiting_since, None
                    transcriber.busy = True   # from now: a job may run on it, even if this stream is cancelled
                    result = await self._pool.run(transcriber.accept, pcm)
                    self._decoding_since = None
                    self.decoded_s += len(pcm) / self._bytes_per_s
                    if result.final and result.text:
                        heard.append(result.text)
                        words += result.words
                    elif result.text:
                        self._on_partial(result.text)
                if self.ended:
                    self._decoding_since = self.ended_at
                    transcriber.busy = True
                    final = await self._pool.run(transcriber.finish)
                    return Recognition(" ".join(heard + [final.text]).strip(), words + final.words)
        finally:
            self._waiting_since = self._decoding_since = None
            self._pool.streams.discard(self)
            if transcriber is not None:
                self._done(transcriber)   # the pool takes it back finished, or lets it go if a job still runs


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
