"""Every command's text output is strict UTF-8, lone surrogates included (issue 16 item 3).

A JS string may hold a lone surrogate; seroval writes it raw, which no UTF-8 can
carry.  The text formats escape it (``\\uD800``), which JS and our readers read as
the same string, so converting the output back gives the same value.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import seroval as S

VALUE = ["a\ud800b", {"\udc00": "\U0001f600"}, S.JSRegExp("\ud800|x", "")]
TEXT_FORMATS = ["js", "cross-js", "json", "cross-json", "framed", "framed-json"]


def run(*args: str) -> bytes:
    done = subprocess.run(
        [sys.executable, "-m", "seroval", *args], capture_output=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout


@pytest.fixture(scope="module")
def payload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("utf8") / "value.json"
    path.write_bytes(S.dumps_json(S.to_json(VALUE)).encode("utf-8"))
    return path


@pytest.mark.parametrize("to", TEXT_FORMATS)
def test_convert_writes_strict_utf8_that_reads_back(payload: Path, to: str, tmp_path: Path) -> None:
    out = run("convert", str(payload), "--from", "json", "--to", to)
    out.decode("utf-8")  # strict: raises on a surrogate's bytes
    converted = tmp_path / "out"
    converted.write_bytes(out)
    back = run("convert", str(converted), "--from", to, "--to", "json")
    # the same value, the RegExp's source (lone surrogate included) exactly
    assert S.loads_json(back) == S.to_json(VALUE)


@pytest.mark.parametrize("to", TEXT_FORMATS)
def test_encode_writes_strict_utf8(payload: Path, to: str) -> None:
    run("encode", str(payload), "--input-format", "json", "--to", to).decode("utf-8")


@pytest.mark.parametrize("view", ["json", "python"])
def test_decode_writes_strict_utf8(payload: Path, view: str) -> None:
    run("decode", str(payload), "--from", "json", "--to", view).decode("utf-8")


def test_inspect_writes_strict_utf8(payload: Path) -> None:
    assert "\\ud800" in run("inspect", str(payload), "--from", "json").decode("utf-8")


def test_serialize_itself_still_matches_seroval() -> None:
    """Only the bytes change: ``serialize`` returns seroval's text, surrogate and all."""
    assert S.serialize("\ud800") == '"\ud800"'
