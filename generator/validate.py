"""Validate stage: raw entries into typed `Company` models, every problem at once.

Each entry is validated on its own (so one broken company never hides the
problems of another), then rules across entries run (unique ids).  Errors
get the file, line and column of the offending value from the raw tree.
"""

from __future__ import annotations

import difflib
import gc
import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import DataError, DataErrors, Mark
from .fields import Country, Domain
from .loader import RawEntry, locate
from .models import Channel, Company, Complaints, Localized

_NESTED: dict[str, type[BaseModel]] = {"channels": Channel, "complaints": Complaints, "notes": Localized}
_COUNTRY: TypeAdapter[str] = TypeAdapter(Country)
_DOMAIN: TypeAdapter[str] = TypeAdapter(Domain)
PARALLEL_FROM = 2000
"""Entries from which `check` shares the work between processes (below it, starting them costs more)."""


@dataclass(frozen=True, slots=True)
class Checked:
    """What the rules across entries and the command's summary need of a valid company (cheap to send between processes)."""

    id: str
    renamed_from: tuple[str, ...]
    origin: Mark
    channels: int


def validate(entries: Sequence[RawEntry], *, today: date) -> list[Company]:
    """Typed companies, in input order; raises `DataErrors` with every problem found."""
    # Models form no cycles; pausing the cyclic GC saves it rescanning them all (~10 % at 10,000 entries).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _validate_all(entries, today)
    finally:
        if gc_was_enabled:
            gc.enable()


def _validate_all(entries: Sequence[RawEntry], today: date) -> list[Company]:
    companies, errors = _validate_range(entries, 0, len(entries), today)
    errors.extend(_duplicate_ids(entries, [(number, company.id) for number, company in companies]))
    if errors:
        raise DataErrors(_in_entry_order(errors))
    return [company for _, company in companies]


_Numbered = tuple[int, DataError]  # a problem and the number of the entry it belongs to


def _validate_range(entries: Sequence[RawEntry], start: int, stop: int, today: date) -> tuple[list[tuple[int, Company]], list[_Numbered]]:
    """Each entry of entries[start:stop] on its own: (entry number, company) for the valid ones, and every problem."""
    companies: list[tuple[int, Company]] = []
    errors: list[_Numbered] = []
    for number in range(start, stop):
        entry = entries[number]
        label = _label(entry, number + 1)
        if not isinstance(entry.data, dict):
            errors.append((number, DataError(entry.mark, label, "expected a company (a mapping of fields)",
                                             "start the entry with '- id: your-company' and indent its fields")))
            continue
        try:
            company = Company.model_validate(entry.data, context=_context(entry.data, today))
        except ValidationError as failure:
            errors.extend((number, _to_data_error(entry, label, detail)) for detail in failure.errors())
            continue
        company._origin = entry.mark
        companies.append((number, company))
    return companies, errors


def _duplicate_ids(entries: Sequence[RawEntry], ids: list[tuple[int, str]]) -> list[_Numbered]:
    """An error at each later use of an id already taken (ids in entry order)."""
    errors: list[_Numbered] = []
    first_seen: dict[str, int] = {}
    for number, company_id in ids:
        if company_id in first_seen:
            first = locate(entries[first_seen[company_id]], ["id"])
            errors.append((number, DataError(locate(entries[number], ["id"]), f"{_label(entries[number], number + 1)}.id",
                                             f"duplicate id '{company_id}' (first used at {first})",
                                             "ids must be unique; pick another slug")))
        else:
            first_seen[company_id] = number
    return errors


def _in_entry_order(errors: list[_Numbered]) -> list[DataError]:
    """The problems entry by entry, each entry's in the order found (the sort is stable)."""
    return [error for _, error in sorted(errors, key=lambda pair: pair[0])]


_SHARED: tuple[Sequence[RawEntry], date] | None = None  # what a forked checker process reads (never pickled)


def _check_share(bounds: tuple[int, int]) -> tuple[list[tuple[int, Checked]], list[_Numbered]]:
    assert _SHARED is not None
    entries, today = _SHARED
    companies, errors = _validate_range(entries, bounds[0], bounds[1], today)
    return [(number, _checked(company)) for number, company in companies], errors


def _checked(company: Company) -> Checked:
    assert company.origin is not None
    return Checked(company.id, tuple(company.renamed_from), company.origin, len(company.channels))


def check(entries: Sequence[RawEntry], *, today: date, processes: int | None = None,
          parallel_from: int = PARALLEL_FROM) -> list[Checked]:
    """Validate without keeping the models (`generator validate`): the same errors as `validate`, the work shared
    between the machine's cores for large data.  Raises `DataErrors` with every problem found."""
    global _SHARED
    count = processes or min(os.cpu_count() or 1, 4)
    if count < 2 or len(entries) < parallel_from or "fork" not in multiprocessing.get_all_start_methods():
        return [_checked(company) for company in validate(entries, today=today)]
    step = -(-len(entries) // count)
    bounds = [(start, min(start + step, len(entries))) for start in range(0, len(entries), step)]
    gc_was_enabled = gc.isenabled()
    gc.disable()
    _SHARED = (entries, today)
    try:
        # Forked children read the parsed entries where they lie; only the small results travel back.
        with multiprocessing.get_context("fork").Pool(len(bounds) - 1) as pool:
            others = pool.map_async(_check_share, bounds[1:])
            first = _check_share(bounds[0])
            shares = [first, *others.get()]
    finally:
        _SHARED = None
        if gc_was_enabled:
            gc.enable()
    checked = [pair for found, _ in shares for pair in found]
    errors = [error for _, found in shares for error in found]
    errors.extend(_duplicate_ids(entries, [(number, c.id) for number, c in checked]))
    if errors:
        raise DataErrors(_in_entry_order(errors))
    return [c for _, c in checked]


def _label(entry: RawEntry, number: int) -> str:
    if isinstance(entry.data, dict):
        value = entry.data.get("id")
        if isinstance(value, str) and 0 < len(value) <= 64:
            return value
    return f"[{number - 1}]"


def _valid_items(data: dict[str, Any], key: str, adapter: TypeAdapter[str]) -> list[str]:
    """The items of a raw list that pass their field's own check (the bad ones get their own error)."""
    found = data.get(key)
    valid = []
    for item in found if isinstance(found, list) else []:
        try:
            valid.append(adapter.validate_python(item))
        except ValidationError:
            continue
    return valid


def _context(data: dict[str, Any], today: date) -> dict[str, Any]:
    """Facts other fields need (country for local numbers, official domains), taken only from values that are valid.

    Read before the entry is validated, so a bad value here is left out rather
    than causing a second, spurious error elsewhere (a domain written with
    https:// must not make every company source look off-domain).
    """
    countries = _valid_items(data, "countries", _COUNTRY)
    return {"today": today, "region": countries[0] if countries else "ES",
            "domains": tuple(_valid_items(data, "domains", _DOMAIN))}


def _field_path(label: str, loc: tuple[int | str, ...]) -> str:
    path = label
    for step in loc:
        path += f"[{step}]" if isinstance(step, int) else f".{step}"
    return path


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel]:
    model: type[BaseModel] = Company
    for step in loc:
        if isinstance(step, str) and step in _NESTED:
            model = _NESTED[step]
    return model


def _shown(value: object) -> str:
    """A short, safe rendering of what the contributor wrote."""
    if value is True or value is False:
        return str(value).lower()
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _to_data_error(entry: RawEntry, label: str, detail: Any) -> DataError:
    loc: tuple[int | str, ...] = tuple(detail["loc"])
    kind: str = detail["type"]
    ctx: dict[str, Any] = detail.get("ctx") or {}
    value = detail.get("input")
    mark = locate(entry, loc, key=kind == "extra_forbidden")
    field = _field_path(label, loc)
    message, hint = _explain(kind, loc, value, ctx, str(detail["msg"]))
    return DataError(mark, field, message, hint)


def _explain(kind: str, loc: tuple[int | str, ...], value: object, ctx: dict[str, Any], default: str) -> tuple[str, str]:
    name = str(loc[-1]) if loc else "entry"
    if kind == "missing":
        return "required field is missing", f"add '{name}:' to this entry (see CONTRIBUTING.md)"
    if kind == "extra_forbidden":
        known = list(_model_at(loc[:-1]).model_fields)
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "known fields: " + ", ".join(known)
        return f"unknown field '{name}'", hint
    if kind == "string_type":
        if isinstance(value, bool):
            return f"expected text, got {_shown(value)}", f"put it in quotes: \"{_shown(value)}\""
        return f"expected text, got {_shown(value)}", "write a single value"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_shown(value)}", "write true or false"
    if kind == "list_type":
        return f"expected a list, got {_shown(value)}", f"write it as a list, e.g. [{value}]" if isinstance(value, str) else "write it as a list"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields, got {_shown(value)}", "indent the fields under this key"
    if kind == "string_too_long":
        length = len(value) if isinstance(value, str) else "?"
        return f"text is {length} characters long, more than {ctx.get('max_length')}", "shorten it"
    if kind == "string_too_short":
        return "must not be empty", "write a value or remove the field"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)", "add one"
    if kind == "too_long":
        return f"has more than {ctx.get('max_length')} items", "remove some"
    if " — " in default:
        message, _, hint = default.partition(" — ")
        return message, hint
    return default, "see CONTRIBUTING.md for this field"
