"""seroval's feature bits (``disabledFeatures``)."""

from __future__ import annotations

from enum import IntFlag
from typing import Final


class Feature(IntFlag):
    """Bits of ``disabled_features``; every feature is on by default.

    The enabled set written into a ``to_json`` envelope is ``ALL ^ disabled_features``
    (an XOR, as seroval computes it, so unknown bits pass through).
    """

    AGGREGATE_ERROR = 1
    ARROW_FUNCTION = 2  # kept for the bit layout; it has no effect since seroval 1.4
    ERROR_PROTOTYPE_STACK = 4
    OBJECT_ASSIGN = 8
    BIGINT_TYPED_ARRAY = 16
    REGEXP = 32
    TEMPORAL = 64


ALL_FEATURES: Final = 127


def enabled_features(disabled_features: int) -> int:
    """The enabled-feature mask for a ``disabled_features`` argument (XOR, like seroval)."""
    if not isinstance(disabled_features, int) or disabled_features < 0:
        raise ValueError("disabled_features must be a non-negative int (a Feature mask)")
    return ALL_FEATURES ^ int(disabled_features)
