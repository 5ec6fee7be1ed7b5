"""JSON Schema of the data contract, generated from the models (never written by hand)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from generator.data.models import Company

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def of(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of what `model` accepts: also what its JSON dump holds."""
    return {"$schema": DIALECT, **model.model_json_schema(mode="validation")}


def company_schema() -> dict[str, Any]:
    """Schema of one company entry."""
    return of(Company)


def companies_file_schema() -> dict[str, Any]:
    """Schema of a data file: a list of entries (or one entry, in a companies/ folder)."""
    entry = company_schema()
    defs = entry.pop("$defs", {})
    entry.pop("$schema")
    defs["Company"] = entry
    return {"$schema": DIALECT,
            "title": "Dónde Reclamo companies file",
            "anyOf": [{"type": "array", "items": {"$ref": "#/$defs/Company"}}, {"$ref": "#/$defs/Company"}],
            "$defs": defs}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
