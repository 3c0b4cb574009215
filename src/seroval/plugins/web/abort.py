"""``AbortSignal`` and ``AbortController``, and their plugins.

seroval-plugins writes an aborted signal as ``AbortSignal.abort(reason)``.  A signal
that has not aborted is, in sync mode, ``(new AbortController).signal`` (a fresh
signal that never aborts), and in stream mode a call of a helper function with a
promise that resolves to the reason when the signal aborts
(``(FACTORY)(promise).signal``, the helper being the plugin node
``seroval-plugins/web/AbortControllerFactoryPlugin``).  Async mode waits until the
signal aborts and sends it as aborted, as seroval does (so it waits for ever on a
signal that never aborts).

Aborting without a reason gives ``DOMException("This operation was aborted",
"AbortError")``, Node's wording (browsers word the message differently).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Final

from ...protocol.jstext.helpers import ABORT_CONTROLLER_FACTORY
from ...protocol.model.plugins import Awaited, PluginDeserializeContext, PluginSerializeContext
from ...protocol.model.values import JSPromise, js_truthy, undefined
from ._base import Factory, WebPlugin, call_arguments
from .dom_exception import DOMException

__all__ = [
    "ABORT_CONTROLLER_FACTORY_MARKER",
    "AbortController",
    "AbortControllerFactoryPlugin",
    "AbortSignal",
    "AbortSignalPlugin",
]

ABORT_CONTROLLER_FACTORY_MARKER: Final = Factory("AbortControllerFactory")
DEFAULT_ABORT_MESSAGE: Final = "This operation was aborted"


class AbortSignal:
    """Whether (and why) an operation was aborted; made by :class:`AbortController`."""

    __slots__ = ("_aborted", "_promise", "_reason")

    def __init__(self) -> None:
        self._aborted = False
        self._reason: Any = undefined
        self._promise = JSPromise()

    @classmethod
    def abort(cls, reason: Any = undefined) -> AbortSignal:
        """A signal that has already aborted (JS ``AbortSignal.abort``)."""
        signal = cls()
        signal._abort(reason)
        return signal

    @property
    def aborted(self) -> bool:
        return self._aborted

    @property
    def reason(self) -> Any:
        """The abort reason; ``undefined`` until the signal aborts."""
        return self._reason

    @property
    def settled(self) -> JSPromise:
        """A promise that resolves to the reason when the signal aborts."""
        return self._promise

    async def wait(self) -> Any:
        """Wait (under asyncio or trio) until the signal aborts; return the reason."""
        return await self._promise

    def _abort(self, reason: Any) -> None:
        if self._aborted:
            return
        if reason is undefined:
            reason = DOMException(DEFAULT_ABORT_MESSAGE, "AbortError")
        self._aborted = True
        self._reason = reason
        self._promise.settle(True, reason)

    def __repr__(self) -> str:
        return (
            f"<AbortSignal aborted reason={self._reason!r}>"
            if self._aborted
            else ("<AbortSignal pending>")
        )


class AbortController:
    """Owns an :class:`AbortSignal` and aborts it."""

    __slots__ = ("signal",)

    def __init__(self) -> None:
        self.signal = AbortSignal()

    def abort(self, reason: Any = undefined) -> None:
        self.signal._abort(reason)


def _signal_following(promise: JSPromise) -> AbortSignal:
    """What the factory helper makes: a signal that aborts when ``promise`` settles."""
    controller = AbortController()
    promise.add_done_callback(lambda settled: controller.abort(settled.value))
    return controller.signal


def _present(info: dict[str, Any], field: str) -> bool:
    """seroval-plugins' ``if (node.field)``: JS truthiness of the field's node."""
    return js_truthy(info.get(field, undefined))


def _abort_call(arguments: list[Any]) -> dict[str, Any]:
    return {"reason": call_arguments(arguments, 1)[0]}


def _controller_call(arguments: list[Any]) -> dict[str, Any]:
    return {"controller": call_arguments(arguments, 1)[0]}


def _fresh_signal(arguments: list[Any]) -> dict[str, Any]:
    return {}


class AbortControllerFactoryPlugin(WebPlugin):
    """``seroval-plugins/web/AbortControllerFactoryPlugin``: the helper function text."""

    tag = "seroval-plugins/web/AbortControllerFactoryPlugin"
    skip_plain_objects: ClassVar[bool] = False

    def test(self, value: object) -> bool:
        return value is ABORT_CONTROLLER_FACTORY_MARKER

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        return {}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return ABORT_CONTROLLER_FACTORY

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> Any:
        raise ValueError(f"{self.tag} cannot be deserialized directly")


class AbortSignalPlugin(WebPlugin):
    """``seroval-plugins/web/AbortSignal``: aborted, pending (sync) or following a promise."""

    tag = "seroval-plugins/web/AbortSignal"
    extends = (AbortControllerFactoryPlugin(),)
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
        "controller": lambda value: isinstance(value, JSPromise)
    }
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "AbortSignal.abort": _abort_call,
        "(new AbortController).signal": _fresh_signal,
        AbortControllerFactoryPlugin.tag: _controller_call,  # (helper)(promise).signal
    }

    def test(self, value: object) -> bool:
        return isinstance(value, AbortSignal)

    def fields(self, value: AbortSignal, mode: str) -> Mapping[str, Any]:
        if value.aborted:
            return {"reason": value.reason}
        if mode == "stream":
            return {"factory": ABORT_CONTROLLER_FACTORY_MARKER, "controller": value.settled}
        if mode == "async":
            return {"reason": Awaited(value.wait())}
        return {}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        if _present(info, "reason"):
            return "AbortSignal.abort(" + ctx.serialize(info["reason"]) + ")"
        if _present(info, "controller") and _present(info, "factory"):
            factory, controller = ctx.serialize(info["factory"]), ctx.serialize(info["controller"])
            return "(" + factory + ")(" + controller + ").signal"
        return "(new AbortController).signal"

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> AbortSignal:
        if _present(info, "reason"):
            return AbortSignal.abort(ctx.deserialize(info["reason"]))
        if _present(info, "controller"):
            return _signal_following(ctx.deserialize(info["controller"]))
        return AbortController().signal
