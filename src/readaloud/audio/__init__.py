"""Everything readaloud does with sound, and every ffmpeg it runs.

The package is cut by job: `runner` starts ffmpeg (the one place that does), `decoding` turns audio into
PCM and trims it, `loudness` meters and masters, `encode` writes the MP3 (in sections side by side, which
`sections` plans and joins), `mastering` holds the loudness promise's tolerances and the loop that keeps
it, `frames` reads MPEG frame headers, `image` re-encodes cover pictures.
Callers use the names re-exported here: `from readaloud import audio; audio.master_mp3(...)`.
"""

from readaloud.audio.decoding import SILENCE_DBFS, decode, decode_file, mp3_to_wav, trim_bounds
from readaloud.audio.encode import encode_and_measure, encode_mp3
from readaloud.audio.frames import mp3_frames_complete, playing_seconds
from readaloud.audio.image import reencode_image
from readaloud.audio.loudness import Loudness, RunningMeter, measure_loudness
from readaloud.audio.mastering import LimiterCurve, first_ceiling, master_mp3, missed
from readaloud.audio.runner import ffmpeg_path

__all__ = [
    "SILENCE_DBFS", "LimiterCurve", "Loudness", "RunningMeter", "decode", "decode_file", "encode_and_measure",
    "encode_mp3", "ffmpeg_path", "first_ceiling", "master_mp3", "measure_loudness", "missed",
    "mp3_frames_complete", "mp3_to_wav", "playing_seconds", "reencode_image", "trim_bounds",
]
