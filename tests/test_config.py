import pytest

from readaloud import config, lexicon
from readaloud.errors import ConfigError

from .conftest import SAMPLES


def test_sample_config_is_complete_and_valid():
    settings = config.load(SAMPLES / "readaloud.toml")
    assert settings.reading.dialect == "south"
    assert settings.publication.datelines == ("ĐTO",)
    assert "Gửi bình luận của bạn" in settings.publication.chrome
    assert settings.reading.lexicon == str(SAMPLES / "lexicon.toml")  # relative to the config file
    assert lexicon.load(settings.reading.lexicon)["ĐTO"] == "Đồng Tháp Online"


@pytest.mark.parametrize(("text", "message"), [
    ("[reading]\ndialect = \"central\"\n", "reading.dialect: expected one of north, south, got 'central'"),
    ("[reading]\nread_captions = \"yes\"\n", "reading.read_captions: expected bool, got str 'yes'"),
    ("[publication]\nchrome = \"Chia sẻ\"\n", "publication.chrome: expected a list of strings"),
    ("[pauses]\nheading = 1.5\n", "pauses.heading: expected int, got float 1.5"),
    ("[voice]\nname = \"vi\"\n", "unknown table [voice]"),
    ("[engine\n", "config is not valid TOML"),
])
def test_bad_settings_name_the_file_and_key(tmp_path, text, message):
    path = tmp_path / "readaloud.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        config.load(path)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)


def test_lexicon_errors_name_the_file(tmp_path):
    path = tmp_path / "lexicon.toml"
    path.write_text("[words]\n\"ĐTO\" = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"lexicon.toml: words.'ĐTO': expected a non-empty text"):
        lexicon.load(path)
    with pytest.raises(ConfigError, match="lexicon file not found"):
        lexicon.load(tmp_path / "none.toml")
    assert lexicon.load("") == {}
