"""The embedded helper texts are seroval's own, byte for byte."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from seroval.protocol.jstext import helpers

NAMES = {
    "STREAM": "STREAM_CONSTRUCTOR",
    "AB": "ARRAY_BUFFER_CONSTRUCTOR",
    "ITER": "ITERATOR_FACTORY",
    "PCTOR": "PROMISE_CONSTRUCTOR",
    "AITER": "ASYNC_ITERATOR_FACTORY",
    "PRES": "PROMISE_SUCCESS",
    "PREJ": "PROMISE_FAILURE",
    "FORMDATA": "FORM_DATA_FACTORY",
    "RS": "READABLE_STREAM_FACTORY",
    "ABORT": "ABORT_CONTROLLER_FACTORY",
}


def test_fingerprints_match_the_texts() -> None:
    for name, fingerprint in helpers.FINGERPRINTS.items():
        text: str = getattr(helpers, name)
        assert hashlib.sha256(text.encode()).hexdigest()[:16] == fingerprint


def test_texts_equal_what_the_oracle_emits(oracle_dir: Path) -> None:
    result = subprocess.run(
        ["node", "dump-helpers.mjs"], cwd=oracle_dir, capture_output=True, text=True, check=True
    )
    emitted = json.loads(result.stdout)
    assert set(emitted) == set(NAMES)
    for key, name in NAMES.items():
        assert getattr(helpers, name) == emitted[key], name
