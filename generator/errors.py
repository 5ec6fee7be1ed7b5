"""Data errors: where in which file, what is wrong, and how to fix it.

Every stage reports problems as `DataError`s and gathers them, so that a
contributor sees every mistake in one run.  Printing lives in `report.py`.
"""

from __future__ import annotations

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
