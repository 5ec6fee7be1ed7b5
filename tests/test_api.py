"""The open data under api/v1/, read from a real build: files match their schemas, tables round-trip, the page lists them."""

from __future__ import annotations

import copy
import csv
import fnmatch
import io
import json
import posixpath
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup
from frictionless import Package

from generator.data import schema
from generator.data.history import ChangeRecord
from generator.pipeline import build_model, build_site, load_companies
from generator.site.api import CompanyList
from generator.site.derive import derive_site
from generator.site.i18n import messages
from generator.site.render import data_files

from .conftest import CASES, FIXTURE_SITE_URL, REAL_DATA, ROOT

FIXTURE = CASES / "site" / "companies.yaml"
SITE_URL = FIXTURE_SITE_URL
API = "api/v1"
# What the open-data page promises, written here rather than read from the generator.
SCHEMA_OF = {
    "companies.json": "schema/company-list.schema.json",
    "companies/*.json": "schema/company-record.schema.json",
    "deadline-rules.json": "schema/deadline-rules.schema.json",
    "escalation-bodies.json": "schema/escalation-bodies.schema.json",
}
TABLES = {"companies.csv": "schema/companies.tableschema.json", "channels.csv": "schema/channels.tableschema.json",
          "measured.csv": "schema/measured-figures.tableschema.json"}
LIST_COLUMNS = {"aliases", "countries", "domains", "escalation", "escalation_bodies", "deadline_rules", "purpose", "languages"}


@pytest.fixture(scope="module")
def site(fixture_site: Path) -> Path:
    return fixture_site


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def published(site: Path) -> list[str]:
    """Every file under api/v1/, relative to it."""
    root = site / API
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def validator(site: Path, schema_path: str) -> jsonschema.Draft202012Validator:
    document = read_json(site / API / schema_path)
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document, format_checker=jsonschema.FormatChecker())


def schema_for(name: str) -> str | None:
    return next((schema_path for pattern, schema_path in SCHEMA_OF.items() if fnmatch.fnmatch(name, pattern)), None)


def records(site: Path) -> dict[str, dict[str, Any]]:
    return {path.stem: read_json(path) for path in sorted((site / API / "companies").glob("*.json"))}


def nulls(value: object, where: str = "") -> list[str]:
    if value is None:
        return [where]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in nulls(item, f"{where}.{key}")]
    if isinstance(value, list):
        return [found for i, item in enumerate(value) for found in nulls(item, f"{where}[{i}]")]
    return []


# --- every JSON file against the schema published for it ------------------------------------


@pytest.mark.site
def test_every_published_json_file_validates_against_its_published_schema(site: Path) -> None:
    checked = 0
    for name in published(site):
        if not name.endswith(".json") or name.startswith("schema/") or name == "datapackage.json":
            continue
        schema_path = schema_for(name)
        assert schema_path, f"{name} is published without a schema"
        errors = [f"{name}: {e.json_path}: {e.message}" for e in validator(site, schema_path).iter_errors(read_json(site / API / name))]
        assert not errors, "\n".join(errors[:10])
        assert not nulls(read_json(site / API / name)), name  # an unknown is left out, never null
        checked += 1
    assert checked == 3 + 2  # the list, the two catalogues, one record per fixture company


@pytest.mark.site
def test_the_schemas_reject_what_the_files_must_not_hold(site: Path) -> None:
    check = validator(site, SCHEMA_OF["companies/*.json"])
    acme = read_json(site / API / "companies/acme.json")
    assert check.is_valid(acme)

    def broken(change: Any) -> dict[str, Any]:
        record = copy.deepcopy(acme)
        change(record)
        return record

    assert not check.is_valid(broken(lambda r: r.pop("escalation_bodies")))
    assert not check.is_valid(broken(lambda r: r["escalation_bodies"][0]["name"].pop("en")))
    assert not check.is_valid(broken(lambda r: r["channels"][0].update(type="fax")))
    assert not check.is_valid(broken(lambda r: r["deadline_rules"][0]["period"].update(unit="weeks")))
    assert not check.is_valid(broken(lambda r: r.update(surprise=1)))
    assert not check.is_valid(broken(lambda r: r["pages"].pop("en")))
    listing = validator(site, SCHEMA_OF["companies.json"])
    assert not listing.is_valid({"count": 1, "companies": [{"id": "acme"}]})


@pytest.mark.site
def test_records_are_self_contained(site: Path) -> None:
    bodies = {body["key"]: body for body in read_json(site / API / "escalation-bodies.json")["bodies"]}
    rules = {rule["key"]: rule for rule in read_json(site / API / "deadline-rules.json")["rules"]}
    found = records(site)
    assert set(found) == {"acme", "beta-bank"}
    acme, beta = found["acme"], found["beta-bank"]
    # the bodies the entry names come first, then its sector's defaults; each resolved as in the catalogue
    keys = [body["key"] for body in acme["escalation_bodies"]]
    assert keys[:2] == acme["escalation"] == ["oatu", "arbitraje-consumo"] and len(keys) > 2
    for record in found.values():
        for body in record["escalation_bodies"]:
            assert body == bodies[body["key"]]
            assert body["name"]["es"] and body["name"]["en"] and body["handles"]["es"] and body["handles"]["en"]
        # the sector's rules, as in the catalogue, that bind the company's sector and country
        assert record["deadline_rules"]
        for rule in record["deadline_rules"]:
            assert rule == rules[rule["key"]]
            assert record["sector"] in rule["sectors"] and set(record["countries"]) & set(rule["countries"])
    assert {rule["key"] for rule in beta["deadline_rules"]} >= {"es-banking-payments"}
    assert all("telecom" in rule["sectors"] for rule in acme["deadline_rules"])
    for company_id, record in found.items():
        assert record["pages"] == {"es": f"empresas/{company_id}/", "en": f"en/empresas/{company_id}/"}
        assert record["urls"] == {lang: SITE_URL + url for lang, url in record["pages"].items()}
        for url in record["pages"].values():
            assert (site / url / "index.html").is_file()
        assert "last_changed" not in record  # the fixture build has no git history
    listing = read_json(site / API / "companies.json")
    assert [c["id"] for c in listing["companies"]] == ["acme", "beta-bank"] and listing["count"] == 2
    for summary in listing["companies"]:
        assert (site / summary["api"]).is_file() and summary["pages"] == found[summary["id"]]["pages"]


# --- tables ----------------------------------------------------------------------------


def read_csv_text(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = [{k: v.removeprefix("'") for k, v in row.items()} for row in reader]  # docs/api.md: the spreadsheet guard
    return list(reader.fieldnames or []), rows


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without a byte-order mark
    return read_csv_text(raw.decode("utf-8"))


def cell(column: str, value: str) -> Any:
    """A CSV cell back in the JSON files' terms (the conversion the open-data page documents)."""
    if column in LIST_COLUMNS:
        return json.loads(value)
    if column == "private":
        return {"true": True, "false": False}[value]
    return value


def notes(row: dict[str, str], prefix: str = "") -> dict[str, str] | None:
    found = {lang: row[f"{prefix}notes_{lang}"] for lang in ("es", "en") if row[f"{prefix}notes_{lang}"]}
    return found or None


def channel_from_row(row: dict[str, str]) -> dict[str, Any]:
    channel = {column: cell(column, value) for column, value in row.items()
               if value != "" and column not in ("company_id", "position", "notes_es", "notes_en")}
    if notes(row):
        channel["notes"] = notes(row)
    return channel


@pytest.mark.site
def test_channels_csv_gives_the_same_channels_as_the_company_records(site: Path) -> None:
    header, rows = read_csv(site / API / "channels.csv")
    assert header == [field["name"] for field in read_json(site / API / TABLES["channels.csv"])["fields"]]
    by_company: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for row in rows:
        by_company.setdefault(row["company_id"], []).append((int(row["position"]), channel_from_row(row)))
    found = records(site)
    assert set(by_company) == set(found)
    for company_id, record in found.items():
        positions = [position for position, _ in by_company[company_id]]
        assert positions == list(range(1, len(record["channels"]) + 1))
        assert [channel for _, channel in by_company[company_id]] == record["channels"], company_id
    # hostile text survives the trip as typed
    assert any(channel.get("notes") == {"es": "</script><script>alert(3)</script>"} for _, channel in by_company["acme"])


@pytest.mark.site
def test_measured_csv_gives_the_same_figures_as_the_company_records(site: Path) -> None:
    header, rows = read_csv(site / API / "measured.csv")
    assert header == [field["name"] for field in read_json(site / API / TABLES["measured.csv"])["fields"]]
    by_company: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        figure: dict[str, Any] = {column: value for column, value in row.items()
                                  if value != "" and column not in ("company_id", "position", "scope_es", "scope_en")}
        figure["value"] = float(figure["value"])
        scope = {lang: row[f"scope_{lang}"] for lang in ("es", "en") if row[f"scope_{lang}"]}
        if scope:
            figure["scope"] = scope
        assert int(row["position"]) == len(by_company.get(row["company_id"], [])) + 1
        by_company.setdefault(row["company_id"], []).append(figure)
    found = {company_id: record["measured"] for company_id, record in records(site).items() if record.get("measured")}
    assert by_company == found and found  # the fixture has figures: the comparison is not vacuous
    assert isinstance(found["acme"][0]["value"], (int, float))  # a number in the JSON, whatever the YAML held


@pytest.mark.site
def test_companies_csv_gives_the_same_companies_as_the_company_records(site: Path) -> None:
    header, rows = read_csv(site / API / "companies.csv")
    assert header == [field["name"] for field in read_json(site / API / TABLES["companies.csv"])["fields"]]
    found = records(site)
    assert [row["id"] for row in rows] == [c["id"] for c in read_json(site / API / "companies.json")["companies"]]
    for row in rows:
        record = found[row["id"]]
        for column in ("name", "legal_name", "aliases", "sector", "countries", "region", "website", "domains", "timezone", "escalation",
                       "last_changed"):
            assert cell(column, row[column]) == record.get(column, ""), (row["id"], column)
        assert notes(row) == record.get("notes")
        complaints = record.get("complaints", {})
        for key in ("url", "email", "postal_address", "answer_within", "source", "source_kind", "source_date", "checked", "evidence"):
            assert row[f"complaints_{key}"] == complaints.get(key, ""), (row["id"], key)
        assert notes(row, "complaints_") == complaints.get("notes")
        assert cell("escalation_bodies", row["escalation_bodies"]) == [b["key"] for b in record["escalation_bodies"]]
        assert cell("deadline_rules", row["deadline_rules"]) == [r["key"] for r in record["deadline_rules"]]
        assert (row["page_es"], row["page_en"]) == (record["pages"]["es"], record["pages"]["en"])
        assert (row["url_es"], row["url_en"]) == (record["urls"]["es"], record["urls"]["en"])
        assert row["api"] == f"{API}/companies/{row['id']}.json"
    assert "Acme <script>" in rows[0]["name"]


# --- the Data Package -----------------------------------------------------------------


def package_errors(descriptor: Path) -> list[tuple[str, str, str]]:
    """(resource, error type, message) for every problem frictionless finds."""
    report = Package(str(descriptor)).validate()
    return [(task.name, error.type, error.message) for task in report.tasks for error in task.errors] + \
           [("package", error.type, error.message) for error in report.errors]


@pytest.mark.site
def test_the_data_package_is_valid_and_describes_the_tables_and_json_files(site: Path) -> None:
    descriptor = read_json(site / API / "datapackage.json")
    assert package_errors(site / API / "datapackage.json") == []
    assert [licence["name"] for licence in descriptor["licenses"]] == ["CC-BY-4.0"]
    assert descriptor["homepage"] == SITE_URL
    resources = {r["path"]: r for r in descriptor["resources"]}
    assert set(resources) == {"companies.json", "deadline-rules.json", "escalation-bodies.json", "companies.csv", "channels.csv",
                              "measured.csv"}
    for path, schema_path in TABLES.items():
        assert resources[path]["schema"] == schema_path and resources[path]["profile"] == "tabular-data-resource"
    for path, resource in resources.items():
        if path.endswith(".json"):
            assert resource["jsonSchema"] == SCHEMA_OF[path]


@pytest.mark.site
def test_the_data_package_catches_a_bad_cell_and_an_unknown_company(site: Path, tmp_path: Path) -> None:
    copy_root = tmp_path / "v1"
    shutil.copytree(site / API, copy_root)
    channels = copy_root / "channels.csv"
    header, *lines = channels.read_text(encoding="utf-8").splitlines()
    columns = header.split(",")
    first = lines[0].split(",")  # the fixture's first channel has no commas in its cells
    first[columns.index("private")] = "maybe"
    second = lines[1].split(",")
    second[columns.index("company_id")] = "nobody"
    channels.write_text("\n".join([header, ",".join(first), ",".join(second), *lines[2:]]) + "\n", encoding="utf-8")
    errors = package_errors(copy_root / "datapackage.json")
    assert {(name, kind) for name, kind, _ in errors} == {("channels", "type-error"), ("channels", "foreign-key")}


# --- the open-data page ------------------------------------------------------------------


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.site
@pytest.mark.parametrize("url", ["api/", "en/api/"])
def test_the_open_data_page_links_every_published_file(site: Path, url: str) -> None:
    soup = page(site, url)
    content = soup.select_one("article")
    linked = set()
    for a in content.select("a[href]"):
        href = a["href"].partition("#")[0]
        if not href or href.startswith(("http:", "https:", "mailto:")):
            continue
        target = posixpath.normpath(posixpath.join(url, href))
        if target.startswith(f"{API}/"):
            assert (site / target).is_file(), href
            linked.add(target.removeprefix(f"{API}/"))
    records_ = {name for name in published(site) if fnmatch.fnmatch(name, "companies/*.json")}
    assert records_ and linked == set(published(site)) - records_
    assert "companies/<id>.json" in content.get_text()  # the per-company records, by their pattern
    nav = {a.get_text(strip=True) for a in soup.select("nav.md-nav--primary a")}
    assert ("Datos abiertos" if url == "api/" else "Open data") in nav


def anchor(name: str) -> str:
    return "api-" + re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def first_column(table: Any) -> list[str]:
    return [row.select_one("td").get_text() for row in table.select("tbody tr")]


@pytest.mark.site
@pytest.mark.parametrize(("url", "lang"), [("api/", "es"), ("en/api/", "en")])
def test_the_field_reference_has_every_field_of_every_file_in_the_page_language(site: Path, url: str, lang: str) -> None:
    soup = page(site, url)
    ids = [el["id"] for el in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    words = messages(lang)["api"]

    def table_after(heading_id: str) -> Any:
        heading = soup.find(id=heading_id)
        assert heading is not None, heading_id
        return heading.find_next("table")

    descriptor = read_json(site / API / "datapackage.json")
    schema_files = {**SCHEMA_OF, **TABLES}
    names = {r["path"]: r["name"] for r in descriptor["resources"]} | {"companies/*.json": "company-record"}
    for path, schema_path in schema_files.items():
        document = read_json(site / API / schema_path)
        table = table_after(f"api-{names[path]}")
        if "fields" in document:  # a Table Schema
            assert first_column(table) == [field["name"] for field in document["fields"]]
            assert [th.get_text() for th in table.select("th")] == [words[k] for k in ("column", "type", "required", "description")]
            continue
        assert first_column(table) == list(document["properties"])
        assert [th.get_text() for th in table.select("th")] == [words[k] for k in ("field", "type", "required", "description")]
        for name, definition in document.get("$defs", {}).items():
            if "properties" in definition:
                assert first_column(table_after(anchor(name))) == list(definition["properties"]), name


def test_the_examples_on_the_open_data_page_are_valid() -> None:
    check = jsonschema.Draft202012Validator(schema.of(CompanyList))
    for name in ("api.md", "api.en.md"):
        blocks = re.findall(r"```json\n(.*?)```", (ROOT / "docs" / name).read_text(encoding="utf-8"), re.S)
        assert blocks, name
        for block in blocks:
            check.validate(json.loads(block))


def test_without_a_site_address_the_files_carry_relative_links_only() -> None:
    files = build_site([FIXTURE], built=datetime(2026, 11, 24, 12, tzinfo=UTC)).files
    record = json.loads(files[f"{API}/companies/acme.json"])
    assert record["pages"]["en"] == "en/empresas/acme/" and "urls" not in record
    assert "homepage" not in json.loads(files[f"{API}/datapackage.json"])
    _, rows = read_csv_text(files[f"{API}/companies.csv"])
    assert rows[0]["url_es"] == "" and rows[0]["page_es"] == "empresas/acme/"
    check = jsonschema.Draft202012Validator(json.loads(files[f"{API}/schema/company-record.schema.json"]))
    assert not list(check.iter_errors(record))



@pytest.mark.site  # every company of the real data through the open-data writer and frictionless: a whole-data test
def test_the_bundled_data_publishes_valid_files(tmp_path: Path) -> None:
    """Every company of the real data, not a sample: its files match their schemas and the Data Package validates."""
    model = build_model(REAL_DATA, built=datetime.now(UTC))
    for path, text in data_files(model, SITE_URL).items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    names = published(tmp_path)
    assert len([n for n in names if fnmatch.fnmatch(n, "companies/*.json")]) == len(model.companies)
    for name in names:
        schema_path = schema_for(name)
        if schema_path and not name.startswith("schema/"):
            document = read_json(tmp_path / API / name)
            errors = [f"{name}: {e.json_path}: {e.message}" for e in validator(tmp_path, schema_path).iter_errors(document)]
            assert not errors and not nulls(document), errors[:5] or nulls(document)
    assert package_errors(tmp_path / API / "datapackage.json") == []


def test_last_changed_comes_from_the_history() -> None:
    built = datetime(2026, 11, 24, 12, tzinfo=UTC)
    history = [ChangeRecord("b" * 40, datetime(2026, 11, 20, 9, tzinfo=UTC), "Fix Acme", changed=("acme",)),
               ChangeRecord("a" * 40, datetime(2026, 10, 2, 9, tzinfo=UTC), "Add both", added=("acme", "beta-bank"))]
    model = derive_site(load_companies([FIXTURE], today=built.date()), built, history=history)
    files = data_files(model)
    assert json.loads(files[f"{API}/companies/acme.json"])["last_changed"] == "2026-11-20"
    assert json.loads(files[f"{API}/companies/beta-bank.json"])["last_changed"] == "2026-10-02"
    listing = json.loads(files[f"{API}/companies.json"])
    assert [c["last_changed"] for c in listing["companies"]] == ["2026-11-20", "2026-10-02"]
    _, rows = read_csv_text(files[f"{API}/companies.csv"])
    assert [row["last_changed"] for row in rows] == ["2026-11-20", "2026-10-02"]
    check = jsonschema.Draft202012Validator(json.loads(files[f"{API}/schema/company-record.schema.json"]),
                                            format_checker=jsonschema.FormatChecker())
    assert not list(check.iter_errors(json.loads(files[f"{API}/companies/acme.json"])))
