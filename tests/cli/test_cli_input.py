"""Bad input to the command line is one line on stderr and exit 2 (issue 14, item 5)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "seroval", *args], input=stdin, capture_output=True, check=False
    )


def _one_error_line(result: subprocess.CompletedProcess[bytes]) -> str:
    assert result.returncode == 2, result.stderr.decode()
    assert result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("seroval: error: ")
    return lines[0]


@pytest.mark.parametrize("depth", [1001, 100_000])
@pytest.mark.parametrize("input_format", ["auto", "json"])
def test_json_nested_too_deep_is_one_line_and_exit_2(depth: int, input_format: str) -> None:
    text = ("[" * depth + "]" * depth).encode()
    line = _one_error_line(run("encode", "--input-format", input_format, stdin=text))
    assert "deeper than the depth limit of 1000" in line


def test_json_at_the_depth_limit_still_encodes() -> None:
    result = run("encode", stdin=("[" * 1000 + "]" * 1000).encode())
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b'{"t":{"t":9,"i":0,"a":[{"t":9')


def test_deep_json_that_does_not_parse_is_one_line() -> None:
    line = _one_error_line(run("encode", "--input-format", "json", stdin=b"[" * 100_000))
    assert "the input is not valid JSON" in line


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (("encode",), b""),
        (("encode",), b"  \n"),
        (("decode",), b""),
        (("convert", "--to", "json"), b""),
        (("inspect",), b"\n"),
    ],
)
def test_empty_input_says_it_is_empty(args: tuple[str, ...], stdin: bytes) -> None:
    line = _one_error_line(run(*args, stdin=stdin))
    assert "the input is empty" in line


def test_an_empty_expression_says_it_is_empty() -> None:
    assert "the input is empty" in _one_error_line(run("encode", "-e", " "))


@pytest.mark.parametrize(
    ("command", "option"),
    [
        ("encode", "--input-format"),
        ("decode", "--from"),
        ("decode", "--to"),
        ("convert", "--from"),
        ("inspect", "--from"),
    ],
)
def test_every_format_option_has_help_text(command: str, option: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    text = result.stdout.decode()
    start = text.index("\n  " + option)
    entry = text[start + 1 :].split("\n  -", 1)[0]
    assert "default" in entry, entry  # the help text says what happens when it is left out
