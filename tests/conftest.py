from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
TODAY = date(2026, 11, 24)
"""The fixtures' today; the real data is checked against the real today (its facts carry real dates)."""
REAL_DATA = [ROOT / "companies.yaml", *([ROOT / "companies"] if (ROOT / "companies").is_dir() else [])]


@pytest.fixture
def write_yaml(tmp_path: Path):
    """Write text to a YAML file in a temp folder and return its path."""
    def write(text: str, name: str = "companies.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite the golden files (rendered pages, expected validator output) instead of comparing")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
