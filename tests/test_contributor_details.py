"""Contributor details: file names equal ids, duplicate ids at both places, the schema's id pattern, the editor's
schema line, and premium-rate-only phones (a warning from validate, a notice on the page).

The exact messages for a misnamed file and a duplicate id are in tests/cases/invalid/ (misnamed-file,
duplicate-id); the review's ⚠ for premium-only phones is in tests/test_review_attacks.py.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.cli import main
from generator.data.errors import DataErrors
from generator.data.loader import load_paths
from generator.data.validate import validate
from generator.site.derive import derive_site
from generator.site.render import render

from .conftest import ROOT, TODAY

ONE = """\
id: {id}
name: Acme
sector: airline
countries: [ES]
website: https://www.acme.es
domains: [acme.es]
timezone: Europe/Madrid
channels:
  - type: phone
    address: "+34 902 000 000"
    cost: premium
    source: https://www.acme.es/contacto
    source_kind: company
    checked: 2026-11-01
"""


def test_a_one_company_file_must_be_named_after_its_id(tmp_path: Path) -> None:
    folder = tmp_path / "companies"
    folder.mkdir()
    (folder / "acme.yaml").write_text(ONE.format(id="acme"), encoding="utf-8")
    (folder / "acme-2.yaml").write_text(ONE.format(id="zeta"), encoding="utf-8")
    with pytest.raises(DataErrors) as raised:
        validate(load_paths([folder]), today=TODAY)
    [error] = raised.value.errors
    assert str(error).endswith("acme-2.yaml:1:5: zeta.id: the file is named 'acme-2.yaml' but holds the id 'zeta' — "
                               "rename the file to zeta.yaml (or, if the id is the mistake, fix the id)")


def test_a_taken_id_is_reported_at_both_places(tmp_path: Path) -> None:
    (tmp_path / "companies.yaml").write_text("- " + ONE.format(id="zeta").replace("\n", "\n  ").rstrip() + "\n",
                                             encoding="utf-8")
    folder = tmp_path / "companies"
    folder.mkdir()
    (folder / "zeta.yaml").write_text(ONE.format(id="zeta"), encoding="utf-8")
    with pytest.raises(DataErrors) as raised:
        validate(load_paths([folder, tmp_path / "companies.yaml"]), today=TODAY)
    places = sorted((e.mark.file.rsplit("/", 1)[-1], e.mark.line) for e in raised.value.errors)
    assert places == [("companies.yaml", 1), ("zeta.yaml", 1)]  # whichever is new, it is named
    assert all("duplicate id 'zeta' (also used at " in e.message for e in raised.value.errors)


def test_the_schema_gives_the_id_pattern_and_it_matches_the_validator() -> None:
    schema = json.loads((ROOT / "schema" / "company.schema.json").read_text(encoding="utf-8"))
    pattern = schema["properties"]["id"]["pattern"]
    assert re.fullmatch(pattern, "el-corte-ingles") and not re.search(pattern, "El Corte") \
        and not re.search(pattern, "a--b") and not re.search(pattern, "-a")


def test_premium_only_phones_are_a_warning_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "acme.yaml").write_text(ONE.format(id="acme"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--today", TODAY.isoformat(), "acme.yaml"]) == 0
    out, err = capsys.readouterr()
    assert out == "1 companies, 1 channels: all valid (1 warning above)\n"
    assert err == ("acme.yaml:1:1: acme.channels: warning: its only phone numbers are premium-rate — Ley 10/2025 "
                   "(art. 10.2) asks for an ordinary alternative: look for a free or ordinary-rate number on the "
                   "company's pages and add it with its source (the page says no free alternative is known until then)\n")
    assert main(["validate", "--format", "github", "--today", TODAY.isoformat(), "acme.yaml"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("::warning file=acme.yaml,line=1,col=1,title=data to check::acme.channels: warning: its only")
    free = ONE.format(id="acme").replace("cost: premium", "cost: free").replace("902", "900")
    (tmp_path / "acme.yaml").write_text(free, encoding="utf-8")
    assert main(["validate", "--today", TODAY.isoformat(), "acme.yaml"]) == 0
    assert capsys.readouterr() == ("1 companies, 1 channels: all valid\n", "")


@pytest.mark.parametrize(("cost", "shown"), [("premium", True), ("free", False)])
def test_the_page_says_no_free_alternative_is_known(tmp_path: Path, cost: str, shown: bool) -> None:
    text = ONE.format(id="acme") if cost == "premium" else ONE.format(id="acme").replace("cost: premium", "cost: free")\
        .replace("902", "900")
    (tmp_path / "acme.yaml").write_text(text, encoding="utf-8")
    model = derive_site(validate(load_paths([tmp_path / "acme.yaml"]), today=TODAY), datetime(2026, 11, 24, 12, tzinfo=UTC))
    pages = {p.url: p.body for lang in ("es", "en") for p in render(model, lang)}
    es, en = pages["empresas/acme/"], pages["en/empresas/acme/"]
    assert ("No conocemos ningún teléfono gratuito ni a precio normal de esta empresa" in es) is shown
    assert ("No free or ordinary-rate phone number is known for this company" in en) is shown
    assert ("Ley 10/2025 (art. 10.2)" in en) is shown
