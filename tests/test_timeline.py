from readaloud.model import Chapter, Chunk, Span
from readaloud.timeline import chapters, layout, pause_samples


def test_layout_counts_whole_samples():
    spans, total = layout([1000, 0, 500], [500, 250, 0], 22050)
    assert pause_samples(500, 22050) == 11025
    assert spans == [Span(0, 1000), Span(12025, 12025), Span(17537, 18037)]
    assert total == 18037


def test_chapters_start_at_first_speech_of_each_section():
    chunks = [Chunk(0, 0, "title", "T", "t", 1000), Chunk(1, 0, "body", "a", "a", 1000),
              Chunk(2, 1, "heading", "H", "h", 1000), Chunk(3, 1, "body", "b", "b", 0)]
    spans, total = layout([22050, 22050, 11025, 22050], [c.pause_after_ms for c in chunks], 22050)
    assert chapters(chunks, spans, ["T", "H"], total, 22050) == (
        Chapter("T", 0, 4000),
        Chapter("H", 4000, 6500),
    )
