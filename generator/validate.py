"""Validate stage: raw entries into typed `Company` models, every problem at once.

Each entry is validated on its own (so one broken company never hides the
problems of another), then rules across entries run (unique ids).  Errors
get the file, line and column of the offending value from the raw tree.
"""

from __future__ import annotations

import difflib
import gc
from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import DataError, DataErrors
from .fields import Country, Domain
from .loader import RawEntry, locate
from .models import Channel, Company, Complaints, Localized

_NESTED: dict[str, type[BaseModel]] = {"channels": Channel, "complaints": Complaints, "notes": Localized}
_COUNTRY: TypeAdapter[str] = TypeAdapter(Country)
_DOMAIN: TypeAdapter[str] = TypeAdapter(Domain)


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
    companies: list[Company] = []
    errors: list[DataError] = []
    first_seen: dict[str, RawEntry] = {}
    for number, entry in enumerate(entries, start=1):
        label = _label(entry, number)
        if not isinstance(entry.data, dict):
            errors.append(DataError(entry.mark, label, "expected a company (a mapping of fields)",
                                    "start the entry with '- id: your-company' and indent its fields"))
            continue
        try:
            company = Company.model_validate(entry.data, context=_context(entry.data, today))
        except ValidationError as failure:
            errors.extend(_to_data_error(entry, label, detail) for detail in failure.errors())
            continue
        if company.id in first_seen:
            first = locate(first_seen[company.id], ["id"])
            errors.append(DataError(locate(entry, ["id"]), f"{label}.id", f"duplicate id '{company.id}' "
                                    f"(first used at {first})", "ids must be unique; pick another slug"))
            continue
        first_seen[company.id] = entry
        company._origin = entry.mark
        companies.append(company)
    if errors:
        raise DataErrors(errors)
    return companies


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
