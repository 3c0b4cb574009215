"""The Python-type plugins in Python alone: every form round-trips, and refusals are clear."""

from __future__ import annotations

import dataclasses
import decimal
import enum
import pathlib
import uuid
from typing import Any

import pytest

import seroval
from seroval.plugins import python

from . import python_cases as cases
from .python_cases import CASES, PLUGINS, Color, Perm, Point, User

FORMS = {
    "json": lambda value: seroval.from_json(
        seroval.to_json(value, plugins=PLUGINS), plugins=PLUGINS
    ),
    "json_text": lambda value: seroval.from_json(
        seroval.loads_json(seroval.dumps_json(seroval.to_json(value, plugins=PLUGINS))),
        plugins=PLUGINS,
    ),
    "js_text": lambda value: seroval.deserialize(
        seroval.serialize(value, plugins=PLUGINS), plugins=PLUGINS
    ),
    "serializer": lambda value: seroval.Deserializer(plugins=PLUGINS).from_json(
        seroval.Serializer(plugins=PLUGINS).to_json(value)
    ),
}


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_round_trip(name: str, form: str) -> None:
    value = CASES[name]
    back = FORMS[form](value)
    assert repr(back) == repr(value)  # Decimal("NaN") is not equal to itself
    assert back == value or name == "decimal_nan"
    assert type(back) is type(value)


def test_async_round_trip() -> None:
    import anyio

    async def main() -> Any:
        async def later() -> Any:
            return CASES["model"]

        envelope = await seroval.to_json_async({"m": later()}, plugins=PLUGINS)
        return seroval.from_json(envelope, plugins=PLUGINS)

    assert anyio.run(main)["m"].result() == CASES["model"]


def test_wire_shapes_are_the_documented_ones() -> None:
    """The tags and field order SPEC.md §16 documents."""
    node = seroval.to_json(Perm.R | Perm.W, plugins=PLUGINS)["t"]
    assert node == {
        "t": 25,
        "i": 0,
        "s": {
            "type": {"t": 1, "s": "Perm"},
            "value": {"t": 0, "s": 3},
            "names": {"t": 9, "i": 1, "a": [{"t": 1, "s": "R"}, {"t": 1, "s": "W"}], "o": 0},
        },
        "c": "seroval-python/Flag",
    }
    text = seroval.serialize(
        [decimal.Decimal("1.5"), pathlib.PurePosixPath("a"), Color.RED, Point(1, 2)],
        plugins=PLUGINS,
    )
    assert text == (
        '[new SerovalPython.Decimal("1.5"),new SerovalPython.Path("a","posix",!0),'
        'new SerovalPython.Enum("Color","RED",1),'
        'new SerovalPython.Dataclass("Point",{x:1,y:2,label:""})]'
    )


def test_shared_values_stay_shared() -> None:
    origin = Point(0, 0)
    back = FORMS["json"]([origin, origin])
    assert back[0] is back[1]


def test_one_line_enables_the_classless_plugins() -> None:
    value = [decimal.Decimal("2"), uuid.UUID(int=3), pathlib.PurePosixPath("/")]
    assert (
        seroval.from_json(seroval.to_json(value, plugins=python.ALL), plugins=python.ALL) == value
    )


def test_explicit_wire_names() -> None:
    plugins = python.plugins({"geo.Point": Point})
    node = seroval.to_json(Point(1, 2), plugins=plugins)["t"]
    assert node["s"]["type"] == {"t": 1, "s": "geo.Point"}
    assert seroval.from_json(
        seroval.to_json(Point(1, 2), plugins=plugins), plugins=plugins
    ) == Point(1, 2)


@pytest.mark.parametrize(
    ("value", "plugin", "usage"),
    [
        (decimal.Decimal("1"), "DecimalPlugin", "python.ALL"),
        (uuid.UUID(int=0), "UUIDPlugin", "python.ALL"),
        (pathlib.Path("/x"), "PathPlugin", "python.ALL"),
        (Color.RED, "EnumPlugin", "python.plugins(Color)"),
        (Point(1, 2), "DataclassPlugin", "python.plugins(Point)"),
    ],
)
def test_refusal_names_the_plugin(value: object, plugin: str, usage: str) -> None:
    with pytest.raises(seroval.SerovalUnsupportedTypeError) as caught:
        seroval.to_json(value)
    message = str(caught.value)
    assert f"the {plugin} of seroval.plugins.python carries it" in message
    assert f"plugins={usage}" in message


def test_unregistered_class_is_not_taken() -> None:
    @dataclasses.dataclass
    class Other:
        a: int

    with pytest.raises(seroval.SerovalUnsupportedTypeError, match="DataclassPlugin"):
        seroval.to_json(Other(1), plugins=PLUGINS)


def _plugin_node(tag: str, **fields: Any) -> dict[str, Any]:
    return {
        "t": {"t": 25, "i": 0, "s": fields, "c": tag},
        "f": 127,
        "m": [],
    }


def _text(value: str) -> dict[str, Any]:
    return {"t": 1, "s": value}


@pytest.mark.parametrize(
    ("envelope", "message"),
    [
        (_plugin_node("seroval-python/Decimal", value=_text("1x")), "is not a decimal number"),
        (_plugin_node("seroval-python/UUID", value=_text("nope")), "is not a UUID"),
        (
            _plugin_node(
                "seroval-python/Path",
                value=_text("a"),
                flavour=_text("dos"),
                pure={"t": 2, "s": 2},
            ),
            "is not 'posix' or 'windows'",
        ),
        (
            _plugin_node(
                "seroval-python/Enum",
                type=_text("Secret"),
                name=_text("A"),
                value={"t": 0, "s": 1},
            ),
            r"no Enum is registered as 'Secret' \(known: Color\)",
        ),
        (
            _plugin_node(
                "seroval-python/Enum",
                type=_text("Color"),
                name=_text("A"),
                value={"t": 0, "s": 7},
            ),
            "7 is not a value of Color",
        ),
        (
            _plugin_node(
                "seroval-python/Dataclass",
                type=_text("Point"),
                fields={"t": 10, "i": 1, "p": {"k": ["z"], "v": [{"t": 0, "s": 1}]}, "o": 0},
            ),
            r"Point has no field\(s\) \['z'\]",
        ),
        (
            _plugin_node(
                "seroval-python/Model",
                type=_text("User"),
                fields={"t": 10, "i": 1, "p": {"k": ["name"], "v": [{"t": 0, "s": 1}]}, "o": 0},
            ),
            "User refused its fields: ValidationError",
        ),
    ],
)
def test_bad_payloads_are_refused_as_remote_errors(envelope: dict[str, Any], message: str) -> None:
    with pytest.raises(seroval.SerovalPluginValidationError, match=message) as caught:
        seroval.from_json(envelope, plugins=PLUGINS)
    assert isinstance(caught.value, seroval.SerovalDeserializationError)


def test_decimal_reading_ignores_the_callers_context() -> None:
    envelope = _plugin_node("seroval-python/Decimal", value=_text("junk"))
    with decimal.localcontext() as context:
        context.traps[decimal.InvalidOperation] = False
        with pytest.raises(seroval.SerovalPluginValidationError):
            seroval.from_json(envelope, plugins=PLUGINS)
        context.prec = 3
        long = _plugin_node("seroval-python/Decimal", value=_text("1.23456789"))
        assert str(seroval.from_json(long, plugins=PLUGINS)) == "1.23456789"


def test_int_and_str_enums_are_refused_at_registration() -> None:
    class Level(enum.IntEnum):
        LOW = 1

    with pytest.raises(TypeError, match="written as their plain value"):
        python.EnumPlugin(Level)
    # ...because they are ints: seroval writes them as numbers, plugin or not.
    assert seroval.to_json(Level.LOW)["t"] == {"t": 0, "s": 1}


def test_registration_mistakes() -> None:
    with pytest.raises(TypeError, match="is a Flag"):
        python.EnumPlugin(Perm)
    with pytest.raises(TypeError, match="not a dataclass"):
        python.DataclassPlugin(User)

    @dataclasses.dataclass
    class Point:  # another class of the same name as python_cases.Point
        a: int

    with pytest.raises(TypeError, match="both named 'Point'"):
        python.plugins(Point, cases.Point)
    with pytest.raises(TypeError, match="not an Enum, Flag, dataclass or pydantic model"):
        python.plugins(int)
    with pytest.raises(TypeError, match="at least one class"):
        python.DataclassPlugin()


def test_pydantic_model_validation_applies_on_read() -> None:
    """A payload is checked by the model's own rules, as a request body would be."""
    plugins = python.plugins(User, Point, Perm)
    good = seroval.to_json(User(name="a", joined=CASES["model"].joined), plugins=plugins)
    assert seroval.from_json(good, plugins=plugins).name == "a"
    good["t"]["s"]["fields"]["p"]["v"][1] = {"t": 1, "s": "not a date"}
    with pytest.raises(seroval.SerovalPluginValidationError, match="User refused its fields"):
        seroval.from_json(good, plugins=plugins)
