"""Public names: none shadows the standard library; renamed ones keep working, with a warning."""

from __future__ import annotations

import builtins
import collections.abc
import typing

import pytest

import seroval


def test_no_public_name_shadows_the_standard_library() -> None:
    shadowed = set(dir(builtins)) | set(collections.abc.__all__) | set(typing.__all__)
    assert sorted(set(seroval.__all__) & shadowed) == []


def test_the_old_sequence_name_warns_and_is_the_same_class() -> None:
    with pytest.warns(DeprecationWarning, match="JSSequence"):
        old = seroval.Sequence  # type: ignore[attr-defined]
    assert old is seroval.JSSequence


def test_unknown_attributes_still_raise() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = seroval.no_such_name  # type: ignore[attr-defined]
