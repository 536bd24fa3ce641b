"""Versions stamped into every MP3, in a module of their own so that any module can read them without
importing the package's face (which would make an import circle with the modules behind it)."""

__version__ = "0.1.0"

# The version of how text is read (structure, segmentation, normalisation). Stored in every MP3 so a
# rebuild can tell audio made under older reading rules; bump it with any change to what is spoken.
# 2: ranges, heights, sizes, standard codes, Unicode numbers; chunk cuts at clause breaks
# 3: news abbreviations (HLV, CLB, HĐQT...), dot dates, sports, product codes, captions and agency tags,
#    chunks cut only between words
# 4: second round on real news: bylines with initials, closing source credits, more abbreviations, phones
#    abroad, weekday dot dates, names in capitals, chunks cut from the sentence's own reading
RULES_VERSION = "4"
