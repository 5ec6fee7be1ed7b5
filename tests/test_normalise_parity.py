"""One spec for addresses (generator/data/addresses.py), run in Python and in the browser's code under Node.

tests/cases/normalise.json holds each case with its expected result; Python must give it, and so must
docs/javascripts/dr-check.js fed the tables the build ships (`browser_tables`, in search/companies/meta.json).
The data's own addresses are run through both too, so a rule that drifts on real input is caught.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from functools import cache
from typing import Any

import pytest

from generator.data import addresses
from generator.pipeline import load_companies
from generator.site import derive, search

from .conftest import CASES, REAL_DATA, ROOT

CASE_FILE = CASES / "normalise.json"
SCRIPT = ROOT / "docs" / "javascripts" / "dr-check.js"
HARNESS = ROOT / "tests" / "js" / "normalise-parity.mjs"
NEEDS_NODE = pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the browser script")


def _key(text: str) -> list[str | None] | None:
    found = addresses.account_key(text)
    return None if found is None else [found.key, found.network]


PYTHON = {
    "fold": addresses.fold,
    "account_key": _key,
    "domain_keys": addresses.domain_keys,
    "alike": lambda pair: addresses.alike(*pair),
    "alike_domain": lambda pair: addresses.alike_domain(*pair),
    "lookalike_stem": addresses.lookalike_stem,
    "lookalike_probes": addresses.lookalike_probes,
}


@cache
def cases() -> dict[str, list[list[Any]]]:
    loaded: dict[str, list[list[Any]]] = json.loads(CASE_FILE.read_text(encoding="utf-8"))
    return {section: rows for section, rows in loaded.items() if not section.startswith("_")}


def run_node(case_file: str) -> dict[str, list[Any]]:
    out = subprocess.run(["node", str(HARNESS), str(SCRIPT), case_file], capture_output=True, text=True, check=True,
                         input=json.dumps(addresses.browser_tables()))
    result: dict[str, list[Any]] = json.loads(out.stdout)
    return result


def test_the_case_file_covers_every_rule_and_the_issue_examples() -> None:
    assert set(cases()) == set(PYTHON)
    pasted = {row[0] for row in cases()["account_key"]}
    assert {"https://www.movistar.es", "iberdrola.es", "atencion@movistar-es.com", "soporte@bbva-clientes.com"} <= pasted
    assert ["Straße", "straße"] in cases()["fold"]


@pytest.mark.parametrize("section", sorted(PYTHON))
def test_python_gives_each_expected_result(section: str) -> None:
    wrong = [(row[0], row[1], PYTHON[section](row[0])) for row in cases()[section] if PYTHON[section](row[0]) != row[1]]
    assert not wrong


@NEEDS_NODE
def test_the_browser_code_gives_each_expected_result() -> None:
    js = run_node(str(CASE_FILE))
    for section, rows in cases().items():
        wrong = [(row[0], row[1], got) for row, got in zip(rows, js[section], strict=True) if got != row[1]]
        assert not wrong, section


@NEEDS_NODE
def test_the_real_data_normalises_alike_in_both(tmp_path: Any) -> None:
    companies = load_companies(REAL_DATA, today=date.today())
    texts = sorted({c.address for company in companies for c in company.channels} | {company.website for company in companies}
                   | {d for company in companies for d in company.domains} | {company.name for company in companies})
    hosts = sorted({d for company in companies for d in company.domains})
    pairs = [[a, b] for a in hosts[:40] for b in hosts[:40]]
    case_file = tmp_path / "real.json"
    real = {"fold": [[t] for t in texts], "account_key": [[t] for t in texts], "domain_keys": [[h] for h in hosts],
            "alike": [[p] for p in pairs], "alike_domain": [[p] for p in pairs], "lookalike_stem": [[t] for t in hosts],
            "lookalike_probes": [[t] for t in hosts]}
    case_file.write_text(json.dumps(real, ensure_ascii=False), encoding="utf-8")
    js = run_node(str(case_file))
    for section, rows in real.items():
        expected = [PYTHON[section](row[0]) for row in rows]
        assert js[section] == expected, section
    assert sum(1 for k in js["account_key"] if k) > 200


def test_one_fold_for_sorting_and_search() -> None:
    assert derive.fold is addresses.fold and search.fold is addresses.fold
    assert addresses.fold("Straße Ávila") == "straße avila"


def test_phone_numbers_are_parsed_once_whatever_their_spacing() -> None:
    before = addresses._check_phone.cache_info()
    first = addresses.check_phone("+34 910 00 11 22", "ES")
    again = addresses.check_phone(first.value, "ES")  # the cost check passes the normalised form back in
    after = addresses._check_phone.cache_info()
    assert again == first and after.hits - before.hits >= 1 and after.misses - before.misses <= 1


def test_the_search_index_is_built_per_call_with_no_module_state() -> None:
    assert not [name for name in vars(search) if name.startswith("_last")]
    assert not [name for name in vars(addresses) if name.startswith("_BY_")]
