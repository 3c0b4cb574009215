"""The long fuzz run: every reader's fuzz test with a large budget, counted, within a time limit.

    python -m tests.fuzz_long_run --examples 100000 --minutes 30 [READER ...]

runs the same Hypothesis tests CI runs (``SEROVAL_FUZZ_EXAMPLES`` raised to
``--examples``), one reader after another, each for at most ``--minutes``, and
prints one line per reader: the examples that passed, and whether any raised an
exception that is not a ``SerovalError`` (the test fails then, and Hypothesis
prints the shrunk input).  A reader stopped by its time limit reports the count it
reached.  The counts in the README come from this command.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from .fuzzing import FUZZ_EXAMPLES_VARIABLE

# reader name -> (module, test function, fixed arguments)
READERS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "json-nodes": (
        "tests.protocol.tree.test_fuzz",
        "test_mutated_seroval_payloads_only_raise_seroval_errors",
        {},
    ),
    "json-node-shapes": (
        "tests.protocol.tree.test_fuzz",
        "test_node_shaped_json_only_raises_seroval_errors",
        {},
    ),
    "js-text": (
        "tests.protocol.test_fuzz_readers",
        "test_mutated_js_text_only_raises_seroval_errors",
        {},
    ),
    "js-cross-chunks": (
        "tests.protocol.test_fuzz_readers",
        "test_mutated_cross_chunks_only_raise_seroval_errors",
        {},
    ),
    "node-records": (
        "tests.protocol.test_fuzz_readers",
        "test_mutated_record_streams_only_raise_seroval_errors",
        {},
    ),
    "framed-streams": (
        "tests.protocol.test_fuzz_readers",
        "test_mutated_framed_streams_only_raise_seroval_errors",
        {},
    ),
    **{
        f"codec-{name}": (
            "tests.codecs.test_codecs_fuzz",
            "test_mutated_payloads_only_raise_seroval_errors",
            {"name": name},
        )
        for name in ("json", "msgpack", "cbor")
    },
    "rpc-request": (
        "tests.rpc.test_hostile_request_fuzz",
        "test_mutated_requests_always_get_one_response",
        {},
    ),
}


class _OutOfTime(KeyboardInterrupt):
    """Raised inside a test once its time is up (Hypothesis lets interrupts through)."""


def run(reader: str, seconds: float) -> dict[str, Any]:
    """Run one reader's fuzz test; what it reached."""
    module_name, test_name, fixed = READERS[reader]
    test: Any = getattr(importlib.import_module(module_name), test_name)
    inner: Callable[..., Any] = test.hypothesis.inner_test
    passed = [0]
    deadline = time.monotonic() + seconds

    def counted(*args: Any, **kwargs: Any) -> Any:
        if time.monotonic() > deadline:
            raise _OutOfTime
        result = inner(*args, **kwargs)
        passed[0] += 1
        return result

    test.hypothesis.inner_test = counted
    started = time.monotonic()
    outcome = "done"
    try:
        test(**fixed)
    except _OutOfTime:
        outcome = "time limit"
    except Exception as error:  # a real failure: its shrunk input is in the notes
        notes = " | ".join(getattr(error, "__notes__", []))
        outcome = f"FAILED: {type(error).__name__}: {error} [{notes}]"
        traceback.print_exc()
    finally:
        test.hypothesis.inner_test = inner  # a parametrized test runs again
    return {
        "reader": reader,
        "passed": passed[0],
        "outcome": outcome,
        "seconds": round(time.monotonic() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("readers", nargs="*", choices=[[], *READERS], default=[])
    parser.add_argument("--examples", type=int, default=100_000)
    parser.add_argument("--minutes", type=float, default=30.0)
    args = parser.parse_args(argv)
    os.environ[FUZZ_EXAMPLES_VARIABLE] = str(args.examples)  # read when the tests import
    failed = False
    for reader in args.readers or list(READERS):
        line = run(reader, args.minutes * 60)
        failed |= line["outcome"].startswith("FAILED")
        print(json.dumps(line), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
