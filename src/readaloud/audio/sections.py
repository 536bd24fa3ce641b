"""An article's MP3 encoded in sections side by side, one per core, and joined into one file that decodes
exactly as a single encode would: the same length, every sample of speech where it would have been.

LAME is single-threaded, so a long article's encode is the longest step of a build. Each section is cut
in a pause, at an MPEG frame boundary of the output: a section of M samples encodes to ceil(M / 1152) + 1
frames (ffmpeg's libmp3lame, measured on ffmpeg 5.1 and 9.0), so a section that ends one frame before the
boundary fills exactly the frames before it, and the next section's first sample lands on the boundary
once the frames are put end to end. The one frame dropped there lies in the pause. The joined file keeps
the first section's Info header (encoder delay for gapless players) with the frame count, size, seek
table, padding and checksums of the whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from readaloud.audio.frames import frame_offsets, side_info_bytes
from readaloud.errors import ToolError

FRAME = 1152  # samples in an MPEG-1 Layer III frame
# Quiet needed around a cut, in output samples: the frame left out, the limiter's 5 ms look-ahead and the
# resampler's filter on either side. A cut is only ever made where this much silence surrounds it.
_QUIET_BEFORE = FRAME + 512
_QUIET_AFTER = 512
# Sections last about SECTION_S seconds: short enough that encoding one again (its peaks overshot) costs
# little and the cores share the work evenly, long enough that starting two more ffmpegs (encoder and
# meter, about 0.1 s of CPU) stays a small part of it. To give each core one, a section may be as short as
# MIN_SECTION_S.
SECTION_S = 90.0
MIN_SECTION_S = 30.0
# Where the encoder's Info header keeps its fields, from the end of the frame's side information.
_XING_FRAMES, _XING_BYTES, _XING_TOC = 8, 12, 16
_LAME = 120  # the LAME extension, after "Info", flags, frames, bytes, 100-byte seek table and quality
_DELAY_PADDING, _MUSIC_LENGTH, _MUSIC_CRC, _TAG_CRC = 21, 28, 32, 34
_TAG_CRC_SPAN = 190  # the tag's checksum covers the frame's first 190 bytes (with the checksum field at 0)


@dataclass(frozen=True)
class Section:
    """Input samples [start, end) of the article's PCM, encoded to `frames` MP3 frames (None for the last,
    whose length is the article's)."""

    start: int
    end: int
    frames: int | None


def plan(total: int, in_rate: int, out_rate: int, quiet: Sequence[tuple[int, int]], workers: int = 1) -> list[Section]:
    """Sections of about SECTION_S seconds (at least `workers` of them when each can have MIN_SECTION_S) of
    PCM with `total` samples at `in_rate`, cut in the quiet stretches given (input samples [start, end) of
    digital silence); fewer when no pause lies near where a cut would fall. Always at least one section,
    the whole. Only MPEG-1 rates (32 kHz and up) are cut: the frame arithmetic is theirs."""
    seconds = total / in_rate
    count = max(round(seconds / SECTION_S), min(workers, int(seconds / MIN_SECTION_S))) if out_rate >= 32000 else 1
    count = max(1, count)
    sections: list[Section] = []
    start = previous = 0  # where the section being planned starts: input sample, output frame
    for number in range(1, count):
        cut = _cut_near(total * number // count, in_rate, out_rate, quiet, after=start,
                        before=total * (number + 1) // count)
        if cut is None:
            continue
        boundary_frame, end_in, next_in = cut
        sections.append(Section(start, end_in, boundary_frame - previous))
        start, previous = next_in, boundary_frame
    sections.append(Section(start, total, None))
    return sections


def _cut_near(aim: int, in_rate: int, out_rate: int, quiet: Sequence[tuple[int, int]], after: int,
              before: int) -> tuple[int, int, int] | None:
    """A frame boundary in the middle of the quiet stretch nearest input sample `aim`, as (frames before it,
    where the section before it ends and where the next begins, in input samples); None when no stretch
    between `after` and `before` has room."""
    best: tuple[int, tuple[int, int, int]] | None = None
    for quiet_start, quiet_end in quiet:
        lowest = quiet_start * out_rate / in_rate + _QUIET_BEFORE  # output samples
        highest = quiet_end * out_rate / in_rate - _QUIET_AFTER
        # The frame boundary nearest the middle of the pause, as far from speech on either side as can be.
        frame = round((lowest + highest) / 2 / FRAME)
        if frame * FRAME < lowest or frame * FRAME > highest:
            continue
        # The section ends a frame and a little before the boundary, so its encode has exactly `frame` frames
        # however the resampler rounds its length; the next section starts at the boundary.
        end_in = (frame - 1) * FRAME * in_rate // out_rate - 32
        next_in = round(frame * FRAME * in_rate / out_rate)
        if not after < end_in < next_in < before:
            continue
        distance = abs(next_in - aim)
        if best is None or distance < best[0]:
            best = (distance, (frame, end_in, next_in))
    return best[1] if best else None


def _frames(data: bytes) -> list[int]:
    """The offset of every MPEG audio frame in `data` (all frames, Info header included)."""
    offsets, end = frame_offsets(data)
    if end + 4 <= len(data):
        raise ToolError(f"joining MP3 sections: no MPEG frame at byte {end}")
    return offsets


def _crc16(data: bytes, crc: int = 0) -> int:
    """CRC-16 (polynomial 0x8005, bits reflected, as LAME's tag uses), for short data only."""
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def _crc16_after_zeros(crc: int, count: int) -> int:
    """`crc` carried through `count` zero bytes, in log(count) steps: the CRC is linear over GF(2), so the
    step for one zero byte is a 16x16 bit matrix, squared for each bit of `count`."""
    def step(matrix: list[int], value: int) -> int:
        result = 0
        for bit in range(16):
            if value >> bit & 1:
                result ^= matrix[bit]
        return result

    one_byte = [_crc16(b"\0", 1 << bit) for bit in range(16)]  # column `bit`: where bit `bit` goes
    while count:
        if count & 1:
            crc = step(one_byte, crc)
        one_byte = [step(one_byte, column) for column in one_byte]
        count >>= 1
    return crc


def combine_crc16(first: int, second: int, second_length: int) -> int:
    """The CRC-16 of A followed by B, from the CRC of A, the CRC of B and B's length."""
    return _crc16_after_zeros(first, second_length) ^ second


def _info(data: bytes, offset: int) -> int:
    """Where the Info header of the frame at `offset` starts; ToolError when the frame has none."""
    header = data[offset:offset + 4]
    at = offset + 4 + side_info_bytes(bool(header[1] & 0x08), header[3] >> 6 == 3)
    if data[at:at + 4] not in (b"Info", b"Xing") or data[at + 7] != 0x0F or len(data) < at + _LAME + 36:
        raise ToolError("joining MP3 sections: a section has no complete Info header")
    return at


def join(parts: Sequence[Path], expected_frames: Sequence[int | None], out: Path) -> None:
    """Append sections 2.. (without their Info frames) to the first, which is `out`, and rewrite its Info
    header for the whole. `expected_frames`: each section's planned frame count (ToolError when an encoder
    made another number: the speech after it would be out of place)."""
    head = out.read_bytes()
    first = _frames(head)
    info_at = _info(head, first[0])
    pieces = [head]
    audio_frames = len(first) - 1
    music_crc = int.from_bytes(head[info_at + _LAME + _MUSIC_CRC:info_at + _LAME + _MUSIC_CRC + 2], "big")
    padding = int.from_bytes(head[info_at + _LAME + _DELAY_PADDING:info_at + _LAME + _DELAY_PADDING + 3], "big")
    _check_frames(audio_frames, expected_frames[0])
    for part, expected in zip(parts[1:], expected_frames[1:], strict=True):
        data = part.read_bytes()
        offsets = _frames(data)
        own = _info(data, offsets[0])
        audio = data[offsets[1]:] if len(offsets) > 1 else b""
        _check_frames(len(offsets) - 1, expected)
        crc = int.from_bytes(data[own + _LAME + _MUSIC_CRC:own + _LAME + _MUSIC_CRC + 2], "big")
        music_crc = combine_crc16(music_crc, crc, len(audio))
        padding = int.from_bytes(data[own + _LAME + _DELAY_PADDING:own + _LAME + _DELAY_PADDING + 3], "big")
        audio_frames += len(offsets) - 1
        pieces.append(audio)
    total = sum(len(piece) for piece in pieces)
    frame = bytearray(head[first[0]:first[1]])
    at = info_at - first[0]
    frame[at + _XING_FRAMES:at + _XING_FRAMES + 4] = audio_frames.to_bytes(4, "big")
    frame[at + _XING_BYTES:at + _XING_BYTES + 4] = total.to_bytes(4, "big")
    # Constant bit rate: the seek table is a straight line from the first audio frame to the end.
    audio_start = first[1]
    frame[at + _XING_TOC:at + _XING_TOC + 100] = bytes(
        min(255, (audio_start + (total - audio_start) * percent // 100) * 256 // total) for percent in range(100))
    lame = at + _LAME
    delay = int.from_bytes(frame[lame + _DELAY_PADDING:lame + _DELAY_PADDING + 3], "big") >> 12
    frame[lame + _DELAY_PADDING:lame + _DELAY_PADDING + 3] = (delay << 12 | (padding & 0xFFF)).to_bytes(3, "big")
    frame[lame + _MUSIC_LENGTH:lame + _MUSIC_LENGTH + 4] = total.to_bytes(4, "big")
    frame[lame + _MUSIC_CRC:lame + _MUSIC_CRC + 2] = music_crc.to_bytes(2, "big")
    frame[lame + _TAG_CRC:lame + _TAG_CRC + 2] = b"\0\0"
    frame[lame + _TAG_CRC:lame + _TAG_CRC + 2] = _crc16(bytes(frame[:_TAG_CRC_SPAN])).to_bytes(2, "big")
    with out.open("r+b") as file:
        file.seek(first[0])
        file.write(frame)
        file.seek(len(head))
        for piece in pieces[1:]:
            file.write(piece)


class Misaligned(ToolError):
    """An encoder framed a section otherwise than planned: joined, the speech after it would be out of place."""


def _check_frames(made: int, expected: int | None) -> None:
    if expected is not None and made != expected:
        raise Misaligned(f"joining MP3 sections: the encoder made {made} frames where {expected} were planned")
