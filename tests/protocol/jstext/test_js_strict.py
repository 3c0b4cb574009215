"""JS-text reader strictness (SPEC.md §3, issue 16): the same rules as the node reader
(tree/read_rules.py), applied to text seroval's writer can never produce.  Each
refusal is a typed deserialization error located by line and column.
"""

from __future__ import annotations

import pytest

import seroval as S

#: Run on both backends: the native readers and writers, and the pure ones.
pytestmark = pytest.mark.usefixtures("each_backend")

DIGITS = "7" + "0123456789" * 999 + "123456789"  # 10,000 digits

# (class, text, error, column of the error)
REFUSED: list[tuple[str, str, type[S.SerovalError], int]] = [
    # BigInt literals: up to 10,000 digits (checked before any conversion)
    ("bigint", DIGITS + "1n", S.SerovalSizeLimitError, 1),
    ("bigint", "[-" + DIGITS + "1n]", S.SerovalSizeLimitError, 3),
    # numbers: finite, and in the spelling JS writes
    ("numbers", "1e400", S.SerovalSyntaxError, 1),
    ("numbers", "[1,-1e999]", S.SerovalSyntaxError, 5),
    ("numbers", "1" + "0" * 21, S.SerovalSyntaxError, 1),
    ("numbers", "1." + "0" * 40 + "1", S.SerovalSizeLimitError, 1),
    ("numbers", "0." + "0" * 2000 + "1", S.SerovalSizeLimitError, 1),
    # boxed values: only what seroval boxes
    ("boxed", "Object({})", S.SerovalMalformedNodeError, 1),
    ("boxed", "Object([])", S.SerovalMalformedNodeError, 1),
    ("boxed", "Object(null)", S.SerovalMalformedNodeError, 1),
    ("boxed", "Object(void 0)", S.SerovalMalformedNodeError, 1),
    ("boxed", "Object(Object(1))", S.SerovalMalformedNodeError, 1),
    ("boxed", "Object(Symbol.iterator)", S.SerovalMalformedNodeError, 1),
    ("boxed", 'Object(new Date("2020-01-01T00:00:00.000Z"))', S.SerovalMalformedNodeError, 1),
    # one expression: a sequence's items before the last have effects
    ("one expression", "(1,2)", S.SerovalEvaluationError, 2),
    ("one expression", '("a",{})', S.SerovalEvaluationError, 2),
    ("one expression", "(h=>(h={},[],h))()", S.SerovalEvaluationError, 11),
]


@pytest.mark.parametrize(
    ("kind", "text", "error", "column"),
    REFUSED,
    ids=[f"{kind}: {text[:30]}" for kind, text, _, _ in REFUSED],
)
def test_refused(kind: str, text: str, error: type[S.SerovalError], column: int) -> None:
    with pytest.raises(error) as caught:
        S.deserialize(text)
    assert isinstance(caught.value, S.SerovalDeserializationError)
    assert (caught.value.line, caught.value.column) == (1, column), str(caught.value)


# What seroval 1.8.1 writes (forms seen in the conformance vectors) still reads.
ACCEPTED: list[tuple[str, object]] = [
    ("Object(1)", S.JSBoxed(1)),
    ("Object(-0)", S.JSBoxed(-0.0)),
    ("Object(!0)", S.JSBoxed(True)),
    ("Object(1n)", S.JSBoxed(S.JSBigInt(1))),
    ('Object("x")', S.JSBoxed("x")),
    ("1.7976931348623157e+308", 1.7976931348623157e308),
    ("1e+21", 1e21),
    ("999999999999999900000", 9.999999999999999e20),
    ("5e-324", 5e-324),
    ("0.0000012345678901234567", 0.0000012345678901234567),
]


@pytest.mark.parametrize(("text", "value"), ACCEPTED, ids=[text for text, _ in ACCEPTED])
def test_writer_forms_still_read(text: str, value: object) -> None:
    assert repr(S.deserialize(text)) == repr(value)


def test_bigints_of_ten_thousand_digits_read_in_js_text() -> None:
    """Past Python's 4,300-digit int/str limit, without changing it."""
    import sys

    limit = sys.get_int_max_str_digits()
    for text in (DIGITS, "-" + DIGITS):
        value = S.deserialize(text + "n")
        assert type(value) is S.JSBigInt
        assert S.serialize(value) == text + "n"
    assert sys.get_int_max_str_digits() == limit
