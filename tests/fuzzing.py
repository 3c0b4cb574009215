"""The fuzz budget: CI-sized by default, raised for a long run by one variable.

``SEROVAL_FUZZ_EXAMPLES=N`` runs every fuzz test with ``N`` examples instead of its
CI budget (README: "Fuzzing").  The CI budgets together take well under two
minutes; a long run is the same tests, with the examples found so far kept in
the Hypothesis database (``.hypothesis/``) as usual.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["FUZZ_EXAMPLES_VARIABLE", "fuzz"]

FUZZ_EXAMPLES_VARIABLE = "SEROVAL_FUZZ_EXAMPLES"


def fuzz(ci_examples: int) -> settings:
    """Hypothesis settings for a fuzz test whose CI budget is ``ci_examples``."""
    raised = os.environ.get(FUZZ_EXAMPLES_VARIABLE)
    return settings(
        max_examples=int(raised) if raised else ci_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
