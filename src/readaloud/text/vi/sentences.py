"""Words that decide where a Vietnamese sentence ends and where a long one may be cut. Tables only; the
rules that use them live in `text.segment`.
"""

from __future__ import annotations

# Words whose trailing period is not a sentence end. Compared case-sensitively, without the period.
ABBREVIATIONS = frozenset({
    "TP", "Tp", "Q", "P", "H", "X", "TX", "TT", "TS", "ThS", "GS", "PGS", "BS", "KS", "CN", "NCS", "Th.S",
    "v.v", "vv", "St", "Mr", "Mrs", "Dr", "No", "Ths", "Đ/c", "đ/c", "Tr", "tr", "Sđd", "Nxb", "NXB",
    # titles run together before a name: "GS.TS. Nguyễn Văn A"
    "GS.TS", "PGS.TS", "GS.TSKH", "PGS.TSKH", "TS.BS", "ThS.BS", "BS.CKI", "BS.CKII", "ThS.BSCKI", "ThS.BSCKII",
})

# Words that open a phrase (conjunctions, prepositions, the markers before a predicate): a cut right
# before one does not split a compound word. Words that also end compounds ("trước" in "năm trước",
# "vào" in "đầu vào") are left out. Lower case; compared case-folded.
PHRASE_OPENERS = frozenset({
    "và", "hoặc", "hay", "nhưng", "mà", "thì", "là", "của", "với", "cho", "để", "trong", "tại", "từ", "đến",
    "theo", "về", "khi", "nếu", "vì", "do", "nên", "như", "bằng", "nhằm", "qua", "giữa", "ở", "đã", "đang",
    "sẽ", "được", "bị", "cùng", "gồm", "so", "còn", "nhờ", "thuộc",
})
