"""The parts of a news page that are not the story, recognised after reading and before speaking.

Pasted CMS pages carry an update line ("Cập nhật ngày: 09/05/2024 14:30:05"), a dateline tag at the
start of the lead ("ĐTO - ", "(Dân trí) - ", "Dân trí Sáng 5/9..."), photo captions and credits ("... (Ảnh:
P.L)", "... . Ảnh: Reuters", "... - ẢNH: T.H", "Video: Tuấn Thu", "Ảnh minh họa"), the author's name alone
on a line, and site chrome ("< Trở về trang trước"). A place dateline ("HÀ NỘI - ") is story text and read.
A presenter reads none of the others as story text: the update line
becomes the article's date, the byline its author (read once, at the end), and the rest is dropped
unless the settings ask for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from readaloud.model import Article, Block
from readaloud.text.vi import page

# Site furniture common to Vietnamese news pages; a publication's config replaces this list.
DEFAULT_CHROME = page.CHROME_LINES


@dataclass(frozen=True)
class PageRules:
    datelines: tuple[str, ...] = ()  # the publication's own tags, e.g. ("ĐTO",); empty: any short capital tag
    chrome: tuple[str, ...] = DEFAULT_CHROME
    read_captions: bool = False
    read_dateline: bool = False


def _one_of(words: tuple[str, ...], before: str = "") -> str:
    """A regex group matching any of `words` (each after `before`), tried in the order given."""
    return "(?:" + "|".join(re.escape(before + word) for word in words) + ")"


_UPDATE_LINE = re.compile(
    rf"^{_one_of(page.UPDATE_LABELS)}{_one_of(page.UPDATE_LABEL_TAILS, ' ')}?\s*:?\s*"
    r"(?:[^\d]{0,12})?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b.*$",
    re.IGNORECASE,
)
# A short credit after a label: "Reuters", "M.Khương", "TTXVN." - at most 60 characters, none of them
# brackets or a question/exclamation mark, and no full stop that a further sentence follows.
_CREDIT_TAIL = r"\s*:\s*(?=[^!?()]{1,60}$)(?:[^.!?()]|\.(?!\s+\S))+$"
# What may stand before a credit that follows the caption on its line: a sentence's end, ";" or a dash.
_CREDIT_BEFORE = r"(?:[.!?…\"”;]\s*|\s[-–—]\s*)"


def _credit_at_end(labels: tuple[str, ...]) -> re.Pattern[str]:
    """A credit closing a line: in brackets, "(Ảnh: P.L)", or after the caption, ". Ảnh: P.L", " - ẢNH: P.L"."""
    return re.compile(rf"(?:\(\s*{_one_of(labels)}\b[^()]*\)\s*\.?$|{_CREDIT_BEFORE}{_one_of(labels)}{_CREDIT_TAIL})",
                      re.IGNORECASE)


_PHOTO_CREDIT = _credit_at_end(page.CAPTION_CREDITS)
_SOURCE_CREDIT = _credit_at_end(page.SOURCE_CREDITS)
_CREDIT_LINE = re.compile(rf"^{_one_of(page.CAPTION_LABELS)}\s*:", re.IGNORECASE)
_FEATURE_CREDIT = re.compile(rf"^{_one_of(page.FEATURE_CREDIT_LABELS)}\s*:\s*(?P<names>.+)$")
# "Ảnh minh họa ..." opening a line, or closing it after the caption: ". Ảnh minh họa", " - Ảnh minh họa từ X."
_CAPTION_OPENING = re.compile(rf"^{_one_of(page.CAPTION_OPENINGS)}\b|{_CREDIT_BEFORE}{_one_of(page.CAPTION_OPENINGS)}"
                              r"\b[^.!?()]{0,40}\.?$", re.IGNORECASE)
# "(ảnh)", "(ảnh trái)", "(trong ảnh)" inside a story sentence points at the picture: not said.
# The spaces before it go too; matched only from a run's first space ((?<!\s)), so a long run of spaces
# is scanned once, not once from each of its spaces.
_PHOTO_POINTER = re.compile(rf"(?<!\s)\s*\((?:{_one_of(page.PHOTO_POINTER_LEADS)}\s)?ảnh"
                            rf"(?:\s{_one_of(page.PHOTO_POINTER_PLACES)})?\)", re.IGNORECASE)
# An editor's tag closing a bracketed aside, "(vẫn được giữ nguyên - PV)", or standing alone, "(PV)".
_EDITOR_TAG = re.compile(rf"(?<!\s)\s*[-–]\s*{_one_of(page.EDITOR_TAGS)}(?=\))")
_EDITOR_ASIDE = re.compile(rf"(?<!\s)\s*\({_one_of(page.EDITOR_TAGS)}\)")
_GENERIC_DATELINE = re.compile(r"^([A-ZĐ][A-ZĐ0-9]{1,7})\s*[-–—]\s+(?=\S)")
# A news site's tag in brackets with a dash, "(Dân trí) - ", "(VTC News) – ": a name, not a sentence.
_BRACKETED_DATELINE = re.compile(r"^\([^()\d,;:!?]{2,24}\)\s*[-–—]\s+(?=\S)")
_LEAD_TAG_DASH = re.compile(rf"^{_one_of(page.LEAD_TAGS)}\s*[-–—]\s+(?=\S)")
_LEAD_TAG_BARE = re.compile(rf"^{_one_of(page.LEAD_TAGS)}\s+(?=\S)")
_BYLINE_LEAD = re.compile(rf"^{_one_of(page.BYLINE_LEADS)}\s*:\s*", re.IGNORECASE)
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][^\W\d_]*\.?$")
# A byline of one written word: initials glued to a name, "H.Long", "T.Thủy", or initials alone, "T.Đ".
_INITIALLED_NAME = re.compile(r"^(?:[A-ZĐ]\.){1,3}[A-ZĐÀ-Ỹ][^\W\d_]*$")
# A byline run into the source credit after it: "T.ThủyTheo DTrends" (the name ends in lower case).
_GLUED_CREDIT = re.compile(rf"^(?P<name>\S.{{0,40}}?[a-zà-ỹđ])(?P<credit>{_one_of(page.SOURCE_CREDIT_LEADS)}\s.+)$")
# "Theo Reuters", "(Theo BBC/ AFP)", "Theo Sputnik, AFP": the lead, then a capitalised source of a few words
# with no sentence punctuation inside (commas and slashes join sources; a dot may end an initial, "M. Hà").
_THEO_CREDIT = re.compile(rf"^\(?\s*(?P<lead>{_one_of(page.SOURCE_CREDIT_LEADS)})\s+"
                          r"(?P<source>[^!?;:()]+?)\.?\s*\)?\.?$")
_CREDIT_CHARS = 120  # a credit line is short; longer lines are not tried (and the lazy match stays cheap)
# The source opens with a capital or a digit, or is a web name in lower case: "Theo phys.org".
_WEB_NAME = re.compile(r"^[a-z]+[./][a-z]")
_GLUED_PUBLICATION = re.compile(rf"(?<=[a-zà-ỹđ.])(?={_one_of(page.GLUED_PUBLICATIONS)}$)")
# A paper's name alone under a "Theo <author>" line: "Dân Việt", "VOV", "Sức khỏe & Đời sống".
_PUBLICATION_LINE = re.compile(r"^[^\W\d_][^.!?;:,()]{0,40}$")


_LEADING_MARKS = re.compile(r"[^\w]+")
_TRAILING_MARKS = ".:…!>»›"


def _bare(line: str) -> str:
    """A line without leading arrows/bullets and trailing punctuation, case-folded, for chrome matching."""
    # Stripped from the end by hand: a regex anchored at the end ([…]+$) is tried from every position of a
    # long run of those marks in mid-line and takes time quadratic in its length.
    lead = _LEADING_MARKS.match(line)
    start = lead.end() if lead else 0
    end = len(line)
    while end > start and (line[end - 1].isspace() or line[end - 1] in _TRAILING_MARKS):
        end -= 1
    return line[start:end].casefold()


def update_date(line: str) -> str | None:
    """ISO date from an update line ("Cập nhật ngày: 09/05/2024 14:30:05" -> "2024-05-09"), else None."""
    match = _UPDATE_LINE.match(line)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def is_caption(line: str) -> bool:
    """A photo caption or credit: it ends with a credit ("(Ảnh: P.L)", ". Ảnh: Reuters", " - ẢNH: T.H"), is only
    a credit ("Ảnh: P.L", "Video: Tuấn Thu", "Nguồn: AP"), or opens with "Ảnh minh họa". A source credit
    "(Nguồn: ...)" makes a caption only of a line as short as a caption: a story paragraph may end with one."""
    if _CREDIT_LINE.match(line) or _PHOTO_CREDIT.search(line) or _CAPTION_OPENING.search(line):
        return True
    feature = _FEATURE_CREDIT.match(line) if len(line) <= 2 * _NAME_CHARS else None
    if feature and byline_name(feature["names"]):  # "Thiết kế: Thu Hà", not "Thiết kế: máy có khung kim loại"
        return True
    return len(line.split()) <= page.SOURCE_CAPTION_WORDS and bool(_SOURCE_CREDIT.search(line))


def source_credit(line: str) -> str | None:
    """The credit as a presenter reads it if the line is a source credit ("(Theo BBC/ AFP)" -> "Theo BBC/ AFP",
    "Theo Nhật ThanhVietnamNet" -> "Theo Nhật Thanh, VietnamNet"), else None."""
    match = _THEO_CREDIT.match(line.strip()) if len(line) <= _CREDIT_CHARS else None
    if not match:
        return None
    source = match["source"].strip()
    if len(source.split()) > page.SOURCE_CREDIT_WORDS or source.endswith(","):
        return None
    if not (source[0].isupper() or source[0].isdigit() or _WEB_NAME.match(source)):
        return None
    return f"{match['lead']} {_GLUED_PUBLICATION.sub(', ', source, count=1)}"


def byline_name(line: str) -> str | None:
    """The author's name if the line is a byline: a few capitalised words, no sentence punctuation, or up to
    three such names joined by dashes ("Công Minh - Thu Hà"). A source credit ("Theo Reuters") is not a
    byline."""
    if len(line) > 2 * _NAME_CHARS or source_credit(line):  # a name is short: nothing long is tried
        return None
    name = _BYLINE_TAIL.sub("", _BYLINE_LEAD.sub("", line)).strip()
    names = _NAME_DASH.split(name)
    if len(name) > _NAME_CHARS or len(names) > 3 or not all(_is_name(part) for part in names):
        return None
    return name


_NAME_CHARS = 48  # the longest byline taken as a name
_NAME_DASH = re.compile(r"(?<!\s)\s+[-–]\s+")
_BYLINE_TAIL = re.compile(
    rf"(?<!\s)\s*(?:[/–-]\s*{_one_of(page.BYLINE_TAILS)}|\(\s*{_one_of(page.BYLINE_TAILS)}\s*\))\s*$")


def _is_name(name: str) -> bool:
    """A person's name as a byline writes it: "Minh An", "M. Hà", "H.Long", "T.Đ"."""
    if _INITIALLED_NAME.match(name):
        return True
    words = name.split()
    return 2 <= len(words) <= 5 and name[-1] not in ".!?;,:" and all(_NAME_WORD.match(word) for word in words)


def strip_dateline(text: str, rules: PageRules) -> str:
    """The lead without its dateline tag ("ĐTO - Sáng 5/9..." -> "Sáng 5/9...")."""
    if rules.datelines:
        for tag in rules.datelines:
            match = re.match(rf"^(?:{re.escape(tag)}|\({re.escape(tag)}\))\s*[-–—]\s+", text)
            if match:
                return text[match.end():]
        return text
    match = _GENERIC_DATELINE.match(text) or _BRACKETED_DATELINE.match(text) or _LEAD_TAG_DASH.match(text)
    if match:
        return text[match.end():]
    # "Dân trí Chiều 5/9, ...": the site's name run into the lead, which starts again with a capital;
    # "Dân trí đã liên hệ ..." is a sentence about the site and stays.
    match = _LEAD_TAG_BARE.match(text)
    return text[match.end():] if match and text[match.end()].isupper() else text


def extract_story(article: Article, rules: PageRules) -> Article:
    """The story only: update line to date, byline to author, captions/chrome/dateline dropped as set."""
    chrome = {_bare(line) for line in rules.chrome}
    kept, found_date = _story_blocks(article.blocks, rules, chrome)
    date = article.date or found_date
    credit = _take_credit(kept)
    name = _take_byline(kept)
    author = article.author or name
    if credit:  # read once, at the end, as story text: a source is not the author
        kept.append(Block("paragraph", credit))
    title = article.title
    if _bare(title) in chrome and kept:  # a page pasted with its "back" link above the title
        title = kept.pop(0).text
    if not rules.read_captions:
        title = _without_credit(title)
    if not rules.read_dateline:
        _strip_first_dateline(kept, rules)
    return replace(article, title=title, blocks=tuple(kept), author=author, date=date)


def _story_blocks(blocks: tuple[Block, ...], rules: PageRules, chrome: set[str]) -> tuple[list[Block], str | None]:
    """The blocks without chrome lines, update lines and (unless read) captions, and the date of the first
    update line."""
    date: str | None = None
    kept: list[Block] = []
    for block in blocks:
        if block.kind == "paragraph":
            if _bare(block.text) in chrome:
                continue
            found = update_date(block.text)
            if found:
                date = date or found
                continue
        # A credit in capitals, "ẢNH: MINH KHOA", was read as a heading.
        if not rules.read_captions and is_caption(block.text):
            continue
        kept.append(block if rules.read_captions else _without_photo_pointers(block))
    return kept, date


def _without_credit(title: str) -> str:
    """A title whose line ends with a photo credit ("... công nghệ (Ảnh: Reuters)."), as a caption's first
    line becomes the title of a pasted page, without the credit; a title that is only a credit stays."""
    match = _PHOTO_CREDIT.search(title)
    return title[:match.start()].rstrip() if match and title[:match.start()].strip() else title


def _without_photo_pointers(block: Block) -> Block:
    """The block without "(ảnh)"-style pointers at the page's pictures, nor editors' tags ("(... - PV)")."""
    text = _PHOTO_POINTER.sub("", block.text)
    if "(" in text:
        text = _EDITOR_TAG.sub("", _EDITOR_ASIDE.sub("", text))
    return block if text == block.text else Block(block.kind, text)


def _take_byline(kept: list[Block]) -> str | None:
    """The author's name when the last block is a paragraph holding only a name, removed from `kept`; a
    "Tổng hợp" ("compiled") line of its own under it goes too."""
    if len(kept) >= 2 and kept[-1].text.strip(" ()/.-–") in page.BYLINE_TAILS and byline_name(kept[-2].text):
        del kept[-1]
    if not kept or kept[-1].kind != "paragraph":
        return None
    name = byline_name(kept[-1].text)
    if name:
        del kept[-1]
    return name


def _take_credit(kept: list[Block]) -> str | None:
    """The closing source credit, removed from `kept`: "Theo Reuters" as the last paragraph, or "Theo Hà Trang"
    followed by the paper's name alone ("Dân Việt"), which joins it: "Theo Hà Trang, Dân Việt"; a byline run
    into it ("T.ThủyTheo DTrends") stays as the last paragraph, for the byline to be taken."""
    if len(kept) >= 2 and kept[-2].kind == "paragraph":  # the paper's name may be in capitals, "VOV": a heading
        credit, paper = source_credit(kept[-2].text), kept[-1].text
        # Only a person's credit takes the paper's name: under "Theo Nature.com" a name is the byline.
        if (credit and byline_name(credit.split(" ", 1)[-1]) and paper[0].isupper()
                and _PUBLICATION_LINE.match(paper) and not source_credit(paper)):
            del kept[-2:]
            return f"{credit}, {paper}"
    if kept and kept[-1].kind == "paragraph":
        credit = source_credit(kept[-1].text)
        if credit:
            del kept[-1]
            return credit
        glued = _GLUED_CREDIT.match(kept[-1].text) if len(kept[-1].text) <= _CREDIT_CHARS else None
        if glued and byline_name(glued["name"]) and (credit := source_credit(glued["credit"])):
            kept[-1] = Block("paragraph", glued["name"])  # the byline, taken next
            return credit
    return None


def _strip_first_dateline(kept: list[Block], rules: PageRules) -> None:
    """Remove the dateline tag from the first paragraph of `kept`, in place."""
    for position, block in enumerate(kept):
        if block.kind == "paragraph":
            text = strip_dateline(block.text, rules)
            if text != block.text:
                kept[position] = Block("paragraph", text)
            return
