"""Letters: their Vietnamese names, and the pieces of a Vietnamese syllable.

``LETTER_NAMES`` is how a presenter spells an acronym nobody expands:
"VTV" → "vê tê vê", "XYZ" → "ích i dét".  Keys are lower-case letters without
a tone mark (a toned capital is looked up by its base letter).
"""

LETTER_NAMES = {
    "a": "a",
    "ă": "á",
    "â": "ớ",
    "b": "bê",
    "c": "xê",
    "d": "dê",
    "đ": "đê",
    "e": "e",
    "ê": "ê",
    "f": "ép",
    "g": "giê",
    "h": "hát",
    "i": "i",
    "j": "gi",
    "k": "ca",
    "l": "e lờ",
    "m": "em",
    "n": "en",
    "o": "o",
    "ô": "ô",
    "ơ": "ơ",
    "p": "pê",
    "q": "quy",
    "r": "e rờ",
    "s": "ét",
    "t": "tê",
    "u": "u",
    "ư": "ư",
    "v": "vê",
    "w": "vê kép",
    "x": "ích",
    "y": "i",
    "z": "dét",
}

# Every lower-case letter of Vietnamese text, with all tone marks, plus f j w z
# (used in loanwords and acronyms).
LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz"
UPPER = LOWER.upper()

# Vowel letters, toned or not: the nucleus of a syllable.
VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"

# Letters that carry a Vietnamese diacritic (breve, circumflex, horn, tone) —
# acronyms practically never do, words written in capitals usually do.
# Đ is deliberately absent: it is a plain consonant of many acronyms (ĐBSCL).
DIACRITIC_VOWELS = "".join(ch for ch in VOWELS if ch not in "aeiouy")

# Syllable onsets and codas; longest first so a regex alternation is greedy.
ONSETS = (
    "ngh",
    "ng",
    "nh",
    "ch",
    "gh",
    "gi",
    "kh",
    "ph",
    "qu",
    "th",
    "tr",
    "b",
    "c",
    "d",
    "đ",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "x",
)
CODAS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")

# Combining tone marks (grave, acute, tilde, hook above, dot below): removed to
# find a toned letter's base in LETTER_NAMES.  Breve, circumflex and horn stay.
TONE_MARKS = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")

# "đ", the one Vietnamese letter that is not a Latin letter with a mark: initials compare it as "d"
# ("Đ" in "TTĐN" matches "đối"), and plates and boat codes use its capital.
D_STROKE = "đ"
