"""Google's side of a gTTS request, played locally: real MP3 bytes framed as Google frames its replies."""

from __future__ import annotations

import base64
import json
import math
import struct
from pathlib import Path
from typing import Any

TONE_SECONDS = 0.6


def make_tone_mp3(folder: Path) -> bytes:
    """Real MP3 bytes shaped like Google's (MPEG-2 Layer III, 24 kHz, mono, 32 kbit/s): a 0.6 s tone,
    loud from first to last sample so trimming keeps all of it and durations are exact."""
    from readaloud import audio

    rate = 24000
    pcm = folder / "tone.pcm"
    samples = int(rate * TONE_SECONDS)
    pcm.write_bytes(b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * 440 * i / rate)))
                             for i in range(samples)))
    mp3 = folder / "tone.mp3"
    audio.encode_mp3(pcm, rate, mp3, bitrate_kbps=32, sample_rate=rate)
    return mp3.read_bytes()


def google_reply(mp3: bytes) -> str:
    """A batchexecute reply framed as Google frames it: the XSSI guard, a blank line, then
    length-prefixed JSON chunks, the audio as base64 inside the jQ1olc envelope."""
    envelope = json.dumps([base64.b64encode(mp3).decode("ascii")])
    first = json.dumps([["wrb.fr", "jQ1olc", envelope, None, None, None, "generic"]], separators=(",", ":"))
    second = json.dumps([["di", 33], ["af.httprm", 32, "-1", 7]], separators=(",", ":"))
    return f")]}}'\n\n{len(first)}\n{first}\n{len(second)}\n{second}\n"


def spoken_text_of(request: Any) -> str:
    """The text gTTS asked Google to speak, decoded from the form body."""
    from urllib.parse import parse_qs

    body = request.body.decode() if isinstance(request.body, bytes) else request.body
    rpc = json.loads(parse_qs(body)["f.req"][0])
    return str(json.loads(rpc[0][0][1])[0])
