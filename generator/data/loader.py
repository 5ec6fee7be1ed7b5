"""Load stage: YAML files into raw trees whose every value knows its position.

The loader is deliberately stricter than YAML: it reads only what the data
contract needs (mappings, lists, text, true/false, empty) and keeps every
other scalar as the text that was typed, so YAML 1.1 surprises cannot change
a value behind the contributor's back: `21:00` stays "21:00" (not 1260),
`NO` stays "NO" (not false), `910000000` stays text and `2026-11-01` stays
text for the validator to read as a date on purpose.  No Python objects are
ever constructed, anchors and aliases are refused (so "billion laughs" cannot
expand), duplicate keys are errors, and files are capped in size and depth.
"""

from __future__ import annotations

import bisect
import gc
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import yaml

from generator.data._fast_yaml import FALSE_WORDS, NULLS, TRUE_WORDS, NotClean, read_clean
from generator.data.errors import DataError, DataErrors, Mark
from generator.data.fields import UNSAFE_CHARACTERS

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 32
MAX_ERRORS_PER_FILE = 200
YAML_SUFFIXES = (".yaml", ".yml")
DEFAULT_DATA = ("companies.yaml", "companies")

# A line whose first character after spaces and tabs is neither blank nor '#': proof, without
# splitting a large file into lines, that it is not empty or only comments (the exact check follows otherwise).
_HAS_CONTENT = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)

try:  # the C parser is much faster; both give the same events and marks
    _Parser: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader


Plain = Union[dict[str, "Plain"], list["Plain"], str, bool, None]  # noqa: UP007 - a recursive alias needs Union
"""What the loader produces: mappings, lists, text, true/false and None (empty)."""


class Positions:
    """Where each value of one parsed file was written.

    Kept beside the plain data rather than inside it, so the data needs no
    conversion before validation: `table` maps id(container) to
    {key: (key mark, value mark)} for a mapping, [value mark, ...] for a list.
    Marks are the parser's own (0-based); `mark()` turns one into a `Mark`.

    A clean file is read without recording a mark per value (that was most of
    the loading time and memory at 10,000 companies): only each entry's start
    is kept, and `table` is built on first use, by parsing the same text again
    with marks and pairing the two trees, which have the same shape.  Only
    error messages need it, so valid data never pays for it.
    """

    __slots__ = ("_root", "_table", "_text", "entry_marks", "file", "first_line", "plain")

    def __init__(self, file: str, *, text: str | None = None, root: Plain = None, first_line: int = 0) -> None:
        self.file = file
        self.first_line = first_line  # where the text read starts in the file (a part of a large file: `FilePart`)
        self.entry_marks: list[Any] | None = None  # start of each item of a top-level list, when known
        self._table: dict[int, dict[str, tuple[Any, Any]] | list[Any]] | None = None if text is not None else {}
        self._text, self._root = text, root
        # Whether the text read can hold no control character or bidi override in any value: none written as
        # such, and no backslash (the only way to write one escaped, in a double-quoted scalar).
        self.plain = text is not None and "\\" not in text and not UNSAFE_CHARACTERS.search(text)

    @property
    def root(self) -> Plain:
        """The file's top-level value (a one-company file's entry is this very mapping)."""
        return self._root

    @property
    def table(self) -> dict[int, dict[str, tuple[Any, Any]] | list[Any]]:
        if self._table is None:
            assert self._text is not None
            self._table = _pair_positions(self._root, self._text, self.file)
            self._text = None
        return self._table

    def mark(self, parser_mark: Any) -> Mark:
        return Mark(self.file, self.first_line + parser_mark.line + 1, parser_mark.column + 1)


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One company entry as read, before validation: plain data and where it was written."""

    data: Plain
    mark: Mark
    positions: Positions
    index: int = 0  # its place among its file's entries, from 0

    @property
    def file(self) -> str:
        return self.positions.file


def locate(entry: RawEntry, path: Iterable[str | int], *, key: bool = False) -> Mark:
    """The position of the value at `path` in `entry`, or of the nearest parent that exists.

    With `key=True`, a final mapping key points at the key itself (used for
    unknown fields, where the key is the mistake).
    """
    table = entry.positions.table
    node: Plain = entry.data
    mark = entry.mark
    steps = list(path)
    for index, step in enumerate(steps):
        where = table.get(id(node))
        if isinstance(node, dict) and isinstance(where, dict) and isinstance(step, str) and step in where:
            key_mark, value_mark = where[step]
            mark = entry.positions.mark(key_mark if key and index == len(steps) - 1 else value_mark)
            node = node[step]
        elif isinstance(node, list) and isinstance(where, list) and isinstance(step, int) and 0 <= step < len(node):
            mark = entry.positions.mark(where[step])
            node = node[step]
        else:
            break
    return mark


def display_path(path: Path) -> str:
    """A short path for messages: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a while, then as it was.  Parsed trees and models form no cycles, and
    with the collector on, each of its passes rescanned every tree and model made so far."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def default_paths(root: Path) -> list[Path]:
    """The project's own data under `root`: companies.yaml and/or a companies/ folder."""
    found = [root / name for name in DEFAULT_DATA if (root / name).exists()]
    return found or [root / DEFAULT_DATA[0]]


def load_paths(paths: Iterable[Path]) -> list[RawEntry]:
    """Read every file (folders: each *.yaml inside, sorted) into raw entries.

    A file may hold a list of companies or a single company.  Raises
    `DataErrors` with every problem found in every file.
    """
    entries: list[RawEntry] = []
    errors: list[DataError] = []
    # The cyclic GC stays off across all files, as in parse_text: turned on between files,
    # its first pass rescanned every tree read so far (see benchmarks/README.md).
    with gc_paused():
        for path, name in _expand(paths, errors):
            try:
                entries.extend(split_entries(load_file(path, name)))
            except DataErrors as failure:
                errors.extend(failure.errors)
    if errors:
        raise DataErrors(errors)
    return entries


def _expand(paths: Iterable[Path], errors: list[DataError]) -> Iterator[tuple[Path, str]]:
    """Each file to read, with its name for messages."""
    for path in paths:
        if path.is_dir():
            # Sorted by name (the same order as sorting the paths, which is slow for 10,000 files),
            # and named from the folder's display path: relpath per file is slow on large folders.
            found = sorted((p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file()), key=lambda p: p.name)
            if not found:
                errors.append(DataError(Mark(display_path(path), 1, 1), "", "folder has no .yaml files",
                                        "put one company per .yaml file in it"))
            folder = display_path(path)
            yield from ((p, os.path.normpath(os.path.join(folder, p.name))) for p in found)
        elif path.is_file():
            yield path, display_path(path)
        else:
            errors.append(DataError(Mark(display_path(path), 1, 1), "", "no such file or folder",
                                    "check the path"))


@dataclass(frozen=True, slots=True)
class FilePart:
    """What one process reads of the data: a whole file, or a run of a large list file's top-level entries."""

    name: str  # the file, as messages call it
    path: Path
    size: int  # bytes (characters for a run), to share the work evenly
    text: str | None = None  # the run's text; None: the process reads the whole file
    first_line: int = 0  # the run's first line in the file, from 0
    first_entry: int = 0  # entries of the file before the run
    entries: int = 0  # entries the run's lines start


_ENTRY_LINE = re.compile(r"^-(?=[ \t\r\n]|\Z)", re.MULTILINE)
"""A line that starts a top-level list item: '-' in the first column, then a space or the line's end."""


def file_parts(paths: Iterable[Path], shares: int, split_from: int) -> list[FilePart | DataError]:
    """Every file to read, in order; when the data holds `split_from` bytes or more, a file larger than
    1/`shares` of it is split into runs of whole entries, so that `shares` processes can share the reading.

    A run is cut where a line starts a top-level list item.  Whether the cut was right is only known once the run
    is parsed (`load_part`).  A problem found here (a missing path, an unreadable file) takes the file's place.
    """
    found: list[FilePart | DataError] = []
    errors: list[DataError] = []
    for path, name in _expand(paths, errors):
        found.extend(errors)
        errors.clear()
        found.append(FilePart(name, path, path.stat().st_size))
    found.extend(errors)
    total = sum(part.size for part in found if isinstance(part, FilePart))
    if total < split_from or shares < 2:
        return found
    split: list[FilePart | DataError] = []
    for part in found:
        if not isinstance(part, FilePart) or part.size * shares <= total or part.size > MAX_FILE_BYTES:
            split.append(part)
            continue
        try:
            split.extend(_runs(read_text(part.path, part.name), part.name, part.path, -(-part.size * shares // total)))
        except DataErrors as failure:
            split.extend(failure.errors)
    return split


def _runs(text: str, name: str, path: Path, count: int) -> list[FilePart]:
    starts = [match.start() for match in _ENTRY_LINE.finditer(text)]
    cuts = [0]
    for share in range(1, count):
        first = bisect.bisect_left(starts, len(text) * share // count)
        if first < len(starts) and starts[first] > cuts[-1]:
            cuts.append(starts[first])
    if len(cuts) == 1:
        return [FilePart(name, path, len(text))]
    runs: list[FilePart] = []
    line, counted = 0, 0
    for begin, end in zip(cuts, [*cuts[1:], len(text)], strict=True):
        line += text.count("\n", counted, begin)
        counted = begin
        first = bisect.bisect_left(starts, begin)
        runs.append(FilePart(name, path, end - begin, text[begin:end], line, first, bisect.bisect_left(starts, end) - first))
    return runs


def load_part(part: FilePart) -> list[RawEntry] | None:
    """The entries of a part, numbered in their file; raises `DataErrors` for a whole file's problems.

    None when a run does not read clean as a list of exactly the entries its lines start (a quoted text
    across the cut, a root that is not a list, anything unusual): the whole file must then be read with
    `load_file`, whose messages need all of it.
    """
    if part.text is None:
        return split_entries(load_file(part.path, part.name))
    with gc_paused():  # as in parse_text
        document = _parse_clean(part.text, part.name, part.first_line)
    if document is None or not isinstance(document.data, list) or len(document.data) != part.entries:
        return None
    return split_entries(document, part.first_entry)


def split_entries(document: RawEntry, first: int = 0) -> list[RawEntry]:
    """The company entries of a parsed file: each item of a list, or the one mapping.

    `first` is the number of the file's entries before this text (a run of a large file)."""
    if isinstance(document.data, dict):
        return [document]
    if isinstance(document.data, list):
        marks = document.positions.entry_marks
        if marks is None:
            recorded = document.positions.table[id(document.data)]
            assert isinstance(recorded, list)
            marks = recorded
        return [RawEntry(item, document.positions.mark(mark), document.positions, number)
                for number, (item, mark) in enumerate(zip(document.data, marks, strict=True), start=first)]
    raise DataErrors([DataError(document.mark, "", "expected a list of companies (lines starting with '- id: ...')",
                                "see CONTRIBUTING.md for the shape of an entry")])


def load_file(path: Path, name: str | None = None) -> RawEntry:
    """Read one YAML file into a raw tree; raises `DataErrors`.  `name` is how messages call it (default: its display path)."""
    name = display_path(path) if name is None else name
    return parse_text(read_text(path, name), name)


def read_text(path: Path, name: str) -> str:
    """A data file's text, within the size cap and decoded; raises `DataErrors`."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataErrors([DataError(
            Mark(name, 1, 1), "",
            f"file is {size / 1048576:.1f} MB, larger than the {MAX_FILE_BYTES // 1048576} MB limit",
            "split the data into a folder of smaller files, one company each")])
    return _decode(path.read_bytes(), name)


def load_bytes(data: bytes, name: str) -> RawEntry:
    """Decode and parse the bytes of a file called `name`; raises `DataErrors`."""
    return parse_text(_decode(data, name), name)


def _decode(data: bytes, name: str) -> str:
    def fail(message: str, hint: str, line: int = 1, col: int = 1) -> DataErrors:
        return DataErrors([DataError(Mark(name, line, col), "", message, hint)])

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail("file is UTF-16 text", "save it as UTF-8")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise fail("file contains binary data (a NUL byte), not YAML text",
                   "check that this is the right file and save it as UTF-8 text", line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail(f"byte 0x{data[exc.start]:02x} is not UTF-8 text", "save the file as UTF-8", line, col) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not _HAS_CONTENT.search(text) and all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        raise fail("file is empty", "add at least one company entry (see CONTRIBUTING.md)")
    return text


def parse_text(text: str, name: str) -> RawEntry:
    """Parse YAML text into plain data with positions; raises `DataErrors` with every problem."""
    # The tree is acyclic; without this the cyclic GC rescans the growing tree again
    # and again, which made loading a large data set several times slower.
    with gc_paused():
        clean = _parse_clean(text, name)
        if clean is not None:
            return clean
        builder = _parse_marked(text, name)
    if builder.errors:
        raise DataErrors(builder.errors)
    if builder.root_mark is None:
        raise DataErrors([DataError(Mark(name, 1, 1), "", "file is empty",
                                    "add at least one company entry (see CONTRIBUTING.md)")])
    builder.positions._root = builder.root
    return RawEntry(builder.root, builder.positions.mark(builder.root_mark), builder.positions)


def _parse_marked(text: str, name: str) -> _Builder:
    """Parse with a mark for every value, collecting every problem in the builder."""
    builder = _Builder(name)
    parser = _Parser(text)
    try:
        builder.consume(parser.get_event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(name, mark.line + 1, mark.column + 1) if mark else Mark(name, 1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        builder.errors.append(DataError(where, "", f"YAML syntax error: {problem}",
                                        "check indentation, colons and quotes on this line and the one above"))
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a control character
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        builder.errors.append(DataError(Mark(name, line, col), "", f"character U+{exc.character:04X} is not allowed: "
                                        "control characters are not allowed in YAML", "delete it or retype the text"))
    except yaml.YAMLError as exc:
        builder.errors.append(DataError(Mark(name, 1, 1), "", f"YAML error: {exc}", "save the file as UTF-8 YAML"))
    finally:
        parser.dispose()
    return builder


def _parse_clean(text: str, name: str, first_line: int = 0) -> RawEntry | None:
    """The fast reader for the common case; None when the file needs the marked reader.

    It accepts exactly the files the marked reader accepts without a problem
    (one document; untagged mappings, lists and scalars; no anchors, aliases,
    merge or complex keys, duplicates or excess depth) and builds the same
    data, recording only where each top-level item starts.  At anything else
    it gives up, and the marked reader parses the file again to report it.
    """
    parser = _Parser(text)
    try:
        root, root_mark, entry_marks = read_clean(parser.get_event, MAX_DEPTH)
    except (NotClean, yaml.YAMLError):
        return None
    finally:
        parser.dispose()
    positions = Positions(name, text=text, root=root, first_line=first_line)
    positions.entry_marks = entry_marks
    return RawEntry(root, positions.mark(root_mark), positions)


def _pair_positions(root: Plain, text: str, name: str) -> dict[int, dict[str, tuple[Any, Any]] | list[Any]]:
    """The position table of a clean file's tree, from a second, marked parse of its text."""
    with gc_paused():  # as in parse_text: the marked tree is large and acyclic
        builder = _parse_marked(text, name)
    assert not builder.errors, "a file read clean must parse clean again"
    marked_table = builder.positions.table
    table: dict[int, dict[str, tuple[Any, Any]] | list[Any]] = {}
    pending: list[tuple[Plain, Plain]] = [(root, builder.root)]
    while pending:
        mine, marked = pending.pop()
        table[id(mine)] = marked_table[id(marked)]
        if isinstance(mine, dict) and isinstance(marked, dict):
            pending.extend((value, marked[key]) for key, value in mine.items() if isinstance(value, (dict, list)))
        elif isinstance(mine, list) and isinstance(marked, list):
            pending.extend((a, b) for a, b in zip(mine, marked, strict=True) if isinstance(a, (dict, list)))
    return table


_REFUSED = "\x00refused"  # a pending key whose value is read and dropped


class _Builder:
    """Turns parser events into plain data and positions, without recursion."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.errors: list[DataError] = []
        self.positions = Positions(name)
        self.root: Plain = None
        self.root_mark: Any = None
        self.documents = 0
        # Open collections: [container, its position table, pending key, pending key's mark].
        self.stack: list[list[Any]] = []
        self.skip_depth = 0  # > 0 while inside a node we refused (complex key, too deep)

    def error(self, event: yaml.Event, message: str, hint: str) -> None:
        self.errors.append(DataError(self.positions.mark(event.start_mark), "", message, hint))

    def consume(self, get_event: Callable[[], yaml.Event]) -> None:
        """Read every event; the loop is written for speed, the rare cases go to `feed`."""
        scalar_event, stream_end, stack, resolve = yaml.ScalarEvent, yaml.StreamEndEvent, self.stack, self.resolve
        while True:
            event: Any = get_event()  # Any: the fast path reads ScalarEvent fields without isinstance
            kind = type(event)
            # Fast path: an untagged scalar (key, value or list item) in the first document.
            if kind is scalar_event and stack and not self.skip_depth and event.anchor is None \
                    and event.tag is None and self.documents == 1:
                frame = stack[-1]
                container, key = frame[0], frame[2]
                if type(container) is list:
                    container.append(resolve(event))
                    frame[1].append(event.start_mark)
                    continue
                if key is None:  # a key
                    if event.value != "<<":
                        frame[2], frame[3] = event.value, event.start_mark
                        continue
                elif key not in container and key is not _REFUSED and key != "<<":
                    container[key] = resolve(event)
                    frame[1][key] = (frame[3], event.start_mark)
                    frame[2] = None
                    continue
            self.feed(event)
            if kind is stream_end or len(self.errors) >= MAX_ERRORS_PER_FILE:
                return

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents == 2:
                self.error(event, "more than one YAML document in the file ('---')",
                           "keep one list of companies per file")
            return
        if self.documents > 1 or isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent,
                                                     yaml.DocumentEndEvent)):
            return
        if self.skip_depth:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self.skip_depth += 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self.skip_depth -= 1
            return
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            self.attach(frame[0], frame[4], event)
            return
        if isinstance(event, yaml.AliasEvent):
            self.error(event, f"alias '*{event.anchor}' is not allowed",
                       "write the value out in full instead of using anchors (&) and aliases (*)")
            self.attach(None, event.start_mark, event)
            return
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.error(event, f"anchor '&{anchor}' is not allowed",
                       "write each value out in full; anchors and aliases are not supported")
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        explicit_tag = tag is not None and not (implicit is True or (isinstance(implicit, tuple) and any(implicit)))
        if explicit_tag:
            self.error(event, f"YAML tag '{tag}' is not allowed", "remove the tag; write plain text, lists and mappings")
        if isinstance(event, yaml.ScalarEvent):
            self.attach(self.resolve(event), event.start_mark, event)
            return
        if not isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            return
        if len(self.stack) >= MAX_DEPTH:
            self.error(event, f"data is nested more than {MAX_DEPTH} levels deep", "flatten the structure")
            self.skip_depth = 1
            self.attach(None, event.start_mark, event)
            return
        if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is None:
            self.error(event, "a key must be plain text, not a list or mapping", "use a simple name as the key")
            self.skip_depth = 1
            self.stack[-1][2:4] = [_REFUSED, event.start_mark]  # the value after this key is dropped too
            return
        container: dict[str, Plain] | list[Plain] = {} if isinstance(event, yaml.MappingStartEvent) else []
        table: dict[str, tuple[Any, Any]] | list[Any] = {} if isinstance(container, dict) else []
        self.positions.table[id(container)] = table
        self.stack.append([container, table, None, None, event.start_mark])

    @staticmethod
    def resolve(event: yaml.ScalarEvent) -> str | bool | None:
        """Plain scalars: empty/null → None, true/false → bool, anything else stays text."""
        if not event.style and event.implicit[0]:  # plain (the C parser says "", Python None)
            if event.value in NULLS:
                return None
            if event.value in TRUE_WORDS:
                return True
            if event.value in FALSE_WORDS:
                return False
        return str(event.value)

    def attach(self, value: Plain, mark: Any, event: yaml.Event) -> None:
        if not self.stack:
            self.root, self.root_mark = value, mark
            return
        frame = self.stack[-1]
        container, table, key, key_mark = frame[0], frame[1], frame[2], frame[3]
        if isinstance(container, list):
            container.append(value)
            table.append(mark)
            return
        if key is None:  # this value is a key
            frame[2:4] = [event.value if isinstance(event, yaml.ScalarEvent) else _REFUSED, mark]
            if frame[2] == "<<":
                self.error(event, "merge keys ('<<') are not allowed", "write the fields out in full")
            return
        frame[2] = None
        if key is _REFUSED or key == "<<":
            return
        if key in container:
            first = table[key][0]
            self.errors.append(DataError(self.positions.mark(key_mark), "",
                                         f"duplicate key '{key}' (first at line {first.line + 1})",
                                         "keep one of them; a key may appear once per entry"))
            return
        container[key] = value
        table[key] = (key_mark, mark)
