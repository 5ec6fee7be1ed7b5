"""The fast YAML reader: one pass over PyYAML's events for the common, clean file.

What it buys: the loader's marked reader builds a position for every value
while it parses, which is slow at scale; most files have no problem at all,
so this reader builds only the plain data and where each top-level item
starts, and the positions are paired in afterwards, only when a message needs
one (`loader._pair_positions`).  At anything unusual (anchors, aliases, tags,
merge or complex keys, duplicate keys, excess depth, several documents) it
gives up with `NotClean`, and the marked reader parses the file again to
report the problem with its position.  `benchmarks/README.md` has the figures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

NULLS = frozenset({"", "~", "null", "Null", "NULL"})
TRUE_WORDS = frozenset({"true", "True", "TRUE"})
FALSE_WORDS = frozenset({"false", "False", "FALSE"})
PLAIN_VALUES: dict[str, bool | None] = {**dict.fromkeys(NULLS), **dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}
"""Plain (unquoted) scalars read as empty, true or false; every other scalar stays the text that was typed."""


class NotClean(Exception):
    """Raised by the clean-file reader at anything unusual: the marked reader then explains it."""


def read_clean(get_event: Callable[[], Any], max_depth: int) -> tuple[Any, Any, list[Any] | None]:
    """The plain tree of a clean file, the mark where its root starts and, for a list, where each item starts.

    Raises `NotClean` at anything unusual.  Written for speed: the open collection is kept in locals, its parents
    on a stack, and each event is handled by one branch of one loop.
    """
    scalar, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    plain_values = PLAIN_VALUES
    stack: list[tuple[Any, bool, str | None]] = []
    container: Any = None  # the open mapping or list
    is_list = False
    key: str | None = None  # the pending key of the open mapping
    depth = 0
    root: Any = None
    root_mark: Any = None
    entry_marks: list[Any] = []
    documents = 0
    while True:
        event: Any = get_event()
        kind = type(event)
        if kind is scalar:
            if event.anchor is not None or event.tag is not None or container is None:
                raise NotClean
            value = event.value
            if is_list:
                if not event.style and event.implicit[0] and value in plain_values:  # plain (C parser: "", Python: None)
                    value = plain_values[value]
                if depth == 1:
                    entry_marks.append(event.start_mark)
                container.append(value)
            elif key is None:
                if value == "<<" or value in container:
                    raise NotClean
                key = value
            else:
                if not event.style and event.implicit[0] and value in plain_values:
                    value = plain_values[value]
                container[key] = value
                key = None
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag is not None or depth >= max_depth:
                raise NotClean
            if container is None:
                root_mark = event.start_mark
            elif is_list:
                if depth == 1:
                    entry_marks.append(event.start_mark)
            elif key is None:  # a list or mapping as a key
                raise NotClean
            stack.append((container, is_list, key))
            container, is_list, key = ({}, False, None) if kind is mapping_start else ([], True, None)
            depth += 1
        elif kind is mapping_end or kind is sequence_end:
            done = container
            container, is_list, key = stack.pop()
            depth -= 1
            if container is None:
                root = done
            elif is_list:
                container.append(done)
            else:
                container[key] = done
                key = None
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise NotClean
        elif kind is yaml.StreamEndEvent:
            break
        elif kind is not yaml.StreamStartEvent and kind is not yaml.DocumentEndEvent:
            raise NotClean  # an alias
    if root_mark is None:  # empty, or a lone scalar
        raise NotClean
    return root, root_mark, entry_marks if isinstance(root, list) else None
