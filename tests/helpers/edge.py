"""A loopback fake of Microsoft Edge's read-aloud TTS service, speaking the protocol edge-tts 7.3.1 uses.

Routes (same paths as speech.platform.bing.com):
  GET /consumer/speech/synthesize/readaloud/edge/v1   WebSocket: speech.config + ssml in, turn.start /
                                                      audio.metadata / binary audio / turn.end out
  GET /consumer/speech/synthesize/readaloud/voices/list   JSON voice list

Point edge-tts at it (no patch of its code, two module globals it reads at call time):
  edge_tts.communicate.WSS_URL = fake.wss_url      # NOT edge_tts.constants.WSS_URL (from-import copy)
  edge_tts.voices.VOICE_LIST   = fake.voices_url

Behaviour per connection is taken from `fake.plan` (a list, popped from the front; empty -> "ok"):
  "ok"            turn.start, per word: audio.metadata (Word/SentenceBoundary as requested) + audio, turn.end
  ("status", n)   refuse the handshake with HTTP n (429 adds Retry-After: 2)
  "drop"          send turn.start, one boundary and one audio frame, then cut the TCP connection
  "close"         same, but a clean WebSocket close frame (code 1011) instead of a cut
  "garbage"       one boundary + audio, then an invalid WebSocket frame (reserved opcode)
  "noaudio"       turn.start then turn.end with no audio (what an unknown voice looks like)
  "stall"         turn.start then nothing (needs the caller's own timeout)
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import uuid
from html import unescape

from aiohttp import WSMsgType, web

BASE = "/consumer/speech/synthesize/readaloud"
TOKEN = "6A5AA1D4EAFF4E9FB37E23D68491D6F4"
FRAME_BYTES = 144          # MPEG-2 Layer III, 24 kHz, 48 kbit/s: 72*48000/24000 bytes, no padding
FRAME_TICKS = 240_000      # 576 samples / 24000 Hz = 24 ms = 240,000 ticks of 100 ns
WORD_FRAMES = 13           # ~312 ms of audio per word
VOICES = [
    {"Name": f"Microsoft Server Speech Text to Speech Voice (vi-VN, {n})", "ShortName": f"vi-VN-{n}",
     "Gender": g, "Locale": "vi-VN", "SuggestedCodec": "audio-24khz-48kbitrate-mono-mp3",
     "FriendlyName": f"Microsoft {n[:-6]} Online (Natural) - Vietnamese (Vietnam)", "Status": "GA",
     "VoiceTag": {"ContentCategories": ["General"], "VoicePersonalities": ["Friendly", "Positive"]}}
    for n, g in (("HoaiMyNeural", "Female"), ("NamMinhNeural", "Male"))]


def make_mp3(seconds: float = 10.0, ffmpeg: str | None = None) -> bytes:
    """Real CBR MP3 as the service sends it: 24 kHz mono 48 kbit/s, no ID3/Xing header, no bit
    reservoir, so any run of whole 144-byte frames is itself a valid MP3 and bytes map to time exactly."""
    if ffmpeg is None:  # the wheel's, never what the host has on PATH
        import imageio_ffmpeg

        ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    out = subprocess.run(
        [ffmpeg, "-v", "error", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
         "-ac", "1", "-ar", "24000", "-c:a", "libmp3lame", "-b:a", "48k", "-reservoir", "0",
         "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", "-"],
        check=True, capture_output=True).stdout
    assert len(out) % FRAME_BYTES == 0 and out[:2] == b"\xff\xf3", (len(out), out[:4])
    return out


def text_frame(path: str, body: str, request_id: str) -> str:
    return (f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
            f"Path:{path}\r\n\r\n{body}")


def audio_frame(mp3: bytes, request_id: str) -> bytes:
    # Header block must end with CRLF: edge-tts parses data[:n] (length prefix included, last 2 bytes
    # dropped) and takes the body from data[n+2:].
    head = (f"X-RequestId:{request_id}\r\n"
            + ("Content-Type:audio/mpeg\r\n" if mp3 else "")
            + f"X-StreamId:{uuid.uuid4().hex.upper()}\r\nPath:audio\r\n").encode()
    return len(head).to_bytes(2, "big") + head + mp3


class FakeEdge:
    def __init__(self, mp3: bytes | None = None, latency: float = 0.0, speed: float | None = None):
        """`latency`: seconds before the answer starts; `speed`: how many times faster than real time the
        audio is sent after that (None: all at once), a model of the service's synthesis time."""
        self.mp3 = mp3 if mp3 is not None else make_mp3()
        self.latency = latency
        self.speed = speed
        self.plan: list = []
        self.connections: list[dict] = []   # one per WebSocket attempt: query, headers, messages
        self.voice_requests: list[dict] = []
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._closing = asyncio.Event()

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> FakeEdge:
        app = web.Application()
        app.router.add_get(f"{BASE}/edge/v1", self._ws)
        app.router.add_get(f"{BASE}/voices/list", self._voices)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self._closing.set()                       # release "stall" handlers
        if self._runner:
            await self._runner.cleanup()

    @property
    def wss_url(self) -> str:      # edge-tts appends "&ConnectionId=…&Sec-MS-GEC=…", so keep the "?"
        return f"ws://127.0.0.1:{self.port}{BASE}/edge/v1?TrustedClientToken={TOKEN}"

    @property
    def voices_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{BASE}/voices/list?trustedclienttoken={TOKEN}"

    def frames(self, first: int, count: int) -> bytes:
        """`count` whole MP3 frames starting at frame `first`, wrapping round the tone (reservoir-free
        frames are independent, so any sequence of them is a valid stream)."""
        total = len(self.mp3) // FRAME_BYTES
        return b"".join(self.mp3[(i % total) * FRAME_BYTES:(i % total + 1) * FRAME_BYTES]
                        for i in range(first, first + count))

    # -- handlers ----------------------------------------------------------------------------
    async def _voices(self, request: web.Request) -> web.Response:
        self.voice_requests.append({"query": dict(request.query), "headers": dict(request.headers)})
        step = self.plan.pop(0) if self.plan else "ok"
        if isinstance(step, tuple) and step[0] == "status":
            return web.Response(status=step[1], text="refused")
        return web.json_response(VOICES)

    @staticmethod
    async def _read_request(ws: web.WebSocketResponse, conn: dict) -> tuple[dict, str | None, str]:
        """speech.config, then the SSML request: (the config, the SSML or None, its X-RequestId)."""
        config: dict = {}
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            conn["messages"].append(msg.data)
            head, _, body = msg.data.partition("\r\n\r\n")
            fields = dict(line.split(":", 1) for line in head.split("\r\n"))
            if fields.get("Path") == "speech.config":
                config = json.loads(body)
            elif fields.get("Path") == "ssml":
                return config, body, fields["X-RequestId"]
        return config, None, ""

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        conn = {"query": dict(request.query), "headers": dict(request.headers), "messages": []}
        self.connections.append(conn)
        step = self.plan.pop(0) if self.plan else "ok"
        if isinstance(step, tuple) and step[0] == "status":
            extra = {"Retry-After": "2"} if step[1] == 429 else {}
            return web.Response(status=step[1], headers=extra, text="refused")
        ws = web.WebSocketResponse(compress=True)
        await ws.prepare(request)
        config, ssml, request_id = await self._read_request(ws, conn)
        if ssml is None:
            return ws
        opts = config["context"]["synthesis"]["audio"]["metadataoptions"]
        kind = "WordBoundary" if opts.get("wordBoundaryEnabled") == "true" else "SentenceBoundary"
        await asyncio.sleep(self.latency)
        await ws.send_str(text_frame("turn.start", '{"context":{"serviceTag":"fake"}}', request_id))
        if step == "stall":
            await self._closing.wait()
            return ws
        if step == "noaudio":
            await ws.send_str(text_frame("turn.end", "{}", request_id))
            return ws
        inner = re.search(r"<prosody[^>]*>(.*)</prosody>", ssml, re.S).group(1)
        words = unescape(inner).split()             # edge-tts sends XML-escaped text
        units = [" ".join(words)] if kind == "SentenceBoundary" else words
        frames_per_unit = WORD_FRAMES * (len(words) if kind == "SentenceBoundary" else 1)
        cursor = 0                                  # in frames
        lead = 2                                    # ~48 ms of leading "silence" like the service
        await ws.send_bytes(audio_frame(self.frames(0, lead), request_id))
        cursor += lead
        for _i, unit in enumerate(units):
            meta = {"Metadata": [{"Type": kind, "Data": {
                "Offset": cursor * FRAME_TICKS, "Duration": frames_per_unit * FRAME_TICKS,
                "text": {"Text": unit, "Length": len(unit), "BoundaryType": kind}}}]}
            await ws.send_str(text_frame("audio.metadata", json.dumps(meta, ensure_ascii=False), request_id))
            await ws.send_bytes(audio_frame(self.frames(cursor, frames_per_unit), request_id))
            cursor += frames_per_unit
            if self.speed:
                await asyncio.sleep(frames_per_unit * FRAME_TICKS / 1e7 / self.speed)
            if step == "drop":
                request.transport.close()           # cut TCP, no close frame
                return ws
            if step == "garbage":                   # a frame with reserved opcode 0x3: protocol error
                request.transport.write(b"\x83\x01x")
                await asyncio.sleep(0.5)
                return ws
            if step == "close":
                await ws.close(code=1011, message=b"internal error")
                return ws
        await ws.send_bytes(audio_frame(b"", request_id))   # the service's empty end-of-audio frame
        await ws.send_str(text_frame("turn.end", "{}", request_id))
        await ws.close()
        return ws


class ThreadedFakeEdge:
    """The fake on its own event loop in a daemon thread, for synchronous engines/tests
    (the engine under test calls asyncio.run(...) on the test's thread)."""

    def __init__(self, **kw):
        import threading
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.fake: FakeEdge = asyncio.run_coroutine_threadsafe(FakeEdge(**kw).start(), self.loop).result(30)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.stop(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


