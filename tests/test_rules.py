"""The rule catalogues (generator/data/legal/*.yaml): the real files validate, mistakes are reported with positions."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.data.errors import DataError, DataErrors
from generator.data.legal import DEADLINES_FILE, ESCALATION_FILE, Rules, escalation_for, load_rules, load_rules_from
from generator.data.vocabulary import Sector

LEGACY_KEYS = {"oatu", "bde", "cnmv", "dgsfp", "aesa", "arbitraje-consumo", "omic"}
"""Keys companies.yaml used before the catalogue moved into data; they must keep working."""


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    """Copies of the real catalogues, to break one thing at a time."""
    return (Path(shutil.copy(DEADLINES_FILE, tmp_path / "deadlines.yaml")),
            Path(shutil.copy(ESCALATION_FILE, tmp_path / "escalation.yaml")))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if needle in line]
    assert len(found) == 1, f"{needle!r} must occur once in {path.name}"
    return found[0]


def errors_of(deadlines: Path, escalation: Path, **kwargs: date) -> list[DataError]:
    with pytest.raises(DataErrors) as failure:
        load_rules_from(deadlines, escalation, **kwargs)
    return failure.value.errors


def only(errors: list[DataError], field: str) -> DataError:
    matching = [e for e in errors if e.field == field]
    assert len(matching) == 1, [str(e) for e in errors]
    return matching[0]


# --- the real files --------------------------------------------------------------


def test_the_real_catalogues_validate() -> None:
    rules = load_rules_from(DEADLINES_FILE, ESCALATION_FILE, today=date(2026, 12, 3))
    assert len(rules.deadlines) >= 10
    assert len(rules.bodies) >= 12


def test_every_rule_and_body_cites_a_source_and_a_checked_date() -> None:
    rules = load_rules()
    for item in [*rules.deadlines, *rules.bodies.values()]:
        assert item.source.startswith("https://"), item.key
        assert item.checked <= date.today(), item.key


def test_every_sector_has_a_rule_and_a_default_body() -> None:
    rules = load_rules()
    for sector in Sector:
        assert any(sector in rule.sectors and rule.kind != "special" for rule in rules.deadlines), sector
        assert rules.defaults[sector], sector
        assert escalation_for(sector, ["ES"], rules=rules), f"{sector} companies would have no next step"


def test_the_required_rules_are_there_with_their_periods() -> None:
    rules = load_rules()
    periods = {rule.key: (rule.period.amount, rule.period.unit, rule.kind) for rule in rules.deadlines}
    assert periods["es-general"] == (15, "working_days", "general")
    assert periods["es-telecom"] == (1, "months", "sector")
    assert periods["es-banking-payments"] == (15, "working_days", "sector")
    assert periods["es-banking-other"] == (1, "months", "sector")
    assert periods["es-outage"] == (2, "hours", "special")
    assert periods["es-billing"] == (5, "days", "special")


def test_the_legacy_keys_still_resolve_through_catalog_authorities() -> None:
    assert set(load_rules().bodies) >= LEGACY_KEYS
    assert load_rules().bodies["oatu"].key == "oatu"
    assert load_rules().bodies["bde"].url == "https://www.bde.es/wbe/es/para-ciudadano/gestiones/reclamaciones/"


def test_bodies_link_to_a_page_or_say_how_to_find_the_office() -> None:
    # The Ministry's arbitration portal is a dedicated site; any other body must link deeper than a home page.
    dedicated_portals = {"arbitraje-consumo"}
    for body in load_rules().bodies.values():
        assert body.url or body.find, body.key
        if body.url and body.key not in dedicated_portals:
            assert urlsplit(body.url).path not in ("", "/"), f"{body.key} links to a home page"


# --- escalation: defaults and an entry's own list -------------------------------------


def test_an_entry_adds_to_its_sector_defaults_and_comes_first() -> None:
    rules = load_rules()
    keys = [b.key for b in escalation_for("telecom", ["ES"], ["omic"], rules=rules)]
    assert keys[0] == "omic"
    assert "oatu" in keys and keys.count("omic") == 1
    assert set(keys) == set(rules.defaults[Sector.TELECOM]) | {"omic"}


def test_cross_border_and_spanish_bodies_follow_the_company_countries() -> None:
    rules = load_rules()
    spanish = [b.key for b in escalation_for("ecommerce", ["ES"], rules=rules)]
    french = [b.key for b in escalation_for("ecommerce", ["FR"], rules=rules)]
    assert "cec" not in spanish and "arbitraje-consumo" in spanish
    assert french == ["cec"]


# --- mistakes, each reported at its place ------------------------------------------


def test_a_rule_without_source_fails_at_the_rule(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    edit(deadlines, "    source: https://www.usuariosteleco.gob.es/te-interesa/Paginas/preguntas-frecuentes.aspx?Faq=Reclamaciones\n", "")
    error = only(errors_of(deadlines, escalation), "es-telecom.source")
    assert error.mark.file.endswith("deadlines.yaml")
    assert error.mark.line == line_of(deadlines, "- key: es-telecom")
    assert "required field is missing" in str(error) and "add 'source:'" in str(error)


def test_a_body_without_checked_fails_at_the_body(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    text = escalation.read_text(encoding="utf-8")
    start = text.index("  - key: cnmv")
    end = text.index("    checked: 2026-11-30\n", start)
    escalation.write_text(text[:end] + text[end + len("    checked: 2026-11-30\n"):], encoding="utf-8")
    error = only(errors_of(deadlines, escalation), "cnmv.checked")
    assert error.mark.line == line_of(escalation, "- key: cnmv")
    assert error.message == "required field is missing"


def test_every_mistake_in_both_files_is_reported_at_once(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    edit(deadlines, "period: {amount: 1, unit: months}\n    label:\n      es: 1 mes para responder a una reclamación\n"
                    "      en: 1 month to answer a complaint\n    basis:\n      es: >-\n        Las telecomunicaciones",
         "period: {amount: 1, unit: month}\n    label:\n      es: 1 mes para responder a una reclamación\n"
         "      en: 1 month to answer a complaint\n    basis:\n      es: >-\n        Las telecomunicaciones")
    edit(escalation, "  post: [regimen-postal, arbitraje-consumo, omic, ocu]", "  post: [regimen-postl, arbitraje-consumo, omic, ocu]")
    errors = errors_of(deadlines, escalation)
    unit = only(errors, "es-telecom.period.unit")
    assert unit.mark.line == line_of(deadlines, "unit: month}")
    assert "'month' is not allowed" in unit.message and "working_days" in unit.hint
    default = only(errors, "defaults.post[0]")
    assert default.mark.line == line_of(escalation, "post: [regimen-postl")
    assert default.hint == "did you mean 'regimen-postal'?"


def test_an_unknown_sector_gets_a_did_you_mean(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    edit(deadlines, "    sectors: [telecom]\n", "    sectors: [telecoms]\n")
    errors = errors_of(deadlines, escalation)
    error = only(errors, "es-telecom.sectors[0]")
    assert error.mark.line == line_of(deadlines, "sectors: [telecoms]")
    assert "did you mean 'telecom'?" in error.hint


def test_a_sector_left_without_a_rule_is_reported(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    edit(deadlines, "    sectors: [telecom]\n", "    sectors: [water]\n")
    error = only(errors_of(deadlines, escalation), "rules")
    assert error.message == "sector 'telecom' has no general or sector rule"
    assert error.mark.line == line_of(deadlines, "rules:")


def test_a_sector_missing_from_defaults_is_reported(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    edit(escalation, "  water: [consumo-ccaa, arbitraje-consumo, omic, ocu]\n", "")
    error = only(errors_of(deadlines, escalation), "defaults")
    assert error.message == "sector 'water' has no default bodies"
    assert error.mark.line == line_of(escalation, "defaults:")


def test_duplicate_keys_point_at_the_second(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    edit(escalation, "  - key: ocu\n", "  - key: omic\n")
    errors = errors_of(deadlines, escalation)
    duplicate = [e for e in errors if "duplicate key 'omic'" in e.message]
    assert len(duplicate) == 1
    lines = escalation.read_text(encoding="utf-8").splitlines()
    both = [number for number, line in enumerate(lines, start=1) if line == "  - key: omic"]
    assert len(both) == 2 and duplicate[0].mark.line == both[1]
    assert duplicate[0].message == f"duplicate key 'omic' (first at line {both[0]})"


def test_every_letter_citation_names_its_article() -> None:
    """A letter never cites a law without its article, a page title or a programme (issue 23)."""
    for rule in load_rules().deadlines:
        assert rule.citation is not None and re.search(r"\barts?\. \S", rule.citation), rule.key
        if rule.defers_to_sector:  # the regulator states the sector's period; the letter cites the rule that keeps it
            assert rule.kind == "sector" and rule.citation == "Ley 10/2025, art. 17.1", rule.key
    rules = load_rules()
    assert {rule.key for rule in rules.deadlines if rule.defers_to_sector} == {"es-telecom", "es-post-international"}
    for key in ("es-banking-other", "es-insurance", "es-investment"):  # Ley 10/2025 rewrote Ley 44/2002's art. 29
        assert rules.rule(key).citation == "Ley 44/2002, art. 29.5.b" and rules.rule(key).source_kind == "law"


def test_a_citation_without_its_article_is_refused(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    edit(deadlines, "    citation: Ley 43/2010, art. 10\n", "    citation: Ley 43/2010\n")
    error = only(errors_of(deadlines, escalation), "es-post-national")
    assert "names no article" in error.message and "defers_to_sector: true" in str(error)
    assert error.mark.line == line_of(deadlines, "- key: es-post-national")


def test_only_a_sector_rule_defers_to_its_sector(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    edit(deadlines, "    citation: Ley 10/2025, art. 17.2\n", "    citation: Ley 10/2025, art. 17.2\n    defers_to_sector: true\n")
    error = only(errors_of(deadlines, escalation), "es-outage")
    assert "only on `kind: sector` rules" in str(error)


def test_a_body_needs_a_url_or_how_to_find_it(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    edit(escalation, "    url: https://www.ocu.org/reclamar/informacion-consumidores\n", "")
    error = only(errors_of(deadlines, escalation), "ocu")
    assert "needs `url`" in error.message and error.mark.line == line_of(escalation, "- key: ocu")


def test_an_unknown_field_names_the_close_one(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    edit(deadlines, "    article: Ley 10/2025, art. 17.2\n", "    articel: Ley 10/2025, art. 17.2\n")
    errors = errors_of(deadlines, escalation)
    unknown = only(errors, "es-outage.articel")
    assert unknown.mark.line == line_of(deadlines, "articel:") and unknown.mark.col == 5
    assert unknown.hint == "did you mean 'article'?"
    assert only(errors, "es-outage.article").message == "required field is missing"


def test_a_checked_date_in_the_future_is_refused(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    errors = errors_of(deadlines, escalation, today=date(2026, 11, 1))
    assert errors and all(re.fullmatch(r"2026-1[12]-\d\d is in the future", e.message) for e in errors)
    assert {e.message for e in errors} >= {"2026-11-30 is in the future", "2026-12-03 is in the future"}


def test_an_http_source_is_refused_with_the_https_spelling(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    edit(deadlines, "source: https://portal-cec.consumo.gob.es/es/informacion-general/viajes/transporte-ferroviario/reclamaciones",
         "source: http://portal-cec.consumo.gob.es/es/informacion-general/viajes/transporte-ferroviario/reclamaciones")
    error = only(errors_of(deadlines, escalation), "es-rail.source")
    assert error.hint.startswith("write https://portal-cec.consumo.gob.es/")


def test_a_broken_yaml_file_is_reported_with_its_position(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    edit(escalation, "defaults:\n", "defaults:\n  telecom: [oatu\n")
    errors = errors_of(deadlines, escalation)
    assert len(errors) == 1 and "YAML syntax error" in errors[0].message
    assert errors[0].mark.file.endswith("escalation.yaml")


def test_load_rules_is_cached() -> None:
    assert load_rules() is load_rules()
    assert isinstance(load_rules(), Rules)


# --- regulator domains ------------------------------------------------------------


def test_regulator_domains_are_the_official_bodies_and_the_listed_ones() -> None:
    domains = load_rules().regulator_domains
    assert domains["bde.es"] == "escalation body 'bde'"
    assert domains["usuariosteleco.digital.gob.es"] == "escalation body 'oatu'"
    assert "usuariosteleco.gob.es" in domains and "cnmc.es" in domains
    assert "ocu.org" not in domains, "a consumers' association is not a regulator"
    assert all(reason.strip() for reason in domains.values())


def test_a_bad_regulator_domain_is_reported_at_its_position(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    edit(escalation, "  - domain: cnmc.es\n", "  - domain: https://cnmc.es/\n")
    error = only(errors_of(deadlines, escalation), "regulator_domains[2].domain")
    assert error.message == "'https://cnmc.es/' is not a bare domain"
    assert error.hint == "write just the name, e.g. 'cnmc.es'"
    assert (error.mark.line, error.mark.col) == (line_of(escalation, "domain: https://cnmc.es/"), 13)


def test_a_regulator_domain_needs_a_reason(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    text = escalation.read_text(encoding="utf-8")
    start = text.index("  - domain: cnmc.es\n")
    escalation.write_text(text[:start] + "  - domain: cnmc.es\n", encoding="utf-8")
    error = only(errors_of(deadlines, escalation), "regulator_domains[2].reason")
    assert error.message == "required field is missing"
    assert error.mark.line == line_of(escalation, "- domain: cnmc.es")


def test_a_regulator_domain_listed_twice_or_already_a_body_is_refused(copies: tuple[Path, Path]) -> None:
    deadlines, escalation = copies
    with escalation.open("a", encoding="utf-8") as out:
        out.write("  - domain: cnmc.es\n    reason: again\n"
                  "  - domain: www2.bde.es\n    reason: under the Banco de España's body domain\n")
    errors = errors_of(deadlines, escalation)
    twice = only(errors, "regulator_domains[3].domain")
    lines = [n for n, line in enumerate(escalation.read_text(encoding="utf-8").splitlines(), 1)
             if line == "  - domain: cnmc.es"]
    assert twice.message == f"'cnmc.es' is listed twice (first at line {lines[0]})" and twice.mark.line == lines[1]
    covered = only(errors, "regulator_domains[4].domain")
    assert covered.message == "'www2.bde.es' is already covered by escalation body 'bde' (bde.es)"
    assert covered.hint == "remove this entry: the body's domain counts already"


def test_the_api_publishes_the_listed_regulator_domains_with_their_reasons() -> None:
    from generator.site.api import escalation_catalogue

    published = escalation_catalogue().model_dump(mode="json")["regulator_domains"]
    assert [entry["domain"] for entry in published] == [entry.domain for entry in load_rules().listed_regulator_domains]
    assert {"domain": "cnmc.es", "reason": load_rules().regulator_domains["cnmc.es"]} in published
