"""The JSON data model that every codec carries, and the walks over it.

msgpack and CBOR can express far more than JSON (byte strings, timestamps,
``undefined``, tags, non-string keys).  A codec must not let any of that reach
the node reader, and must not hand its library a Python-only value that it
would quietly write as a tag, so both directions pass through
:func:`check_tree`: one iterative, breadth-first pass that checks every value
and measures the nesting depth.  Breadth-first needs no recursion (a 1,000-deep
value nests ~3,000 levels as nodes) and gives the depth for free: it is the
number of levels.

Rare values (a lone surrogate) need a rewritten copy of the tree, which
:func:`map_tree` makes; the opt-in ``binary`` profile changes a few nodes, which
:func:`replace_dicts` does by copying only their ancestors.  Neither recurses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from ..protocol.errors import SerovalDepthLimitError, SerovalError, Step

__all__ = ["Visitor", "check_tree", "find_path", "map_tree", "replace_dicts"]

_SCALARS: Final = frozenset({str, int, float, bool, type(None)})

# Dedupe a level by identity once it is this large and still growing: shared
# sub-trees (or a cycle) in an input tree would otherwise grow the levels
# exponentially.  In a real tree it costs one dict pass over a few large levels;
# once it finds sharing, every later level is deduped, so a cycle costs a few
# items per level until the depth limit stops it.
_DEDUPE_AT: Final = 4096

Visitor = Callable[[Any, Any, Any], bool]
"""``visitor(container, key, value)`` for anything that is not an exact JSON type.

``key`` is the dict key or list index of ``value``, or ``None`` when ``value``
is itself a dict key that is not an exact ``str``; ``container`` is ``None`` for
the root.  It returns ``True`` to
descend into ``value`` (a container), ``False`` to accept it as a scalar, and
raises a :class:`~seroval.SerovalError` to refuse it; :func:`check_tree` then
adds the path to the error.
"""


def check_tree(tree: Any, *, max_depth: int, other: Visitor, step: Step) -> int:
    """The container nesting depth of ``tree``: 0 for a scalar, 1 for ``[]``, 2 for ``[[]]``.

    Exact ``dict``/``list`` and the JSON scalar types pass without a call;
    anything else goes to ``other``.  Raises
    :class:`~seroval.SerovalDepthLimitError` (for ``step``) once the depth
    passes ``max_depth``, which also stops a cyclic input.
    """
    kind = type(tree)
    if (kind is not dict and kind is not list) and (
        kind in _SCALARS or not _visit(other, tree, None, None, tree)
    ):
        return 0
    scalars = _SCALARS
    level: list[Any] = [tree]
    depth = 0
    shared = False  # set once a dedupe finds sharing; then every level is deduped
    while level:
        depth += 1
        if depth > max_depth:
            raise SerovalDepthLimitError(max_depth, step=step, what="the tree's nesting")
        below: list[Any] = []
        push = below.append
        for container in level:
            kind = type(container)
            if kind is dict or (kind is not list and isinstance(container, dict)):
                for key, value in container.items():
                    if type(key) is not str:
                        _visit(other, tree, container, None, key)
                    kind = type(value)
                    if kind in scalars:
                        continue
                    if kind is dict or kind is list or _visit(other, tree, container, key, value):
                        push(value)
            else:
                for index, value in enumerate(container):
                    kind = type(value)
                    if kind in scalars:
                        continue
                    if kind is dict or kind is list or _visit(other, tree, container, index, value):
                        push(value)
        if shared or (len(below) > _DEDUPE_AT and len(below) > len(level)):
            unique = list({id(item): item for item in below}.values())
            shared = shared or len(unique) < len(below)
            below = unique
        level = below
    return depth


def _visit(other: Visitor, tree: Any, container: Any, key: Any, value: Any) -> bool:
    try:
        return other(container, key, value)
    except SerovalError as error:
        if container is None:
            raise
        path = find_path(tree, container)
        if key is not None:
            path.append(key)
        raise error.at(*path) from None


def find_path(tree: Any, target: Any) -> list[str | int]:
    """The path from ``tree`` to the container ``target`` (by identity); for error messages."""
    if tree is target:
        return []
    stack: list[tuple[Any, list[str | int]]] = [(tree, [])]
    while stack:
        container, path = stack.pop()
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for key, value in items:
            if value is target:
                return [*path, key]
            if isinstance(value, (dict, list, tuple)):
                stack.append((value, [*path, key]))
    return []


def replace_dicts(tree: Any, replace: Callable[[dict[Any, Any]], Any]) -> Any:
    """``tree`` with each dict for which ``replace`` returns a value (not ``None``) replaced by it.

    Copy on write: only the replaced dicts' ancestors are copied (shallowly, a
    tuple becoming a list); every other container is shared with ``tree``, so a
    large tree with a few replacements costs one walk and a few copies.  The
    walk is breadth first, remembering where each container sits in its parent;
    the copies are then made deepest first, so replacements nest correctly.
    """
    # (container, index of its parent's entry, its key or index in that parent)
    entries: list[tuple[Any, int, Any]] = [(tree, -1, None)]
    changed: dict[int, Any] = {}
    position = 0
    while position < len(entries):
        container = entries[position][0]
        if isinstance(container, dict):
            replacement = replace(container)
            if replacement is not None:
                changed[position] = replacement
            pairs: Any = container.items()
        elif isinstance(container, (list, tuple)):
            pairs = enumerate(container)
        else:
            pairs = ()
        for key, value in pairs:
            if isinstance(value, (dict, list, tuple)):
                entries.append((value, position, key))
        position += 1
    if not changed:
        return tree
    for position in range(len(entries) - 1, 0, -1):
        if position in changed:
            _, parent, key = entries[position]
            copy = changed.get(parent)
            if copy is None:
                original = entries[parent][0]
                copy = changed[parent] = (
                    dict(original) if isinstance(original, dict) else list(original)
                )
            copy[key] = changed[position]
    return changed.get(0, tree)


def map_tree(tree: Any, on_str: Callable[[str], Any]) -> Any:
    """A copy of ``tree`` with ``on_str`` applied to every string, values and keys.

    Only the rare lone-surrogate path uses this, so it favours plainness over
    speed.  Call it after :func:`check_tree`, which has bounded the depth; the
    walk keeps its own stack and never recurses.
    """
    top: list[Any] = []
    # A frame is the source container, an iterator over its (key, value) pairs
    # and the converted items collected so far (alternating keys and values for
    # a dict).  A finished container is appended to its parent's items.
    frames: list[tuple[Any, Any, list[Any]]] = []
    _open(tree, top, frames, on_str)
    while frames:
        source, pairs, items = frames[-1]
        pair = next(pairs, None)
        if pair is not None:
            key, value = pair
            if isinstance(source, dict):
                items.append(on_str(key) if isinstance(key, str) else key)
            _open(value, items, frames, on_str)
            continue
        frames.pop()
        built = (
            dict(zip(items[::2], items[1::2], strict=True)) if isinstance(source, dict) else items
        )
        (frames[-1][2] if frames else top).append(built)
    return top[0]


def _open(value: Any, out: list[Any], frames: list[Any], convert: Callable[[str], Any]) -> None:
    if isinstance(value, dict):
        frames.append((value, iter(value.items()), []))
    elif isinstance(value, (list, tuple)):
        frames.append((value, enumerate(value), []))
    else:
        out.append(convert(value) if isinstance(value, str) else value)
