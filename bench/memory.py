"""Peak memory of `readaloud build` for a 10-minute and a 60-minute article (issue 4's streaming claim).

Each build runs in a fresh Python process with the offline engine. Reported: the Python process's peak
resident set, and the largest child's (ffmpeg), from getrusage. Run with `make bench-memory`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPHS = [
    line for line in (ROOT / "samples" / "lua-dong-xuan.txt").read_text(encoding="utf-8").splitlines()
    if len(line) > 120
]
# espeak-ng at 165 words a minute with the default pauses speaks about 150 Vietnamese syllables a minute.
SYLLABLES_PER_MINUTE = 150

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from readaloud import config, pipeline
start = time.perf_counter()
result = pipeline.build(sys.argv[1], Path(sys.argv[2]), config.Settings().with_engine("espeak"))
print(json.dumps({
    "seconds": round(time.perf_counter() - start, 1),
    "audio_minutes": round(result.duration_s / 60, 1),
    "python_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "largest_child_peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
}))
"""


def article(minutes: int) -> str:
    lines = ["Bài đọc thử độ dài", ""]
    syllables = 0
    section = 0
    while syllables < minutes * SYLLABLES_PER_MINUTE:
        if syllables // (SYLLABLES_PER_MINUTE * 5) >= section:  # a heading every five minutes or so
            section += 1
            lines += [f"PHẦN {section}", ""]
        paragraph = PARAGRAPHS[len(lines) % len(PARAGRAPHS)]
        lines += [paragraph, ""]
        syllables += len(paragraph.split())
    return "\n".join(lines)


def measure(minutes: int, folder: Path) -> dict:
    source = folder / f"bai-{minutes}-phut.txt"
    source.write_text(article(minutes), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _CHILD, str(source), str(folder / f"{minutes}.mp3")],
                          capture_output=True, text=True, check=True)
    return {"target_minutes": minutes, **json.loads(done.stdout.strip().splitlines()[-1])}


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        rows = [measure(minutes, Path(scratch)) for minutes in (10, 60)]
    ratio = rows[1]["python_peak_mb"] / rows[0]["python_peak_mb"]
    for row in rows:
        print(json.dumps(row))
    print(json.dumps({"python_peak_ratio_60_to_10": round(ratio, 2), "target": "<= 1.5", "met": ratio <= 1.5}))


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"# {time.perf_counter() - started:.0f} s", file=sys.stderr)
