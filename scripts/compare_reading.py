"""Snapshot what readaloud says and plays, to prove a refactor changed neither.

    python scripts/compare_reading.py snapshot DIR [--corpus FOLDER] [--articles 300] [--audio]
    python scripts/compare_reading.py compare OLD NEW

``snapshot`` runs ``readaloud script --json`` (through the real command, in this process, so a few
hundred articles take seconds rather than minutes) on every sample and on an even spread of corpus
articles, under several settings, and writes each output's bytes and exit code to DIR, with the
checkout's and the corpus's folders replaced by placeholders so two checkouts compare equal.  With
``--audio`` it also builds every sample with espeak-ng and keeps a hash of the MP3's audio frames
(the ID3 tag is left out: it holds no sound).  ``compare`` reports every file that differs and exits 1
if any does.  Corpus text is never written into the repository: DIR belongs outside it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This checkout's code, whatever else is installed: a snapshot must be of the tree it is taken in.
sys.path.insert(0, str(ROOT / "src"))
SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in {".txt", ".md", ".html"})
SAMPLE_CONFIG = ROOT / "samples" / "readaloud.toml"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "news"

# (name, options before the command, options after it)
SAMPLE_RUNS = [
    (f"{engine}-{dialect}-{'config' if config else 'plain'}",
     ["--config", str(SAMPLE_CONFIG)] if config else [],
     ["--engine", engine, "--dialect", dialect])
    for engine in ("auto", "espeak") for dialect in ("north", "south") for config in (False, True)
]
CORPUS_RUNS = [("auto", [], []), ("espeak", [], ["--engine", "espeak"]), ("south", [], ["--dialect", "south"])]


def _isolate() -> Path:
    """No user settings, cache or environment override may colour the snapshot."""
    home = Path(tempfile.mkdtemp(prefix="compare-reading-"))
    os.environ["HOME"] = str(home)
    os.environ["XDG_CONFIG_HOME"] = str(home / ".config")
    os.environ["XDG_CACHE_HOME"] = str(home / ".cache")
    for name in list(os.environ):
        if name.startswith("READALOUD_"):
            del os.environ[name]
    os.chdir(home)
    return home


def _run(args: list[str]) -> tuple[int, bytes]:
    from click.testing import CliRunner

    from readaloud.cli import cli

    result = CliRunner().invoke(cli, args, prog_name="readaloud")
    return result.exit_code, result.stdout_bytes


def _spread(corpus: Path, count: int) -> list[Path]:
    articles = sorted(corpus.glob("*.txt"))
    if not articles:
        sys.exit(f"compare_reading: {corpus}: no .txt articles")
    step = max(1, len(articles) // count)
    return articles[::step][:count]


def _audio_hash(mp3: Path) -> str:
    from mutagen.id3 import ID3, ID3NoHeaderError

    data = mp3.read_bytes()
    try:
        start = ID3(mp3).size
    except ID3NoHeaderError:
        start = 0
    end = len(data) - 128 if data[-128:-125] == b"TAG" else len(data)
    return hashlib.sha256(data[start:end]).hexdigest()


def snapshot(target: Path, corpus: Path, count: int, audio: bool) -> None:
    target = target.resolve()
    target.mkdir(parents=True, exist_ok=True)
    _isolate()
    jobs: list[tuple[str, list[str]]] = []
    for sample in SAMPLES:
        for name, before, after in SAMPLE_RUNS:
            jobs.append((f"samples/{sample.name}.{name}", [*before, "script", "--json", *after, str(sample)]))
    for article in _spread(corpus, count):
        for name, before, after in CORPUS_RUNS:
            jobs.append((f"corpus/{article.name}.{name}", [*before, "script", "--json", *after, str(article)]))
    # Where the checkout and the corpus sit is not part of the output being compared.
    places = [(str(corpus).encode(), b"<corpus>"), (str(ROOT).encode(), b"<checkout>")]
    for done, (key, args) in enumerate(jobs, 1):
        code, out = _run(args)
        for place, name in places:
            out = out.replace(place, name)
        path = target / f"{key}.out"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"exit %d\n" % code + out)
        if done % 100 == 0 or done == len(jobs):
            print(f"{done}/{len(jobs)} outputs", file=sys.stderr)
    if audio:
        hashes = {}
        with tempfile.TemporaryDirectory() as folder:
            for sample in SAMPLES:
                mp3 = Path(folder) / f"{sample.stem}.mp3"
                code, out = _run(["--config", str(SAMPLE_CONFIG), "build", "--engine", "espeak", "-o", str(mp3),
                                  str(sample)])
                if code != 0:
                    sys.exit(f"compare_reading: building {sample.name} failed: {out.decode(errors='replace')}")
                hashes[sample.name] = _audio_hash(mp3)
        (target / "audio.json").write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")
    import readaloud

    print(f"{len(jobs)} script outputs{' and sample audio' if audio else ''} of {Path(readaloud.__file__).parent} "
          f"in {target}")


def compare(old: Path, new: Path) -> int:
    names = {p.relative_to(old) for p in old.rglob("*") if p.is_file()}
    names |= {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    differ = [n for n in sorted(names) if not (old / n).is_file() or not (new / n).is_file()
              or (old / n).read_bytes() != (new / n).read_bytes()]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names)} files compared, {len(names) - len(differ)} identical, {len(differ)} differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    snap = commands.add_parser("snapshot", help="write script outputs (and audio hashes) to DIR")
    snap.add_argument("dir", type=Path)
    snap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    snap.add_argument("--articles", type=int, default=300)
    snap.add_argument("--audio", action="store_true", help="also build the samples and hash their audio")
    comp = commands.add_parser("compare", help="compare two snapshots; exit 1 if any file differs")
    comp.add_argument("old", type=Path)
    comp.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "snapshot":
        snapshot(args.dir, args.corpus.resolve(), args.articles, args.audio)
        return 0
    return compare(args.old, args.new)


if __name__ == "__main__":
    sys.exit(main())
