"""The node-type constants: one set, matching NodeType, used instead of bare numbers."""

from __future__ import annotations

import re
from pathlib import Path

from seroval.protocol.model import nodes
from seroval.protocol.model.nodes import NodeType

SRC = Path(nodes.__file__).resolve().parents[2]

# A node literal or a comparison of a node's type with a bare number, in code (not prose).
_BARE = re.compile(r'"t": ?\d|\["t"\] ?[!=]= ?\d|\bkind (?:==|!=|in|not in) \(?\d')


def test_every_node_type_has_its_constant() -> None:
    for node_type in NodeType:
        assert getattr(nodes, f"T_{node_type.name}") == node_type.value


def test_every_constant_names_a_node_type() -> None:
    constants = {name: value for name, value in vars(nodes).items() if name.startswith("T_")}
    assert constants == {f"T_{t.name}": t.value for t in NodeType}


def test_no_bare_node_type_numbers_in_code() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if "``" in code or code.lstrip().startswith(("r'", 'r"', "_REFERENCE_NODE")):
                continue
            if _BARE.search(code):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []
