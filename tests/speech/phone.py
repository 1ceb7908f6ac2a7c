"""A test telephone that speaks AudioSocket the way Asterisk does: UUID first, then 20 ms of audio
every 20 ms on a fixed schedule (silence unless it is saying something: say()), DTMF digits as 0x03 frames."""
from __future__ import annotations

import asyncio
import struct
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Deque, List, Optional, Tuple

KIND_FOR_RATE = {8000: 0x10, 16000: 0x12}


@dataclass
class Phone:
    port: int
    rate_hz: int = 8000
    call_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    received: List[Tuple[float, int, bytes]] = field(default_factory=list)  # (time, kind, payload)
    hung_up_by_server: bool = False
    closed: bool = False
    _speech: Deque[bytes] = field(default_factory=deque)
    _said: Optional[asyncio.Future] = None

    async def dial(self, send_uuid: bool = True) -> "Phone":
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        if send_uuid:
            self.send_raw(struct.pack(">BH", 0x01, 16) + uuid.UUID(self.call_id).bytes)
        self._tasks = [asyncio.create_task(self._talk()), asyncio.create_task(self._listen())]
        return self

    def send_raw(self, data: bytes) -> None:
        if not self.writer.is_closing():
            self.writer.write(data)

    async def _talk(self) -> None:
        size = self.rate_hz // 50 * 2
        silence = b"\x00" * size
        kind = KIND_FOR_RATE[self.rate_hz]
        next_at = time.monotonic()
        while not self.closed:
            if self._speech:
                frame = self._speech.popleft()
                frame += b"\x00" * (size - len(frame))
                if not self._speech and self._said is not None and not self._said.done():
                    self._said.set_result(time.monotonic() + 0.02)  # when the last speech frame has played
            else:
                frame = silence
            self.send_raw(struct.pack(">BH", kind, len(frame)) + frame)
            try:
                await self.writer.drain()
            except ConnectionError:
                return
            next_at += 0.02
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))

    def say(self, pcm: bytes) -> "asyncio.Future[float]":
        """Speaks pcm (16-bit mono at the phone's rate) in place of silence, in real time; the future gives
        the moment the caller stopped speaking."""
        size = self.rate_hz // 50 * 2
        self._speech.extend(pcm[i:i + size] for i in range(0, len(pcm), size))
        self._said = asyncio.get_running_loop().create_future()
        return self._said

    async def _listen(self) -> None:
        try:
            while True:
                kind, length = struct.unpack(">BH", await self.reader.readexactly(3))
                payload = await self.reader.readexactly(length) if length else b""
                self.received.append((time.monotonic(), kind, payload))
                if kind == 0x00:
                    self.hung_up_by_server = True
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.closed = True

    def stop_talking(self) -> None:
        """No more audio frames; the connection stays open."""
        self._tasks[0].cancel()

    def send_hangup_frame(self) -> None:
        """The hang-up frame alone, the connection left open (as a misbehaving peer might)."""
        self.send_raw(b"\x00\x00\x00")

    async def press(self, keys: str) -> None:
        for key in keys:
            self.send_raw(struct.pack(">BH", 0x03, 1) + key.encode())
            await asyncio.sleep(0.05)

    def audio_frames(self, since: float = 0.0) -> List[Tuple[float, bytes]]:
        return [(t, p) for t, k, p in self.received if k != 0x00 and t >= since]

    async def wait_for_audio(self, since: float, timeout: float = 30.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            frames = self.audio_frames(since)
            if frames:
                return frames[0][0]
            if self.closed:
                raise AssertionError("the call ended while waiting for audio")
            await asyncio.sleep(0.02)
        raise AssertionError("no audio in time")

    async def wait_until_quiet(self, quiet_s: float = 1.0, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = self.received[-1][0] if self.received else 0.0
            if self.closed or (last and time.monotonic() - last > quiet_s):
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the line never went quiet")

    async def wait_closed(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.closed and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert self.closed, "the server did not end the call"

    async def hang_up(self) -> None:
        self.send_raw(b"\x00\x00\x00")
        self.closed = True
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.writer.close()

