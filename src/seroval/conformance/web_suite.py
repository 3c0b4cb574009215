"""The checks for the web and Temporal vectors (``vectors/web/web.jsonl.gz``).

They extend :mod:`.suite`'s checks to vectors with a plugin list, an async part
and a stream part.  Each takes one vector and raises
:class:`~.suite.ConformanceFailure` when we disagree with seroval (or
:class:`~.suite.NotApplicable`).  Sync checks are plain functions; the async ones
(``async_*``) need the async serializers and run under asyncio or trio.

Where seroval's sync mode refuses a value only because a JS Blob's bytes must be
awaited (Blob, File, FormData with files, Request/Response with a bytes body),
our sync mode writes what seroval's async mode writes: the check accepts either
seroval's error or exactly seroval's async output.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import anyio

from ..protocol.errors import SerovalError
from ..protocol.jstext.api import compile_json, cross_serialize, serialize
from ..protocol.jstext.reader import CrossDeserializer, deserialize
from ..protocol.model.features import enabled_features
from ..protocol.model.plugins import Plugin
from ..protocol.model.references import ReadRefs
from ..protocol.model.values import undefined
from ..protocol.tree.api import from_cross_json, from_json, to_cross_json, to_json
from ..protocol.tree.json_text import dumps_json, loads_json
from .suite import ERROR_CLASSES, ConformanceFailure, NotApplicable, _expect
from .vectors import Vector
from .web_recipes import WebRecipeBuilder, plugins_of

__all__ = [
    "ASYNC_CHECKS",
    "SYNC_CHECKS",
    "TEXT_FORMS",
    "async_api",
    "make",
]

SCOPE_ID = "example"

#: The JS text fields of a vector, and the cross_serialize options each stands for.
TEXT_FORMS: dict[str, dict[str, Any] | None] = {
    "serialize": None,
    "crossSerialize": {},
    "crossScoped": {"scope_id": SCOPE_ID},
    "crossSharedOnly": {"assign_shared_refs_only": True},
}


def make(vector: Vector) -> Any:
    """A fresh Python value for the vector's recipe."""
    return WebRecipeBuilder().build(vector.recipe)


def _options(vector: Vector) -> dict[str, Any]:
    return {
        "plugins": plugins_of(vector.raw["plugins"]),
        "disabled_features": vector.disabled_features,
    }


def _plugins(vector: Vector) -> tuple[Plugin, ...]:
    return plugins_of(vector.raw["plugins"])


def _part(vector: Vector, mode: str) -> dict[str, Any]:
    part = vector.raw.get(mode)
    if not part or part.get("error") is not None or part.get("json") is None:
        raise NotApplicable(f"seroval has no {mode} output for this value")
    return dict(part)


def _sync_writers(vector: Vector) -> dict[str, Callable[[Any], str]]:
    options = _options(vector)
    writers: dict[str, Callable[[Any], str]] = {
        "json": lambda value: dumps_json(to_json(value, **options)),
        "crossJson": lambda value: dumps_json(to_cross_json(value, **options)),
    }
    for form, extra in TEXT_FORMS.items():
        if extra is None:
            writers[form] = lambda value: serialize(value, **options)
        else:
            writers[form] = partial(_cross_text, options=options, extra=extra)
    return writers


def _cross_text(value: Any, *, options: dict[str, Any], extra: dict[str, Any]) -> str:
    return cross_serialize(value, **options, **extra)


# -- sync ------------------------------------------------------------------------------


def check_json_round_trip(vector: Vector) -> None:
    """seroval's JSON (vanilla and cross), read and written again, gives seroval's bytes."""
    if vector.json is None or vector.cross_json is None:
        raise NotApplicable("seroval refused this value in sync mode")
    options = _options(vector)
    envelope = loads_json(vector.json)
    _expect(dumps_json(envelope), vector.json, "JSON text writer")
    value = from_json(envelope, plugins=options["plugins"])
    expected = vector.json_round_trip or vector.json
    _expect(dumps_json(to_json(value, **options)), expected, "to_json(from_json(json))")
    node = loads_json(vector.cross_json)
    features = enabled_features(vector.disabled_features)
    value = from_cross_json(node, refs=ReadRefs(), plugins=options["plugins"], features=features)
    expected = vector.raw.get("crossJsonRoundTrip") or vector.cross_json
    actual = dumps_json(to_cross_json(value, **options))
    _expect(actual, expected, "to_cross_json(from_cross_json(node))")


def check_python_value(vector: Vector) -> None:
    """The Python value gives seroval's nodes and texts (or its async output, or its error)."""
    expected: dict[str, Any] = dict(vector.raw)
    if vector.error is not None:
        try:
            _sync_writers(vector)["json"](make(vector))
        except SerovalError as error:
            wanted = ERROR_CLASSES.get(vector.error)
            if wanted is None or not isinstance(error, wanted):
                raise ConformanceFailure(f"seroval raised {vector.error}; we {error!r}") from error
            return
        try:  # our sync mode writes seroval's async output
            expected = _part(vector, "async")
        except NotApplicable:
            raise ConformanceFailure(
                f"seroval refused this in every mode ({vector.error})"
            ) from None
        expected["crossSharedOnly"] = None
    for field, writer in _sync_writers(vector).items():
        if expected.get(field) is not None:
            _expect(writer(make(vector)), expected[field], f"{field}(python value)")


def check_js_text_of_json(vector: Vector) -> None:
    """seroval's nodes, and the values read from them, give seroval's JS text."""
    if vector.json is None or vector.serialize is None:
        raise NotApplicable("seroval refused this value in sync mode")
    plugins = _plugins(vector)
    envelope = loads_json(vector.json)
    _expect(compile_json(envelope, plugins=plugins), vector.serialize, "compile_json(json)")
    value = from_json(envelope, plugins=plugins)
    expected = vector.serialize
    if vector.json_round_trip is not None:
        expected = compile_json(loads_json(vector.json_round_trip), plugins=plugins)
    _expect(serialize(value, **_options(vector)), expected, "serialize(from_json(json))")


def _read_text(vector: Vector, form: str, text: str) -> Any:
    plugins = _plugins(vector)
    if TEXT_FORMS[form] is None:
        return deserialize(text, plugins=plugins, disabled_features=vector.disabled_features)
    reader = CrossDeserializer(plugins=plugins, disabled_features=vector.disabled_features)
    return reader.feed(text)


def _expected_eval(part: dict[str, Any], form: str) -> str:
    result = part.get("eval", {}).get(form, part[form])
    if not isinstance(result, str):
        raise ConformanceFailure(f"{form}: JS could not re-serialize its own eval ({result})")
    return result


def check_js_read(vector: Vector) -> None:
    """Reading seroval's sync texts without eval gives what evaluating them in JS gives."""
    if vector.serialize is None:
        raise NotApplicable("seroval refused this value in sync mode")
    writers = _sync_writers(vector)
    for form in TEXT_FORMS:
        value = _read_text(vector, form, vector.raw[form])
        expected = _expected_eval(vector.raw, form)
        _expect(writers[form](value), expected, f"{form}(deserialize({form}))")


def _sync_or_skip(write: Callable[[], str]) -> str:
    """Write in sync mode, or skip when only an async writer can (a stream inside)."""
    try:
        return write()
    except SerovalError as error:
        if "async" in str(error) or "stream" in str(error):
            raise NotApplicable(f"needs the async serializers: {error}") from None
        raise


def check_async_json_read(vector: Vector) -> None:
    """seroval's async JSON reads back; written again (sync where we can) it is the same."""
    part = _part(vector, "async")
    plugins = _plugins(vector)
    envelope = loads_json(part["json"])
    _expect(dumps_json(envelope), part["json"], "JSON text writer (async)")
    _expect(compile_json(envelope, plugins=plugins), part["serialize"], "compile_json(async json)")
    value = from_json(envelope, plugins=plugins)
    expected = part.get("jsonRoundTrip") or part["json"]
    actual = _sync_or_skip(lambda: _sync_writers(vector)["json"](value))
    _expect(actual, expected, "to_json(from_json(async json))")


def check_async_js_read(vector: Vector) -> None:
    """Reading seroval's async texts without eval gives what JS gives (sync where we can)."""
    part = _part(vector, "async")
    writers = _sync_writers(vector)
    for form in ("serialize", "crossSerialize", "crossScoped"):
        value = _read_text(vector, form, part[form])
        actual = _sync_or_skip(partial(writers[form], value))
        _expect(actual, _expected_eval(part, form), f"{form}(deserialize(async {form}))")


def check_stream_read(vector: Vector) -> None:
    """seroval's stream chunks and records read back, one at a time, without error."""
    part = vector.raw.get("stream")
    if not part or part.get("error") is not None:
        raise NotApplicable("seroval has no stream output for this value")
    plugins = _plugins(vector)
    features = enabled_features(vector.disabled_features)
    for chunks, scope in ((part["chunks"], None), (part["scopedChunks"], SCOPE_ID)):
        reader = CrossDeserializer(plugins=plugins, disabled_features=vector.disabled_features)
        for chunk in chunks:
            reader.feed(chunk)
        if part["done"] and reader.pending:
            raise ConformanceFailure(f"{reader.pending} promise(s) or stream(s) left open")
        if chunks and reader.value(0, scope_id=scope) is undefined:
            raise ConformanceFailure("the first chunk gave no root value")
    refs = ReadRefs()
    for record in part["nodes"]:
        from_cross_json(loads_json(record), refs=refs, plugins=plugins, features=features)


SYNC_CHECKS: dict[str, Callable[[Vector], None]] = {
    "json round trip": check_json_round_trip,
    "python value": check_python_value,
    "js text of json": check_js_text_of_json,
    "js text read": check_js_read,
    "async json read": check_async_json_read,
    "async js text read": check_async_js_read,
    "stream read": check_stream_read,
}


# -- async (the async serializers) -----------------------------------------------------


def async_api() -> Any:
    """The async serializers' module, or ``None`` while they do not exist."""
    try:
        from ..protocol.aio import api as module
    except ImportError:
        return None
    return module


def _async_writers(vector: Vector) -> dict[str, Callable[[Any], Awaitable[str]]]:
    api = async_api()
    if api is None:
        raise NotApplicable("no async serializers (seroval.protocol.aio.api) yet")
    options = _options(vector)

    async def json(value: Any) -> str:
        return dumps_json(await api.to_json_async(value, **options))

    async def cross_json(value: Any) -> str:
        return dumps_json(await api.to_cross_json_async(value, **options))

    async def text(value: Any) -> str:
        return str(await api.serialize_async(value, **options))

    async def cross(value: Any) -> str:
        return str(await api.cross_serialize_async(value, **options))

    async def scoped(value: Any) -> str:
        return str(await api.cross_serialize_async(value, scope_id=SCOPE_ID, **options))

    return {
        "json": json,
        "crossJson": cross_json,
        "serialize": text,
        "crossSerialize": cross,
        "crossScoped": scoped,
    }


async def _run_scheduled(write: Callable[[Any], Awaitable[str]], vector: Vector) -> str:
    """Write a fresh value while its later steps (aborts at step n) happen in order."""
    builder = WebRecipeBuilder()
    value = builder.build(vector.recipe)
    result: list[str] = []
    failure: list[BaseException] = []

    async def writing() -> None:
        try:
            result.append(await write(value))
        except Exception as error:  # re-raised below, outside the task group
            failure.append(error)

    async with anyio.create_task_group() as group:
        group.start_soon(writing)
        for step in sorted(builder.actions):
            for _ in range(8):  # let the writer reach what waits for this step
                await anyio.sleep(0)
            for action in builder.actions[step]:
                action()
    if failure:
        raise failure[0]
    return result[0]


async def async_python_value(vector: Vector) -> None:
    """The Python value through the async serializers gives seroval's async output."""
    part = vector.raw.get("async")
    if not part:
        raise NotApplicable("seroval has no async output for this value")
    writers = _async_writers(vector)
    if part.get("error") is not None:
        wanted = ERROR_CLASSES.get(part["error"]["name"], SerovalError)
        try:
            await _run_scheduled(writers["json"], vector)
        except wanted:
            return
        raise ConformanceFailure(f"seroval raised {part['error']['name']}; we raised nothing")
    for field, writer in writers.items():
        actual = await _run_scheduled(writer, vector)
        _expect(actual, part[field], f"{field}_async(python value)")


async def async_round_trip(vector: Vector) -> None:
    """seroval's async JSON and texts, read and written with the async serializers again."""
    part = _part(vector, "async")
    writers = _async_writers(vector)
    value = from_json(loads_json(part["json"]), plugins=_plugins(vector))
    expected = part.get("jsonRoundTrip") or part["json"]
    _expect(await writers["json"](value), expected, "to_json_async(from_json(async json))")
    for form in ("serialize", "crossSerialize", "crossScoped"):
        value = _read_text(vector, form, part[form])
        actual = await writers[form](value)
        _expect(actual, _expected_eval(part, form), f"{form}_async(deserialize(async {form}))")


ASYNC_CHECKS: dict[str, Callable[[Vector], Awaitable[None]]] = {
    "async python value": async_python_value,
    "async round trip": async_round_trip,
}
