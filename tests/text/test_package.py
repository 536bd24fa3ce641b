"""readaloud.text stands on its own: a CMS can read and script an article with it, and doing so loads
nothing of audio, engines, config, the pipeline or the cache."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import readaloud.text

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

# Reads every kind of article file, takes the page's furniture out and makes a script, through the
# package's public face only, with settings as plain values; then lists the readaloud modules it loaded.
_USE_THE_PACKAGE = """
import json, sys
from dataclasses import dataclass
from readaloud.text import (PageRules, extract_story, find_definitions, lexicon, make_script, normalize,
                            read_article)

@dataclass(frozen=True)
class Pauses:
    title: int = 1200
    heading: int = 1000
    paragraph: int = 700
    sentence: int = 400
    chunk: int = 200

samples, lexicon_file = sys.argv[1:-1], sys.argv[-1]
words = lexicon.load(lexicon_file)
counts = []
for sample in samples:
    article = extract_story(read_article(sample), PageRules(datelines=("ĐTO",)))
    script = make_script(article, 200, Pauses(),
                         lambda text, known: normalize(text, "north", lexicon=words, definitions=known),
                         define=find_definitions)
    counts.append(len(script.chunks))
print(json.dumps({"chunks": counts, "modules": sorted(name for name in sys.modules if name.startswith("readaloud"))}))
"""

_FORBIDDEN = ("readaloud.audio", "readaloud.engines", "readaloud.config", "readaloud.pipeline", "readaloud.cache")


def test_the_text_package_imports_nothing_from_audio_engines_or_config():
    samples = sorted(str(path) for path in SAMPLES.iterdir() if path.suffix in (".txt", ".md", ".html"))
    assert {Path(sample).suffix for sample in samples} == {".txt", ".md", ".html"}
    done = subprocess.run([sys.executable, "-c", _USE_THE_PACKAGE, *samples, str(SAMPLES / "lexicon.toml")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert len(result["chunks"]) == len(samples) and all(count > 3 for count in result["chunks"])
    loaded = [name for name in result["modules"]
              if any(name == forbidden or name.startswith(forbidden + ".") for forbidden in _FORBIDDEN)]
    assert loaded == []
    assert "readaloud.text.reader" in result["modules"]


def test_the_public_face_lists_only_names_it_has():
    assert readaloud.text.__doc__
    for name in readaloud.text.__all__:
        assert getattr(readaloud.text, name) is not None, name
