"""The published SolidStart and TanStack Start clients call our server unchanged.

Every case of interop/cases.mjs runs through the framework's own client code,
decoded by that package's own reader, against the profile's ASGI app on a real
uvicorn.  One Node run per profile; each case is its own test.
"""

from __future__ import annotations

from typing import Any

import pytest

from seroval.conformance.oracle import OracleUnavailable

from .harness import run_cases

CASES = (
    "number_date",
    "promise_later",
    "async_generator",
    "stream",
    "thrown_error",
    "thrown_redirect",
    "cyclic_bigint",
    "holes_undefined",
    "form_data",
    "file_arg",
    "get_call",
)
PROFILES = ("solid2", "solid1-js", "solid1-json", "tanstack", "tanstack-1.143")
#: Cases for one profile only (interop/cases.mjs ONLY).
ONLY = {
    "solid2": ("raw_arguments", "raw_results", "single_flight"),
    "solid1-js": ("single_flight",),
    "solid1-json": ("single_flight",),
}
#: Cases a client generation does not have (interop/cases.mjs EXCEPT).
EXCEPT = {"tanstack-1.143": ("stream", "async_generator")}

_RUNS: dict[str, dict[str, dict[str, Any]] | str] = {}


def _outcomes(profile: str) -> dict[str, dict[str, Any]]:
    if profile not in _RUNS:
        try:
            _RUNS[profile] = run_cases(profile)
        except OracleUnavailable as error:
            _RUNS[profile] = str(error)
    found = _RUNS[profile]
    if isinstance(found, str):
        pytest.skip(found)
    return found


@pytest.mark.parametrize(
    ("profile", "case"),
    [
        (profile, case)
        for profile in PROFILES
        for case in (*CASES, *ONLY.get(profile, ()))
        if case not in EXCEPT.get(profile, ())
    ],
)
def test_case(profile: str, case: str) -> None:
    outcome = _outcomes(profile).get(case)
    assert outcome is not None, f"{case} did not run"
    assert outcome["ok"], outcome.get("error")
