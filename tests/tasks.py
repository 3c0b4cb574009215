"""Leak checks shared by the async tests: tasks alive in the loop, open file descriptors."""

from __future__ import annotations

import os
from typing import Any


def task_count(backend: str) -> int:
    """The tasks alive in the current event loop."""
    if backend == "asyncio":
        import asyncio

        return len(asyncio.all_tasks())
    import trio

    def count(task: Any) -> int:
        return 1 + sum(
            count(child) for nursery in task.child_nurseries for child in nursery.child_tasks
        )

    return count(trio.lowlevel.current_root_task())


def fd_count() -> int:
    """Open file descriptors of this process."""
    return len(os.listdir("/proc/self/fd"))
