"""Where Vietnamese words end. Written Vietnamese puts a space between syllables, so "khai giảng" is one
word spelt as two space-separated pieces; only a word segmenter can tell. underthesea's CRF segmenter
(its model ships inside the wheel and runs offline, about a millisecond a sentence) says which spaces
fall inside a word, so captions never break a line or a cue there.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from typing import Any

# underthesea loads its model on first use without a lock: two builds at once (sync --jobs 2) met a
# half-loaded tagger ("'NoneType' object has no attribute 'process'"). Calls take about a millisecond,
# so they simply take turns.
_one_at_a_time = threading.Lock()


@functools.cache
def _segmenter() -> Callable[..., str]:
    """underthesea's `word_tokenize`, loaded alone when it can be (see _load_alone), else as documented."""
    try:
        return _load_alone()
    except Exception:  # noqa: BLE001  (another underthesea layout: the whole package, the slow way)
        from underthesea import word_tokenize

        segment: Callable[..., str] = word_tokenize
        return segment


# The files underthesea's own modules read their data from: used only while their code still names them.
_MODEL = ("pipeline", "word_tokenize", "models", "ws_crf_vlsp2013_20230727")
_RULES = ("pipeline", "text_normalize", "tn_rules_2023_07_14.bin")
_NORMALIZER = "underthesea.pipeline.text_normalize.text_normalizer"


def _load_alone() -> Callable[..., str]:
    """`word_tokenize` and its model without the rest of underthesea: `import underthesea` runs its
    package __init__, which loads every pipeline it has (tagging, NER, chunking, their models) and costs
    more than the segmenter itself, and the segmenter's data is read with joblib, whose import is slow
    and whose pure-Python unpickler reads the 72,000-word dictionary five times slower than pickle. So
    the package is stood in for by an empty one while the segmenter's modules are imported (they import
    nothing else of it), and the data (the text normaliser's two tables, the CRF model) are read from the
    same files with pickle. The function and data are underthesea's own, so it segments exactly as
    `from underthesea import word_tokenize` does; a layout other than this version's raises, and
    _segmenter then imports the package as documented."""
    import importlib.util
    import sys
    from pathlib import Path

    if "underthesea" not in sys.modules:
        spec = importlib.util.find_spec("underthesea")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("underthesea")
        _import_alone(Path(list(spec.submodule_search_locations)[0]))
    module: Any = sys.modules["underthesea.pipeline.word_tokenize"]
    if module.word_tokenize_model is None:
        module.word_tokenize_model = _read_model(Path(module.__file__).parents[2])
    segment: Callable[..., str] = module.word_tokenize
    return segment


def _pickled(path: Any) -> Any:
    import pickle

    with open(path, "rb") as data:
        return pickle.load(data)  # noqa: S301  (underthesea's own files, as its joblib.load reads them)


def _names(source: Any, name: str) -> None:
    """ImportError unless underthesea's module `source` still reads the file `name`."""
    if f'"{name}"' not in source.read_text(encoding="utf-8"):
        raise ImportError(f"underthesea no longer reads {name}")


def _import_alone(home: Any) -> None:
    """Import the segmenter's modules from the package at `home`, under a stand-in for the package and
    with the text normaliser's tables read with pickle; whatever was added is taken back if it fails."""
    import importlib
    import sys
    import types

    before = set(sys.modules)
    stand_in = types.ModuleType("underthesea")
    stand_in.__path__ = [str(home)]
    sys.modules["underthesea"] = stand_in
    try:
        _names(home.joinpath(*_RULES[:-1], "text_normalizer.py"), _RULES[-1])
        tables = _pickled(home.joinpath(*_RULES))
        normalizer = types.ModuleType(_NORMALIZER)
        normalizer.character_map, normalizer.token_map = tables["character"], tables["token"]  # type: ignore[attr-defined]
        sys.modules[_NORMALIZER] = normalizer
        importlib.import_module("underthesea.pipeline.text_normalize")  # first, as the package does
        importlib.import_module("underthesea.pipeline.word_tokenize")
    except BaseException:
        for name in set(sys.modules) - before:
            del sys.modules[name]
        raise
    del sys.modules["underthesea"]


def _read_model(home: Any) -> _Model:
    """word_tokenize's CRF model, from the files it reads itself."""
    from underthesea_core import CRFFeaturizer, CRFTagger

    _names(home.joinpath(*_MODEL[:2], "__init__.py"), _MODEL[-1])
    folder = home.joinpath(*_MODEL)
    tagger = CRFTagger()
    tagger.load(str(folder / "models.bin"))
    return _Model(CRFFeaturizer(_pickled(folder / "features.bin"), _pickled(folder / "dictionary.bin")), tagger)


class _Model:
    """What word_tokenize asks of its model (underthesea's FastCRFSequenceTagger, whose module imports
    joblib): the tags of one sentence's tokens."""

    def __init__(self, featurizer: Any, tagger: Any) -> None:
        self.featurizer, self.tagger = featurizer, tagger

    def predict(self, tokens: list[list[str]]) -> list[str]:
        tags: list[str] = self.tagger.tag(self.featurizer.process([tokens])[0])
        return tags


def inside_word_spaces(pieces: Sequence[str]) -> frozenset[int]:
    """For text split at its spaces into `pieces`, the cuts (a cut i falls between pieces[i - 1] and
    pieces[i]) that would split one word. Empty when the segmenter's output cannot be lined up with the
    text: then nothing is forbidden rather than something wrongly."""
    if len(pieces) < 2:
        return frozenset()
    return _inside_spaces(" ".join(pieces))


def inside_word_spaces_forget() -> None:
    """Forget the texts segmented so far (a measurement of segmenting starts from nothing)."""
    _inside_spaces.cache_clear()


# The chunker asks about the words around each cut it picks, round after round, and the audit about the
# chunks' cuts: mostly the same few words, segmented once. Kept for a few thousand sentences (small texts),
# so that a runaway sentence's rounds do not segment its windows again.
@functools.lru_cache(maxsize=16384)
def _inside_spaces(text: str) -> frozenset[int]:
    with _one_at_a_time:
        joined = _segmenter()(text, format="text")  # the syllables of one word joined by "_"
    inside: set[int] = set()
    cut = 0
    at = 0
    for char in text:
        if char == " ":
            cut += 1
            while at < len(joined) and joined[at] == " " and at + 1 < len(joined) and joined[at + 1] == " ":
                at += 1
            if at >= len(joined) or joined[at] not in " _":
                return frozenset()
            if joined[at] == "_":
                inside.add(cut)
            at += 1
            continue
        while at < len(joined) and joined[at] == " ":  # a space the segmenter put before punctuation
            at += 1
        if at >= len(joined) or joined[at] != char:
            return frozenset()
        at += 1
    return frozenset(inside)
