"""Hostile node trees: every one raises a typed SerovalError that names the problem and where."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import pytest

import seroval as S

#: Run on both backends: the native readers and writers, and the pure ones.
pytestmark = pytest.mark.usefixtures("each_backend")

BIG = "A" * 1_000_004


def envelope(root: Any, marked: list[int] | None = None) -> dict[str, Any]:
    return {"t": root, "f": 127, "m": marked or []}


OBJ = {"t": 10, "i": 0, "p": {"k": [], "v": []}, "o": 0}

# (description, envelope, expected error class, expected location, words the message must hold)
CASES: list[tuple[str, Any, type[S.SerovalError], str, str]] = [
    (
        "unknown node type",
        envelope({"t": 99}),
        S.SerovalUnsupportedNodeError,
        "$.t",
        "unknown node type",
    ),
    ("negative node type", envelope({"t": -1}), S.SerovalUnsupportedNodeError, "$.t", "unknown"),
    ("type is a string", envelope({"t": "9"}), S.SerovalMalformedNodeError, "$.t", "t must be"),
    ("type is a bool", envelope({"t": True}), S.SerovalMalformedNodeError, "$.t", "t must be"),
    ("node is a list", envelope([1]), S.SerovalMalformedNodeError, "$.t", "must be an object"),
    ("node is null", envelope(None), S.SerovalMalformedNodeError, "$.t", "must be an object"),
    (
        "special reference as a value",
        envelope({"t": 26, "i": 0, "s": 0}),
        S.SerovalUnsupportedNodeError,
        "$.t",
        "not a value",
    ),
    (
        "number as string",
        envelope({"t": 0, "s": "1"}),
        S.SerovalMalformedNodeError,
        "$.t",
        "number",
    ),
    ("string as number", envelope({"t": 1, "s": 5}), S.SerovalMalformedNodeError, "$.t", "string"),
    (
        "unknown constant",
        envelope({"t": 2, "s": 8}),
        S.SerovalMalformedNodeError,
        "$.t",
        "constant",
    ),
    (
        "bigint not digits",
        envelope({"t": 3, "s": "12a"}),
        S.SerovalMalformedNodeError,
        "$.t",
        "BigInt",
    ),
    (
        "bigint over 10000 digits",
        envelope({"t": 3, "s": "9" * 10_001}),
        S.SerovalSizeLimitError,
        "$.t",
        "over the limit",
    ),
    (
        "array a not a list",
        envelope({"t": 9, "i": 0, "a": {}, "o": 0}),
        S.SerovalMalformedNodeError,
        "$.t",
        "'a' must be a list",
    ),
    (
        "array item not a node",
        envelope({"t": 9, "i": 0, "a": [{"t": 0, "s": 1}, "x"], "o": 0}),
        S.SerovalMalformedNodeError,
        "$.t.a[1]",
        "must be an object",
    ),
    (
        "bad object flag",
        envelope({"t": 10, "i": 0, "p": {"k": [], "v": []}, "o": 9}),
        S.SerovalMalformedNodeError,
        "$.t",
        "flag",
    ),
    (
        "id is a string",
        envelope({"t": 9, "i": "0", "a": [], "o": 0}),
        S.SerovalMalformedNodeError,
        "$.t",
        "id",
    ),
    (
        "id is negative",
        envelope({"t": 9, "i": -1, "a": [], "o": 0}),
        S.SerovalMalformedNodeError,
        "$.t",
        "id",
    ),
    (
        "id is a float",
        envelope({"t": 9, "i": 1.5, "a": [], "o": 0}),
        S.SerovalMalformedNodeError,
        "$.t",
        "id",
    ),
    (
        "p.k and p.v differ",
        envelope({"t": 10, "i": 0, "p": {"k": ["a"], "v": []}, "o": 0}),
        S.SerovalMalformedNodeError,
        "$.t",
        "differ",
    ),
    (
        "p missing",
        envelope({"t": 10, "i": 0, "o": 0}),
        S.SerovalMalformedNodeError,
        "$.t",
        "record",
    ),
    (
        "key is a number",
        envelope(
            {"t": 10, "i": 0, "p": {"k": [{"t": 0, "s": 1}], "v": [{"t": 0, "s": 1}]}, "o": 0}
        ),
        S.SerovalMalformedNodeError,
        "$.t.p.v[0]",
        "property key",
    ),
    (
        "dangling reference",
        envelope({"t": 9, "i": 0, "a": [{"t": 4, "i": 7}], "o": 0}),
        S.SerovalMissingReferenceError,
        "$.t.a[0]",
        "never defined",
    ),
    (
        "reference id not int",
        envelope({"t": 4, "i": "x"}),
        S.SerovalMalformedNodeError,
        "$.t",
        "reference id",
    ),
    (
        "duplicate ids",
        envelope(
            {"t": 9, "i": 0, "a": [{"t": 10, "i": 0, "p": {"k": [], "v": []}, "o": 0}], "o": 0}, [0]
        ),
        S.SerovalConflictedNodeIdError,
        "$.t.a[0]",
        "two nodes",
    ),
    (
        "base64 over the limit",
        envelope({"t": 19, "i": 0, "s": BIG, "f": {"t": 26, "i": 1, "s": 5}}),
        S.SerovalSizeLimitError,
        "$.t",
        "max_base64_length",
    ),
    (
        "base64 invalid",
        envelope({"t": 19, "i": 0, "s": "A", "f": {"t": 26, "i": 1, "s": 5}}),
        S.SerovalMalformedNodeError,
        "$.t",
        "base64",
    ),
    (
        "base64 with padding inside",  # atob refuses "ab=": three characters, one of them "="
        envelope({"t": 19, "i": 0, "s": "ab=", "f": {"t": 26, "i": 1, "s": 5}}),
        S.SerovalMalformedNodeError,
        "$.t",
        "base64",
    ),
    (
        "base64 outside ASCII",
        envelope({"t": 19, "i": 0, "s": "AQ\u00e9D", "f": {"t": 26, "i": 1, "s": 5}}),
        S.SerovalMalformedNodeError,
        "$.t",
        "base64",
    ),
    (
        "base64 not a string",
        envelope({"t": 19, "i": 0, "s": [1], "f": {"t": 26, "i": 1, "s": 5}}),
        S.SerovalMalformedNodeError,
        "$.t",
        "base64",
    ),
    (
        "typed array unknown kind",
        envelope(
            {
                "t": 15,
                "i": 0,
                "c": "Evil",
                "f": {"t": 19, "i": 1, "s": "", "f": {"t": 26, "i": 2, "s": 5}},
                "b": 0,
                "l": 0,
            }
        ),
        S.SerovalUnknownTypedArrayError,
        "$.t",
        "Evil",
    ),
    (
        "typed array too long",
        envelope(
            {
                "t": 15,
                "i": 0,
                "c": "Uint8Array",
                "f": {"t": 19, "i": 1, "s": "AQID", "f": {"t": 26, "i": 2, "s": 5}},
                "b": 0,
                "l": 10**9,
            }
        ),
        S.SerovalMalformedNodeError,
        "$.t",
        "does not fit",
    ),
    (
        "typed array on a non-buffer",
        envelope({"t": 15, "i": 0, "c": "Uint8Array", "f": {"t": 0, "s": 1}, "b": 0, "l": 0}),
        S.SerovalMalformedNodeError,
        "$.t",
        "ArrayBuffer",
    ),
    (
        "typed array offset outside",
        envelope(
            {
                "t": 15,
                "i": 0,
                "c": "Uint8Array",
                "f": {"t": 19, "i": 1, "s": "AQID", "f": {"t": 26, "i": 2, "s": 5}},
                "b": 9,
                "l": 0,
            }
        ),
        S.SerovalMalformedNodeError,
        "$.t",
        "outside",
    ),
    (
        "typed array misaligned",
        envelope(
            {
                "t": 15,
                "i": 0,
                "c": "Uint32Array",
                "f": {"t": 19, "i": 1, "s": "AQIDBAUG", "f": {"t": 26, "i": 2, "s": 5}},
                "b": 1,
                "l": 1,
            }
        ),
        S.SerovalMalformedNodeError,
        "$.t",
        "offset",
    ),
    (
        "error ctor out of range",
        envelope({"t": 13, "i": 0, "s": 9, "m": "", "p": {"k": [], "v": []}}),
        S.SerovalMalformedNodeError,
        "$.t",
        "error constructor",
    ),
    (
        "promise settled to promise",
        envelope({"t": 12, "i": 0, "s": 1, "f": {"t": 4, "i": 0}}, [0]),
        S.SerovalMalformedNodeError,
        "$.t",
        "another promise",
    ),
    (
        "promise success on non-resolver",
        envelope(
            {
                "t": 9,
                "i": 0,
                "a": [{"t": 23, "i": 0, "a": [{"t": 26, "i": 1, "s": 2}, {"t": 0, "s": 1}]}],
                "o": 0,
            },
            [0],
        ),
        S.SerovalMalformedNodeError,
        "$.t.a[0]",
        "not a promise resolver",
    ),
    (
        "promise success without target",
        envelope({"t": 23, "i": 5, "a": [{"t": 26, "i": 1, "s": 2}, {"t": 0, "s": 1}]}),
        S.SerovalMissingInstanceError,
        "$.t",
        "no promise",
    ),
    (
        "stream event on a non-stream",
        envelope({"t": 9, "i": 0, "a": [{"t": 32, "i": 0, "f": {"t": 0, "s": 1}}], "o": 0}, [0]),
        S.SerovalMalformedNodeError,
        "$.t.a[0]",
        "not a stream",
    ),
    (
        "sequence index out of range",
        envelope({"t": 35, "i": 0, "s": 5, "a": [], "l": 0}),
        S.SerovalMalformedNodeError,
        "$.t",
        "indices",
    ),
    (
        "iterator instance without sequence",
        envelope(
            {
                "t": 28,
                "a": [
                    {"t": 27, "i": 0, "f": {"t": 17, "i": 1, "s": 3}},
                    {"t": 9, "i": 2, "a": [], "o": 0},
                ],
            }
        ),
        S.SerovalMalformedNodeError,
        "$.t",
        "sequence",
    ),
    (
        "plugin without plugin",
        envelope({"t": 25, "i": 0, "s": {}, "c": "evil/Thing"}),
        S.SerovalMissingPluginError,
        "$.t",
        "evil/Thing",
    ),
    (
        "plugin info not an object",
        envelope({"t": 25, "i": 0, "s": 1, "c": "my/Point"}),
        S.SerovalMalformedNodeError,
        "$.t",
        "fields",
    ),
    (
        "unregistered reference",
        envelope({"t": 18, "i": 0, "s": "os.system"}),
        S.SerovalMissingReferenceForIdError,
        "$.t",
        "os.system",
    ),
    (
        "regexp too long",
        envelope({"t": 6, "i": 0, "c": "a" * 20_001, "m": ""}),
        S.SerovalSizeLimitError,
        "$.t",
        "over the limit",
    ),
    (
        "regexp bad flags",
        envelope({"t": 6, "i": 0, "c": "a", "m": "gg"}),
        S.SerovalMalformedNodeError,
        "$.t",
        "flags",
    ),
    (
        "regexp too many property escapes",
        envelope({"t": 6, "i": 0, "c": "\\p{L}" * 33, "m": "u"}),
        S.SerovalSizeLimitError,
        "$.t",
        "escapes",
    ),
    (
        "symbol out of range",
        envelope({"t": 17, "i": 0, "s": 13}),
        S.SerovalMalformedNodeError,
        "$.t",
        "symbol",
    ),
    (
        "date not a string",
        envelope({"t": 5, "i": 0, "s": 0}),
        S.SerovalMalformedNodeError,
        "$.t",
        "string",
    ),
    (
        "temporal type out of range",
        envelope({"t": 36, "i": 0, "s": "x", "c": 9}),
        S.SerovalMalformedNodeError,
        "$.t",
        "Temporal",
    ),
    (
        "map record lists differ",
        envelope(
            {
                "t": 8,
                "i": 0,
                "e": {"k": [{"t": 0, "s": 1}], "v": []},
                "f": {"t": 26, "i": 1, "s": 0},
            }
        ),
        S.SerovalMalformedNodeError,
        "$.t",
        "differ",
    ),
    (
        "deep error inside map",
        envelope(
            {
                "t": 8,
                "i": 0,
                "e": {"k": [{"t": 0, "s": 1}], "v": [{"t": 77}]},
                "f": {"t": 26, "i": 1, "s": 0},
            }
        ),
        S.SerovalUnsupportedNodeError,
        "$.t.e[0]",
        "unknown node type",
    ),
    (
        "m not a list",
        {"t": {"t": 0, "s": 1}, "f": 127, "m": 5},
        S.SerovalMalformedNodeError,
        "$.m",
        "m must be",
    ),
    (
        "f not an int",
        {"t": {"t": 0, "s": 1}, "f": "127", "m": []},
        S.SerovalMalformedNodeError,
        "$.f",
        "f must be",
    ),
    ("envelope without t", {"f": 127, "m": []}, S.SerovalMalformedNodeError, "", "no t"),
    ("envelope not an object", [1, 2], S.SerovalMalformedNodeError, "", "envelope"),
]


@pytest.mark.parametrize(
    ("description", "payload", "expected", "where", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_hostile_tree_raises_typed_error(
    description: str, payload: Any, expected: type[S.SerovalError], where: str, words: str
) -> None:
    from seroval.conformance.point import PointPlugin

    with pytest.raises(expected) as caught:
        S.from_json(payload, plugins=[PointPlugin()])
    assert caught.value.where == where
    assert words in str(caught.value)


def test_depth_over_limit_in_nodes() -> None:
    node: dict[str, Any] = {"t": 0, "s": 1}
    for index in range(1500):
        node = {"t": 9, "i": index, "a": [node], "o": 0}
    with pytest.raises(S.SerovalDepthLimitError):
        S.from_json(envelope(node))


@pytest.mark.parametrize(
    "key", ["__proto__", "constructor", "__class__", "prototype", "__dict__", "__init__"]
)
def test_dangerous_keys_are_plain_data(key: str) -> None:
    payload = envelope(
        {
            "t": 10,
            "i": 0,
            "p": {
                "k": [key, "a"],
                "v": [
                    {"t": 10, "i": 1, "p": {"k": ["polluted"], "v": [{"t": 2, "s": 2}]}, "o": 0},
                    {"t": 0, "s": 1},
                ],
            },
            "o": 0,
        }
    )
    value = S.from_json(payload)
    assert type(value) is dict
    assert list(value) == [key, "a"]
    assert value[key] == {"polluted": True}
    assert not hasattr({}, "polluted")
    assert S.to_json(value) == payload


def test_foreign_exception_in_plugin_is_wrapped() -> None:
    class Broken(S.Plugin):
        tag = "broken"

        def test(self, value: object) -> bool:
            return False

        def deserialize(self, info: dict[str, Any], ctx: Any) -> Any:
            raise ZeroDivisionError("boom")

    with pytest.raises(S.SerovalDeserializationError) as caught:
        S.from_json(envelope({"t": 25, "i": 0, "s": {}, "c": "broken"}), plugins=[Broken()])
    assert isinstance(caught.value.__cause__, ZeroDivisionError)
    assert "boom" in str(caught.value)


def test_plugin_validation() -> None:
    from seroval.conformance.point import Point, PointPlugin

    class Strict(PointPlugin):
        validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
            "x": lambda value: isinstance(value, int)
        }

    good = S.to_json(Point(1, 2), plugins=[PointPlugin()])
    assert S.from_json(good, plugins=[Strict()]) == Point(1, 2)
    bad = S.to_json(Point("no", 2), plugins=[PointPlugin()])
    with pytest.raises(S.SerovalPluginValidationError) as caught:
        S.from_json(bad, plugins=[Strict()])
    assert caught.value.field == "x"
    assert caught.value.tag == "my/Point"
