"""The README's promises that code can drift from: every exit code the CLI can return is documented."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import readaloud.sync  # noqa: F401  (defines SyncLocked, an error family with its own exit code)
from readaloud import cli
from readaloud.errors import ReadaloudError

README = Path(__file__).resolve().parents[1] / "README.md"


def _documented_exit_codes() -> dict[int, str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    codes: dict[int, str] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.fullmatch(r"\d+( / \d+)*", cells[0]):
            for code in cells[0].split(" / "):
                codes[int(code)] = cells[1]
    return codes


def _error_families(base: type[ReadaloudError]) -> list[type[ReadaloudError]]:
    found = [base]
    for sub in base.__subclasses__():
        found += _error_families(sub)
    return found


def _codes_the_cli_can_return() -> set[int]:
    codes = {value for name, value in vars(cli).items() if name.startswith("EXIT_") and isinstance(value, int)}
    codes |= {family.exit_code for family in _error_families(ReadaloudError)}
    codes |= {128 + signal.SIGINT, 128 + signal.SIGTERM, 128 + signal.SIGPIPE}
    return codes


def test_every_exit_code_is_in_the_readme_table_with_a_meaning():
    documented = _documented_exit_codes()
    missing = _codes_the_cli_can_return() - set(documented)
    assert not missing, f"exit codes missing from the README's table: {sorted(missing)}"
    assert all(len(meaning) > 10 for meaning in documented.values()), documented


def test_the_exit_code_table_holds_only_exit_codes():
    # Benchmark rows once overwrote rows 1-3 of this table; a row of another table has more than two cells.
    section = README.read_text(encoding="utf-8").split("### Exit codes", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| code")]
    assert rows and all(line.count(" | ") == 1 or "\\|" in line for line in rows), rows
    assert set(_documented_exit_codes()) == _codes_the_cli_can_return()


def _commands(group, prefix=()):
    import click

    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_every_command_and_option_has_help_text():
    import click

    missing = []
    for path, command in _commands(cli.cli):
        if not (command.help or "").strip():
            missing.append(" ".join(path))
        for param in command.params:
            if isinstance(param, click.Option) and not (param.help or "").strip():
                missing.append(f"{' '.join(path)} {param.opts[-1]}")
    assert not missing, missing


def _shell_lines() -> list[str]:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    joined = [block.replace("\\\n", " ") for block in blocks]
    return [line.split("  #")[0].strip() for block in joined for line in block.splitlines()]


def test_the_readmes_examples_write_only_under_the_ignored_out_folder():
    # Following the README must not dirty the clone: no MP3 beside the samples or at the repository root.
    ignored = (README.parent / ".gitignore").read_text(encoding="utf-8").split()
    assert "out/" in ignored
    writers = [line for line in _shell_lines() if re.search(r"readaloud .*\b(build|sync)\b", line)
               or re.search(r"readaloud .*\b(preview|say)\b.* -o ", line) or re.search(r"readaloud .* feed ", line)]
    assert len(writers) >= 5, writers
    for line in writers:
        targets = (re.findall(r"(?:-o|--output) (\S+)", line) or re.findall(r"\bsync \S+ (\S+)", line)
                   or re.findall(r" feed (\S+)", line))
        assert targets and all(target.startswith("out/") for target in targets), line


def test_a_lexicon_add_then_remove_leaves_the_file_byte_identical(tmp_path):
    from readaloud.text import lexicon

    unsorted = ("# Cách đọc riêng\n\n[words]\n\"ĐTO\" = \"Đồng Tháp Online\"  # tên báo\n\n"
                "# Tên riêng\n\"Tháp Mười\" = \"Tháp Mừi\"\n\"Covid-19\" = \"Cô vít mười chín\"\n# hết\n")
    for original in ((README.parent / "samples" / "lexicon.toml").read_bytes(), unsorted.encode("utf-8")):
        path = tmp_path / "lexicon.toml"
        path.write_bytes(original)
        for word in ("HAGL", "Zalo", "An Giang"):  # sorting first, last and in the middle
            words = lexicon.load(path)
            lexicon.save(path, {**words, word: "cách đọc"})
            assert lexicon.load(path) == {**words, word: "cách đọc"}
            lexicon.save(path, words)
            assert path.read_bytes() == original, word
