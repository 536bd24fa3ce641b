"""A loopback fake of the Azure Speech service's synthesis WebSocket, as the Speech SDK (1.53) speaks it.

Route (as on {region}.tts.speech.microsoft.com; the SDK gets there with SpeechConfig(host="ws://127.0.0.1:P")):
  GET /cognitiveservices/websocket/v1   subprotocol "USP", key in Ocp-Apim-Subscription-Key. The SDK sends
      text frames speech.config, synthesis.context (output format, which boundaries it wants) and ssml, and
      keeps the connection for its next requests. The fake answers turn.start, response, an audio.metadata
      WordBoundary per word with that word's audio (binary frames), then turn.end, echoing X-RequestId.

The SSML is parsed as XML, as the service does: a malformed one is closed with 1007, and what is spoken is
the text of its <voice> element, words split at spaces, so escaping mistakes show up as wrong words.

The audio is real MP3 (tests.helpers.edge.make_mp3: a tone, CBR frames without a bit reservoir, so any run
of whole frames plays): LEAD_FRAMES of lead-in, then frames_of(word) frames a word, where the word
boundaries put it. A word lasts in proportion to its letters, not its syllables, so times shared out by
syllable (what captions do without boundaries) differ from these. Only audio-24khz-48kbitrate-mono-mp3 is
served; another format is refused.

`plan` (popped from the front; empty means "ok") says how to fail:
  ("status", n)   at the next handshake: refuse it with HTTP n (429 adds Retry-After: 1)
  "drop"          at the next request: turn.start, the first word's boundary and audio, then cut the TCP
                  connection
  "stall"         at the next request: turn.start, then nothing until the fake stops
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime

from aiohttp import WSMsgType, web

from tests.helpers.edge import FRAME_BYTES, FRAME_TICKS, make_mp3

PATH = "/cognitiveservices/websocket/v1"
GOOD_KEY = "fake-azure-key-0123456789"
MP3_FORMAT = "audio-24khz-48kbitrate-mono-mp3"
LEAD_FRAMES = 2
FRAME_SAMPLES = 576  # at 24 kHz


def frames_of(word: str) -> int:
    """How many 24 ms MP3 frames the fake speaks `word` for: 3 a letter."""
    return 3 * len(word)


def starts(text: str) -> list[int]:
    """The sample (24 kHz) at which the fake starts each space-separated word of `text`."""
    found, cursor = [], LEAD_FRAMES
    for word in text.split():
        found.append(cursor * FRAME_SAMPLES)
        cursor += frames_of(word)
    return found

_SSML = "{http://www.w3.org/2001/10/synthesis}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _head(request_id: str, path: str, content_type: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return f"X-RequestId:{request_id}\r\nContent-Type:{content_type}\r\nX-Timestamp:{stamp}\r\nPath:{path}\r\n"


def _text_frame(request_id: str, path: str, body: object) -> str:
    return _head(request_id, path, "application/json; charset=utf-8") + "\r\n" + json.dumps(body, ensure_ascii=False)


def _audio_frame(request_id: str, mp3: bytes) -> bytes:
    head = _head(request_id, "audio", "audio/mpeg").encode() + b"X-StreamId:1\r\n"
    return len(head).to_bytes(2, "big") + head + mp3


def _fields(frame: str) -> tuple[dict[str, str], str]:
    """A USP text frame's headers (names lower-cased) and body."""
    head, _, body = frame.partition("\r\n\r\n")
    pairs = (line.split(":", 1) for line in head.split("\r\n") if ":" in line)
    return {name.strip().lower(): value.strip() for name, value in pairs}, body


class FakeAzure:
    def __init__(self, latency: float = 0.0, speed: float | None = None) -> None:
        """`latency`: seconds before each answer starts; `speed`: how many times faster than real time its
        audio is sent after that (None: at once), a model of the service's synthesis time (bench/engines.py)."""
        self.latency, self.speed = latency, speed
        self.mp3 = make_mp3(seconds=6.0)
        self.plan: list = []
        self.connections: list[dict] = []  # one per handshake: its headers
        self.requests: list[dict] = []  # one per ssml: its voice, lang, spoken text, output format, boundaries
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()

    async def start(self) -> FakeAzure:
        app = web.Application()
        app.router.add_get(PATH, self._socket)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def host(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def frames(self, first: int, count: int) -> bytes:
        """`count` whole MP3 frames from frame `first` on, wrapping round the tone."""
        total = len(self.mp3) // FRAME_BYTES
        return b"".join(self.mp3[(i % total) * FRAME_BYTES:(i % total + 1) * FRAME_BYTES]
                        for i in range(first, first + count))

    def _next(self, kind: type) -> object:
        """The plan's next step if it is of `kind` (a handshake takes tuples, a request takes strings)."""
        return self.plan.pop(0) if self.plan and isinstance(self.plan[0], kind) else None

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        self.connections.append(dict(request.headers))
        step = self._next(tuple)
        if request.headers.get("Ocp-Apim-Subscription-Key") != GOOD_KEY:
            return web.Response(status=401, text="Access denied due to invalid subscription key.")
        if isinstance(step, tuple):
            extra = {"Retry-After": "1"} if step[1] == 429 else {}
            return web.Response(status=step[1], headers=extra, text="refused")
        ws = web.WebSocketResponse(protocols=("USP",), max_msg_size=0)
        await ws.prepare(request)
        context: dict = {}
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            fields, body = _fields(message.data)
            if fields.get("path") == "synthesis.context":
                context = json.loads(body)["synthesis"]["audio"]
            elif fields.get("path") == "ssml" and not await self._answer(request, ws, fields, body, context):
                break
        return ws

    async def _answer(self, request: web.Request, ws: web.WebSocketResponse, fields: dict[str, str], ssml: str,
                      context: dict) -> bool:
        """Speak one SSML request; False when the connection is gone afterwards."""
        request_id = fields.get("x-requestid", uuid.uuid4().hex)
        try:
            speak = ElementTree.fromstring(ssml)
        except ElementTree.ParseError as exc:
            await ws.close(code=1007, message=f"SSML is not valid XML: {exc}".encode())
            return False
        voice = speak.find(f"{_SSML}voice")
        text = "".join(voice.itertext()) if voice is not None else ""
        asked = {"voice": voice.get("name") if voice is not None else None, "lang": speak.get(_XML_LANG),
                 "text": text, "format": context.get("outputFormat"), "metadata": context.get("metadataOptions")}
        self.requests.append(asked)
        if asked["format"] != MP3_FORMAT:
            await ws.close(code=1007, message=f"unsupported output format {asked['format']}".encode())
            return False
        step = self._next(str)
        await asyncio.sleep(self.latency)
        await ws.send_str(_text_frame(request_id, "turn.start", {"context": {"serviceTag": uuid.uuid4().hex}}))
        inline = {"context": {"serviceTag": "fake"}, "audio": {"type": "inline", "streamId": "1"}}
        await ws.send_str(_text_frame(request_id, "response", inline))
        if step == "stall":
            await self._stopping.wait()
            return False
        await ws.send_bytes(_audio_frame(request_id, self.frames(0, LEAD_FRAMES)))
        cursor = LEAD_FRAMES
        for word in text.split():
            boundary = {"Type": "WordBoundary", "Data": {
                "Offset": cursor * FRAME_TICKS, "Duration": frames_of(word) * FRAME_TICKS,
                "text": {"Text": word, "Length": len(word), "BoundaryType": "WordBoundary"}}}
            await ws.send_str(_text_frame(request_id, "audio.metadata", {"Metadata": [boundary]}))
            await ws.send_bytes(_audio_frame(request_id, self.frames(cursor, frames_of(word))))
            cursor += frames_of(word)
            if self.speed:
                await asyncio.sleep(frames_of(word) * FRAME_TICKS / 1e7 / self.speed)
            if step == "drop":
                request.transport.close()  # type: ignore[union-attr]
                return False
        await ws.send_str(_text_frame(request_id, "turn.end", {}))
        return True


class ThreadedFakeAzure:
    """The fake on its own event loop in a daemon thread: the SDK calls it from its own native threads."""

    def __init__(self, latency: float = 0.0, speed: float | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.fake = asyncio.run_coroutine_threadsafe(FakeAzure(latency, speed).start(), self.loop).result(30)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.stop(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()
