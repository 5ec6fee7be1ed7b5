"""Print data errors for people (text), programs (JSON) and GitHub Actions (annotations)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .errors import DataError

FORMATS = ("text", "json", "github")


def format_errors(errors: Sequence[DataError], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{"file": e.mark.file, "line": e.mark.line, "column": e.mark.col, "field": e.field,
                            "message": e.message, "hint": e.hint} for e in errors], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(_annotation(e) for e in errors)
    count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found"
    return "\n".join([*(str(e) for e in errors), count])


def _escape(value: str, *, prop: bool = False) -> str:
    # GitHub workflow command escaping (data and properties differ).
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def _annotation(error: DataError) -> str:
    what = f"{error.field}: {error.message}" if error.field else error.message
    text = what + (f" — {error.hint}" if error.hint else "")
    return (f"::error file={_escape(error.mark.file, prop=True)},line={error.mark.line},col={error.mark.col},"
            f"title={_escape('invalid data', prop=True)}::{_escape(text)}")
