"""The voice line's transports: Asterisk AudioSocket (TCP) and a WebSocket for browser calls.

One connection is one call and one Rasa conversation (sender id = the call's UUID). A call that
breaks the protocol, stalls or fails ends alone with a log line. Admission: at most VOICE_SPEECH_CALLS
calls have speech recognition (the measured capacity of the cores); past that, or while recognition is
saturated (audio waiting longer than SATURATED_LAG_S to be decoded), a new caller gets the keypad menu
(VOICE_OVERFLOW=keypad) or the busy message; past MAX_CALLS every new caller hears the busy message
(with the 110 advice) instead of every call slowing down. AudioSocket connections are taken
only from AUDIOSOCKET_ALLOWED_PEERS (the Asterisk host); browser calls have a smaller cap of their own,
so the web page can never take every line. Audio arriving faster than real time is dropped.
"""
from __future__ import annotations

import asyncio
import json
import logging
import shutil
import time
import uuid
from pathlib import Path
from typing import AsyncIterator, Callable, List, Optional, Set

import aiohttp
from aiohttp import web

from bot.desk.auth import has_service_token, same_origin
from bot.settings import Settings
from speech import audiosocket as proto
from speech.audio import frame_bytes, send_paced
from speech.call import Call, CallEvent, CallSettings
from speech.errors import ProtocolError, SttError
from speech.itn import normalise_transcript
from speech.rasa_client import VoiceRasa
from speech.stt import DecodingPool, ModelLoader, RecognizerPool
from speech.tts import EspeakTts, TextToSpeech

logger = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
FIRST_FRAME_TIMEOUT_S = 5
READ_TIMEOUT_S = 30      # Asterisk sends audio every 20 ms: this much silence on the wire is a dead peer
WRITE_TIMEOUT_S = 2      # a peer that stops reading ends its own call
BROWSER_RATES_HZ = (8000, 16000, 48000)
AUDIO_BURST_S = 3.0      # audio may arrive this far ahead of real time (a network stall catching up)…
AUDIO_SPEED_LIMIT = 1.5  # …and then at most this much faster than real time; the rest is dropped
BUSY = "您好，这里是96110反诈中心。现在来电较多，请稍后再拨；情况紧急请直接拨打110。"
SATURATED_LAG_S = 1.0    # speech waiting this long to be decoded: recognition is saturated…
SATURATED_HOLD_S = 5.0   # …and counts as saturated this long after, so admission does not flap
# What warms the recognisers before the first call: sentences a caller might say, in the line's own voice
# (a new recogniser spends seconds of CPU on its first sentences: speech.stt.RecognizerPool).
WARM_UP_TEXTS = ("我刚才接到一个电话，说我的银行卡涉嫌洗钱，让我把钱转到安全账户。", "昨天晚上八点用支付宝转了两千五百块钱。",
                 "我在网上做刷单兼职，先垫付了三万，现在提现提不出来。", "请问出租银行卡犯法吗？我想找民警。")


class VoiceLine:
    """What every call shares: the model, the TTS, the Rasa client, the call cap."""

    def __init__(self, settings: Settings, tts: Optional[TextToSpeech] = None,
                 call_settings: Optional[CallSettings] = None, warm_up: bool = True) -> None:
        """warm_up: prepare a warm recogniser for every call the line admits with speech, at start."""
        self.settings = settings
        self.stt = ModelLoader(settings.vosk_model_dir)
        self.call_settings = call_settings or CallSettings()
        self.tts = tts or EspeakTts(speed_wpm=self.call_settings.speech_rate_wpm)
        self.calls: Set[Call] = set()
        self.browser_calls: Set[Call] = set()
        self.speech_calls: Set[Call] = set()
        self.listeners: List[Callable[[str, CallEvent], None]] = []  # (call_id, event): metrics, tests
        self.pool = DecodingPool(self.call_settings.decode_threads)  # every call's recognition, and /api/transcribe
        self.recognizers = RecognizerPool(self.stt, self.pool, self.call_settings.recognizers)
        self.warm_up = warm_up
        self._warming: Optional[asyncio.Task] = None
        self.transcriptions = asyncio.Semaphore(2)  # clips at once; more only queue
        self.admitted = {"speech": 0, "keypad": 0, "busy": 0}  # since start: how callers were admitted
        self.max_lag_s = 0.0                                     # worst recognition lag seen since start
        self._saturated_until = 0.0
        self._session: Optional[aiohttp.ClientSession] = None
        self._monitor: Optional[asyncio.Task] = None
        self.rasa: Optional[VoiceRasa] = None

    @property
    def speech_limit(self) -> int:
        return min(self.call_settings.speech_call_limit, self.settings.max_calls)

    async def open(self) -> None:
        self._session = aiohttp.ClientSession()
        self.rasa = VoiceRasa(self._session, self.settings.rasa_url, self.settings.rasa_token)
        if self.stt.present():
            await asyncio.to_thread(self.stt.model)
            logger.info("voice line: speech recognition on (%s); %d calls with recognition at once, "
                        "%d decoding threads", self.stt.directory, self.speech_limit, self.pool.threads)
            if self.warm_up:
                self._warming = asyncio.create_task(self._warm_recognizers())
        else:
            logger.warning("voice line: no Vosk model in %s; keypad-only mode "
                           "(python -m speech download-model to enable speech)", self.stt.directory)
        self._monitor = asyncio.create_task(self._watch_recognition())

    async def _warm_recognizers(self) -> None:
        started = time.monotonic()
        try:
            speech = [await self.tts.synthesize(text, 8000) for text in WARM_UP_TEXTS]
            await self.recognizers.warm(self.recognizers.limit, 8000, speech)
        except Exception:  # noqa: BLE001 (calls then warm their recognisers themselves)
            logger.exception("voice line: warming the recognisers failed")
            return
        logger.info("voice line: %d recognisers warmed in %.1f s", self.recognizers.limit, time.monotonic() - started)

    async def close(self) -> None:
        for task in (self._monitor, self._warming):
            if task:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        for call in list(self.calls):
            await self.end_call(call)
        if self._session:
            await self._session.close()
        self.pool.close()

    async def _watch_recognition(self) -> None:
        """Samples the recognition lag every 100 ms: saturation is remembered for SATURATED_HOLD_S."""
        while True:
            await asyncio.sleep(0.1)
            self.saturated()

    def saturated(self) -> bool:
        """Whether recognition is behind the callers (now or within the last SATURATED_HOLD_S)."""
        lag, now = self.pool.lag_s(), time.monotonic()
        self.max_lag_s = max(self.max_lag_s, lag)
        if lag > SATURATED_LAG_S:
            if now >= self._saturated_until:
                logger.warning("voice line: recognition saturated (speech waiting %.1f s to be decoded); "
                               "new callers get the keypad menu", lag)
            self._saturated_until = now + SATURATED_HOLD_S
        return now < self._saturated_until

    def full(self, browser: bool = False) -> bool:
        return len(self.calls) >= self.settings.max_calls or (
            browser and len(self.browser_calls) >= self.call_settings.browser_max_calls)

    def admission(self, browser: bool = False) -> str:
        """How a new caller is taken: "speech" (recognition), "keypad" (the menu, no recognition) or "busy"."""
        if self.full(browser):
            return "busy"
        if not self.stt.present():
            return "speech"  # keypad-only anyway, and said so in the greeting as always
        if len(self.speech_calls) < self.speech_limit and not self.saturated():
            return "speech"
        return "keypad" if self.call_settings.overflow == "keypad" else "busy"

    def new_call(self, call_id: str, rate_hz: int, send_frame, hangup, browser: bool = False,
                 admission: str = "speech") -> Call:
        """Takes a line at once (no await between admission() and here, so no limit can be overrun)."""
        def emit(event: CallEvent) -> None:
            if event.kind in ("error", "handoff", "call-started", "call-ended", "reprompt", "silence-hangup",
                              "limit-reached"):
                logger.info("call %s: %s %s", call_id, event.kind, event.data)
            for listener in self.listeners:
                listener(call_id, event)

        call = Call(call_id, rate_hz, send_frame, hangup, self.rasa, self.tts, self.stt, emit, self.call_settings,
                    recognizers=self.recognizers, overflow=admission == "keypad")
        self.admitted[admission] += 1
        self.calls.add(call)
        if browser:
            self.browser_calls.add(call)
        if not call.keypad_only:
            self.speech_calls.add(call)
        return call

    def refused(self, call_id: str, peer) -> None:
        self.admitted["busy"] += 1
        logger.warning("call %s from %s refused: %d calls, %d with recognition", call_id, peer, len(self.calls),
                       len(self.speech_calls))
        for listener in self.listeners:
            listener(call_id, CallEvent("busy", {"calls": len(self.calls)}))

    async def end_call(self, call: Call) -> None:
        """Frees the line first, then stops the call."""
        self.calls.discard(call)
        self.browser_calls.discard(call)
        self.speech_calls.discard(call)
        await call.end()

    def health(self) -> dict:
        """What the desk and monitoring see: calls in progress, and whether recognition keeps up."""
        return {"status": "ok", "calls": len(self.calls), "max_calls": self.settings.max_calls,
                "speech_recognition": self.stt.present(),
                "speech_calls": len(self.speech_calls), "speech_limit": self.speech_limit,
                "keypad_calls": len(self.calls) - len(self.speech_calls),
                "recognition": {"saturated": self.saturated(), "lag_ms": round(1000 * self.pool.lag_s()),
                                "max_lag_ms": round(1000 * self.max_lag_s), "decode_threads": self.pool.threads,
                                "recognizers": self.recognizers.created, "waiting": self.recognizers.waiting(),
                                "warm": self._warming is not None and self._warming.done()},
                "admitted": dict(self.admitted)}

    async def busy_audio(self, rate_hz: int) -> bytes:
        return await self.tts.synthesize(BUSY, rate_hz)


# --- Asterisk AudioSocket --------------------------------------------------------------------
async def within(awaitable, timeout_s: float):
    """Like asyncio.wait_for, but a cancellation of the caller is never swallowed (Python 3.10's
    wait_for can lose it when the inner future finishes at the same moment)."""
    future = asyncio.ensure_future(awaitable)
    try:
        done, _ = await asyncio.wait({future}, timeout=timeout_s)
    finally:
        if not future.done():
            future.cancel()
    if not done:
        raise asyncio.TimeoutError()
    return future.result()


class AudioBudget:
    """How much audio a call may take in: real time plus a burst; a peer that floods gets the rest dropped."""

    def __init__(self, rate_hz: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._bytes_per_s = rate_hz * 2
        self._clock = clock
        self._started = clock()
        self._taken = 0
        self.dropped = 0

    def take(self, size: int) -> bool:
        allowed = (AUDIO_BURST_S + AUDIO_SPEED_LIMIT * (self._clock() - self._started)) * self._bytes_per_s
        if self._taken + size > allowed:
            self.dropped += size
            return False
        self._taken += size
        return True


async def _write(writer: asyncio.StreamWriter, frame: proto.Frame) -> None:
    writer.write(frame.encode())
    if writer.transport.get_write_buffer_size() > 0:
        await within(writer.drain(), WRITE_TIMEOUT_S)


async def handle_audiosocket(line: VoiceLine, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    peer = writer.get_extra_info("peername")
    if not (peer and line.call_settings.peer_allowed(str(peer[0]))):
        logger.warning("AudioSocket connection from %s refused: not in AUDIOSOCKET_ALLOWED_PEERS", peer)
        writer.close()
        return
    call: Optional[Call] = None
    call_id = "?"
    try:
        first = await proto.read_frame(reader, FIRST_FRAME_TIMEOUT_S)
        if first is None or first.kind != proto.UUID:
            raise ProtocolError("the first frame must be the call UUID")
        call_id = proto.call_uuid(first)
        frame = await proto.read_frame(reader, FIRST_FRAME_TIMEOUT_S)  # the first audio tells the rate
        if frame is None or frame.kind == proto.HANGUP:
            return
        rate_hz = frame.rate_hz or 8000
        admission = line.admission()
        if admission == "busy":
            line.refused(call_id, peer)
            await send_paced(await line.busy_audio(rate_hz), rate_hz,
                             lambda pcm: _write(writer, proto.audio_frame(pcm, rate_hz)))
            await _write(writer, proto.hangup_frame())
            return

        async def send(pcm: bytes) -> None:
            await _write(writer, proto.audio_frame(pcm, rate_hz))

        async def hangup() -> None:
            await _write(writer, proto.hangup_frame())
            writer.close()

        call = line.new_call(call_id, rate_hz, send, hangup, admission=admission)
        await call.start()
        budget = AudioBudget(rate_hz)
        while frame is not None and not call.ended:
            if not await _dispatch(call, frame, rate_hz, budget):
                break  # the caller hung up: the line is freed now, not at the next frame
            frame = await proto.read_frame(reader, READ_TIMEOUT_S)
        if budget.dropped:
            logger.warning("call %s from %s: %d bytes of audio faster than real time dropped",
                           call_id, peer, budget.dropped)
    except ProtocolError as error:
        logger.warning("call %s from %s: protocol error: %s; ending this call", call_id, peer, error)
    except asyncio.TimeoutError:
        logger.warning("call %s from %s: peer silent or not reading; ending this call", call_id, peer)
    except (ConnectionError, OSError) as error:
        logger.info("call %s from %s: connection lost (%s)", call_id, peer, error)
    finally:
        writer.close()
        if call is not None:
            await line.end_call(call)


async def _dispatch(call: Call, frame: proto.Frame, rate_hz: int, budget: AudioBudget) -> bool:
    """Hands one frame to the call; False for a hang-up."""
    if frame.kind == proto.HANGUP:
        return False
    if frame.kind == proto.DTMF:
        await call.dtmf(chr(frame.payload[0]))
    elif frame.kind == proto.ERROR:
        raise ProtocolError(f"Asterisk reported error {frame.payload.hex() or '(none)'}")
    elif frame.rate_hz:
        if frame.rate_hz != rate_hz:
            raise ProtocolError(f"audio rate changed from {rate_hz} to {frame.rate_hz} Hz")
        if budget.take(len(frame.payload)):
            size = frame_bytes(rate_hz)
            for start in range(0, len(frame.payload) - size + 1, size):
                await call.audio(frame.payload[start:start + size])
    elif frame.kind == proto.UUID:
        raise ProtocolError("a second UUID frame")
    return True


# --- browser calls over a WebSocket --------------------------------------------------------------
async def browser_call(request: web.Request) -> web.WebSocketResponse:
    line: VoiceLine = request.app[VOICE_LINE]
    if not same_origin(request):
        raise web.HTTPForbidden(text="cross-origin voice calls are not allowed")
    socket = web.WebSocketResponse(max_msg_size=64 * 1024, heartbeat=20)
    await socket.prepare(request)
    call: Optional[Call] = None
    try:
        start = await socket.receive_json(timeout=FIRST_FRAME_TIMEOUT_S)
        rate_hz = int(start.get("rate", 0)) if isinstance(start, dict) and start.get("type") == "start" else 0
        if rate_hz not in BROWSER_RATES_HZ:
            await socket.close(code=aiohttp.WSCloseCode.POLICY_VIOLATION, message=b"start with a supported rate")
            return socket
        admission = line.admission(browser=True)
        if admission == "busy":
            line.refused("browser", request.remote)
            await socket.send_bytes(await line.busy_audio(rate_hz))
            await socket.send_json({"type": "hangup", "reason": "busy"})
            return socket

        async def send(pcm: bytes) -> None:
            await within(socket.send_bytes(pcm), WRITE_TIMEOUT_S)

        async def hangup() -> None:
            await socket.send_json({"type": "hangup"})
            await socket.close()

        call = line.new_call(str(uuid.uuid4()), rate_hz, send, hangup, browser=True, admission=admission)
        await socket.send_json({"type": "call", "call_id": call.call_id, "keypad_only": call.keypad_only})
        await call.start()
        size = frame_bytes(rate_hz)
        budget = AudioBudget(rate_hz)
        async for message in socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                if budget.take(len(message.data)):
                    for offset in range(0, len(message.data) - size + 1, size):
                        await call.audio(message.data[offset:offset + size])
            elif message.type == aiohttp.WSMsgType.TEXT:
                data = json.loads(message.data)
                if not isinstance(data, dict):
                    raise ValueError("a text message must be a JSON object")
                if data.get("type") == "dtmf" and str(data.get("digit")) in proto.DTMF_DIGITS:
                    await call.dtmf(str(data["digit"]))
                elif data.get("type") == "hangup":
                    break
            if call.ended:
                break
        if budget.dropped:
            logger.warning("browser call %s: %d bytes of audio faster than real time dropped",
                           call.call_id, budget.dropped)
    except (asyncio.TimeoutError, ValueError, TypeError) as error:
        logger.warning("browser call: bad input (%s); ending it", error)
    finally:
        if call is not None:
            await line.end_call(call)
        await socket.close()
    return socket


MAX_CLIP_BYTES = 2 * 1024 * 1024  # a 60 s WeChat voice message is ~100 KB of AMR
MAX_CLIP_S = 120                  # WeChat voice messages last at most 60 s; more is not a voice message
DECODE_TIMEOUT_S = 10


async def decode_to_pcm(clip: bytes, rate_hz: int) -> bytes:
    """Any audio ffmpeg reads (WeChat sends AMR) as 16-bit mono PCM, at most MAX_CLIP_S of it. ffmpeg may
    open nothing but its pipes (a playlist in the clip cannot make it read files or URLs)."""
    if shutil.which("ffmpeg") is None:
        raise SttError("ffmpeg is not installed (apt-get install ffmpeg) to decode voice messages")
    process = await asyncio.create_subprocess_exec(
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-protocol_whitelist", "pipe",
        "-i", "pipe:0", "-t", str(MAX_CLIP_S), "-f", "s16le", "-ac", "1", "-ar", str(rate_hz), "pipe:1",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        pcm, err = await within(process.communicate(clip), DECODE_TIMEOUT_S)
    except asyncio.TimeoutError:
        raise SttError(f"decoding the voice message took more than {DECODE_TIMEOUT_S} s") from None
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    if process.returncode != 0:
        raise SttError(f"cannot decode the voice message: {err.decode('utf-8', 'replace')[:200]}")
    return pcm


async def read_body(request: web.Request, limit: int) -> Optional[bytes]:
    """The whole request body, or None when it is larger than limit (read no further than that)."""
    if request.content_length is not None and request.content_length > limit:
        return None
    body = bytearray()
    async for chunk in request.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


async def transcribe(request: web.Request) -> web.Response:
    """A recorded clip (a WeChat voice message) as normalised text; for the channels, with the Rasa token."""
    line: VoiceLine = request.app[VOICE_LINE]
    if not has_service_token(request, line.settings.rasa_token):
        raise web.HTTPUnauthorized()
    if not line.stt.present():
        return web.json_response({"error": "no-model"}, status=503)
    clip = await read_body(request, MAX_CLIP_BYTES)
    if clip is None:
        return web.json_response({"error": "too-large", "max_bytes": MAX_CLIP_BYTES}, status=413)
    if not clip:
        return web.json_response({"error": "bad-clip"}, status=400)
    if line.transcriptions.locked():  # the channel waits 4 s at most: say so now rather than queue
        return web.json_response({"error": "busy"}, status=503)
    try:
        async with line.transcriptions:
            pcm = await decode_to_pcm(clip, 16000)
            transcriber = await line.recognizers.take(16000)   # a warm one, shared like the calls'
            try:
                transcriber.busy = True
                await line.pool.run(transcriber.accept, pcm)
                transcriber.busy = True
                result = await line.pool.run(transcriber.finish)
            finally:
                line.recognizers.give_back(transcriber)
    except SttError as error:
        return web.json_response({"error": error.code, "message": str(error)}, status=422)
    return web.json_response({"text": normalise_transcript(result.text), "confidence": result.confidence})


async def call_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "call.html")


async def health(request: web.Request) -> web.Response:
    line: VoiceLine = request.app[VOICE_LINE]
    return web.json_response(line.health())


VOICE_LINE = web.AppKey("voice_line", VoiceLine)


def create_voice_app(line: VoiceLine) -> web.Application:
    app = web.Application()
    app[VOICE_LINE] = line

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        await line.open()
        server = await asyncio.start_server(lambda r, w: handle_audiosocket(line, r, w),
                                            line.settings.host, line.settings.audiosocket_port)
        peers = line.call_settings.allowed_peers
        logger.info("AudioSocket listening on %s:%s, taking connections from %s", line.settings.host,
                    line.settings.audiosocket_port, "any address" if peers is None else ", ".join(map(str, peers)))
        if peers is None:
            logger.warning("AUDIOSOCKET_ALLOWED_PEERS=*: anyone who reaches the AudioSocket port can hold calls; "
                           "firewall it to the Asterisk host")
        yield
        server.close()
        await line.close()
        await server.wait_closed()

    app.cleanup_ctx.append(lifecycle)
    app.router.add_get("/voice/", call_page, name="voice_page")
    app.router.add_get("/voice/ws", browser_call, name="voice_ws")
    app.router.add_get("/api/health", health, name="voice_health")
    app.router.add_post("/api/transcribe", transcribe, name="voice_transcribe")
    app.router.add_static("/voice/static/", STATIC_DIR, name="voice_static")
    return app
