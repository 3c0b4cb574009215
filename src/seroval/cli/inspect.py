"""``seroval inspect``: a node tree drawn as a tree, with ids, sharing and cycles marked.

Each node shows its type and id; a reference shows where it points and whether that
is an ancestor (a cycle, ``↺``) or a value shown elsewhere (shared, ``→``); ids that
are referenced more than once get a ``shared`` note where they are defined.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..protocol.model.nodes import (
    CONSTANT_JS,
    ERROR_CONSTRUCTOR_NAMES,
    SYMBOL_NAMES,
    T_AGGREGATE_ERROR,
    T_ARRAY,
    T_ARRAY_BUFFER,
    T_BIGINT,
    T_BIGINT_TYPED_ARRAY,
    T_CONSTANT,
    T_DATE,
    T_ERROR,
    T_NULL_CONSTRUCTOR,
    T_NUMBER,
    T_OBJECT,
    T_PLUGIN,
    T_REFERENCE,
    T_REGEXP,
    T_STRING,
    T_TEMPORAL,
    T_TYPED_ARRAY,
    T_WK_SYMBOL,
    TEMPORAL_TYPE_NAMES,
    NodeType,
)
from ..protocol.model.strings import js_number, unescape_string
from .term import Style

__all__ = ["inspect_tree"]


def _reference_counts(records: list[Any]) -> Counter[int]:
    counts: Counter[int] = Counter()
    todo: list[Any] = list(records)
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            if item.get("t") == 4 and isinstance(item.get("i"), int):
                counts[item["i"]] += 1
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return counts


def _type_name(node: dict[str, Any]) -> str:
    kind: Any = node.get("t")
    try:
        return NodeType(kind).name.replace("_", " ").title().replace(" ", "")
    except ValueError:
        return f"type {kind!r}"


def _scalar(node: dict[str, Any]) -> str | None:
    kind, value = node.get("t"), node.get("s")
    if kind == T_NUMBER and isinstance(value, (int, float)):
        return js_number(value)
    if kind == T_STRING and isinstance(value, str):
        return repr(unescape_string(value))
    if kind == T_CONSTANT and isinstance(value, int) and 0 <= value < len(CONSTANT_JS):
        return ("null", "undefined", "true", "false", "-0", "Infinity", "-Infinity", "NaN")[value]
    if kind == T_BIGINT:
        return f"{value}n"
    return None


def _summary(node: dict[str, Any]) -> str:
    kind, value = node.get("t"), node.get("s")
    if kind == T_DATE:
        return f" {value!r}"
    if kind == T_REGEXP:
        return f" /{unescape_string(str(node.get('c')))}/{node.get('m')}"
    if kind in (T_ERROR, T_AGGREGATE_ERROR) and isinstance(value, int) and 0 <= value < 7:
        return f" {ERROR_CONSTRUCTOR_NAMES[value]}: {unescape_string(str(node.get('m')))!r}"
    if kind == T_WK_SYMBOL and isinstance(value, int) and 0 <= value < 13:
        return f" Symbol.{SYMBOL_NAMES[value]}"
    if kind in (T_TYPED_ARRAY, T_BIGINT_TYPED_ARRAY):
        return f" {node.get('c')} offset {node.get('b')} length {node.get('l')}"
    if kind == T_ARRAY_BUFFER and isinstance(value, str):
        return f" {len(value)} base64 chars"
    if kind in (T_REFERENCE, T_PLUGIN):
        return f" {unescape_string(str(node.get('s') if kind == T_REFERENCE else node.get('c')))!r}"
    if kind == T_TEMPORAL and isinstance(node.get("c"), int) and 0 <= node["c"] < 8:
        return f" Temporal.{TEMPORAL_TYPE_NAMES[node['c']]} {value!r}"
    if kind in (T_ARRAY, T_OBJECT, T_NULL_CONSTRUCTOR) and node.get("o"):
        return f" (integrity {node.get('o')})"
    return ""


def _children(node: dict[str, Any]) -> list[tuple[str, Any]]:
    children: list[tuple[str, Any]] = []
    for field in ("p", "e"):
        record = node.get(field)
        if isinstance(record, dict):
            keys, values = record.get("k", []), record.get("v", [])
            for index, key in enumerate(keys if isinstance(keys, list) else []):
                label = repr(unescape_string(key)) if isinstance(key, str) else "key"
                if not isinstance(key, str):
                    children.append((f"key {index}", key))
                if isinstance(values, list) and index < len(values):
                    children.append((label, values[index]))
    items = node.get("a")
    if isinstance(items, list):
        children.extend((f"[{index}]", item) for index, item in enumerate(items))
    info = node.get("s")
    if node.get("t") == 25 and isinstance(info, dict):
        children.extend((f".{name}", child) for name, child in info.items())
    for field in ("f",):
        if isinstance(node.get(field), dict):
            children.append((field, node[field]))
    return children


def inspect_tree(records: list[Any], marked: list[int], style: Style) -> str:
    """Draw ``records`` (an envelope's root, or cross records) as an indented tree."""
    counts = _reference_counts(records)
    shared = set(marked) | {node_id for node_id, count in counts.items() if count}
    lines: list[str] = []
    ancestors: list[int] = []

    def draw(label: str, node: Any, prefix: str, last: bool) -> None:
        branch = prefix + ("└─ " if last else "├─ ") if prefix or label else ""
        head = f"{style.dim(label + ': ') if label else ''}"
        if not isinstance(node, dict):
            hole = node == 0 and type(node) is int
            lines.append(branch + head + (style.dim("<hole>") if hole else repr(node)))
            return
        scalar = _scalar(node)
        if scalar is not None:
            lines.append(branch + head + style.value(scalar))
            return
        node_id = node.get("i")
        if node.get("t") == 4:
            mark = (
                style.warn(f"↺ cycle to #{node_id}")
                if node_id in ancestors
                else style.ref(f"→ #{node_id}")
            )
            lines.append(branch + head + mark)
            return
        title = style.kind(_type_name(node))
        note = f" #{node_id}" if isinstance(node_id, int) else ""
        if (
            isinstance(node_id, int)
            and node_id in shared
            and node.get("t") not in (23, 24, 32, 33, 34)
        ):
            times = counts.get(node_id, 0)
            note += style.ref(f" (shared, referenced {times}x)" if times else " (shared)")
        lines.append(branch + head + title + note + _summary(node))
        children = _children(node)
        child_prefix = prefix + ("   " if last else "│  ") if (prefix or label) else ""
        if isinstance(node_id, int):
            ancestors.append(node_id)
        for index, (child_label, child) in enumerate(children):
            draw(child_label, child, child_prefix, index == len(children) - 1)
        if isinstance(node_id, int):
            ancestors.pop()

    for index, record in enumerate(records):
        if len(records) > 1:
            lines.append(style.dim(f"record {index}"))
        draw("", record, "", True)
    return "\n".join(lines)
