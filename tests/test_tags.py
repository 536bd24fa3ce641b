"""The ID3 layout read back through tags.py, the one module that knows it: what write_tags stores,
from_id3 (inspect) and read_build_facts (sync) give back as typed values. No audio needed: mutagen puts
the tag at the front of any file."""

from __future__ import annotations

from mutagen.id3 import ID3, TXXX

import readaloud
from readaloud import tags
from readaloud.model import Article, Chapter, Cover, TagInfo


def _written(tmp_path, **article) -> tuple[object, TagInfo]:
    path = tmp_path / "bai.mp3"
    path.write_bytes(b"")
    info = TagInfo(
        article=Article(source="bai.md", title="Mùa nước nổi", blocks=(), digest="ab" * 32, **article),
        chapters=(Chapter("Mùa nước nổi", 0, 1500), Chapter("Lũ thấp", 1500, 4000)),
        engine="espeak-ng 1.52.0 voice=vi rate=165", settings_fingerprint="0123456789abcdef", rules_version="7",
        lexicon_digest="cd" * 8, summary="Ngày 15/10.", transcript="Mùa nước nổi\n\nLũ thấp",
        cover=Cover(b"\x89PNG", "image/png"))
    tags.write_tags(path, info)
    return path, info


def test_what_is_written_is_read_back_typed(tmp_path):
    path, info = _written(tmp_path, author="Minh Khoa", date="2024-10-15", publication="Báo Đồng Tháp",
                          url="https://baodongthap.vn/a.html")
    got = tags.from_id3(ID3(path))
    assert (got.id3_version, got.title, got.author, got.publication, got.date) == (
        "2.4.0", "Mùa nước nổi", "Minh Khoa", "Báo Đồng Tháp", "2024-10-15")
    assert (got.language, got.genre, got.url, got.summary) == ("vie", "Speech", "https://baodongthap.vn/a.html",
                                                               "Ngày 15/10.")
    assert got.transcript == info.transcript and got.cover_mime == "image/png"
    assert got.chapters == list(info.chapters)
    assert got.provenance == tags.Provenance(version=readaloud.__version__, engine=info.engine,
                                             source_sha256="ab" * 32, settings="0123456789abcdef", rules="7",
                                             lexicon="cd" * 8)


def test_sync_reads_the_same_facts(tmp_path):
    path, info = _written(tmp_path, author="Minh Khoa")
    facts = tags.read_build_facts(path)
    assert facts is not None
    assert facts.provenance == tags.from_id3(ID3(path)).provenance
    assert (facts.transcript, facts.author) == (info.transcript, "Minh Khoa")
    assert facts.provenance.by_description()[tags.SOURCE] == "ab" * 32


def test_no_tag_and_foreign_frames(tmp_path):
    bare = tmp_path / "bare.mp3"
    bare.write_bytes(b"\xff\xfb\x90\x00" + bytes(400))
    assert tags.read_build_facts(bare) is None
    assert tags.from_id3(None) == tags.WrittenTags(id3_version="none")
    path, _ = _written(tmp_path)
    tag = ID3(path)
    tag.add(TXXX(encoding=3, desc="other:tool", text="x"))
    tag.delall(f"TXXX:{tags.LEXICON}")
    tag.save(path)
    facts = tags.read_build_facts(path)
    assert facts is not None and facts.author == "" and facts.provenance.lexicon is None
    assert "other:tool" not in facts.provenance.by_description()
