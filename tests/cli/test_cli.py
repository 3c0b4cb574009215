"""The ``seroval`` command, run as a real subprocess, and its conversions over every vector."""

from __future__ import annotations

import itertools
import os
import pty
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

import seroval as S
from seroval.cli import _oracle_checks, main
from seroval.cli.documents import FORMATS, Document, read_document, sniff, write_document
from seroval.cli.term import Style
from seroval.conformance import report, suite, web_suite
from seroval.conformance.stream_vectors import load_stream_vectors
from seroval.conformance.vectors import Vector, load_vectors
from seroval.conformance.web_recipes import load_web_vectors

from ..conftest import PLUGINS

VECTORS = [v for v in load_vectors() if v.error is None]
suite.prepare(VECTORS)
JS_FORMATS = {"js", "cross-js", "framed"}


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "seroval", *args], input=stdin, capture_output=True, check=False
    )


# -- every command as a subprocess -----------------------------------------------------


def test_encode_a_python_literal_gives_to_json() -> None:
    result = run("encode", "-e", "{'a': (1, 2), 'b': {3}, 'n': None}")
    assert result.returncode == 0, result.stderr
    expected = S.dumps_json(S.to_json({"a": (1, 2), "b": {3}, "n": None}))
    assert result.stdout.decode() == expected + "\n"


def test_encode_json_from_stdin_to_js() -> None:
    result = run("encode", "--to", "js", stdin=b'{"a": [1, {"b": null}]}')
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == S.serialize({"a": [1, {"b": None}]}) + "\n"


def test_decode_shows_python_and_json_views(tmp_path: Path) -> None:
    value: dict[str, Any] = {"name": "x", "tags": S.JSSet(["a"]), "big": 2**70}
    value["self"] = value
    path = tmp_path / "payload.json"
    path.write_text(S.dumps_json(S.to_json(value)))
    python = run("decode", str(path))
    assert python.returncode == 0, python.stderr
    assert "JSSet(['a'])" in python.stdout.decode()
    assert "<ref $>" in python.stdout.decode()
    plain = run("decode", "--to", "json", str(path))
    assert b'"$type": "BigInt"' in plain.stdout
    assert b'"$ref": "$"' in plain.stdout


def test_convert_writes_files_and_reads_them_back(tmp_path: Path) -> None:
    source = tmp_path / "value.json"
    source.write_text(S.dumps_json(S.to_json([1, "two", {"three": 3}])))
    cbor = tmp_path / "value.cbor"
    assert run("convert", str(source), "--to", "cbor", "-o", str(cbor)).returncode == 0
    back = run("convert", str(cbor), "--to", "json")
    assert back.returncode == 0, back.stderr
    assert back.stdout.decode() == source.read_text() + "\n"


def test_inspect_marks_ids_sharing_and_cycles(tmp_path: Path) -> None:
    shared = {"k": 1}
    value: dict[str, Any] = {"a": shared, "b": shared}
    value["self"] = value
    path = tmp_path / "payload.json"
    path.write_text(S.dumps_json(S.to_json(value)))
    result = run("inspect", str(path))
    text = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert "Object #0" in text
    assert "↺ cycle to #0" in text
    assert "→ #1" in text
    assert "shared, referenced 1x" in text


def _table(text: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """The conformance table's columns and its rows by supported type (cells by column)."""
    lines = text.splitlines()
    header = re.split(r"\s{2,}", lines[0].strip())
    rows = {}
    for line in lines[2:]:
        if not line.strip():
            break
        cells = re.split(r"\s{2,}", line.strip())
        assert len(cells) == len(header), line
        rows[cells[0]] = dict(zip(header, cells, strict=True))
    return header, rows


def test_conformance_reports_every_type_by_form_with_progress_on_a_terminal() -> None:
    """One run: the table on a pipe (plain), the progress on a terminal (stderr)."""
    parent, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "seroval", "conformance"], stdout=subprocess.PIPE, stderr=child
    )
    os.close(child)
    progress: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(parent, 4096)
            except OSError:  # EIO: the child closed the terminal
                return
            if not data:
                return
            progress.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        stdout, _ = process.communicate(timeout=300)
    finally:
        reader.join(timeout=10)
        os.close(parent)
    assert process.returncode == 0
    text = stdout.decode()
    assert "\x1b[" not in text, "no colour when piped"
    header, rows = _table(text)
    assert header == [
        "supported type",
        "sync nodes",
        "js text",
        "async",
        "stream",
        "json",
        "msgpack",
        "cbor",
    ]
    groups = {suite.group_of(v) for v in load_vectors()}
    groups |= {report.web_group(v) for v in load_web_vectors()}
    groups |= {report.stream_group(v) for v in load_stream_vectors()}
    assert groups <= set(rows), groups - set(rows)
    assert {"web/url", "temporal/ZonedDateTime", "promise"} <= set(rows)
    for cells in rows.values():
        assert all(cells[form] == "-" or cells[form].startswith("pass ") for form in header[1:])
    for form in ("sync nodes", "js text", "json", "msgpack", "cbor"):
        assert rows["map"][form].startswith("pass "), form
    for form in ("async", "stream", "json", "msgpack", "cbor"):
        assert rows["promise"][form].startswith("pass "), form
        assert rows["random"][form].startswith("pass "), form
    for form in header[1:]:
        assert rows["temporal/Instant"][form].startswith("pass "), form
    assert rows["web/blob"]["async"].startswith("pass ")
    assert re.search(r"\n\d+ types, \d+ checks passed, 0 failed\n", text)
    shown = b"".join(progress).decode()
    for label in ("core vectors", "web and Temporal vectors", "stream vectors"):
        assert f"checking {label}: " in shown, label
    assert "(100%)" in shown


def test_conformance_failure_exits_1_and_names_the_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A check that disagrees turns its cell into FAIL and the exit code into 1 (in-process,
    over a few vectors, with one check made to fail)."""

    def disagree(vector: Vector) -> None:
        raise suite.ConformanceFailure("made to fail")

    monkeypatch.setattr(suite, "load_vectors", lambda: load_vectors()[:3])
    monkeypatch.setattr(report, "load_web_vectors", lambda: load_web_vectors()[:2])
    monkeypatch.setattr(report, "load_stream_vectors", lambda: load_stream_vectors()[:2])
    monkeypatch.setitem(web_suite.SYNC_CHECKS, "js text read", disagree)
    assert main(["conformance"]) == 1
    captured = capsys.readouterr()
    _, rows = _table(captured.out)
    url = rows["web/url"]  # the first two web vectors
    assert url["js text"].startswith("FAIL 2/"), url
    assert url["sync nodes"].startswith("pass ")
    assert ", 2 failed" in captured.out
    assert "(js text read): made to fail" in captured.err


@pytest.mark.node
def test_conformance_oracle_regenerates_every_vector_set(
    oracle_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--oracle's part (in-process): Node regenerates the four vector files, all unchanged."""
    assert oracle_dir.exists()
    assert _oracle_checks(Style(enabled=False)) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("oracle: core.jsonl.gz, random.jsonl.gz, stream/stream.jsonl.gz")
    assert line.endswith("are exactly what seroval 1.8.1 gives today")


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (("decode",), b'{"a":1', "not look like a seroval payload"),
        (("decode", "--from", "json"), b"{not json", "invalid JSON"),
        (("decode", "--from", "js"), b"alert(1)", "line 1"),
        (("decode", "--from", "json"), b'{"t":{"t":99},"f":127,"m":[]}', "unknown node type"),
        (("encode", "--input-format", "python"), b"__import__('os')", "neither JSON nor a Python"),
        (("convert", "--to", "js", "missing-file.json"), b"", "cannot read"),
        (("decode", "--from", "msgpack"), b"\xc1", "msgpack"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: tuple[str, ...], stdin: bytes, words: str) -> None:
    result = run(*args, stdin=stdin)
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("seroval: error: ")
    assert words in lines[0]
    assert result.stdout == b""


def test_every_format_is_recognised_without_from() -> None:
    """``--from auto`` tells all ten formats apart, the framed codecs by their first frame."""
    value: dict[str, Any] = {"a": [1, 2], "s": S.JSSet(["x"])}
    value["self"] = value
    document = Document.vanilla(S.to_json(value))
    for name in FORMATS:
        assert sniff(write_document(document, name, PLUGINS)) == name
    framed = run("convert", "--to", "framed-msgpack", stdin=S.dumps_json(S.to_json(value)).encode())
    back = run("convert", "--to", "json", stdin=framed.stdout)
    assert back.returncode == 0, back.stderr
    assert back.stdout.decode() == S.dumps_json(S.to_json(value)) + "\n"


def test_binary_output_is_refused_on_a_terminal() -> None:
    parent, child = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "seroval", "encode", "-e", "[1]", "--to", "cbor"],
            stdout=child,
            stderr=subprocess.PIPE,
            check=False,
        )
    finally:
        os.close(child)
        os.close(parent)
    assert result.returncode == 2
    assert b"refusing to write binary" in result.stderr


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "seroval"
    result = subprocess.run([str(script), "--version"], capture_output=True, check=False)
    assert result.returncode == 0
    assert result.stdout.decode().startswith("seroval ")


def test_convert_subprocess_across_every_pair_of_formats(tmp_path: Path) -> None:
    vector = next(v for v in VECTORS if v.name.startswith("readme"))
    source = tmp_path / "start.json"
    source.write_text(vector.json or "")
    names = sorted(FORMATS)
    for first, second in zip(names, names[1:] + names[:1], strict=True):
        middle = tmp_path / f"{first}.out"
        last = tmp_path / f"{first}-{second}.out"
        flags = ("--disabled-features", str(vector.disabled_features))
        assert run("convert", str(source), "--to", first, "-o", str(middle)).returncode == 0
        step = run("convert", str(middle), "--from", first, "--to", second, "-o", str(last), *flags)
        assert step.returncode == 0, (first, second, step.stderr)
        back = run("convert", str(last), "--from", second, "--to", "json", *flags)
        assert back.returncode == 0, (first, second, back.stderr)
        legs = [name for name in (first, second) if name in JS_FORMATS]
        assert len(legs) < 2, "each pair here has at most one JS text format"
        expected = expected_json(vector, legs[0] if legs else None)
        assert back.stdout.decode() == expected + "\n", (first, second)


# -- conversions over every vector (in-process: the same code the command runs) ------------


TEXT_FORM = {"js": "serialize", "cross-js": "crossSerialize", "framed": "crossSerialize"}


def expected_json(vector: Vector, through: str | None) -> str:
    """seroval's JSON for the value, after Node read it back from ``through``'s JS text."""
    assert vector.json is not None
    if through is None:
        return vector.json
    record = suite.eval_record(vector)
    result = record["texts"].get(TEXT_FORM[through], {}) if record else {}
    return str(result.get("json", vector.json))


def convert(data: bytes, source: str, target: str, features: int) -> bytes:
    document = read_document(data, source, PLUGINS, features)
    return write_document(document, target, PLUGINS)


PAIRS = list(itertools.permutations(sorted(FORMATS), 2))


@pytest.mark.parametrize(
    "vector", VECTORS, ids=[f"{v.name}#df={v.disabled_features}" for v in VECTORS]
)
def test_convert_round_trips_every_vector(vector: Vector) -> None:
    """Every vector goes json -> X -> Y -> json for one pair (X, Y); all pairs are covered.

    Without JS text on the way the result is seroval's JSON exactly.  JS text is read
    with JS's meaning (deferred assignments come last), so one JS leg gives what
    Node gives for that text; with two, the conversion must at least be stable.
    """
    assert vector.json is not None
    features = 127 ^ vector.disabled_features
    first, second = PAIRS[VECTORS.index(vector) % len(PAIRS)]

    def chain(start: bytes) -> bytes:
        middle = convert(start, "json", first, features)
        return convert(convert(middle, first, second, features), second, "json", features)

    back = chain(vector.json.encode())
    legs = [name for name in (first, second) if name in JS_FORMATS]
    if len(legs) < 2:
        assert back.decode() == expected_json(vector, legs[0] if legs else None) + "\n"
    elif b".v[" not in convert(back, "json", second, features):
        # Two trips through JS text: stable, except where seroval's writer drops a
        # sequence item that refers to an ancestor (SPEC 7.9), which repeats each trip.
        assert chain(back) == back, (first, second)
    for name in FORMATS:
        through = convert(
            convert(vector.json.encode(), "json", name, features), name, "json", features
        )
        js_leg = name if name in JS_FORMATS else None
        assert through.decode() == expected_json(vector, js_leg) + "\n", name
