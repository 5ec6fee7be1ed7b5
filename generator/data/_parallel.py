"""`check`: validation shared between the machine's cores, for `generator validate` on large data.

What it buys: parsing and checking are the slow part of validating thousands of
companies, and one process uses one core.  From `PARALLEL_FROM` bytes of data,
forked processes each read and check their own files of `companies/`, or runs of
whole entries of one large file (`loader.file_parts`), where they lie in memory
(`_SHARED`, inherited through fork, never pickled), and send back only a small
`Checked` summary per company and the problems.  The problems come back in the
same order as `validate(load_paths(...))` reports them; when ids repeat, the
check runs again in one process so the message can point at the first use.
`benchmarks/README.md` has the figures.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.data.errors import DataError, DataErrors
from generator.data.loader import FilePart, file_parts, gc_paused, load_part, load_paths
from generator.data.validate import Checked, Numbered, in_entry_order, summary_of, validate, validate_each

PARALLEL_FROM = 2 * 1024 * 1024
"""Bytes of data from which `check` shares the work between processes: about 1,300 companies; below it, starting
the processes costs more than it saves."""


@dataclass(frozen=True, slots=True)
class _PartChecked:
    """What a process sends back for one part of the data: small, whatever the part's size."""

    entries: int  # how many entries the part holds
    companies: list[Checked]  # the valid ones, in entry order
    problems: list[Numbered]  # (entry number in the part, problem)
    unreadable: list[DataError]  # the file's own problems (YAML syntax, encoding, size): nothing was validated
    whole_file_needed: bool = False  # a run of a large file that did not read clean: read the file in one piece


_SHARED: tuple[list[FilePart], date] | None = None  # what a forked checker process reads (never pickled)


def _check_part(part: FilePart, today: date) -> _PartChecked:
    try:
        entries = load_part(part)
    except DataErrors as failure:
        return _PartChecked(0, [], [], failure.errors)
    if entries is None:
        return _PartChecked(0, [], [], [], whole_file_needed=True)
    companies, problems = validate_each(entries, today)
    return _PartChecked(len(entries), [summary_of(company) for _, company in companies], problems, [])


def _check_share(bounds: tuple[int, int]) -> list[_PartChecked]:
    assert _SHARED is not None
    parts, today = _SHARED
    return [_check_part(part, today) for part in parts[bounds[0]:bounds[1]]]


def check(paths: Sequence[Path], *, today: date, processes: int | None = None,
          parallel_from: int = PARALLEL_FROM) -> list[Checked]:
    """Load and validate without keeping the models (`generator validate`): the same problems as
    `validate(load_paths(paths))`, in the same order, with the reading and checking shared between the machine's
    cores for large data (each process reads its own files, or runs of one large file).  Raises `DataErrors`."""
    global _SHARED
    count = processes or min(os.cpu_count() or 1, 4)
    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _check_here(paths, today)
    with gc_paused():  # in this process and the forked ones
        found = file_parts(paths, count, split_from=parallel_from)
        parts = [item for item in found if isinstance(item, FilePart)]
        if sum(part.size for part in parts) < parallel_from:
            return _check_here(paths, today)
        _SHARED = (parts, today)
        try:
            # Forked children read the parts where they lie; only the small results travel back.
            with multiprocessing.get_context("fork").Pool(count - 1) as pool:
                bounds = _shares([part.size for part in parts], count)
                others = pool.map_async(_check_share, bounds[1:])
                results = [*_check_share(bounds[0]), *(result for share in others.get() for result in share)]
        finally:
            _SHARED = None
    checked = _gather(found, dict(zip(map(id, parts), results, strict=True)), today)
    if checked is None:  # a duplicate id: its message points at the first use, which another process read
        return _check_here(paths, today)
    return checked


def _check_here(paths: Sequence[Path], today: date) -> list[Checked]:
    return [summary_of(company) for company in validate(load_paths(paths), today=today)]


def _shares(sizes: list[int], count: int) -> list[tuple[int, int]]:
    """`count` runs of consecutive parts, each about the same size: a part goes to the share its middle falls in."""
    total, bounds, start, done = sum(sizes), [], 0, 0
    for share in range(1, count):
        stop = start
        while stop < len(sizes) and done + sizes[stop] / 2 <= total * share / count:
            done += sizes[stop]
            stop += 1
        bounds.append((start, stop))
        start = stop
    bounds.append((start, len(sizes)))
    return bounds


def _gather(found: list[FilePart | DataError], results: dict[int, _PartChecked], today: date) -> list[Checked] | None:
    """The parts' results in data order, as `validate(load_paths(...))` would report them; raises `DataErrors`.

    None when ids repeat (then the caller checks in one process, for the message)."""
    unreadable: list[DataError] = []
    checked: list[Checked] = []
    problems: list[Numbered] = []
    # A file with a run that did not read clean is read here in one piece, in place of all its runs.
    whole = {item.name for item in found if isinstance(item, FilePart) and results[id(item)].whole_file_needed}
    read_whole: set[str] = set()
    number = 0  # entries before this part in all the data
    for item in found:
        if isinstance(item, DataError):
            unreadable.append(item)
            continue
        result = results[id(item)]
        if item.name in whole:
            if item.name in read_whole:
                continue
            read_whole.add(item.name)
            result = _check_part(FilePart(item.name, item.path, item.size), today)
        unreadable.extend(result.unreadable)
        checked.extend(result.companies)
        problems.extend((number + at, problem) for at, problem in result.problems)
        number += result.entries
    if unreadable:
        raise DataErrors(unreadable)
    if len({summary.id for summary in checked}) != len(checked):
        return None
    if problems:
        raise DataErrors(in_entry_order(problems))
    return checked
