"""``--plugin MODULE:NAME``: no plugin is registered unless the user names one."""

from __future__ import annotations

import subprocess
import sys

import pytest

import seroval as S
from seroval.conformance.point import Point, PointPlugin
from seroval.plugins.web import ALL as WEB
from seroval.plugins.web import URL

POINT_JSON = S.dumps_json(S.to_json(Point(1, 2), plugins=[PointPlugin()])).encode()


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "seroval", *args], input=stdin, capture_output=True, check=False
    )


def test_a_plugin_payload_is_refused_without_the_plugin() -> None:
    result = run("decode", "--from", "json", stdin=POINT_JSON)
    assert result.returncode == 2
    assert b"my/Point" in result.stderr


def test_a_named_plugin_class_reads_the_payload() -> None:
    spec = "seroval.conformance.point:PointPlugin"
    result = run("decode", "--from", "json", "--plugin", spec, stdin=POINT_JSON)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"Point(1, 2)\n"


def test_a_named_list_of_plugins_reads_and_writes() -> None:
    url = S.dumps_json(S.to_json(URL("https://example.com/"), plugins=WEB)).encode()
    spec = "seroval.plugins.web:ALL"
    result = run("convert", "--from", "json", "--to", "js", "--plugin", spec, stdin=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == S.serialize(URL("https://example.com/"), plugins=WEB).encode()


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("seroval.conformance.point", b"MODULE:NAME"),
        ("no_such_module_xyz:Plugin", b"cannot import"),
        ("seroval.conformance.point:Nothing", b"has no 'Nothing'"),
        ("seroval.conformance.point:Point", b"not a plugin"),
    ],
)
def test_a_bad_plugin_spec_is_one_line_and_exit_2(spec: str, words: bytes) -> None:
    result = run("decode", "--from", "json", "--plugin", spec, stdin=POINT_JSON)
    assert result.returncode == 2
    assert words in result.stderr
    assert result.stderr.count(b"\n") == 1
