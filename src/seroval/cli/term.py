"""Terminal output: colour only on a terminal (and never with NO_COLOR), tables, progress."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TextIO

__all__ = ["Progress", "Style", "render_table"]


@dataclass(frozen=True)
class Style:
    """ANSI styling that turns itself off when the output is not a terminal."""

    enabled: bool

    @classmethod
    def for_stream(cls, stream: TextIO) -> Style:
        colour = (
            stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
        )
        return cls(enabled=colour)

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def kind(self, text: str) -> str:
        return self._wrap("1;36", text)

    def value(self, text: str) -> str:
        return self._wrap("32", text)

    def ref(self, text: str) -> str:
        return self._wrap("35", text)

    def warn(self, text: str) -> str:
        return self._wrap("33", text)

    def bad(self, text: str) -> str:
        return self._wrap("1;31", text)

    def good(self, text: str) -> str:
        return self._wrap("32", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)


def _visible_length(text: str) -> int:
    length, skipping = 0, False
    for char in text:
        if char == "\x1b":
            skipping = True
        elif skipping and char == "m":
            skipping = False
        elif not skipping:
            length += 1
    return length


def render_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain aligned table (cells may carry colour codes)."""
    widths = [_visible_length(cell) for cell in header]
    for row in rows:
        widths = [
            max(width, _visible_length(cell)) for width, cell in zip(widths, row, strict=True)
        ]

    def line(cells: list[str]) -> str:
        padded = [
            cell + " " * (width - _visible_length(cell))
            for cell, width in zip(cells, widths, strict=True)
        ]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


class Progress:
    """A one-line progress counter on stderr, shown only when stderr is a terminal."""

    def __init__(self, label: str, stream: TextIO = sys.stderr) -> None:
        self.label = label
        self.stream = stream
        self.enabled = stream.isatty()
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        percent = done * 100 // max(total, 1)
        if percent != self.last or done == total:
            self.last = percent
            end = "\n" if done == total else ""
            print(
                f"\r{self.label}: {done}/{total} ({percent}%)",
                end=end,
                file=self.stream,
                flush=True,
            )
