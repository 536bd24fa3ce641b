"""The rules in the order they run: the one place the order is declared.

Each rule is a function ``(text, context) -> text`` whose docstring says what it handles and where it
stops; one :class:`Context` is built per line and carries what a rule judged about the whole line.
The order matters because most rules consume digits, and the first rule to see a digit string decides
how it is read:

1. ``clean_speech_characters`` NFC, one kind of space, dash and apostrophe,
                           "..." as "…", no control or zero-width chars; digits
                           of every script and "①", "CO₂" as ASCII, "℃" as "°C".
2. ``learn_definitions``   what the line itself defines ("Thông tin đối ngoại
                           (TTĐN)") joins the article's definitions.
3. ``apply_lexicon``       the newsroom's own words first: they beat every
                           rule, and their readings are protected
                           (placeholders) so no later rule re-reads them.
4. ``judge_heading``       is the line an all-caps heading?  Judged on the
                           text with the lexicon readings set aside.
5. ``apply_definitions``   abbreviations the article defined, read as their
                           long form (protected too); "(TTĐN)" right after
                           its own long form is dropped.  Before the built-in
                           table, so the article's meaning wins.
6. ``judge_heading``       again, with the definitions set aside too.
7. ``join_apostrophe_names`` "H'Mông", "R'Lấp" → one syllable, before the
                           capitals rule would spell the lone "H".
8. ``read_web_addresses``  URLs and e-mails: they contain dots, slashes,
                           digits and capitals that every later rule would
                           misread.
9. ``read_unicode_fractions`` "½", "¾", "1⁄3" → "một phần hai", before any
                           rule reads their digits alone.
9b. ``read_product_codes`` "SARS-CoV-2", "3D", "OM5451", "IR 50404": named
                           codes and digit-by-digit variety codes, before
                           prefixes and numbers split them.
10. ``read_number_prefixes`` "QL1A", "ĐT.845", "BĐ II": the glued word first,
                           so the number is read alone.
11. ``read_vehicle_plates`` "66C1-234.56", before codes and ranges see a "-".
12. ``read_standard_codes`` "ISO 9001:2015", "TCVN 4054-2005": number and year
                           of issue, before the ":" is a time or a ratio.
13. ``read_document_codes`` "1079/QĐ-TTg" → "... của Thủ tướng", before
                           dates, so "12/2015/NĐ-CP" is never "tháng mười hai".
13b. ``read_sports``       "45'", "90'+3" → "phút ...", "A vs B", a season
                           "2025/26": before dates and numbers read "/26"
                           as a ratio and "2024-25" as a range.
14. ``read_dates_and_times`` "09/05/2024", "9 và 10/5", "9/5", "5/2024",
                           "tháng 4", "14h30", "02:46:38", before the generic
                           "/" and ":" readings; "từ 8-10 giờ" is a range.
15. ``read_roman_numerals`` "Đại hội XIII" before capitals are spelled;
16. ``read_list_labels``   "II. Nhiệm vụ" too.
17. ``read_ordinals``      "thứ 4" → "thứ tư" before the cardinal reading.
18. ``expand_abbreviations`` "TP. Cao Lãnh", "PGS.TS", photo-credit words,
                           then the acronym table (exact case) while the dots
                           and capitals are intact.
19. ``read_phone_numbers`` "0277 3851 234", "gọi 115" digit by digit, before
                           the groups are read as separate cardinals.
20. ``read_numbers``       "1m75", "x", "+", "$", "a/b", "a:b", "> 5"
                           between/before numbers, then ranges and every
                           remaining number with its sign, decimals,
                           magnitude words and unit.
21. ``read_symbols``       "&", dashes (a pause, never "trừ"), "/" between
                           words, brackets; drops symbols that are not heard.
22. ``read_capitals``      unknown acronyms spelled with letter names; caps
                           phrases and all-caps headings in sentence case.
                           Runs late so the table expansions above win.
23. ``read_leftover_digits`` safety net: any ASCII digit still present is read
                           one by one, so the output never contains a digit.
24. ``restore_protected``  the lexicon and definition readings go back in.
25. ``tidy_spaces_and_pauses`` single spaces, no space before pause marks, NFC.

Protected readings (lexicon entries, definitions) stand in the text as one
private-use character each from rule 3 to rule 24: every rule between treats
them as an opaque non-letter, so none can spell, re-case or re-read them.

All data (number words, letter names, units, abbreviations, trigger words)
lives in :mod:`readaloud.text.vi`; the rule modules hold only the rules.  Every
regex is linear: no nested unbounded quantifiers over overlapping character sets.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from readaloud.text.clean import clean_speech_text
from readaloud.text.normalize.abbreviations import expand_abbreviations
from readaloud.text.normalize.addresses import read_web_addresses
from readaloud.text.normalize.capitals import join_apostrophe_names, judge_heading, read_capitals
from readaloud.text.normalize.codes import read_document_codes, read_product_codes, read_standard_codes
from readaloud.text.normalize.common import Dialect, check_dialect
from readaloud.text.normalize.context import Context, Rule
from readaloud.text.normalize.dates import read_dates_and_times
from readaloud.text.normalize.definitions import apply_definitions, learn_definitions
from readaloud.text.normalize.fractions import read_unicode_fractions
from readaloud.text.normalize.ordinals import read_ordinals
from readaloud.text.normalize.phones import read_phone_numbers
from readaloud.text.normalize.plates import read_number_prefixes, read_vehicle_plates
from readaloud.text.normalize.protected import apply_lexicon, restore_protected
from readaloud.text.normalize.quantities import read_leftover_digits, read_numbers
from readaloud.text.normalize.roman import read_list_labels, read_roman_numerals
from readaloud.text.normalize.spacing import tidy_spaces_and_pauses
from readaloud.text.normalize.sports import read_sports
from readaloud.text.normalize.symbols import read_symbols


def clean_speech_characters(text: str, ctx: Context) -> str:
    """Rule 1: the speech-character cleaner of :mod:`readaloud.text.clean`."""
    return clean_speech_text(text)


RULES: tuple[Rule, ...] = (
    clean_speech_characters,
    learn_definitions,
    apply_lexicon,
    judge_heading,
    apply_definitions,
    judge_heading,
    join_apostrophe_names,
    read_web_addresses,
    read_unicode_fractions,
    read_product_codes,
    read_number_prefixes,
    read_vehicle_plates,
    read_standard_codes,
    read_document_codes,
    read_sports,
    read_dates_and_times,
    read_roman_numerals,
    read_list_labels,
    read_ordinals,
    expand_abbreviations,
    read_phone_numbers,
    read_numbers,
    read_symbols,
    read_capitals,
    read_leftover_digits,
    restore_protected,
    tidy_spaces_and_pauses,
)


def _run(text: str, ctx: Context) -> str:
    for rule in RULES:
        text = rule(text, ctx)
    return text


@lru_cache(maxsize=256)
def _say_long_form(long_form: str, dialect: str, lexicon: tuple[tuple[str, str], ...]) -> str:
    """A definition's long form read on its own: same dialect and lexicon, no
    definitions, nothing learned."""
    return _run(long_form, Context(dialect=dialect, lexicon=lexicon, learn=False))


def _lexicon_items(lexicon: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    if not lexicon:
        return ()
    try:
        return tuple((k, v) for k, v in lexicon.items() if isinstance(k, str) and isinstance(v, str))
    except AttributeError:
        return ()


def normalize(
    text: str,
    dialect: Dialect = "north",
    *,
    lexicon: Mapping[str, str] | None = None,
    definitions: Mapping[str, str] | None = None,
) -> str:
    """One sentence of display text (Vietnamese) -> the text the engine
    should say.

    ``lexicon``: the newsroom's words as written → how to say them; whole
    words, case-sensitive, longest first, before any other rule, and final.
    ``definitions``: abbreviations the article defined so far (from
    :func:`find_definitions`), read as their long form; they beat the
    built-in table, the lexicon beats them.  What this sentence itself
    defines is learned too.

    The result is NFC, single-spaced, stripped, contains no ASCII digit
    (unless a lexicon reading has one) and no raw URL; only ", . ; : ? ! …"
    remain as punctuation.  It never raises on any ``str``; an unknown
    ``dialect`` is a ValueError.
    """
    check_dialect(dialect)
    if not isinstance(text, str):
        raise TypeError(f"normalize() needs a str, not {type(text).__name__}")
    safe_definitions: Mapping[str, str] = {}
    if definitions:
        safe_definitions = {k: v for k, v in definitions.items() if isinstance(k, str) and isinstance(v, str)}
    items = _lexicon_items(lexicon)
    ctx = Context(dialect=dialect, lexicon=items, definitions=safe_definitions)
    ctx.say_alone = lambda phrase: _say_long_form(phrase, dialect, items)
    return _run(text, ctx)
