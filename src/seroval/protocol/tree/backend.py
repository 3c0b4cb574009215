"""Which implementation serves the fused JSON-text calls: the native core or pure Python.

The native core (``seroval._native``, the Rust crate in ``native/``) is built by
``pip install`` when cargo is available and skipped otherwise; the pure-Python
walkers are the reference implementation and serve every call without it.  Set
the environment variable ``SEROVAL_PURE=1`` (before importing seroval) to use pure
Python even where the core is built; :func:`use_backend` switches at run time (the
tests and benchmarks run both).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Final, Literal

__all__ = ["Backend", "backend", "forced", "native_module", "use_backend"]

Backend = Literal["native", "python"]

#: The environment variable that forces pure Python when set to anything but ``""``/``"0"``.
PURE_VARIABLE: Final = "SEROVAL_PURE"


def _load() -> ModuleType | None:
    if os.environ.get(PURE_VARIABLE, "") not in ("", "0"):
        return None
    try:
        from ... import _native  # type: ignore[attr-defined]
    except ImportError:  # built without a Rust toolchain: pure Python serves every call
        return None
    module: ModuleType = _native
    return module


_BUILT: Final = _load()
_active: ModuleType | None = _BUILT


def native_module() -> ModuleType | None:
    """The native core when it is the active backend, else ``None``."""
    return _active


def backend() -> Backend:
    """``"native"`` when the Rust core serves the fused calls, ``"python"`` otherwise."""
    return "native" if _active is not None else "python"


def use_backend(name: Backend) -> Backend:
    """Switch the backend for later calls (process-wide); returns the previous one.

    ``"native"`` raises :class:`RuntimeError` where the core is not available
    (not built, or ``SEROVAL_PURE`` set at import).
    """
    global _active
    previous = backend()
    if name == "native":
        if _BUILT is None:
            raise RuntimeError("the native core is not available (not built, or SEROVAL_PURE set)")
        _active = _BUILT
    elif name == "python":
        _active = None
    else:
        raise ValueError(f"unknown backend {name!r}")
    return previous


@contextmanager
def forced(name: Backend) -> Iterator[None]:
    """Use backend ``name`` inside the block (tests and benchmarks)."""
    previous = use_backend(name)
    try:
        yield
    finally:
        use_backend(previous)


def native_available() -> bool:
    """True when the core was built and loaded (whatever the active backend)."""
    return _BUILT is not None
