# The pydantic mypy plugin re-declares the fields CompanyRecord inherits, with their type aliases, in this
# module, where they trip valid-type as they do in models.py (see the ignores there).
# mypy: disable-error-code="valid-type"
"""Open data: the files published under `api/v1/` and the schemas that describe them.

Every file is the dump of a pydantic model defined here (or a data model it
reuses), and every schema is generated from the same model, so a file and its
schema cannot drift apart unnoticed: the suite validates the built files
against the published schemas and the Data Package with `frictionless`.

- `companies.json`: the list (`CompanyList`);
- `companies/<id>.json`: one self-contained record per company (`CompanyRecord`:
  the data entry, its escalation bodies resolved, its deadline rules, its pages);
- `deadline-rules.json`, `escalation-bodies.json`: the two rule catalogues;
- `companies.csv`, `channels.csv`, `measured.csv`: the same data as tables (`CompanyRow`, `ChannelRow`, `MeasuredRow`);
- `datapackage.json`: a Frictionless Data Package over the tables and the JSON files;
- `schema/`: a JSON Schema per JSON file and a Table Schema per CSV file.

A fact the data does not state is left out of the JSON (no key, never null)
and left empty in the CSV.  Page links are relative to the site root; with a
known site address (`site_url`), the absolute addresses are added beside them.
docs/api.md documents the files for reusers, and the version policy.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from generator.data import schema
from generator.data.fields import Country, IsoDate
from generator.data.legal import DeadlineCatalogue, DeadlineRule, EscalationBody, EscalationCatalogue, load_rules
from generator.data.models import Alias, Channel, Company, Complaints, Localized, Measured, Name, ShortText  # noqa: F401 - see CompanyRecord
from generator.data.vocabulary import LANGUAGES, ChannelType, Cost, Metric, Sector, SourceKind, Unit
from generator.site._made_on_write import TextsOnRead
from generator.site.deadlines import applicable_rules
from generator.site.derive import CompanyView, SiteModel
from generator.site.urls import API_DIR, company_url

SCHEMA_DIR = f"{API_DIR}/schema"
LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "path": "https://creativecommons.org/licenses/by/4.0/"}


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


# --- JSON files ----------------------------------------------------------------


class PageLinks(_Out):
    """The company's page in each language of the site."""

    es: str
    """The page in Spanish."""
    en: str
    """The page in English."""


class CompanySummary(_Out):
    """One company in the list: enough to find it and fetch its record."""

    id: str
    """Stable slug; it never changes, and names the record file."""
    name: str
    """Name consumers know the company by."""
    aliases: list[str]
    """Other names people search for."""
    sector: Sector
    """Sector."""
    countries: list[Country]
    """Countries where the channels serve consumers (ISO 3166-1 alpha-2)."""
    channel_types: list[ChannelType]
    """The kinds of channel the company has, sorted."""
    url: str
    """The Spanish page, relative to the site root (the same as `pages.es`)."""
    api: str
    """The company's record, relative to the site root."""
    pages: PageLinks
    """The company's page in each language, relative to the site root."""
    urls: PageLinks | None = None
    """The same pages as absolute addresses; left out when the build does not know the site's address."""
    last_changed: IsoDate | None = None
    """The day the entry was last added or changed in the data (from its git history); left out when the build has no history."""


class CompanyList(_Out):
    """companies.json: every company, sorted by name."""

    count: int = Field(ge=0)
    """How many companies the list holds."""
    companies: list[CompanySummary]
    """The companies, sorted by name (accents and case ignored)."""


class CompanyRecord(Company):
    """companies/<id>.json: a company's data entry plus what a reuser needs without the site."""

    escalation_bodies: list[EscalationBody]
    """Where to go next, as the company page lists them: the bodies the entry names, then its sector's defaults, resolved."""
    deadline_rules: list[DeadlineRule]
    """The legal answer periods that bind the company (its sector and countries): general or sector rules first, then special cases."""
    pages: PageLinks
    """The company's page in each language, relative to the site root."""
    urls: PageLinks | None = None
    """The same pages as absolute addresses; left out when the build does not know the site's address."""
    last_changed: IsoDate | None = None
    """The day the entry was last added or changed in the data (from its git history); left out when the build has no history."""


def _pages(company_id: str, site_url: str | None) -> tuple[PageLinks, PageLinks | None]:
    pages = {lang: company_url(company_id, lang) for lang in LANGUAGES}
    relative = PageLinks.model_validate(pages)
    absolute = PageLinks.model_validate({lang: site_url + url for lang, url in pages.items()}) if site_url else None
    return relative, absolute


def record_path(company_id: str) -> str:
    """Where a company's record is published, relative to the site root."""
    return f"{API_DIR}/companies/{company_id}.json"


def company_record(view: CompanyView, site_url: str | None = None) -> CompanyRecord:
    """A company's self-contained record (built from validated models, so it is not validated again)."""
    company = view.company
    pages, urls = _pages(company.id, site_url)
    fields = {name: getattr(company, name) for name in Company.model_fields}
    return CompanyRecord.model_construct(
        **fields, escalation_bodies=list(view.authorities),
        deadline_rules=applicable_rules(company.sector, company.countries, company.region, special=True),
        pages=pages, urls=urls, last_changed=view.last_changed)


def company_summary(view: CompanyView, site_url: str | None = None) -> CompanySummary:
    company = view.company
    pages, urls = _pages(company.id, site_url)
    return CompanySummary(id=company.id, name=company.name, aliases=list(company.aliases), sector=company.sector,
                          countries=list(company.countries),
                          channel_types=sorted(view.search.channel_types, key=lambda kind: kind.value),
                          url=pages.es, api=record_path(company.id), pages=pages, urls=urls, last_changed=view.last_changed)


def deadline_catalogue() -> DeadlineCatalogue:
    return DeadlineCatalogue.model_construct(rules=list(load_rules().deadlines))


def escalation_catalogue() -> EscalationCatalogue:
    rules = load_rules()
    return EscalationCatalogue.model_construct(bodies=list(rules.bodies.values()),
                                               defaults={sector.value: list(keys) for sector, keys in rules.defaults.items()},
                                               regulator_domains=list(rules.listed_regulator_domains))


def _json(model: BaseModel) -> str:
    # pydantic's own serialiser: the same text as json.dumps(indent=1, ensure_ascii=False) of model_dump(mode="json"),
    # several times faster (benchmarks/README.md), since json.dumps with an indent runs in Python.
    return model.model_dump_json(exclude_none=True, indent=1) + "\n"


# --- CSV tables ------------------------------------------------------------------


def _doc(model: type[BaseModel], field: str, prefix: str = "") -> str:
    """A column's description: the data model's own field description (written once, in models.py)."""
    return prefix + (model.model_fields[field].description or "")


_NOTES_ES = "The notes in Spanish (see `notes`)."
_NOTES_EN = "The notes in English (see `notes`)."


class CompanyRow(_Out):
    """companies.csv: one row per company; list cells hold a JSON array, e.g. ["ES","PT"]."""

    id: str = Field(description=_doc(Company, "id"))
    name: str = Field(description=_doc(Company, "name"))
    legal_name: str | None = Field(default=None, description=_doc(Company, "legal_name"))
    aliases: list[str] = Field(description=_doc(Company, "aliases"))
    sector: Sector = Field(description=_doc(Company, "sector"))
    countries: list[str] = Field(description=_doc(Company, "countries"))
    region: str | None = Field(default=None, description=_doc(Company, "region"))
    website: str = Field(description=_doc(Company, "website"))
    domains: list[str] = Field(description=_doc(Company, "domains"))
    timezone: str = Field(description=_doc(Company, "timezone"))
    notes_es: str | None = Field(default=None, description=_NOTES_ES)
    notes_en: str | None = Field(default=None, description=_NOTES_EN)
    complaints_url: str | None = Field(default=None, description=_doc(Complaints, "url", "Complaints: "))
    complaints_email: str | None = Field(default=None, description=_doc(Complaints, "email", "Complaints: "))
    complaints_postal_address: str | None = Field(default=None, description=_doc(Complaints, "postal_address", "Complaints: "))
    complaints_answer_within: str | None = Field(default=None, description=_doc(Complaints, "answer_within", "Complaints: "))
    complaints_notes_es: str | None = Field(default=None, description="Complaints: the notes in Spanish.")
    complaints_notes_en: str | None = Field(default=None, description="Complaints: the notes in English.")
    complaints_source: str | None = Field(default=None, description=_doc(Complaints, "source", "Complaints: "))
    complaints_source_kind: SourceKind | None = Field(default=None, description=_doc(Complaints, "source_kind", "Complaints: "))
    complaints_source_date: date | None = Field(default=None, description=_doc(Complaints, "source_date", "Complaints: "))
    complaints_checked: date | None = Field(default=None, description=_doc(Complaints, "checked", "Complaints: "))
    complaints_evidence: str | None = Field(default=None, description=_doc(Complaints, "evidence", "Complaints: "))
    escalation: list[str] = Field(description=_doc(Company, "escalation"))
    escalation_bodies: list[str] = Field(description="Keys of every body in the record's `escalation_bodies`, in order.")
    deadline_rules: list[str] = Field(description="Keys of the record's `deadline_rules`, in order.")
    page_es: str = Field(description="The Spanish page, relative to the site root.")
    page_en: str = Field(description="The English page, relative to the site root.")
    url_es: str | None = Field(default=None, description="The Spanish page's absolute address, when the build knows the site's address.")
    url_en: str | None = Field(default=None, description="The English page's absolute address, when the build knows the site's address.")
    api: str = Field(description="The company's JSON record, relative to the site root.")
    last_changed: date | None = Field(default=None, description=_doc(CompanyRecord, "last_changed"))


class ChannelRow(_Out):
    """channels.csv: one row per channel, in the order of the data file; list cells hold a JSON array."""

    company_id: str = Field(description="The company's `id` (a row of companies.csv).")
    position: int = Field(ge=1, description="The channel's place in the company's `channels` list, from 1.")
    type: ChannelType = Field(description=_doc(Channel, "type"))
    address: str = Field(description=_doc(Channel, "address"))
    purpose: list[str] = Field(description=_doc(Channel, "purpose"))
    languages: list[str] = Field(description=_doc(Channel, "languages"))
    hours: str | None = Field(default=None, description=_doc(Channel, "hours"))
    timezone: str | None = Field(default=None, description=_doc(Channel, "timezone"))
    response_time: str | None = Field(default=None, description=_doc(Channel, "response_time"))
    cost: Cost = Field(description=_doc(Channel, "cost"))
    private: bool = Field(description=_doc(Channel, "private"))
    notes_es: str | None = Field(default=None, description=_NOTES_ES)
    notes_en: str | None = Field(default=None, description=_NOTES_EN)
    source: str = Field(description=_doc(Channel, "source"))
    source_kind: SourceKind = Field(description=_doc(Channel, "source_kind"))
    source_date: date | None = Field(default=None, description=_doc(Channel, "source_date"))
    checked: date = Field(description=_doc(Channel, "checked"))
    evidence: str | None = Field(default=None, description=_doc(Channel, "evidence"))


class MeasuredRow(_Out):
    """measured.csv: one row per measured figure (a company's `measured` list), in the order of the data file."""

    company_id: str = Field(description="The company's `id` (a row of companies.csv).")
    position: int = Field(ge=1, description="The figure's place in the company's `measured` list, from 1.")
    metric: Metric = Field(description=_doc(Measured, "metric"))
    value: float = Field(description=_doc(Measured, "value"))
    unit: Unit = Field(description=_doc(Measured, "unit"))
    period: str = Field(description=_doc(Measured, "period"))
    study: str | None = Field(default=None, description=_doc(Measured, "study"))
    scope_es: str | None = Field(default=None, description="What the figure covers, in Spanish (see `scope`).")
    scope_en: str | None = Field(default=None, description="What the figure covers, in English (see `scope`).")
    source: str = Field(description=_doc(Measured, "source"))
    source_kind: SourceKind = Field(description=_doc(Measured, "source_kind"))
    source_date: date | None = Field(default=None, description=_doc(Measured, "source_date"))
    checked: date = Field(description=_doc(Measured, "checked"))
    evidence: str = Field(description=_doc(Measured, "evidence"))


def _text(value: Localized | None, lang: str) -> str | None:
    return None if value is None else value.get(lang)


def company_row(record: CompanyRecord) -> CompanyRow:
    complaints = record.complaints
    complaint_fields: dict[str, Any] = {}
    if complaints is not None:
        complaint_fields = {f"complaints_{name}": getattr(complaints, name)
                            for name in ("url", "email", "postal_address", "source", "source_kind", "source_date",
                                         "checked", "evidence")}
        complaint_fields |= {"complaints_answer_within": None if complaints.answer_within is None else str(complaints.answer_within),
                             "complaints_notes_es": _text(complaints.notes, "es"),
                             "complaints_notes_en": _text(complaints.notes, "en")}
    return CompanyRow(
        id=record.id, name=record.name, legal_name=record.legal_name, aliases=list(record.aliases), sector=record.sector,
        countries=list(record.countries), region=record.region, website=record.website, domains=list(record.domains),
        timezone=record.timezone, notes_es=_text(record.notes, "es"), notes_en=_text(record.notes, "en"),
        escalation=list(record.escalation), escalation_bodies=[body.key for body in record.escalation_bodies],
        deadline_rules=[rule.key for rule in record.deadline_rules], page_es=record.pages.es, page_en=record.pages.en,
        url_es=record.urls.es if record.urls else None, url_en=record.urls.en if record.urls else None,
        api=record_path(record.id), last_changed=record.last_changed, **complaint_fields)


def channel_rows(company: Company) -> list[ChannelRow]:
    return [ChannelRow(
        company_id=company.id, position=position, type=ch.type, address=ch.address, purpose=[p.value for p in ch.purpose],
        languages=list(ch.languages), hours=ch.hours, timezone=ch.timezone,
        response_time=None if ch.response_time is None else str(ch.response_time), cost=ch.cost, private=ch.private,
        notes_es=_text(ch.notes, "es"), notes_en=_text(ch.notes, "en"), source=ch.source, source_kind=ch.source_kind,
        source_date=ch.source_date, checked=ch.checked, evidence=ch.evidence)
        for position, ch in enumerate(company.channels, start=1)]


# OWASP, "CSV Injection": a spreadsheet reads a cell starting with one of these as a formula.  Such a cell
# gets a leading apostrophe; so does a cell that starts with an apostrophe, so that removing one leading
# apostrophe from every cell that has one always gives the value back (docs/api.md says so).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
CSV_GUARD = ("A cell that would start with =, +, -, @, a tab, a carriage return or ' starts with an added ' "
             "(so spreadsheets do not run it as a formula): remove one leading ' to get the value.")


def measured_rows(company: Company) -> list[MeasuredRow]:
    return [MeasuredRow(
        company_id=company.id, position=position, metric=m.metric, value=m.value, unit=m.unit, period=m.period, study=m.study,
        scope_es=_text(m.scope, "es"), scope_en=_text(m.scope, "en"), source=m.source, source_kind=m.source_kind,
        source_date=m.source_date, checked=m.checked, evidence=m.evidence or "")
        for position, m in enumerate(company.measured, start=1)]


def _cell(value: object) -> str:
    """A CSV cell: empty for a fact not stated, JSON for a list, true/false for a yes/no; formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(model: type[BaseModel], rows: Iterable[BaseModel]) -> str:
    """UTF-8 CSV text with a header row (the model's fields, in order)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = list(model.model_fields)
    writer.writerow(columns)
    for row in rows:
        data = row.model_dump(mode="json")
        writer.writerow([_cell(data[name]) for name in columns])
    return out.getvalue()


_TABLE_TYPES = {"string": "string", "integer": "integer", "boolean": "boolean", "array": "array", "number": "number"}


def table_schema(model: type[BaseModel], *, primary_key: list[str],
                 foreign_keys: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A Frictionless Table Schema generated from a row model: column names, types, descriptions, required, enums."""
    generated = model.model_json_schema(mode="validation")
    defs = generated.get("$defs", {})
    fields = []
    for name, node in generated["properties"].items():
        options = [o for o in node.get("anyOf", [node]) if o.get("type") != "null"]
        required = name in generated.get("required", []) and len(options) == len(node.get("anyOf", [node]))
        (kind,) = options
        if "$ref" in kind:
            kind = defs[kind["$ref"].rsplit("/", 1)[1]]
        field: dict[str, Any] = {"name": name, "type": _TABLE_TYPES[kind["type"]], "description": node.get("description", "")}
        if kind.get("format") == "date":
            field["type"] = "date"
        constraints: dict[str, Any] = {}
        if required:
            constraints["required"] = True
        if "enum" in kind:
            constraints["enum"] = kind["enum"]
        if "minimum" in node:
            constraints["minimum"] = node["minimum"]
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    table: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": primary_key,
                             "description": f"{(model.__doc__ or '').strip()} {CSV_GUARD}"}
    if foreign_keys:
        table["foreignKeys"] = foreign_keys
    return table


# --- what is published -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Published:
    """One kind of published file: where it lives under api/v1/, its schema, and the model both come from."""

    name: str  # the Data Package resource name, and the schema file's stem
    path: str  # relative to api/v1/; "companies/<id>.json" for the per-company records
    model: type[BaseModel]
    schema: Callable[[], dict[str, Any]]

    @property
    def schema_path(self) -> str:
        suffix = "tableschema" if self.path.endswith(".csv") else "schema"
        return f"schema/{self.name}.{suffix}.json"


def _json_schema(model: type[BaseModel]) -> Callable[[], dict[str, Any]]:
    return lambda: schema.of(model)


PUBLISHED = (
    Published("company-list", "companies.json", CompanyList, _json_schema(CompanyList)),
    Published("company-record", "companies/<id>.json", CompanyRecord, _json_schema(CompanyRecord)),
    Published("deadline-rules", "deadline-rules.json", DeadlineCatalogue, _json_schema(DeadlineCatalogue)),
    Published("escalation-bodies", "escalation-bodies.json", EscalationCatalogue, _json_schema(EscalationCatalogue)),
    Published("companies", "companies.csv", CompanyRow, lambda: table_schema(CompanyRow, primary_key=["id"])),
    Published("channels", "channels.csv", ChannelRow, lambda: table_schema(
        ChannelRow, primary_key=["company_id", "position"],
        foreign_keys=[{"fields": ["company_id"], "reference": {"resource": "companies", "fields": ["id"]}}])),
    Published("measured-figures", "measured.csv", MeasuredRow, lambda: table_schema(
        MeasuredRow, primary_key=["company_id", "position"],
        foreign_keys=[{"fields": ["company_id"], "reference": {"resource": "companies", "fields": ["id"]}}])),
)
"""Every kind of file under api/v1/ except datapackage.json, in the order docs/api.md presents them."""

_TITLES = {
    "company-list": ("Company list", "Every company: name, aliases, sector, countries, channel types and links to its pages and record."),
    "deadline-rules": ("Deadline rules", "Legal answer periods for formal complaints, by sector and country, each with its legal source."),
    "escalation-bodies": ("Escalation bodies", "Bodies a consumer can turn to when a company does not answer or says no, and each sector's defaults."),
    "companies": ("Companies (table)", "One row per company: its facts, its formal complaint route and links."),
    "channels": ("Channels (table)", "One row per customer-service channel, with its source, checked date and evidence."),
    "measured-figures": ("Measured figures (table)", "One row per figure a study or a regulator measured about a company's customer "
                 "service in a past period: metric, value, unit, period, study, source and evidence."),
}


def datapackage(site_url: str | None) -> dict[str, Any]:
    """The Frictionless Data Package descriptor (paths relative to api/v1/).

    The per-company records are left out: a Data Package resource with several
    paths means one file cut in parts, and the tables and the list hold the same data.
    """
    resources: list[dict[str, Any]] = []
    for item in PUBLISHED:
        if item.name not in _TITLES:
            continue
        title, description = _TITLES[item.name]
        resource: dict[str, Any] = {"name": item.name, "title": title, "description": description, "path": item.path,
                                    "encoding": "utf-8"}
        if item.path.endswith(".csv"):
            resource |= {"profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "schema": item.schema_path}
        else:
            resource |= {"type": "json", "format": "json", "mediatype": "application/json", "jsonSchema": item.schema_path}
        resources.append(resource)
    package: dict[str, Any] = {
        "profile": "data-package", "name": "donde-reclamo", "title": "Dónde Reclamo",
        "description": "How to reach each company's customer service in Spain, when it is staffed, how fast the company says "
                       "it answers, how to file a formal complaint and where to escalate. Every fact cites a public source "
                       "and the day it was checked.",
        "licenses": [LICENCE], "resources": resources}
    if site_url:
        package["homepage"] = site_url
    return package


def schemas() -> dict[str, dict[str, Any]]:
    """Every published schema by its path under api/v1/."""
    return {item.schema_path: item.schema() for item in PUBLISHED}


def files(model: SiteModel, site_url: str | None = None) -> TextsOnRead:
    """Every file under api/v1/: site-relative path → text, each made when it is read (see `texts.py`)."""
    base = site_url.rstrip("/") + "/" if site_url else None
    views = model.companies
    out = TextsOnRead()
    out.add(f"{API_DIR}/companies.json", lambda: _json(CompanyList(count=len(views), companies=[company_summary(view, base) for view in views])))
    for view in views:
        out.add(record_path(view.company.id), partial(_record_json, view, base))
    out.add(f"{API_DIR}/deadline-rules.json", lambda: _json(deadline_catalogue()))
    out.add(f"{API_DIR}/escalation-bodies.json", lambda: _json(escalation_catalogue()))
    out.add(f"{API_DIR}/companies.csv", lambda: to_csv(CompanyRow, (company_row(company_record(view, base)) for view in views)))
    out.add(f"{API_DIR}/channels.csv", lambda: to_csv(ChannelRow, (row for view in views for row in channel_rows(view.company))))
    out.add(f"{API_DIR}/measured.csv", lambda: to_csv(MeasuredRow, (row for view in views for row in measured_rows(view.company))))
    for path, value in schemas().items():
        out.add(f"{API_DIR}/{path}", partial(schema.dumps, value))
    out.add(f"{API_DIR}/datapackage.json", lambda: schema.dumps(datapackage(base)))
    return out


def _record_json(view: CompanyView, site_url: str | None) -> str:
    return _json(company_record(view, site_url))
