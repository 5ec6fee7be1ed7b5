"""A clean file is read without marks and locates values later by parsing again: both ways must agree."""

from __future__ import annotations

import string
from collections.abc import Iterator

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.data import loader
from generator.data.loader import Plain, RawEntry, locate, parse_text, split_entries

from .conftest import examples


def paths(node: Plain, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


scalars = st.one_of(st.none(), st.booleans(), st.text(max_size=12), st.sampled_from(["21:00", "NO", "~", "2026-11-01"]))
keys = st.text(string.ascii_lowercase + "_", min_size=1, max_size=8)
trees = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
                     max_leaves=30)


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.dictionaries(keys, trees, min_size=1, max_size=6), min_size=1, max_size=4), st.booleans())
def test_clean_read_locates_every_value_like_the_marked_read(document: list[dict[str, object]], flow: bool) -> None:
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow)
    clean = parse_text(text, "t.yaml")
    assert clean.positions.entry_marks is not None  # read by the clean reader, not the marked one
    marked = loader._parse_marked(text, "t.yaml")
    assert not marked.errors
    assert clean.data == marked.root
    twin = RawEntry(marked.root, marked.positions.mark(marked.root_mark), marked.positions)
    assert clean.mark == twin.mark
    for entry, other in zip(split_entries(clean), split_entries(twin), strict=True):
        assert entry.mark == other.mark
        for path in paths(entry.data):
            assert locate(entry, path) == locate(other, path)
            assert locate(entry, path, key=True) == locate(other, path, key=True)


def test_a_problem_in_a_clean_file_points_at_its_line_and_column() -> None:
    text = "- id: a\n  channels:\n    - type: phone\n      address: '+34 900'\n- id: b\n"
    first, second = split_entries(parse_text(text, "c.yaml"))
    assert str(locate(first, ["channels", 0, "address"])) == "c.yaml:4:16"
    assert str(locate(first, ["channels", 0, "type"], key=True)) == "c.yaml:3:7"
    assert str(second.mark) == "c.yaml:5:3"
