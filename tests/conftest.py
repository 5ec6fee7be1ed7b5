from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
TODAY = date(2026, 11, 24)
"""The fixtures' today; the real data is checked against the real today (its facts carry real dates)."""
QUICK = os.environ.get("DR_QUICK") == "1"
"""Set by `make check`, the inner loop: property tests try a tenth of their examples (`make test` tries them all)."""


def examples(full: int) -> int:
    """How many examples a property test tries: `full` in `make test`, a tenth (at least 20) in `make check`."""
    return max(20, full // 10) if QUICK else full


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


FIXTURE_SITE_URL = "https://example.org/sub/"
"""The fixture site's address: under a subpath, so every link must be relative to work."""


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/cases/site built once per test session with `mkdocs build --strict` (pinned instant, FIXTURE_SITE_URL).

    Shared by every test that reads or browses the fixture site: treat it as read-only.
    """
    from .sitebuild import BUILT_EPOCH, mkdocs_build, write_config  # here: sitebuild imports this module

    folder = tmp_path_factory.mktemp("fixture-site")
    fixture = CASES / "site"
    for name in ("companies.yaml", "retired.yaml"):
        (folder / name).write_bytes((fixture / name).read_bytes())
    result = mkdocs_build(write_config(folder, folder / "companies.yaml", site_url=FIXTURE_SITE_URL), folder, epoch=BUILT_EPOCH)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    (folder / "build.log").write_text(result.stderr, encoding="utf-8")
    return folder / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data built once per test session at the real instant (its facts carry real dates); read-only."""
    from .sitebuild import mkdocs_build, write_config

    folder = tmp_path_factory.mktemp("real-site")
    result = mkdocs_build(write_config(folder, REAL_DATA), ROOT, epoch=None)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return folder / "site"
