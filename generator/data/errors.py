"""Data errors: where in which file, what is wrong, and how to fix it.

Every stage reports problems as `DataError`s and gathers them, so that a
contributor sees every mistake in one run; `format_errors` prints them for
people (text), programs (JSON) and GitHub Actions (annotations).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple


class Mark(NamedTuple):
    """A position in a source file; line and column count from 1 (a tuple: cheap to make by the million)."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class DataError:
    """One problem in the data.

    `field` is the dotted path of the value (`renfe.channels[1].hours`),
    empty for problems with the file itself.  `message` says what is wrong,
    `hint` how to fix it.
    """

    mark: Mark
    field: str
    message: str
    hint: str = ""

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.mark.file, self.mark.line, self.mark.col, self.field)

    def __str__(self) -> str:
        where = f"{self.mark}: "
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}{what}" + (f" — {self.hint}" if self.hint else "")


class DataErrors(Exception):
    """Raised by a stage that found problems; carries all of them, sorted."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = sorted(errors, key=DataError.sort_key)
        super().__init__("\n".join(str(e) for e in self.errors))


FORMATS = ("text", "json", "github")


def format_errors(errors: Sequence[DataError], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{"file": e.mark.file, "line": e.mark.line, "column": e.mark.col, "field": e.field,
                            "message": e.message, "hint": e.hint} for e in errors], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(_annotation(e) for e in errors)
    count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found"
    return "\n".join([*(str(e) for e in errors), count])


def format_warnings(warnings: Sequence[DataError], fmt: str) -> str:
    """Warnings (valid data that needs a look): `file:line:col: field: warning: ... — hint` lines, or annotations."""
    if fmt == "github":
        return "\n".join(f"::warning file={_escape(w.mark.file, prop=True)},line={w.mark.line},col={w.mark.col},"
                         f"title={_escape('data to check', prop=True)}::{_escape(f'{w.field}: {w.message} — {w.hint}')}"
                         for w in warnings)
    return "\n".join(str(w) for w in warnings)


def _escape(value: str, *, prop: bool = False) -> str:
    # GitHub workflow command escaping (data and properties differ).
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def _annotation(error: DataError) -> str:
    what = f"{error.field}: {error.message}" if error.field else error.message
    text = what + (f" — {error.hint}" if error.hint else "")
    return (f"::error file={_escape(error.mark.file, prop=True)},line={error.mark.line},col={error.mark.col},"
            f"title={_escape('invalid data', prop=True)}::{_escape(text)}")
