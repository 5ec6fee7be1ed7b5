"""JSON Schema of the data contract, generated from the models (never written by hand)."""

from __future__ import annotations

import json
from typing import Any

from .models import Company


def company_schema() -> dict[str, Any]:
    """Schema of one company entry."""
    schema = Company.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def companies_file_schema() -> dict[str, Any]:
    """Schema of a data file: a list of entries (or one entry, in a companies/ folder)."""
    entry = company_schema()
    defs = entry.pop("$defs", {})
    entry.pop("$schema")
    defs["Company"] = entry
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Dónde Reclamo companies file",
            "anyOf": [{"type": "array", "items": {"$ref": "#/$defs/Company"}}, {"$ref": "#/$defs/Company"}],
            "$defs": defs}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
