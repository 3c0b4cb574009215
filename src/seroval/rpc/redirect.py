"""Redirects, sent as SolidStart sends them.

``raise redirect("/login")`` (or ``return redirect(...)``) answers status 200 with
``Location`` (and ``X-Revalidate`` when given) and a ``null`` body record; a raised
one adds ``X-Error: true``.  A browser client navigates; the Python client raises
the :class:`Redirect` it was thrown as, or returns the one that was returned.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["Redirect", "redirect"]


class Redirect(Exception):
    """A redirect to ``location`` (``status`` is what a no-JS form post would get)."""

    def __init__(
        self, location: str, status: int = 302, revalidate: Iterable[str] | None = None
    ) -> None:
        if any(ch in location for ch in "\r\n"):
            raise ValueError("a redirect location cannot hold CR or LF")
        if status not in (301, 302, 303, 307, 308):
            raise ValueError(f"a redirect status is 301, 302, 303, 307 or 308, not {status}")
        super().__init__(location)
        self.location = location
        self.status = status
        self.revalidate = None if revalidate is None else tuple(revalidate)

    def headers(self) -> list[tuple[str, str]]:
        out = [("location", self.location)]
        if self.revalidate is not None:
            out.append(("x-revalidate", ",".join(self.revalidate)))
        return out

    def __repr__(self) -> str:
        return f"Redirect({self.location!r}, {self.status})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Redirect) and (self.location, self.status, self.revalidate) == (
            other.location,
            other.status,
            other.revalidate,
        )

    def __hash__(self) -> int:
        return hash((self.location, self.status, self.revalidate))


def redirect(
    location: str, status: int = 302, *, revalidate: Iterable[str] | None = None
) -> Redirect:
    """A :class:`Redirect` to raise or return from a server function."""
    return Redirect(location, status, revalidate)
