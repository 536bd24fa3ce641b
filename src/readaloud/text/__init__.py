"""Everything from an article file's bytes to the text an engine speaks.

The stages, in the order a build runs them:

1. read      `read_article(path)`: a .txt, .md or .html file (or stdin) -> `model.Article`. Decoding, NFC,
             tone marks, invisible characters and whitespace are cleaned here, once (`clean`).
2. page      `extract_story(article, PageRules(...))`: the story without the page around it; the update
             line becomes the date, a closing byline the author, chrome and captions are dropped.
3. script    `make_script(article, max_chars, pauses, speak, define=find_definitions,
             known=names_in_capitals(texts))`: sentences (`split_sentences`), each normalised by `speak` and
             cut into chunks within the engine's limit, with the pause after each and the chapter titles
             (`display_heading`) -> `model.Script`.
4. normalise `normalize(text, dialect, lexicon=..., definitions=...)`: what `speak` calls, written
             Vietnamese -> spoken words (numbers, dates, codes, abbreviations, symbols, ...), with the
             newsroom lexicon (`lexicon.load`) and the abbreviations the article defines.

The Vietnamese words the rules use are tables in `text.vi`. This package imports nothing from audio,
engines, config or the pipeline: settings arrive as plain values (`PageRules`, any `Pauses`, a dialect,
a lexicon dict), so a CMS can use it on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readaloud.text import lexicon
from readaloud.text.clean import web_address
from readaloud.text.normalize import Dialect, find_definitions, names_in_capitals, normalize, read_number
from readaloud.text.segment import Pauses, display_heading, make_script, split_sentences
from readaloud.text.structure import DEFAULT_CHROME, PageRules, extract_story
from readaloud.text.vi.words import inside_word_spaces

if TYPE_CHECKING:
    from readaloud.text.reader import parse_article, read_article

__all__ = [
    "DEFAULT_CHROME",
    "Dialect",
    "PageRules",
    "Pauses",
    "display_heading",
    "extract_story",
    "find_definitions",
    "names_in_capitals",
    "inside_word_spaces",
    "lexicon",
    "make_script",
    "normalize",
    "parse_article",
    "read_article",
    "read_number",
    "split_sentences",
    "web_address",
]


def __getattr__(name: str) -> object:
    # The reader is loaded on first use, not with the package: importing reader_html alone (or any other
    # text module) must not load reader.py, so neither reader depends on the other.
    if name in ("read_article", "parse_article"):
        from readaloud.text import reader

        return getattr(reader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
