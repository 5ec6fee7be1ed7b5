"""Validate stage: raw entries into typed `Company` models, every problem at once.

Each entry is validated on its own (so one broken company never hides the
problems of another), then rules across entries run (unique ids).  Errors
get the file, line and column of the offending value from the raw tree.

The build uses `validate`, which keeps the models.  `generator validate` uses
`_parallel.check`, which shares large data between processes and keeps only a
`Checked` summary per company; both report the same problems in the same order.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.data.errors import DataError, DataErrors, Mark
from generator.data.fields import Country, Domain, unsafe_text
from generator.data.loader import RawEntry, gc_paused, locate
from generator.data.models import Channel, Company, Complaints, Localized, Measured

_NESTED: dict[str, type[BaseModel]] = {"channels": Channel, "complaints": Complaints, "measured": Measured, "notes": Localized,
                                      "scope": Localized}
_COUNTRY: TypeAdapter[str] = TypeAdapter(Country)
_DOMAIN: TypeAdapter[str] = TypeAdapter(Domain)


@dataclass(frozen=True, slots=True)
class Checked:
    """What the rules across entries and the command's summary need of a valid company (cheap to send between processes)."""

    id: str
    renamed_from: tuple[str, ...]
    origin: Mark
    channels: int
    warnings: tuple[DataError, ...] = ()  # what does not make the data invalid but needs a look (premium-only phones)


def validate(entries: Sequence[RawEntry], *, today: date) -> list[Company]:
    """Typed companies, in input order; raises `DataErrors` with every problem found."""
    # Models form no cycles; pausing the cyclic GC saves it rescanning them all (benchmarks/README.md).
    with gc_paused():
        return _validate_all(entries, today)


def _validate_all(entries: Sequence[RawEntry], today: date) -> list[Company]:
    companies, errors = validate_each(entries, today)
    errors.extend(_duplicate_ids(entries, [(number, company.id) for number, company in companies]))
    if errors:
        raise DataErrors(in_entry_order(errors))
    return [company for _, company in companies]


Numbered = tuple[int, DataError]  # a problem and the number of the entry it belongs to


def validate_each(entries: Sequence[RawEntry], today: date) -> tuple[list[tuple[int, Company]], list[Numbered]]:
    """Each entry on its own: (entry number, company) for the valid ones, and every problem."""
    companies: list[tuple[int, Company]] = []
    errors: list[Numbered] = []
    for number, entry in enumerate(entries):
        label = _label(entry)
        if not isinstance(entry.data, dict):
            errors.append((number, DataError(entry.mark, label, "expected a company (a mapping of fields)",
                                             "start the entry with '- id: your-company' and indent its fields")))
            continue
        unsafe = _unsafe_text(entry, label)
        try:
            company = Company.model_validate(entry.data, context=_context(entry.data, today))
        except ValidationError as failure:
            errors.extend((number, error) for _, error in unsafe)
            said = {loc for loc, _ in unsafe}
            # A field already reported for an unsafe character is not reported again (e.g. as invalid hours).
            errors.extend((number, _to_data_error(entry, label, detail)) for detail in failure.errors()
                          if not any(tuple(detail["loc"])[:len(loc)] == loc for loc in said))
            continue
        if unsafe:
            errors.extend((number, error) for _, error in unsafe)
            continue
        company._origin = entry.mark
        misnamed = _misnamed_file(entry, company.id)
        if misnamed:
            errors.append((number, misnamed))
        companies.append((number, company))
    return companies, errors


def _unsafe_text(entry: RawEntry, label: str) -> list[tuple[tuple[int | str, ...], DataError]]:
    """Every text of the entry holding a control character or a bidi override or isolate, with where it is."""
    found: list[tuple[tuple[int | str, ...], DataError]] = []
    if entry.positions.plain:  # the file's text holds none: no need to look at each value
        return found

    def walk(loc: tuple[int | str, ...], value: object) -> None:
        if isinstance(value, str):
            problem = unsafe_text(value)
            if problem:
                found.append((loc, DataError(locate(entry, loc), _field_path(label, loc), *problem)))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk((*loc, str(key)), item)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk((*loc, index), item)

    walk((), entry.data)
    return found


def _misnamed_file(entry: RawEntry, company_id: str) -> DataError | None:
    """A one-company file (companies/<id>.yaml) whose name is not its id: links and reviews go by the file name."""
    if entry.data is not entry.positions.root:  # an item of a list file
        return None
    name = PurePosixPath(entry.file.replace("\\", "/"))
    if name.suffix not in (".yaml", ".yml") or name.stem == company_id:
        return None
    return DataError(locate(entry, ["id"]), f"{company_id}.id",
                     f"the file is named '{name.name}' but holds the id '{company_id}'",
                     f"rename the file to {company_id}{name.suffix} (or, if the id is the mistake, fix the id)")


def _duplicate_ids(entries: Sequence[RawEntry], ids: list[tuple[int, str]]) -> list[Numbered]:
    """An error at each later use of an id already taken (ids in entry order)."""
    errors: list[Numbered] = []
    first_seen: dict[str, int] = {}
    for number, company_id in ids:
        if company_id in first_seen:
            earlier = first_seen[company_id]
            first, here = locate(entries[earlier], ["id"]), locate(entries[number], ["id"])
            # Both places: the entry that is new may be either (a new file can sort before the published one).
            errors.append((earlier, DataError(first, f"{_label(entries[earlier])}.id",
                                              f"duplicate id '{company_id}' (also used at {here})",
                                              "ids must be unique: keep the id of the company already published "
                                              "and give the new entry another slug")))
            errors.append((number, DataError(here, f"{_label(entries[number])}.id",
                                             f"duplicate id '{company_id}' (also used at {first})",
                                             "ids must be unique: keep the id of the company already published "
                                             "and give the new entry another slug")))
        else:
            first_seen[company_id] = number
    return errors


def in_entry_order(errors: list[Numbered]) -> list[DataError]:
    """The problems entry by entry, each entry's in the order found (the sort is stable)."""
    return [error for _, error in sorted(errors, key=lambda pair: pair[0])]


PREMIUM_ONLY = ("warning: its only phone numbers are premium-rate", "Ley 10/2025 (art. 10.2) asks for an ordinary "
                "alternative: look for a free or ordinary-rate number on the company's pages and add it with its source "
                "(the page says no free alternative is known until then)")


def summary_of(company: Company) -> Checked:
    assert company.origin is not None
    warnings: tuple[DataError, ...] = ()
    if company.premium_only:
        warnings = (DataError(company.origin, f"{company.id}.channels", *PREMIUM_ONLY),)
    return Checked(company.id, tuple(company.renamed_from), company.origin, len(company.channels), warnings)


def _label(entry: RawEntry) -> str:
    """How messages name an entry: its id, or its place in its file ("[0]" for the first)."""
    if isinstance(entry.data, dict):
        value = entry.data.get("id")
        if isinstance(value, str) and 0 < len(value) <= 64:
            return value
    return f"[{entry.index}]"


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
