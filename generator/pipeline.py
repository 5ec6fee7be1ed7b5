"""The stages wired together: load → validate (→ derive → render, later stages)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .loader import load_paths
from .models import Company
from .validate import validate

DEFAULT_DATA = ("companies.yaml", "companies")


def default_paths(root: Path) -> list[Path]:
    """The project's own data under `root`: companies.yaml and/or a companies/ folder."""
    found = [root / name for name in DEFAULT_DATA if (root / name).exists()]
    return found or [root / DEFAULT_DATA[0]]


def load_companies(paths: Sequence[Path], *, today: date) -> list[Company]:
    """Load and validate; raises `DataErrors` with every problem in every file."""
    return validate(load_paths(paths), today=today)
