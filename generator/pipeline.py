"""The stages wired together: load → validate (→ derive → render, later stages)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .derive import ChannelView, CompanyView, derive_all
from .loader import load_paths
from .models import Company
from .render import RenderedSite, SiteOptions, render_site
from .schedule import legal_deadline, timing_for
from .validate import validate

LEGAL_WORKING_DAYS = 15  # Ley 10/2025, art. 17.1: complaints answered within 15 working days at most


def timing_data(view: CompanyView, channel: ChannelView, built: datetime) -> dict[str, Any] | None:
    """Open-now and reply-by data the browser needs for one channel card."""
    company, ch = view.company, channel.channel
    if not ch.hours and not ch.response_time:
        return None
    timing = timing_for(ch.hours, channel.timezone, company.countries[0], company.region, ch.response_time, built)
    return timing.to_json()


def legal_date(company: Company, today: date) -> date:
    """The Ley 10/2025 deadline for a complaint filed today, in the company's working days."""
    return legal_deadline(today, LEGAL_WORKING_DAYS, company.countries[0], company.region)


DEFAULT_DATA = ("companies.yaml", "companies")


def default_paths(root: Path) -> list[Path]:
    """The project's own data under `root`: companies.yaml and/or a companies/ folder."""
    found = [root / name for name in DEFAULT_DATA if (root / name).exists()]
    return found or [root / DEFAULT_DATA[0]]


def load_companies(paths: Sequence[Path], *, today: date) -> list[Company]:
    """Load and validate; raises `DataErrors` with every problem in every file."""
    return load_dataset(paths, today=today)[0]


def load_dataset(paths: Sequence[Path], *, today: date) -> tuple[list[Company], dict[str, tuple[str, int]]]:
    """Validated companies, and where each entry starts (id → (file, line)) for "suggest a correction" links."""
    entries = load_paths(paths)
    companies = validate(entries, today=today)
    origins: dict[str, tuple[str, int]] = {}
    for entry in entries:
        if isinstance(entry.data, dict) and isinstance(entry.data.get("id"), str):
            origins[str(entry.data["id"])] = (entry.file, entry.mark.line)
    return companies, origins


def build_site(paths: Sequence[Path], *, built: datetime, edit_base: str | None = None) -> RenderedSite:
    """The whole pipeline: load → validate → derive → render.  Raises `DataErrors` before producing anything."""
    companies, origins = load_dataset(paths, today=built.date())
    views = derive_all(companies, built)
    options = SiteOptions(built=built, edit_base=edit_base, origins=origins,
                          timing=lambda view, channel: timing_data(view, channel, built), legal_date=legal_date)
    return render_site(views, options)


def build_instant(environ: Mapping[str, str]) -> datetime:
    """The build's "now": SOURCE_DATE_EPOCH when set (reproducible builds, tests), else the clock."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
