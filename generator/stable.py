"""Stable addresses: an id, once published, stays an address for good.

A company that changes its id lists the old ones in `renamed_from` (the old
address becomes a redirect); a company taken off the site gets an entry in
`retired.yaml` beside the data (its address keeps a page that says it is gone
and why).  `redirects()` and `retired_pages()` are what render needs; the
checks live in `validate.check_stable_ids`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import Mark
from .loader import load_file, load_paths, split_entries
from .models import Company, Retired
from .revisions import RETIRED_FILE
from .validate import validate_retired


@dataclass(frozen=True, slots=True)
class Redirect:
    """An old address that now points at a company's page."""

    old_id: str
    new_id: str


def redirects(companies: Sequence[Company]) -> list[Redirect]:
    """Every old id → current id, sorted by old id (pure: for render to write redirect pages)."""
    return sorted((Redirect(old, c.id) for c in companies for old in c.renamed_from), key=lambda r: r.old_id)


def retired_pages(retired: Sequence[Retired]) -> list[Retired]:
    """The retired entries to write a "gone" page for, sorted by id (pure)."""
    return sorted(retired, key=lambda r: r.id)


def retired_path(paths: Sequence[Path]) -> Path:
    """Where retired.yaml sits for these data paths: beside companies.yaml / the companies/ folder."""
    first = paths[0] if paths else Path("companies.yaml")
    return first.parent / RETIRED_FILE


def load_retired(path: Path) -> tuple[list[Retired], dict[str, Mark]]:
    """The retired entries of `path` (none when the file does not exist) and where each starts.

    Raises `DataErrors` with every problem, as `file:line:col`.
    """
    if not path.exists():
        return [], {}
    entries = split_entries(load_file(path))
    retired = validate_retired(entries)
    origins = {str(e.data["id"]): e.mark for e in entries if isinstance(e.data, dict) and isinstance(e.data.get("id"), str)}
    return retired, origins


def published_ids(paths: Sequence[Path]) -> set[str]:
    """Every address a version published: company ids, their `renamed_from`, and retired ids.

    Read leniently (any entry with a text `id`, valid or not): the previous
    version may not validate under today's rules (a fact that was recent then
    is stale now), and its ids are all the check needs.  Raises `DataErrors`
    only when a file cannot be parsed at all.
    """
    entries = load_paths(paths)
    retired = retired_path(paths)
    if retired.exists():
        entries += split_entries(load_file(retired))
    ids: set[str] = set()
    for entry in entries:
        if not isinstance(entry.data, dict):
            continue
        if isinstance(entry.data.get("id"), str):
            ids.add(str(entry.data["id"]))
        renamed = entry.data.get("renamed_from")
        if isinstance(renamed, list):
            ids.update(old for old in renamed if isinstance(old, str))
    return ids
