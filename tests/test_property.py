"""Whatever bytes or YAML arrive, load + validate end in models or in data errors, never a crash."""

from __future__ import annotations

import posixpath
import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.data.errors import DataErrors
from generator.data.loader import load_bytes, split_entries
from generator.data.models import Company
from generator.data.validate import validate
from generator.site.urls import _relpath

from .conftest import TODAY, examples

FIELDS = [*Company.model_fields, "type", "address", "hours", "source", "checked", "cost", "private"]


def run(data: bytes) -> None:
    try:
        root = load_bytes(data, "fuzz.yaml")
    except DataErrors as failure:
        assert failure.errors and all(str(e).startswith("fuzz.yaml:") for e in failure.errors)
        return
    try:
        companies = validate(split_entries(root), today=TODAY)
    except DataErrors as failure:
        assert failure.errors and all(" — " in str(e) for e in failure.errors)
        return
    assert all(isinstance(c, Company) for c in companies)
    assert isinstance(root.data, (dict, list))


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_arbitrary_bytes(data: bytes) -> None:
    run(data)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40),
                    st.sampled_from(["21:00", "NO", "yes", "2026-11-01", "+34 900 100 100", "Mo-Fr 09:00-18:00",
                                     "https://www.acme.es", "telecom", "phone", "ES", "Europe/Madrid", "2h"]))
keys = st.one_of(st.sampled_from(FIELDS), st.text(string.ascii_lowercase + "_", min_size=1, max_size=12))
trees = st.recursive(scalars, lambda children: st.one_of(st.lists(children, max_size=5),
                                                         st.dictionaries(keys, children, max_size=8)), max_leaves=40)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(trees, st.lists(st.dictionaries(keys, trees, max_size=14), max_size=3)))
def test_arbitrary_yaml_trees(tree: object) -> None:
    run(yaml.safe_dump(tree, allow_unicode=True).encode("utf-8"))


VALID = {"id": "acme", "name": "Acme", "sector": "telecom", "countries": ["ES"], "website": "https://www.acme.es",
         "domains": ["acme.es"], "timezone": "Europe/Madrid",
         "channels": [{"type": "phone", "address": "+34 900 100 100", "hours": "Mo-Fr 09:00-18:00",
                       "source": "https://www.acme.es/contacto", "source_kind": "company", "checked": "2026-11-01"}]}


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(VALID)), st.sampled_from(sorted(VALID["channels"][0])), trees, st.booleans())
def test_one_field_of_a_valid_entry_replaced(company_key: str, channel_key: str, value: object, in_channel: bool) -> None:
    entry = yaml.safe_load(yaml.safe_dump(VALID))
    if in_channel:
        entry["channels"][0][channel_key] = value
    else:
        entry[company_key] = value
    run(yaml.safe_dump([entry], allow_unicode=True).encode("utf-8"))


_SEGMENT = st.sampled_from(["empresas", "en", "indices", "a-z", "acme", "b", "2", ".", "..", "api", "v1"])
_SITE_PATH = st.builds(lambda parts, slash: "/".join(parts) + ("/" if slash and parts else ""),
                       st.lists(_SEGMENT, max_size=5), st.booleans())


@given(_SITE_PATH.filter(bool), _SITE_PATH)  # an empty path never gets here: relative() links it as "./"
def test_relative_links_agree_with_posixpath(path: str, start: str) -> None:
    """urls.relative compares segments instead of calling posixpath.relpath (which reads the working folder): the
    same link for any two site-relative paths, "." and ".." included."""
    assert _relpath(path, start) == posixpath.relpath(path, start or ".")
