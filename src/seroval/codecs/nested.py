"""Writing trees deeper than a codec library can nest, with the library's own bytes.

msgpack's packer refuses more than 1,024 levels and its unpacker stops at the
same depth; cbor2 6's encoder recurses in Rust and crashes the process when the
thread's stack runs out (around 5,000-7,000 levels on an 8 MiB stack, much less
on small thread stacks).  A 1,000-deep value nests 2,000-3,000 levels as nodes.

Both formats write a container as a header (its kind and item count) followed
by its items, so a deep tree can be written in pieces: :func:`write_nested`
writes the headers of the few containers that are too tall itself, and hands
every sub-tree that fits (at most ``native_depth`` levels) to the library in one
call.  The output is byte for byte what the library would write if it could.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final

__all__ = ["NATIVE_DEPTH", "write_nested"]

NATIVE_DEPTH: Final = 500
"""The most levels one call into msgpack or cbor2 is given.

Well under msgpack's 1,024, and about 0.7 MiB of stack for cbor2, so even a
worker thread with a 1 MiB stack is safe.  Shallower trees (every usual payload)
go to the library whole.
"""


def write_nested(
    tree: Any,
    *,
    pack: Callable[[Any], bytes],
    array_header: Callable[[int], bytes],
    map_header: Callable[[int], bytes],
    native_depth: int = NATIVE_DEPTH,
) -> bytes:
    """The encoding of ``tree``, calling ``pack`` only on sub-trees at most ``native_depth`` tall.

    A tall container is written as its header, then its items; consecutive
    items that are not tall (dict keys included) are packed together as one
    array whose header is cut off, which is exactly their concatenation.
    """
    tall = _tall(tree, native_depth)
    if id(tree) not in tall:
        return pack(tree)
    out: list[bytes] = []

    def packed(run: list[Any]) -> bytes:
        return pack(run)[len(array_header(len(run))) :]

    def items_of(container: Any) -> Iterator[Any]:
        """Write ``container``'s header and packed runs; yield its tall items to the caller."""
        if isinstance(container, dict):
            out.append(map_header(len(container)))
            items: Iterable[Any] = _flatten(container)
        else:
            out.append(array_header(len(container)))
            items = container
        run: list[Any] = []
        for item in items:
            if id(item) in tall:
                if run:
                    out.append(packed(run))
                    run = []
                yield item
            else:
                run.append(item)
        if run:
            out.append(packed(run))

    stack = [items_of(tree)]
    while stack:
        child = next(stack[-1], _END)
        if child is _END:
            stack.pop()
        else:
            stack.append(items_of(child))
    return b"".join(out)


_END: Final = object()
_CONTAINERS: Final = (dict, list, tuple)


def _flatten(mapping: dict[Any, Any]) -> Iterator[Any]:
    for key, value in mapping.items():
        yield key
        yield value


def _tall(tree: Any, limit: int) -> set[int]:
    """The ids of the containers more than ``limit`` levels tall (a container of scalars is 1).

    Breadth first, remembering each container's parent by its index in the level
    above; then heights flow up one level at a time.  Two flat passes, no recursion.
    """
    levels: list[tuple[list[Any], list[int]]] = []
    level: list[Any] = [tree] if isinstance(tree, _CONTAINERS) else []
    parents = [0]
    while level:
        levels.append((level, parents))
        below: list[Any] = []
        above: list[int] = []
        for index, container in enumerate(level):
            for value in container.values() if isinstance(container, dict) else container:
                kind = type(value)
                if (
                    kind is dict
                    or kind is list
                    or (kind is not str and isinstance(value, _CONTAINERS))
                ):
                    below.append(value)
                    above.append(index)
        level, parents = below, above
    tall: set[int] = set()
    if len(levels) <= limit:
        return tall
    heights_below: list[int] = []
    parents_below: list[int] = []
    for level, parents in reversed(levels):
        heights = [1] * len(level)
        for height, parent in zip(heights_below, parents_below, strict=True):
            if height >= heights[parent]:
                heights[parent] = height + 1
        tall.update(id(item) for item, height in zip(level, heights, strict=True) if height > limit)
        heights_below, parents_below = heights, parents
    return tall
