"""``seroval ids DIR...``: the server-function ids a built client bundle calls.

Prints one ``framework id`` line per reference found in the ``.js`` files (see
:func:`seroval.rpc.profiles.ids.ids_in_bundle`), or ``--json`` for a list; the
README shows how to register Python functions under them.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..rpc.profiles.ids import ids_in_bundle

__all__ = ["add_ids_command"]


def cmd_ids(arguments: argparse.Namespace) -> int:
    found = ids_in_bundle(arguments.paths)
    if arguments.json:
        print(json.dumps([{"framework": fw, "id": fid} for fw, fid in found], indent=2))
    else:
        for framework, function_id in found:
            print(f"{framework} {function_id}")
    return 0 if found else 1


def add_ids_command(commands: Any) -> None:
    ids = commands.add_parser(
        "ids", help="list the server-function ids a built SolidStart/TanStack client calls"
    )
    ids.add_argument("paths", nargs="+", metavar="PATH", help="bundle files or folders")
    ids.add_argument("--json", action="store_true", help="print a JSON list")
    ids.set_defaults(run=cmd_ids)
