"""CI smoke run of the scale benchmark (issue 16): N = 1,000, no thresholds.

The benchmark prints timings against targets; this test only checks that it
runs end to end: the synthetic data validates, both sites build, the bare
site gets as many pages as the project built company pages, and every row of
the table is printed.  Skip it locally with `pytest -m "not benchmark"`.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.benchmark


def test_smoke_run_at_1000_companies() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "1000", "--smoke"],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "N = 1,000 companies" in output
    pages = re.search(r"company pages \(all langs\)\s+([\d,]+)\s+([\d,]+)", output)
    assert pages, output
    project, bare = (int(n.replace(",", "")) for n in pages.groups())
    assert project >= 1000 and bare == project
    for row in ("validate, one file", "validate, companies/ folder", "median of 3 runs", "build wall time", "build peak RSS",
                "site size", "company page HTML median", "company page HTML max"):
        assert row in output, f"missing row {row!r}:\n{output}"
    assert re.search(r"^search", output, re.MULTILINE), output
