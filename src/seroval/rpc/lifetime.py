"""A client's transport and task group: opened on ``async with``, closed on the way out.

:class:`~seroval.rpc.client.Client` and the framework clients
(:mod:`seroval.rpc.frameworks.client`) hold the same three things: a transport (given,
or an HTTP one made from a URL on entry), whether the client owns it, and the task
group its result streams run in.  Leaving the block cancels that group, so results
still streaming are closed, then closes the transport where the client owns it.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import anyio
import anyio.abc

from ..protocol.aio.waiting import enter_group, exit_group
from .core.carrier import ClientTransport

__all__ = ["TransportLifetime"]


class TransportLifetime:
    """The ``async with`` of a client; subclasses set the attributes in ``__init__``."""

    _url: str | None
    _http_client: Any
    _transport: ClientTransport | None
    #: Whether leaving the block closes the transport (the client made it, or was told to).
    _owns_transport: bool
    #: Whether the transport is itself entered with the client (the multiplexed ones).
    _enter_transport: bool = False
    _group: anyio.abc.TaskGroup | None

    async def __aenter__(self) -> Self:
        if self._enter_transport:
            await self._transport.__aenter__()  # type: ignore[union-attr]
        if self._transport is None:
            from ..transports.http import HttpTransport

            assert self._url is not None
            self._transport = HttpTransport(self._url, self._http_client)
            self._owns_transport = True
        self._group = await enter_group()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        group, self._group = self._group, None
        assert group is not None
        try:
            return await exit_group(group, kind, error, traceback)  # closes streaming results
        finally:
            if self._enter_transport and self._transport is not None:
                # Its task groups were entered after this client's: left here, unshielded.
                await self._transport.aclose()
                self._transport = None
            elif self._owns_transport and self._transport is not None:
                with anyio.CancelScope(shield=True):
                    await self._transport.aclose()
                self._transport = None
