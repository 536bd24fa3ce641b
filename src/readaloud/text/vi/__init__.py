"""Vietnamese language data for the text normaliser.

Every module here holds tables only (dicts, tuples, strings), never logic, so
that adding a reading is a one-line data change reviewed in a diff.  The rules
that use these tables live in :mod:`readaloud.text.normalize`.

Values are spoken Vietnamese in NFC and must never contain an ASCII digit:
``tests/text/test_normalize.py`` checks that for every table.
"""
