"""The seroval-plugins web plugins and Temporal against seroval 1.8.1's own output.

``vectors/web/web.jsonl.gz`` (``oracle/generate_web.mjs``, with seroval-plugins
1.8.0 and the pinned ``@js-temporal/polyfill``) holds the web and Temporal values
in every form seroval writes them: JSON, cross JSON, the JS texts, the async
results and the streamed chunks and records.  The checks are
:mod:`seroval.conformance.web_suite`'s; the async ones run under asyncio and trio.
"""

from __future__ import annotations

import gzip
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import seroval as S
from seroval.conformance import web_suite
from seroval.conformance.suite import NotApplicable
from seroval.conformance.vectors import Vector
from seroval.conformance.web_recipes import WEB_VECTOR_DIR, load_web_vectors
from seroval.plugins import web
from seroval.protocol.temporal.text import Instant, PlainDateTime, ZonedDateTime

VECTORS = load_web_vectors()
IDS = [f"{index}-{v.name}" for index, v in enumerate(VECTORS)]


def test_every_web_plugin_and_temporal_class_has_vectors() -> None:
    assert len(VECTORS) >= 100
    tags = {plugin.tag.rsplit("/", 1)[-1] for plugin in web.ALL}
    covered = {v.name.split("/")[1].lower() for v in VECTORS if v.name.startswith("web/")}
    assert {tag.lower() for tag in tags} - {"file"} <= covered | {"urlsearchparams"}
    temporal = {v.name.split("/")[1] for v in VECTORS if v.name.startswith("temporal/")}
    assert {member.js_name for member in S.TemporalType} <= temporal


@pytest.mark.parametrize("check", list(web_suite.SYNC_CHECKS), ids=list(web_suite.SYNC_CHECKS))
def test_sync_checks(check: str) -> None:
    passed, failures = 0, []
    for vector in VECTORS:
        try:
            web_suite.SYNC_CHECKS[check](vector)
        except NotApplicable:
            continue
        except Exception as error:
            failures.append(f"{vector.name}: {error!r}"[:300])
        else:
            passed += 1
    assert not failures, "\n".join(failures)
    assert passed >= 60


@pytest.mark.anyio
@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
@pytest.mark.parametrize("check", list(web_suite.ASYNC_CHECKS), ids=list(web_suite.ASYNC_CHECKS))
async def test_async_checks(vector: Vector, check: str, anyio_backend: str) -> None:
    try:
        await web_suite.ASYNC_CHECKS[check](vector)
    except NotApplicable as reason:
        pytest.skip(str(reason))


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# -- the Python side of the mapping ----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (date(2020, 1, 31), 'Temporal.PlainDate.from("2020-01-31")'),
        (time(12, 30, 0, 500000), 'Temporal.PlainTime.from("12:30:00.5")'),
        (timedelta(days=-1, hours=-2), 'Temporal.Duration.from("-P1DT2H")'),
        (PlainDateTime(2020, 1, 31, 12, 30), 'Temporal.PlainDateTime.from("2020-01-31T12:30:00")'),
        (
            Instant(2020, 1, 31, 12, 30, tzinfo=UTC),
            'Temporal.Instant.from("2020-01-31T12:30:00Z")',
        ),
        (
            ZonedDateTime(2020, 7, 1, 12, tzinfo=ZoneInfo("Europe/Paris")),
            'Temporal.ZonedDateTime.from("2020-07-01T12:00:00+02:00[Europe/Paris]")',
        ),
    ],
)
def test_python_temporal_values(value: Any, text: str) -> None:
    written = S.serialize(value)
    assert written == text
    back = S.deserialize(written)
    assert back == value
    assert type(back) is type(value)
    assert S.from_json(S.to_json(value)) == value


def test_temporal_texts_python_cannot_hold_stay_as_they_are() -> None:
    for kind, text in [
        (S.TemporalType.DURATION, "P1Y2M"),
        (S.TemporalType.PLAIN_TIME, "23:59:59.999999999"),
        (S.TemporalType.PLAIN_MONTH_DAY, "12-25"),
    ]:
        value = S.from_json(S.to_json(S.JSTemporal(kind, text)))
        assert value == S.JSTemporal(kind, text)


def test_temporal_feature_flag_refuses_temporal() -> None:
    with pytest.raises(S.SerovalUnsupportedTypeError):
        S.to_json(date(2020, 1, 1), disabled_features=S.Feature.TEMPORAL)


def test_a_plain_datetime_is_still_a_date() -> None:
    moment = datetime(2020, 1, 1, tzinfo=UTC)
    assert S.to_json(moment)["t"]["t"] == S.NodeType.DATE


def test_web_values_without_their_plugin_are_refused() -> None:
    with pytest.raises(S.SerovalUnsupportedTypeError):
        S.to_json(web.URL("https://example.com/"))
    text = S.serialize(web.URL("https://example.com/"), plugins=web.ALL)
    assert text == 'new URL("https://example.com/")'
    with pytest.raises(S.SerovalError):
        S.deserialize(text)  # the reader knows no URL call without the plugin
    assert S.deserialize(text, plugins=web.ALL) == web.URL("https://example.com/")


@pytest.mark.node
def test_the_web_vectors_are_reproducible(oracle_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "web.jsonl.gz"
    subprocess.run(
        ["node", "generate_web.mjs", "--out", str(out)],
        cwd=oracle_dir,
        check=True,
        capture_output=True,
        timeout=120,
    )
    committed = (WEB_VECTOR_DIR / "web.jsonl.gz").read_bytes()
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(committed)
