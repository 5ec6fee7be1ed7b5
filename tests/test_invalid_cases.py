"""Every file in tests/cases/invalid is rejected with the expected file:line:col and message.

Each `<case>.yaml` has a `<case>.expected` beside it: one `LINE:COL|gist` per
line.  The CLI must exit 1 and print, for each, a line starting with
`<file>:LINE:COL:` that contains the gist.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.cli import main

from .conftest import CASES, ROOT

INVALID = sorted((CASES / "invalid").glob("*.yaml"))


def test_corpus_is_large_enough() -> None:
    assert len(INVALID) >= 40


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_invalid_case(case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    shown = os.path.relpath(case, ROOT)
    code = main(["validate", "--today", "2026-11-24", shown])
    output = capsys.readouterr().err
    assert code == 1, output
    assert "Traceback" not in output
    lines = output.splitlines()
    assert lines[-1].endswith("found")
    for expected in case.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
        position, _, gist = expected.partition("|")
        matching = [line for line in lines if line.startswith(f"{shown}:{position}")]
        assert matching, f"no error at {shown}:{position} in:\n{output}"
        assert any(gist in line for line in matching), f"{gist!r} not in {matching}"
        assert all(" — " in line for line in matching), "every message says how to fix it"
