"""Stable addresses: an id, once published, stays an address for good.

A company that changes its id lists the old ones in `renamed_from` (the old
address becomes a redirect); a company taken off the site gets an entry in
`retired.yaml` beside the data (its address keeps a page that says it is gone
and why).  `redirects()` and `retired_pages()` are what render needs; the
checks (`validate_retired`, `check_stable_ids`) belong to the validate stage:
they report `file:line:col` errors worded like the validator's.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from generator.data.errors import DataError, DataErrors, Mark
from generator.data.loader import RawEntry, load_file, load_paths, locate, split_entries
from generator.data.models import Company, Retired
from generator.data.revisions import RETIRED_FILE
from generator.data.validate import _label, _to_data_error  # the validator's own messages and labels, for retired.yaml too


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


# --- checks ---------------------------------------------------------------------------------------


def validate_retired(entries: Sequence[RawEntry]) -> list[Retired]:
    """Typed entries of retired.yaml, in input order; raises `DataErrors` with every problem (ids unique)."""
    retired: list[Retired] = []
    errors: list[DataError] = []
    seen: dict[str, RawEntry] = {}
    for entry in entries:
        label = _label(entry)
        if not isinstance(entry.data, dict):
            errors.append(DataError(entry.mark, label, "expected a retired company (a mapping of fields)",
                                    "start the entry with '- id: old-id' and indent name, reason and removed"))
            continue
        try:
            item = Retired.model_validate(entry.data)
        except ValidationError as failure:
            errors.extend(_retired_error(entry, label, detail) for detail in failure.errors())
            continue
        if item.id in seen:
            errors.append(DataError(locate(entry, ["id"]), f"{label}.id", f"'{item.id}' is listed twice "
                                    f"(first at {locate(seen[item.id], ['id'])})", "keep one entry per retired id"))
            continue
        seen[item.id] = entry
        retired.append(item)
    if errors:
        raise DataErrors(errors)
    return retired


def _retired_error(entry: RawEntry, label: str, detail: Any) -> DataError:
    error = _to_data_error(entry, label, detail)
    if detail["type"] == "extra_forbidden":  # suggest retired.yaml's own fields, not a company's
        close = difflib.get_close_matches(str(detail["loc"][-1]), list(Retired.model_fields), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "known fields: " + ", ".join(Retired.model_fields)
        return DataError(error.mark, error.field, error.message, hint)
    return error


class Identified(Protocol):
    """What the id rules read of a company: a `Company`, or the `validate.Checked` summary of one."""

    @property
    def id(self) -> str: ...

    @property
    def renamed_from(self) -> Sequence[str]: ...


def check_stable_ids(companies: Sequence[Identified], origins: dict[str, Mark], retired: Sequence[Retired],
                     retired_origins: dict[str, Mark], previous_ids: Collection[str] | None = None,
                     previous_label: str = "the previous version") -> list[DataError]:
    """Problems with ids across versions: every id ever published stays an address.

    An old id may live on in one place only: as a company's `renamed_from`
    (a redirect) or in retired.yaml (a "gone" page); never as a current id
    too.  With `previous_ids` (the ids of an earlier version), an id that is
    gone without either is an error.  `origins` point at each company entry.
    """
    errors: list[DataError] = []
    current = {c.id for c in companies}
    redirect_owner: dict[str, str] = {}
    for company in companies:
        where = origins.get(company.id, Mark("companies.yaml", 1, 1))
        for old in company.renamed_from:
            if old == company.id or old in current:
                errors.append(DataError(where, f"{company.id}.renamed_from", f"'{old}' is a current company id",
                                        "list only ids that no longer exist"))
            elif old in redirect_owner:
                errors.append(DataError(where, f"{company.id}.renamed_from", f"'{old}' is already renamed to "
                                        f"'{redirect_owner[old]}'", "an old id can redirect to one company only"))
            else:
                redirect_owner[old] = company.id
    for item in retired:
        where = retired_origins.get(item.id, Mark("retired.yaml", 1, 1))
        if item.id in current:
            errors.append(DataError(where, f"{item.id}.id", f"'{item.id}' is retired but still a company",
                                    "remove it from retired.yaml or remove the company"))
        elif item.id in redirect_owner:
            errors.append(DataError(where, f"{item.id}.id", f"'{item.id}' is retired and also renamed to "
                                    f"'{redirect_owner[item.id]}'", "keep one: the rename or the retired entry"))
        if item.replaced_by is not None and item.replaced_by not in current:
            errors.append(DataError(where, f"{item.id}.replaced_by", f"'{item.replaced_by}' is not a company id",
                                    "name a current company or remove replaced_by"))
    if previous_ids is not None:
        kept = current | set(redirect_owner) | {item.id for item in retired}
        first = next(iter(origins.values()), Mark("companies.yaml", 1, 1))
        for old in sorted(set(previous_ids) - kept):
            errors.append(DataError(Mark(first.file, 1, 1), old, f"id '{old}' (in {previous_label}) is gone: "
                                    "published addresses must keep working",
                                    f"if it was renamed add 'renamed_from: [{old}]' to the company, if it was removed "
                                    "add it to retired.yaml with name, reason and removed (see CONTRIBUTING.md)"))
    return errors
