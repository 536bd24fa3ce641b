"""`readaloud audit PATH...`: files and folders in, a report of what a listener would hear wrong out."""

from __future__ import annotations

import json

from readaloud.cli import cli
from tests.helpers import cli_runner


def invoke(*args):
    return cli_runner().invoke(cli, [str(a) for a in args])


def _articles(tmp_path):
    """Two articles in a folder (one in a subfolder, one in a hidden folder that is skipped) and one beside it."""
    folder = tmp_path / "bai"
    (folder / "the-thao").mkdir(parents=True)
    (folder / ".nhap").mkdir()
    (folder / "the-thao" / "a.txt").write_text("Đội XQZ thắng\n\nĐội bóng XQZ thắng đậm tối qua.\n",
                                               encoding="utf-8")
    (folder / "b.md").write_text("# Mạng xã hội\n\nAnh ấy dùng Facebook mỗi ngày.\n", encoding="utf-8")
    (folder / "ghi-chu.pdf").write_bytes(b"%PDF-1.4")
    (folder / ".nhap" / "c.txt").write_text("Bản nháp của XQZ.\n", encoding="utf-8")
    single = tmp_path / "le.txt"
    single.write_text("Tin lẻ\n\nSân của XQZ kín khán giả.\n", encoding="utf-8")
    return folder, single


def test_files_and_folders_are_audited_into_one_report(tmp_path):
    folder, single = _articles(tmp_path)
    result = invoke("audit", folder, single, "--engine", "espeak", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("audit: 3 articles, ")
    assert "(engine espeak, at most " in lines[0]
    assert lines[1].startswith("per 1,000 words: ")
    spelled = next(line for line in lines if line.strip().startswith("3  XQZ"))
    assert '"XQZ" = "ích quy dét"' in spelled
    assert any(line.strip().startswith("1  Facebook") for line in lines)
    assert "Unsayable in the spoken text (must be 0): 0" in lines


def test_json_report_shape(tmp_path):
    folder, single = _articles(tmp_path)
    result = invoke("audit", folder, single, "--json", "--top", "1", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["paths"] == [str(folder), str(single)]
    assert (report["engine"], report["max_chars"], report["articles"], report["failed"]) == ("auto", 100, 3, [])
    assert set(report["per_1000_words"]) == {"spelled", "spelled_not_on_purpose", "unsayable", "cuts_inside_words",
                                             "foreign"}
    assert report["spelled"]["top"] == [{"token": "XQZ", "count": 3, "on_purpose": False, "spoken": "ích quy dét",
                                         "example": "Đội XQZ thắng", "lexicon": '"XQZ" = "ích quy dét"'}]
    assert report["unsayable"] == {"total": 0, "characters": {}, "examples": []}
    assert set(report["cuts_inside_words"]) == {"total", "examples"}
    assert report["foreign"]["top"][0]["word"] == "Facebook"
    assert report["words"] > 0 and report["chunks"] >= 6


def test_a_bad_path_is_one_line_and_exit_1(tmp_path):
    missing = tmp_path / "khong-co"
    result = invoke("audit", missing)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"readaloud: error: {missing}: no such file or folder"]
    assert result.stdout == ""


def test_a_folder_with_no_article_is_an_error_not_a_clean_report(tmp_path):
    (tmp_path / "ghi-chu.rst").write_text("Không phải bài báo.\n", encoding="utf-8")
    result = invoke("audit", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"readaloud: error: {tmp_path}: no articles in this folder (.txt, .md, .markdown, .html, .htm)"]
    assert result.stdout == ""


def test_a_bad_path_with_json_is_a_json_failure(tmp_path):
    missing = tmp_path / "khong-co"
    result = invoke("audit", missing, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"ok": False, "paths": [str(missing)],
                                         "error": f"{missing}: no such file or folder", "exit_code": 1}


def test_an_unreadable_article_is_reported_and_the_audit_goes_on(tmp_path):
    folder, _single = _articles(tmp_path)
    (folder / "rong.txt").write_bytes(b"")
    result = invoke("audit", folder, "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["articles"] == 2
    assert report["failed"] == [{"article": str(folder / "rong.txt"), "error": f"{folder / 'rong.txt'}: "
                                                                              "the article is empty"}]
    assert result.stderr.splitlines() == [f"readaloud: warning: {folder / 'rong.txt'}: the article is empty"]


def test_articles_of_which_none_could_be_read_are_an_error_not_a_clean_report(tmp_path):
    empty, binary = tmp_path / "rong.txt", tmp_path / "nhi-phan.txt"
    empty.write_bytes(b"")
    binary.write_bytes(bytes(range(256)) * 4)
    result = invoke("audit", empty, binary)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "readaloud: error: none of the 2 article(s) given could be read: nothing was audited")
    result = invoke("audit", empty, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"ok": False, "paths": [str(empty)], "exit_code": 1,
                                         "error": "none of the 1 article(s) given could be read: nothing was audited"}


def test_paths_are_required_and_top_must_be_positive(tmp_path):
    assert invoke("audit").exit_code == 2
    assert invoke("audit", tmp_path, "--top", "0").exit_code == 2


def test_help_teaches_the_four_findings():
    text = invoke("audit", "--help").stdout
    for word in ("spelled", "unsayable", "cuts", "foreign", "lexicon add", "--top", "--json", "--engine"):
        assert word in text
