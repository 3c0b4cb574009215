"""The ``seroval`` command: encode, decode, convert and inspect payloads; run the suite.

Input is a file or stdin, output a file or stdout.  Bad input is one line on stderr
and exit code 2; a failing conformance run exits 1.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from .. import __version__
from ..codecs import get_codec
from ..protocol.errors import SerovalError, SerovalSyntaxError
from ..protocol.model.plugins import Plugin
from ..protocol.tree.api import to_json
from ..protocol.tree.json_text import loads_json
from .documents import FORMATS, Document, UsageError, read_document, utf8_text, write_document
from .ids import add_ids_command
from .inspect import inspect_tree
from .plugins import load_plugins
from .rpc import add_commands as add_rpc_commands
from .term import Progress, Style, render_table
from .views import plain_json, python_view

__all__ = ["main"]


def _read_input(path: str | None) -> bytes:
    if path in (None, "-"):
        data = sys.stdin.buffer.read()
        where = "stdin"
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise UsageError(f"cannot read {path}: {error.strerror}") from None
        where = path
    if not data.strip():
        # Said plainly: "not a seroval payload" or "not JSON" would send people looking
        # for a problem in data that is not there.
        raise UsageError(f"the input is empty (nothing on {where}); give a file or pipe data in")
    return data


def _write_output(data: bytes, path: str | None, binary: bool) -> None:
    if path not in (None, "-"):
        try:
            Path(path).write_bytes(data)
        except OSError as error:
            raise UsageError(f"cannot write {path}: {error.strerror}") from None
        return
    stdout: BinaryIO = sys.stdout.buffer
    if binary and sys.stdout.isatty():
        raise UsageError("refusing to write binary output to a terminal; use -o FILE or a pipe")
    stdout.write(data)
    stdout.flush()


def _literal(text: str, kind: str) -> Any:
    """The value of ``text``: JSON, or a Python literal (never evaluated as code)."""
    if not text.strip():
        raise UsageError("the input is empty; give a value on stdin, in a file or with -e")
    if kind in ("json", "auto"):
        try:
            return json.loads(text)
        except RecursionError:
            # Deeper than Python's json recurses: seroval's reader has no such limit
            # (the writer's depth limit then answers, as one line).
            return _deep_json(text, kind)
        except ValueError:
            if kind == "json":
                raise UsageError("the input is not valid JSON") from None
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise UsageError("the input is neither JSON nor a Python literal") from None


def _deep_json(text: str, kind: str) -> Any:
    try:
        return loads_json(text)
    except SerovalSyntaxError as error:
        if kind == "json":
            raise UsageError(f"the input is not valid JSON: {error}") from None
        raise UsageError("the input is neither JSON nor a Python literal") from None


def _plugins(arguments: argparse.Namespace) -> tuple[Plugin, ...]:
    return load_plugins(arguments.plugin)


def _options(arguments: argparse.Namespace) -> dict[str, Any]:
    return {"disabled_features": arguments.disabled_features, "plugins": _plugins(arguments)}


def _read(arguments: argparse.Namespace) -> Document:
    data = _read_input(arguments.input)
    features = 127 ^ arguments.disabled_features
    return read_document(data, arguments.source, _plugins(arguments), features)


def cmd_encode(arguments: argparse.Namespace) -> int:
    source = arguments.expr if arguments.expr is not None else _read_input(arguments.input).decode()
    value = _literal(source, arguments.input_format)
    document = Document.vanilla(to_json(value, **_options(arguments)))
    data = write_document(document, arguments.to, _plugins(arguments))
    _write_output(data, arguments.output, FORMATS[arguments.to].binary)
    return 0


def cmd_decode(arguments: argparse.Namespace) -> int:
    document = _read(arguments)
    value = document.value(_plugins(arguments))
    if arguments.to == "json":
        text = json.dumps(plain_json(value), indent=2, ensure_ascii=False)
    else:
        text = python_view(value)
    _write_output(utf8_text(text + "\n"), arguments.output, False)
    return 0


def cmd_convert(arguments: argparse.Namespace) -> int:
    document = _read(arguments)
    data = write_document(document, arguments.to, _plugins(arguments))
    _write_output(data, arguments.output, FORMATS[arguments.to].binary)
    return 0


def cmd_inspect(arguments: argparse.Namespace) -> int:
    document = _read(arguments)
    if document.envelope is not None:
        records = [document.envelope["t"]]
        marked = [m for m in document.envelope.get("m", []) if isinstance(m, int)]
    else:
        records, marked = document.as_records(), []
    _write_output(
        utf8_text(inspect_tree(records, marked, Style.for_stream(sys.stdout)) + "\n"), None, False
    )
    return 0


def cmd_conformance(arguments: argparse.Namespace) -> int:
    if arguments.rpc:
        from .rpc import rpc_conformance

        return rpc_conformance(arguments.backend)
    from ..conformance import report

    arguments.backend = arguments.backend or "asyncio"
    if arguments.backend == "trio":
        try:
            import trio  # noqa: F401
        except ImportError:
            raise UsageError("--backend trio needs trio installed (pip install trio)") from None
    style = Style.for_stream(sys.stdout)
    outcome = report.run(
        progress=lambda label: Progress(f"checking {label}"), backend=arguments.backend
    )
    groups = sorted({group for group, _ in outcome.passed} | {group for group, _ in outcome.failed})
    rows = []
    for group in groups:
        row = [group]
        for form in report.COLUMNS:
            checks = [name for name, owner in report.FORMS.items() if owner == form]
            passed = sum(outcome.passed.get((group, check), 0) for check in checks)
            failed = sum(outcome.failed.get((group, check), 0) for check in checks)
            if failed:
                row.append(style.bad(f"FAIL {failed}/{passed + failed}"))
            elif passed:
                row.append(style.good(f"pass {passed}"))
            else:
                row.append(style.dim("-"))
        rows.append(row)
    print(render_table(["supported type", *report.COLUMNS], rows))
    total_passed = sum(outcome.passed.values())
    total_failed = sum(outcome.failed.values())
    summary = f"{len(groups)} types, {total_passed} checks passed, {total_failed} failed"
    print("\n" + (style.good(summary) if outcome.ok else style.bad(summary)))
    for codec in ("msgpack", "cbor"):
        try:
            get_codec(codec)
        except ImportError:
            print(f"{codec}: not installed, not checked (pip install 'seroval[{codec}]')")
    for name, check, message in outcome.failures[:10]:
        print(f"FAIL {name} ({check}): {message}", file=sys.stderr)
    code = 0 if outcome.ok else 1
    if arguments.oracle:
        code = max(code, _oracle_checks(style))
    return code


def _oracle_checks(style: Style) -> int:
    """Regenerate every vector set with Node and seroval, and compare with the committed ones."""
    import gzip
    import subprocess
    import tempfile

    from ..conformance.oracle import OracleUnavailable, ensure_oracle
    from ..conformance.vectors import VECTOR_DIR

    try:
        folder = ensure_oracle()
    except OracleUnavailable as error:
        print(style.warn(f"oracle skipped: {error}"))
        return 0
    drifted: list[str] = []
    compared: list[str] = []
    with tempfile.TemporaryDirectory() as name:
        scratch = Path(name)
        (scratch / "web").mkdir()
        (scratch / "stream").mkdir()
        runs = {
            "generate.mjs": scratch,
            "generate_web.mjs": scratch / "web" / "web.jsonl.gz",
            "generate_stream.mjs": scratch / "stream" / "stream.jsonl.gz",
        }
        progress = Progress("running the oracle")
        for index, (script, out) in enumerate(runs.items()):
            result = subprocess.run(
                ["node", script, "--out", str(out)], cwd=folder, capture_output=True, text=True
            )
            progress(index + 1, len(runs))
            if result.returncode != 0:
                last = (result.stderr.strip().splitlines() or ["no message"])[-1]
                print(style.bad(f"oracle: node {script} failed: {last}"))
                return 1
        for path in sorted(scratch.rglob("*.jsonl.gz")):
            relative = path.relative_to(scratch)
            compared.append(str(relative))
            committed = VECTOR_DIR / relative
            if not committed.exists() or gzip.decompress(path.read_bytes()) != gzip.decompress(
                committed.read_bytes()
            ):
                drifted.append(str(relative))
    if drifted:
        print(style.bad(f"oracle: {', '.join(drifted)} differ from what seroval 1.8.1 gives now"))
        return 1
    same = ", ".join(compared)
    print(style.good(f"oracle: {same} are exactly what seroval 1.8.1 gives today"))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seroval",
        description="The seroval 1.8.1 wire format: encode, decode, convert and inspect payloads.",
    )
    parser.add_argument("--version", action="version", version=f"seroval {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    names = sorted(FORMATS)
    described = ", ".join(names)
    from_help = "the input's format, or auto to tell it by its content (default: auto): " + (
        described
    )

    encode = commands.add_parser("encode", help="a Python literal or JSON value to any format")
    encode.add_argument("input", nargs="?", help="file holding the value (default: stdin)")
    encode.add_argument("-e", "--expr", help="the value itself, instead of a file")
    encode.add_argument(
        "--input-format",
        choices=["auto", "json", "python"],
        default="auto",
        help="how to read the value: JSON, a Python literal (never run as code), or auto:"
        " JSON first, then a Python literal (default: auto)",
    )
    encode.add_argument("--to", choices=names, default="json", metavar="FORMAT", help=described)
    encode.set_defaults(run=cmd_encode)

    decode = commands.add_parser("decode", help="any format to a readable Python or JSON view")
    decode.add_argument("input", nargs="?", help="file (default: stdin)")
    decode.add_argument(
        "--from",
        dest="source",
        choices=["auto", *names],
        default="auto",
        metavar="FORMAT",
        help=from_help,
    )
    decode.add_argument(
        "--to",
        choices=["python", "json"],
        default="python",
        help="python: a readable view of the value with its JS types (default); json: the"
        " value as plain JSON, for other tools",
    )
    decode.set_defaults(run=cmd_decode)

    convert = commands.add_parser("convert", help="one format to another, through the node tree")
    convert.add_argument("input", nargs="?", help="file (default: stdin)")
    convert.add_argument(
        "--from",
        dest="source",
        choices=["auto", *names],
        default="auto",
        metavar="FORMAT",
        help=from_help,
    )
    convert.add_argument("--to", choices=names, required=True, metavar="FORMAT", help=described)
    convert.set_defaults(run=cmd_convert)

    inspect = commands.add_parser("inspect", help="a tree view with types, ids, sharing and cycles")
    inspect.add_argument("input", nargs="?", help="file (default: stdin)")
    inspect.add_argument(
        "--from",
        dest="source",
        choices=["auto", *names],
        default="auto",
        metavar="FORMAT",
        help=from_help,
    )
    inspect.set_defaults(run=cmd_inspect)

    conformance = commands.add_parser(
        "conformance",
        help="check against seroval 1.8.1's vectors",
        description="Check this library against the vectors seroval 1.8.1 wrote: a table of"
        " every supported type (core, stream, web plugins, Temporal) by form (sync nodes, JS"
        " text, async, stream, each codec). Exit code 1 when any check fails.",
    )
    conformance.add_argument(
        "--oracle",
        action="store_true",
        help="also regenerate every vector set with Node and seroval 1.8.1 and compare",
    )
    conformance.add_argument(
        "--backend",
        choices=["asyncio", "trio"],
        default=None,
        help="the event loop the async and stream checks run on (trio must be installed);"
        " with --rpc, the client's (default: both)",
    )
    conformance.add_argument(
        "--rpc",
        action="store_true",
        help="run the RPC suite instead: every check over the in-memory transport, uvicorn and"
        " hypercorn (trio) on loopback, each codec, under asyncio and trio",
    )
    conformance.set_defaults(run=cmd_conformance)

    add_rpc_commands(commands)
    add_ids_command(commands)

    for sub in (encode, decode, convert):
        sub.add_argument("-o", "--output", help="output file (default: stdout)")
    for sub in (encode, decode, convert, inspect):
        sub.add_argument(
            "--disabled-features",
            type=int,
            default=0,
            metavar="N",
            help="seroval Feature bits turned off (for formats that do not record them)",
        )
        sub.add_argument(
            "--plugin",
            action="append",
            default=[],
            metavar="MODULE:NAME",
            help="a plugin, plugin class or list of plugins to read and write with (repeatable)",
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        code: int = arguments.run(arguments)
    except (SerovalError, UsageError, UnicodeDecodeError) as error:
        message = " ".join(str(error).split())
        print(f"seroval: error: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return code
