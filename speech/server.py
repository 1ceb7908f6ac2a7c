"""The voice line's transports: Asterisk AudioSocket (TCP) and a WebSocket for browser calls.

One connection is one call and one Rasa conversation (sender id = the call's UUID). A call that
breaks the protocol, stalls or fails ends alone with a log line; a cap on concurrent calls answers
extra calls with a busy message instead of slowing every call down.
"""
from __future__ import annotations

import asyncio
import json
import logging
import shutil
import uuid
from pathlib import Path
from typing import AsyncIterator, Optional, Set

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
from speech.stt import ModelLoader, Transcriber
from speech.tts import EspeakTts, TextToSpeech

logger = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
FIRST_FRAME_TIMEOUT_S = 5
READ_TIMEOUT_S = 30      # Asterisk sends audio every 20 ms: this much silence on the wire is a dead peer
WRITE_TIMEOUT_S = 2      # a peer that stops reading ends its own call
BROWSER_RATES_HZ = (8000, 16000, 48000)
BUSY = "您好，这里是96110反诈中心。现在来电较多，请稍后再拨；情况紧急请直接拨打110。"


class VoiceLine:
    """What every call shares: the model, the TTS, the Rasa client, the call cap."""

    def __init__(self, settings: Settings, tts: Optional[TextToSpeech] = None,
                 call_settings: Optional[CallSettings] = None) -> None:
        self.settings = settings
        self.stt = ModelLoader(settings.vosk_model_dir)
        self.tts = tts or EspeakTts()
        self.call_settings = call_settings or CallSettings()
        self.calls: Set[Call] = set()
        self._session: Optional[aiohttp.ClientSession] = None
        self.rasa: Optional[VoiceRasa] = None

    async def open(self) -> None:
        self._session = aiohttp.ClientSession()
        self.rasa = VoiceRasa(self._session, self.settings.rasa_url, self.settings.rasa_token)
        if self.stt.present():
            await asyncio.to_thread(self.stt.model)
            logger.info("voice line: speech recognition on (%s)", self.stt.directory)
        else:
            logger.warning("voice line: no Vosk model in %s; keypad-only mode "
                           "(python -m speech download-model to enable speech)", self.stt.directory)

    async def close(self) -> None:
        for call in list(self.calls):
            await call.end()
        if self._session:
            await self._session.close()

    def full(self) -> bool:
        return len(self.calls) >= self.settings.max_calls

    def new_call(self, call_id: str, rate_hz: int, send_frame, hangup) -> Call:
        def log(event: CallEvent) -> None:
            if event.kind in ("error", "handoff", "call-started", "call-ended", "reprompt", "silence-hangup"):
                logger.info("call %s: %s %s", call_id, event.kind, event.data)

        call = Call(call_id, rate_hz, send_frame, hangup, self.rasa, self.tts, self.stt, log, self.call_settings)
        self.calls.add(call)
        return call

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


async def _write(writer: asyncio.StreamWriter, frame: proto.Frame) -> None:
    writer.write(frame.encode())
    if writer.transport.get_write_buffer_size() > 0:
        await within(writer.drain(), WRITE_TIMEOUT_S)


async def handle_audiosocket(line: VoiceLine, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    peer = writer.get_extra_info("peername")
    call: Optional[Call] = None
    call_id = "?"
    try:
        first = await proto.read_frame(reader, FIRST_FRAME_TIMEOUT_S)
        if first is None or first.kind != proto.UUID:
            raise ProtocolError("the first frame must be the call UUID")
        call_id = proto.call_uuid(first)
        if line.full():
            logger.warning("call %s from %s refused: %d calls already", call_id, peer, len(line.calls))
            await send_paced(await line.busy_audio(8000), 8000,
                             lambda pcm: _write(writer, proto.audio_frame(pcm, 8000)))
            await _write(writer, proto.hangup_frame())
            return
        rate_hz = 8000
        frame = await proto.read_frame(reader, FIRST_FRAME_TIMEOUT_S)  # the first audio tells the rate
        if frame is not None and frame.rate_hz:
            rate_hz = frame.rate_hz

        async def send(pcm: bytes) -> None:
            await _write(writer, proto.audio_frame(pcm, rate_hz))

        async def hangup() -> None:
            await _write(writer, proto.hangup_frame())
            writer.close()

        call = line.new_call(call_id, rate_hz, send, hangup)
        await call.start()
        while frame is not None and not call.ended:
            await _dispatch(call, frame, rate_hz)
            frame = await proto.read_frame(reader, READ_TIMEOUT_S)
    except ProtocolError as error:
        logger.warning("call %s from %s: protocol error: %s; ending this call", call_id, peer, error)
    except asyncio.TimeoutError:
        logger.warning("call %s from %s: peer silent or not reading; ending this call", call_id, peer)
    except (ConnectionError, OSError) as error:
        logger.info("call %s from %s: connection lost (%s)", call_id, peer, error)
    finally:
        if call is not None:
            await call.end()
            line.calls.discard(call)
        writer.close()


async def _dispatch(call: Call, frame: proto.Frame, rate_hz: int) -> None:
    if frame.kind == proto.HANGUP:
        call.ended = True
    elif frame.kind == proto.DTMF:
        await call.dtmf(chr(frame.payload[0]))
    elif frame.kind == proto.ERROR:
        raise ProtocolError(f"Asterisk reported error {frame.payload.hex() or '(none)'}")
    elif frame.rate_hz:
        if frame.rate_hz != rate_hz:
            raise ProtocolError(f"audio rate changed from {rate_hz} to {frame.rate_hz} Hz")
        size = frame_bytes(rate_hz)
        for start in range(0, len(frame.payload) - size + 1, size):
            await call.audio(frame.payload[start:start + size])
    elif frame.kind == proto.UUID:
        raise ProtocolError("a second UUID frame")


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
        if line.full():
            await socket.send_bytes(await line.busy_audio(rate_hz))
            await socket.send_json({"type": "hangup", "reason": "busy"})
            return socket

        async def send(pcm: bytes) -> None:
            await within(socket.send_bytes(pcm), WRITE_TIMEOUT_S)

        async def hangup() -> None:
            await socket.send_json({"type": "hangup"})
            await socket.close()

        call = line.new_call(str(uuid.uuid4()), rate_hz, send, hangup)
        await socket.send_json({"type": "call", "call_id": call.call_id, "keypad_only": call.keypad_only})
        await call.start()
        size = frame_bytes(rate_hz)
        async for message in socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                for offset in range(0, len(message.data) - size + 1, size):
                    await call.audio(message.data[offset:offset + size])
            elif message.type == aiohttp.WSMsgType.TEXT:
                data = json.loads(message.data)
                if data.get("type") == "dtmf" and str(data.get("digit")) in proto.DTMF_DIGITS:
                    await call.dtmf(str(data["digit"]))
                elif data.get("type") == "hangup":
                    break
            if call.ended:
                break
    except (asyncio.TimeoutError, ValueError, TypeError) as error:
        logger.warning("browser call: bad input (%s); ending it", error)
    finally:
        if call is not None:
            await call.end()
            line.calls.discard(call)
        await socket.close()
    return socket


MAX_CLIP_BYTES = 2 * 1024 * 1024  # a 60 s WeChat voice message is ~100 KB of AMR


async def decode_to_pcm(clip: bytes, rate_hz: int) -> bytes:
    """Any audio ffmpeg reads (WeChat sends AMR) as 16-bit mono PCM."""
    if shutil.which("ffmpeg") is None:
        raise SttError("ffmpeg is not installed (apt-get install ffmpeg) to decode voice messages")
    process = await asyncio.create_subprocess_exec(
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "pipe:0", "-f", "s16le", "-ac", "1",
        "-ar", str(rate_hz), "pipe:1", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    pcm, err = await process.communicate(clip)
    if process.returncode != 0:
        raise SttError(f"cannot decode the voice message: {err.decode('utf-8', 'replace')[:200]}")
    return pcm


async def transcribe(request: web.Request) -> web.Response:
    """A recorded clip (a WeChat voice message) as normalised text; for the channels, with the Rasa token."""
    line: VoiceLine = request.app[VOICE_LINE]
    if not has_service_token(request, line.settings.rasa_token):
        raise web.HTTPUnauthorized()
    if not line.stt.present():
        return web.json_response({"error": "no-model"}, status=503)
    clip = await request.content.read(MAX_CLIP_BYTES + 1)
    if not clip or len(clip) > MAX_CLIP_BYTES:
        return web.json_response({"error": "bad-clip"}, status=400)
    try:
        pcm = await decode_to_pcm(clip, 16000)
        transcriber = await asyncio.to_thread(Transcriber, line.stt.model(), 16000)
        await asyncio.to_thread(transcriber.accept, pcm)
        result = await asyncio.to_thread(transcriber.finish)
    except SttError as error:
        return web.json_response({"error": error.code, "message": str(error)}, status=422)
    return web.json_response({"text": normalise_transcript(result.text), "confidence": result.confidence})


async def call_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "call.html")


async def health(request: web.Request) -> web.Response:
    line: VoiceLine = request.app[VOICE_LINE]
    return web.json_response({"status": "ok", "calls": len(line.calls), "max_calls": line.settings.max_calls,
                              "speech_recognition": line.stt.present()})


VOICE_LINE = web.AppKey("voice_line", VoiceLine)


def create_voice_app(line: VoiceLine) -> web.Application:
    app = web.Application()
    app[VOICE_LINE] = line

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        await line.open()
        server = await asyncio.start_server(lambda r, w: handle_audiosocket(line, r, w),
                                            line.settings.host, line.settings.audiosocket_port)
        logger.info("AudioSocket listening on %s:%s", line.settings.host, line.settings.audiosocket_port)
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
