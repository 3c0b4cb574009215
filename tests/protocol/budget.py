"""Test helpers for the stack budget: spend it from the root, count hand-overs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest

from seroval.protocol import stack

__all__ = ["budget_spent", "count_hand_overs"]

T = TypeVar("T")


@contextmanager
def budget_spent() -> Iterator[None]:
    """Every walk starts with its budget used up, so the loops past the budget take
    every container from the root."""
    original = stack.StackBudget.start

    def start(self: stack.StackBudget, depth: int) -> None:
        original(self, depth)
        self.hand_over_at = depth

    stack.StackBudget.start = start  # type: ignore[method-assign]
    try:
        yield
    finally:
        stack.StackBudget.start = original  # type: ignore[method-assign]


def count_hand_overs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that gains one item per hand-over to a fresh thread from now on."""
    handed: list[int] = []
    original: Callable[[Callable[[], Any]], Any] = stack.on_fresh_stack

    def counting(function: Callable[[], T]) -> T:
        handed.append(1)
        return original(function)  # type: ignore[no-any-return]

    monkeypatch.setattr(stack, "on_fresh_stack", counting)
    return handed
