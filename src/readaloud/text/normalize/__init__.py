"""Display text → spoken text for Vietnamese news.

:func:`normalize` takes one sentence (or one heading line) as it is written
and returns what a news presenter would say, so that the TTS engine never has
to guess: espeak-ng reads "14h30" as "mười bốn hát ba mươi" and switches to
its English voice on all-caps words.  :func:`read_number` is the cardinal
reader the rules share.  :func:`find_definitions` finds the abbreviations a
sentence defines ("Thông tin đối ngoại (TTĐN)"); the pipeline passes what an
article has defined so far back to :func:`normalize` as ``definitions``.

One module per kind of token (``cardinal``, ``addresses``, ``fractions``, ``plates``, ``codes``,
``dates``, ``roman``, ``ordinals``, ``definitions``, ``abbreviations``, ``phones``, ``quantities``,
``symbols``, ``capitals``, ``spacing``); the rule order and its table of contents are in
:mod:`readaloud.text.normalize.order`.
"""

from readaloud.text.normalize.cardinal import read_number
from readaloud.text.normalize.common import Dialect
from readaloud.text.normalize.definitions import find_definitions, names_in_capitals
from readaloud.text.normalize.order import normalize

__all__ = ["Dialect", "find_definitions", "names_in_capitals", "normalize", "read_number"]
