"""MPEG audio frames, read from the bytes: whether an MP3 is whole, and how long a player plays it.

Nothing here runs ffmpeg; both questions are answered from the frame headers and the encoder's
Xing/Info header alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# MPEG audio frame sizes, for checking an MP3 reply is whole before it is used (ffmpeg decodes a truncated
# MP3 without complaint, just shorter). Bit rates in kbit/s by [MPEG-1?][layer][index].
_BITRATES = {
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _id3v2_end(data: bytes) -> int:
    """Where the audio starts: after the ID3v2 tag at the front (its size is syncsafe), else 0."""
    if data[:3] == b"ID3" and len(data) >= 10:
        return 10 + ((data[6] & 0x7F) << 21 | (data[7] & 0x7F) << 14 | (data[8] & 0x7F) << 7 | (data[9] & 0x7F))
    return 0


def frame_length(header: bytes) -> int | None:
    """The length in bytes of the MPEG audio frame whose 4-byte header this is; None when it is not one."""
    b1, b2 = header[1], header[2]
    if header[0] != 0xFF or b1 & 0xE0 != 0xE0:
        return None
    version, layer_bits = (b1 >> 3) & 3, (b1 >> 1) & 3
    bitrate_index, rate_index, padding = b2 >> 4, (b2 >> 2) & 3, (b2 >> 1) & 1
    if version == 1 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    layer = 4 - layer_bits
    mpeg1 = version == 3
    bitrate = _BITRATES[(mpeg1, layer)][bitrate_index] * 1000
    rate = _RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4
    return (144 if mpeg1 or layer == 2 else 72) * bitrate // rate + padding


def frame_offsets(data: bytes, start: int = 0) -> tuple[list[int], int]:
    """Where each frame of the run of MPEG audio frames at `start` begins, and where the run ends: at the
    end of `data`, at four bytes that are no frame header, or past the end when the last frame is cut short."""
    offsets = []
    position = start
    while position + 4 <= len(data):
        length = frame_length(data[position:position + 4])
        if length is None:
            break
        offsets.append(position)
        position += length
    return offsets, position


def side_info_bytes(mpeg1: bool, mono: bool) -> int:
    """The length of a Layer III frame's side information, which lies between its header and its data (or
    the encoder's Xing/Info header, in the first frame)."""
    return (17 if mono else 32) if mpeg1 else (9 if mono else 17)


def mp3_frames_complete(data: bytes) -> bool:
    """Whether `data` is a run of whole MPEG audio frames (after an optional ID3v2 tag), the last one
    included: False for a truncated or non-MP3 reply."""
    offsets, end = frame_offsets(data, _id3v2_end(data))
    return bool(offsets) and end == len(data)


def playing_seconds(path: Path, info: Any) -> float:
    """How long players that honour the encoder's gapless note play the MP3: the frames counted in its
    Xing/Info header less the encoder delay and padding noted in the LAME extension there. mutagen counts
    whole frames only (about 40 ms more); browsers and ffmpeg leave those samples out, and so does the
    duration `build` reports. Without such a header, mutagen's figure. `info` is mutagen's MPEGInfo."""
    side_info = side_info_bytes(int(info.version) == 1, info.channels == 1)
    with open(path, "rb") as file:
        file.seek(info.frame_offset + 4 + side_info)
        header = file.read(160)
    if header[:4] not in (b"Xing", b"Info"):
        return float(info.length)
    flags = int.from_bytes(header[4:8], "big")
    if not flags & 1:
        return float(info.length)
    frames = int.from_bytes(header[8:12], "big")
    lame = 8 + 4 + (4 if flags & 2 else 0) + (100 if flags & 4 else 0) + (4 if flags & 8 else 0)
    packed = header[lame + 21:lame + 24]  # two 12-bit numbers: delay, then padding
    if len(packed) < 3:
        return float(info.length)
    delay, padding = packed[0] << 4 | packed[1] >> 4, (packed[1] & 0x0F) << 8 | packed[2]
    per_frame = 1152 if int(info.version) == 1 else 576
    return max(0, frames * per_frame - delay - padding) / int(info.sample_rate)
