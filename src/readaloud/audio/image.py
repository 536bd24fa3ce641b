"""Cover pictures re-encoded by ffmpeg (it decodes images as well as sound), so only pixels are published."""

from __future__ import annotations

from readaloud.audio import runner


def reencode_image(data: bytes, kind: str, max_side_px: int, max_pixels: int, timeout_s: float) -> bytes | None:
    """A JPEG or PNG (`kind` "jpeg" or "png") decoded and encoded again in the same format from its pixels
    alone: no metadata, at most `max_side_px` on either side. None when ffmpeg finds no decodable image in
    it, or takes longer than `timeout_s` (then it is killed); ToolError only when ffmpeg cannot be run.
    The image comes in on stdin and leaves on stdout, so ffmpeg never opens a path; only that one demuxer
    is allowed, and the decoder refuses images of more than `max_pixels`."""
    import ffmpeg

    codec = {"vcodec": "png"} if kind == "png" else {"vcodec": "mjpeg", "q:v": 2, "pix_fmt": "yuvj420p"}
    stream = ffmpeg.input("pipe:0", format=f"{kind}_pipe", max_pixels=max_pixels).video
    stream = stream.filter("scale", w=f"min({max_side_px},iw)", h=f"min({max_side_px},ih)",
                           force_original_aspect_ratio="decrease")
    stream = stream.filter("sidedata", mode="delete")  # an ICC profile or other side data is not carried over
    args = stream.output("pipe:1", format="image2pipe", frames=1, map_metadata=-1, fflags="+bitexact",
                         flags="+bitexact", **codec).get_args()
    done = runner.run_for_at_most(args, data, timeout_s)
    return done.stdout if done is not None and done.returncode == 0 and done.stdout else None
