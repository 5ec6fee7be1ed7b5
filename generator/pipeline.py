"""The stages wired together: load → validate → derive → render."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from generator.data.history import company_history
from generator.data.loader import load_paths
from generator.data.models import Company
from generator.data.stable import load_retired, retired_path
from generator.data.validate import validate
from generator.data.vocabulary import LANGUAGES
from generator.site._made_on_write import TextsOnRead
from generator.site.derive import SiteModel, derive_site
from generator.site.render import Page, RenderOptions, data_files, language_files, render


@dataclass(frozen=True, slots=True)
class RenderedSite:
    pages: dict[str, list[Page]]  # language → its pages
    files: TextsOnRead  # site-relative path of a data file → its text, made when read


def load_companies(paths: Sequence[Path], *, today: date) -> list[Company]:
    """Load and validate; raises `DataErrors` with every problem in every file."""
    return validate(load_paths(paths), today=today)


def build_model(paths: Sequence[Path], *, built: datetime, repo: Path | None = None) -> SiteModel:
    """load → validate → derive.  Raises `DataErrors` before anything is produced.

    `repo` is the git work tree whose history of the data gives "last changed" and the
    changes feed; without it (or without git) both are empty.
    """
    companies = load_companies(paths, today=built.date())
    retired, _ = load_retired(retired_path(paths))
    history = company_history(repo) if repo is not None else []
    return derive_site(companies, built, retired=retired, history=history)


def build_site(paths: Sequence[Path], *, built: datetime, options: RenderOptions | None = None,
               repo: Path | None = None) -> RenderedSite:
    """The whole pipeline for an engine that takes every language at once (the folder writer)."""
    model = build_model(paths, built=built, repo=repo)
    files = data_files(model)
    for lang in LANGUAGES:
        files.update(language_files(model, lang, options))
    return RenderedSite(pages={lang: render(model, lang, options) for lang in LANGUAGES}, files=files)


def build_instant(environ: Mapping[str, str]) -> datetime:
    """The build's "now": SOURCE_DATE_EPOCH when set (reproducible builds, tests), else the clock."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
