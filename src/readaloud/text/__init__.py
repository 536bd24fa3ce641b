"""Everything from an article file's bytes to the text an engine speaks.

Reading (txt, Markdown, CMS HTML), the one cleaner, the page's non-story parts, sentences and chunks,
the newsroom lexicon and the Vietnamese normaliser.  This package imports nothing from audio, engines
or config: settings arrive as plain values.
"""
