"""The limits a server puts on each call, with safe defaults, checked before any work.

Each is a plain number on an immutable object built once per deployment.  The
defaults follow the references: SolidStart reads arguments with a depth limit of
64; Next.js caps action bodies at 1 MB; nothing here is unbounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from .errors import BadRequestError

__all__ = ["DEFAULT_LIMITS", "CallLimits", "check_node_count"]


@dataclass(frozen=True, slots=True)
class CallLimits:
    """Per-call limits (sizes in bytes, durations in seconds).

    * ``max_body_size``: request body (or ``?args=``) bytes; over it the call is a 413.
    * ``max_records``: argument records in one body (the array and its settlements).
    * ``max_nodes``: nodes in the argument records together.
    * ``depth_limit``: nesting depth of an argument value (SolidStart's 64).
    * ``max_pending``: promises and streams the arguments may leave open: 0, since
      a client sends arguments settled (SolidStart drains them before sending).
    * ``max_duration``: longest a call may run, deadline or not (``None``: no limit;
      there is no hidden default).
    * ``window``: response frames the server keeps ready ahead of a slow reader;
      the function (or its async generator) is paused beyond it.
    * ``max_header_size``: bytes of the request's header fields (each counted as
      ``name: value`` and its line end, as on the wire); over it the call is a 431.
    * ``body_timeout``: seconds the whole request body may take to arrive, counted
      from the call's start (``None``: no limit); past it the carrier refuses the
      call with a 408, so a client trickling its body cannot hold a call open.  A
      1 MiB body in 30 s is a 280 kbit/s link.
    """

    max_body_size: int = 1024 * 1024
    max_records: int = 1024
    max_nodes: int = 100_000
    depth_limit: int = 64
    max_pending: int = 0
    max_duration: float | None = None
    window: int = 16
    max_header_size: int = 16 * 1024
    body_timeout: float | None = 30.0

    def __post_init__(self) -> None:
        positive = ("max_body_size", "max_records", "max_nodes", "depth_limit", "window")
        for name in (*positive, "max_header_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive int, not {value!r}")
        if not isinstance(self.max_pending, int) or self.max_pending < 0:
            raise ValueError(f"max_pending must be a non-negative int, not {self.max_pending!r}")
        for name in ("max_duration", "body_timeout"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"{name} must be positive or None, not {value!r}")


DEFAULT_LIMITS: Final = CallLimits()


def check_node_count(trees: list[Any], limit: int) -> None:
    """Refuse argument records holding more than ``limit`` nodes (dicts) together.

    Iterative and linear: each container is visited once, and the walk stops as
    soon as the budget is spent.
    """
    budget = limit
    stack: list[Any] = list(trees)
    while stack:
        item = stack.pop()
        if type(item) is dict:
            budget -= 1
            if budget < 0:
                raise BadRequestError(f"the arguments hold more than {limit} nodes")
            stack.extend(item.values())
        elif type(item) is list:
            stack.extend(item)
