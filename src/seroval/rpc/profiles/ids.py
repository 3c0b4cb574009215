"""The function ids a SolidStart or TanStack Start client build calls, and how to find them.

The server must register each Python function under the id the deployed client
was built with; the id is never negotiated:

* SolidStart 2.0: ``<xxHash32(absolute Vite module id), lowercase hex>-<ordinal>``
  (the ordinal is the compiler's count of ``"use server"`` functions in the file, in
  the order it visits them: not always source order).  The
  absolute path feeds the hash, so ids differ between machines: read them from the
  built client bundle (:func:`ids_in_bundle`) rather than recomputing them;
* SolidStart 1.x: ``<module path, URL-safe>--<variable name>`` plus ``#<name hash>``
  (the server only looks at the part before ``#``);
* TanStack Start: ``sha256(<path relative to the Vite root> + "--" + <variable> +
  "_createServerFn_handler")``, hex (its documented production scheme), unless the
  app sets ``serverFns.generateFunctionId``.

:func:`ids_in_bundle` collects the literals the frameworks' compilers leave in a
client bundle (``cloneServerReference("…")``, ``createServerReference(…, "…", "…")``,
``createClientRpc("…")``); ``seroval ids DIR`` prints them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Final

__all__ = [
    "ids_in_bundle",
    "ids_in_text",
    "solid1_id",
    "solid1_reference",
    "solid2_id",
    "tanstack_id",
    "xxhash32",
]

_P1: Final = 0x9E3779B1
_P2: Final = 0x85EBCA77
_P3: Final = 0xC2B2AE3D
_P4: Final = 0x27D4EB2F
_P5: Final = 0x165667B1
_MASK: Final = 0xFFFFFFFF


def _rotl(value: int, bits: int) -> int:
    return ((value << bits) | (value >> (32 - bits))) & _MASK


def _round(acc: int, lane: int) -> int:
    return (_rotl((acc + lane * _P2) & _MASK, 13) * _P1) & _MASK


def xxhash32(data: bytes, seed: int = 0) -> int:
    """XXH32 of ``data`` (the hash SolidStart 2.0 names modules by)."""
    length = len(data)
    index = 0
    if length >= 16:
        v1 = (seed + _P1 + _P2) & _MASK
        v2 = (seed + _P2) & _MASK
        v3 = seed & _MASK
        v4 = (seed - _P1) & _MASK
        while index + 16 <= length:
            v1 = _round(v1, int.from_bytes(data[index : index + 4], "little"))
            v2 = _round(v2, int.from_bytes(data[index + 4 : index + 8], "little"))
            v3 = _round(v3, int.from_bytes(data[index + 8 : index + 12], "little"))
            v4 = _round(v4, int.from_bytes(data[index + 12 : index + 16], "little"))
            index += 16
        acc = (_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)) & _MASK
    else:
        acc = (seed + _P5) & _MASK
    acc = (acc + length) & _MASK
    while index + 4 <= length:
        lane = int.from_bytes(data[index : index + 4], "little")
        acc = (_rotl((acc + lane * _P3) & _MASK, 17) * _P4) & _MASK
        index += 4
    while index < length:
        acc = (_rotl((acc + data[index] * _P5) & _MASK, 11) * _P1) & _MASK
        index += 1
    acc ^= acc >> 15
    acc = (acc * _P2) & _MASK
    acc ^= acc >> 13
    acc = (acc * _P3) & _MASK
    acc ^= acc >> 16
    return acc


def solid2_id(module_id: str, ordinal: int) -> str:
    """SolidStart 2.0's production id of the ``ordinal``-th server function in ``module_id``.

    ``module_id`` is the absolute path Vite gave the module on the build machine.
    """
    return f"{xxhash32(module_id.encode('utf-8')):x}-{ordinal}"


def solid1_id(module_path: str, name: str) -> str:
    """SolidStart 1.x's ``functionId``: the relative path and variable, URL-safe."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", f"{module_path}--{name}")


def solid1_reference(module_path: str, name: str) -> str:
    """What a 1.x client sends as ``X-Server-Id`` (decoded): ``<functionId>#<name hash>``."""
    return f"{solid1_id(module_path, name)}#{xxhash32(name.encode('utf-8')):x}"


def tanstack_id(module_path: str, name: str) -> str:
    """TanStack Start's production id of ``export const <name> = createServerFn()…``."""
    text = f"{module_path}--{name}_createServerFn_handler"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_LITERAL: Final = r"\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'|`((?:[^`\\$]|\\.)*)`"
# A minified bundle renames the imported helpers, so the ids are found by their
# shape: a string literal of ``<xxhash hex>-<n>`` (dev builds: ``-<name>``), or of
# 64 hex digits (TanStack's sha256), in any quotes (Vite 8's minifier writes
# template literals).  Unminified helper calls are found by name too.
_PATTERNS: Final = (
    ("solid2", re.compile(r"[\"'`]([0-9a-f]{1,8}-[0-9]+(?:-[A-Za-z0-9_$]+)?)[\"'`]")),
    ("tanstack", re.compile(r"createClientRpc\w*\(\s*(?:" + _LITERAL + r")\s*\)")),
    ("tanstack", re.compile(r"[\"'`]([0-9a-f]{64})[\"'`]")),
)
_SOLID1: Final = re.compile(
    r"createServerReference\w*\([^,()]*(?:\([^()]*\)[^,()]*)*,\s*(?:"
    + _LITERAL
    + r")\s*,\s*(?:"
    + _LITERAL
    + r")\s*\)"
)


def ids_in_text(text: str) -> list[tuple[str, str]]:
    """``(framework, id)`` for each server-function reference in a bundle's text, in order."""
    found: list[tuple[int, str, str]] = []
    for framework, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            groups = [group for group in match.groups() if group]
            found.append((match.start(), framework, groups[0] if groups else ""))
    for match in _SOLID1.finditer(text):
        function_id = match.group(1) or match.group(2) or match.group(3) or ""
        found.append((match.start(), "solid1", function_id))
    seen: set[tuple[str, str]] = set()
    out = []
    for _, framework, function_id in sorted(found):
        if (framework, function_id) not in seen:
            seen.add((framework, function_id))
            out.append((framework, function_id))
    return out


def ids_in_bundle(paths: Iterable[str | Path]) -> list[tuple[str, str]]:
    """:func:`ids_in_text` over every ``.js``/``.mjs`` file under ``paths`` (files or folders)."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for root in paths:
        root = Path(root)
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if path.suffix not in (".js", ".mjs", ".cjs") or not path.is_file():
                continue
            for item in ids_in_text(path.read_text("utf-8", errors="replace")):
                if item not in seen:
                    seen.add(item)
                    out.append(item)
    return out
