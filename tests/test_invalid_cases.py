"""Every file in tests/cases/invalid is rejected with exactly the expected messages.

Each `<case>.yaml` has a `<case>.expected` beside it holding the validator's
whole output: every `file:line:col: field: what — how to fix` line and the
count.  An extra, missing or reworded message fails the case.  Rewrite them
with `pytest --update-goldens` and review the diff.
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
def test_invalid_case(case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, update_goldens: bool) -> None:
    monkeypatch.chdir(ROOT)
    shown = os.path.relpath(case, ROOT)
    code = main(["validate", "--today", "2026-11-24", shown])
    output = capsys.readouterr().err
    assert code == 1, output
    assert "Traceback" not in output
    lines = output.splitlines()
    assert lines[-1].endswith("found")
    assert all(" — " in line for line in lines[:-1]), "every message says how to fix it"
    expected = case.with_suffix(".expected")
    if update_goldens:
        expected.write_text(output, encoding="utf-8")
    assert output == expected.read_text(encoding="utf-8")
