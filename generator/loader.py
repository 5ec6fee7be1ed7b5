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

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import yaml

from .errors import DataError, DataErrors, Mark

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 32
MAX_ERRORS_PER_FILE = 200
YAML_SUFFIXES = (".yaml", ".yml")

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})

try:  # the C parser is much faster; both give the same events and marks
    _Parser: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader


@dataclass(slots=True)
class RawScalar:
    """Text, true/false or None (an empty value), as typed."""

    value: str | bool | None
    mark: Mark


@dataclass(slots=True)
class RawMapping:
    """A mapping; `entries` maps each key to (key position, value)."""

    mark: Mark
    entries: dict[str, tuple[Mark, RawNode]] = field(default_factory=dict)


@dataclass(slots=True)
class RawSequence:
    mark: Mark
    items: list[RawNode] = field(default_factory=list)


RawNode = Union[RawScalar, RawMapping, RawSequence]


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One company entry as read, before validation."""

    node: RawNode
    file: str


def to_plain(node: RawNode) -> object:
    """The raw tree as plain Python data (dicts, lists, str, bool, None)."""
    if isinstance(node, RawScalar):
        return node.value
    if isinstance(node, RawSequence):
        return [to_plain(item) for item in node.items]
    return {key: to_plain(value) for key, (_, value) in node.entries.items()}


def locate(node: RawNode, path: Iterable[str | int], *, key: bool = False) -> Mark:
    """The position of the value at `path`, or of the nearest parent that exists.

    With `key=True`, a final mapping key points at the key itself (used for
    unknown fields, where the key is the mistake).
    """
    mark = node.mark
    steps = list(path)
    for index, step in enumerate(steps):
        if isinstance(node, RawMapping) and isinstance(step, str) and step in node.entries:
            key_mark, node = node.entries[step]
            mark = key_mark if key and index == len(steps) - 1 else node.mark
        elif isinstance(node, RawSequence) and isinstance(step, int) and 0 <= step < len(node.items):
            node = node.items[step]
            mark = node.mark
        else:
            break
    return mark


def display_path(path: Path) -> str:
    """A short path for messages: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def load_paths(paths: Iterable[Path]) -> list[RawEntry]:
    """Read every file (folders: each *.yaml inside, sorted) into raw entries.

    A file may hold a list of companies or a single company.  Raises
    `DataErrors` with every problem found in every file.
    """
    entries: list[RawEntry] = []
    errors: list[DataError] = []
    for path in _expand(paths, errors):
        try:
            root = load_file(path)
        except DataErrors as failure:
            errors.extend(failure.errors)
            continue
        name = display_path(path)
        if isinstance(root, RawSequence):
            entries.extend(RawEntry(item, name) for item in root.items)
        elif isinstance(root, RawMapping):
            entries.append(RawEntry(root, name))
        else:
            errors.append(DataError(root.mark, "", "expected a list of companies (lines starting with '- id: ...')",
                                    "see CONTRIBUTING.md for the shape of an entry"))
    if errors:
        raise DataErrors(errors)
    return entries


def _expand(paths: Iterable[Path], errors: list[DataError]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
            if not found:
                errors.append(DataError(Mark(display_path(path), 1, 1), "", "folder has no .yaml files",
                                        "put one company per .yaml file in it"))
            yield from found
        elif path.is_file():
            yield path
        else:
            errors.append(DataError(Mark(display_path(path), 1, 1), "", "no such file or folder",
                                    "check the path"))


def load_file(path: Path) -> RawNode:
    """Read one YAML file into a raw tree; raises `DataErrors`."""
    name = display_path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataErrors([DataError(
            Mark(name, 1, 1), "",
            f"file is {size / 1048576:.1f} MB, larger than the {MAX_FILE_BYTES // 1048576} MB limit",
            "split the data into a folder of smaller files, one company each")])
    return parse_text(_decode(path.read_bytes(), name), name)


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
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        raise fail("file is empty", "add at least one company entry (see CONTRIBUTING.md)")
    return text


def parse_text(text: str, name: str) -> RawNode:
    """Parse YAML text into a raw tree; raises `DataErrors` with every problem."""
    builder = _Builder(name)
    try:
        for event in yaml.parse(text, Loader=_Parser):
            builder.feed(event)
            if len(builder.errors) >= MAX_ERRORS_PER_FILE:
                break
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
    if builder.errors:
        raise DataErrors(builder.errors)
    if builder.root is None:
        raise DataErrors([DataError(Mark(name, 1, 1), "", "file is empty",
                                    "add at least one company entry (see CONTRIBUTING.md)")])
    return builder.root


class _Builder:
    """Turns parser events into raw nodes, without recursion."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.errors: list[DataError] = []
        self.root: RawNode | None = None
        self.documents = 0
        # Each open collection, with the key waiting for its value (mappings).
        self.stack: list[tuple[RawMapping | RawSequence, tuple[str, Mark] | None]] = []
        self.skip_depth = 0  # > 0 while inside a node we refused (complex key, too deep)

    def mark(self, event: yaml.Event) -> Mark:
        return Mark(self.name, event.start_mark.line + 1, event.start_mark.column + 1)

    def error(self, event: yaml.Event, message: str, hint: str) -> None:
        self.errors.append(DataError(self.mark(event), "", message, hint))

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
            node, _ = self.stack.pop()
            self.attach(node, event)
            return
        if isinstance(event, yaml.AliasEvent):
            self.error(event, f"alias '*{event.anchor}' is not allowed",
                       "write the value out in full instead of using anchors (&) and aliases (*)")
            self.attach(RawScalar(None, self.mark(event)), event)
            return
        node_event: yaml.NodeEvent = event
        if node_event.anchor is not None:
            self.error(event, f"anchor '&{node_event.anchor}' is not allowed",
                       "write each value out in full; anchors and aliases are not supported")
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        explicit_tag = tag is not None and not (implicit is True or (isinstance(implicit, tuple) and any(implicit)))
        if explicit_tag:
            self.error(event, f"YAML tag '{tag}' is not allowed", "remove the tag; write plain text, lists and mappings")
        if isinstance(event, yaml.ScalarEvent):
            self.attach(RawScalar(self.resolve(event), self.mark(event)), event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(self.stack) >= MAX_DEPTH:
                self.error(event, f"data is nested more than {MAX_DEPTH} levels deep", "flatten the structure")
                self.skip_depth = 1
                self.attach(RawScalar(None, self.mark(event)), event)
                return
            collection: RawMapping | RawSequence = (
                RawMapping(self.mark(event)) if isinstance(event, yaml.MappingStartEvent)
                else RawSequence(self.mark(event)))
            if self.stack and isinstance(self.stack[-1][0], RawMapping) and self.stack[-1][1] is None:
                self.error(event, "a key must be plain text, not a list or mapping", "use a simple name as the key")
                self.skip_depth = 1
                # the value that follows this refused key is dropped too
                self.stack[-1] = (self.stack[-1][0], ("\x00refused", self.mark(event)))
                return
            self.stack.append((collection, None))

    @staticmethod
    def resolve(event: yaml.ScalarEvent) -> str | bool | None:
        """Plain scalars: empty/null → None, true/false → bool, anything else stays text."""
        if not event.style and event.implicit[0]:  # plain (the C parser says "", Python None)
            if event.value in _NULLS:
                return None
            if event.value in _TRUE:
                return True
            if event.value in _FALSE:
                return False
        return str(event.value)

    def attach(self, node: RawNode, event: yaml.Event) -> None:
        if not self.stack:
            self.root = node
            return
        parent, pending = self.stack[-1]
        if isinstance(parent, RawSequence):
            parent.items.append(node)
            return
        if pending is None:  # this node is a key
            if not isinstance(node, RawScalar) or not isinstance(node.value, str):
                self.error(event, "a key must be plain text", "use a simple field name as the key")
                self.stack[-1] = (parent, ("\x00refused", node.mark))
                return
            if node.value == "<<":
                self.error(event, "merge keys ('<<') are not allowed", "write the fields out in full")
            self.stack[-1] = (parent, (node.value, node.mark))
            return
        key, key_mark = pending
        self.stack[-1] = (parent, None)
        if key.startswith("\x00") or key == "<<":
            return
        if key in parent.entries:
            first = parent.entries[key][0]
            self.errors.append(DataError(key_mark, "", f"duplicate key '{key}' (first at line {first.line})",
                                         "keep one of them; a key may appear once per entry"))
            return
        parent.entries[key] = (key_mark, node)
