"""The ``seroval`` command (also ``python -m seroval``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty() and (done == total or done % 200 == 0):
        print(f"\r  {done}/{total} vectors", end="" if done < total else "\n", file=sys.stderr)


def _conformance(arguments: argparse.Namespace) -> int:
    from .conformance import suite

    outcome = suite.run(progress=_progress)
    groups = sorted({group for group, _ in outcome.passed} | {group for group, _ in outcome.failed})
    checks = list(suite.CHECKS)
    width = max(len(group) for group in groups) if groups else 5
    print(f"{'group':<{width}}  " + "  ".join(f"{name:>22}" for name in checks))
    for group in groups:
        cells = []
        for check in checks:
            passed = outcome.passed.get((group, check), 0)
            failed = outcome.failed.get((group, check), 0)
            cells.append(f"{passed:>6} pass {failed:>4} fail" if passed or failed else f"{'-':>22}")
        print(f"{group:<{width}}  " + "  ".join(f"{cell:>22}" for cell in cells))
    total_passed = sum(outcome.passed.values())
    total_failed = sum(outcome.failed.values())
    print(f"\n{total_passed} checks passed, {total_failed} failed")
    for name, check, message in outcome.failures[:10]:
        print(f"FAIL {name} ({check}): {message}", file=sys.stderr)
    return 0 if outcome.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="seroval", description="The seroval 1.8.1 wire format for Python."
    )
    parser.add_argument("--version", action="version", version=f"seroval {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    conformance = commands.add_parser(
        "conformance", help="check this library against the committed seroval 1.8.1 vectors"
    )
    conformance.set_defaults(run=_conformance)
    arguments = parser.parse_args(argv)
    code: int = arguments.run(arguments)
    return code


if __name__ == "__main__":
    sys.exit(main())
