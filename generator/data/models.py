"""Typed, immutable models of the data contract (pydantic v2).

Field order matters: a field's validator may read the fields declared above
it (`info.data`), e.g. `address` is checked against `type`.  The validation
context carries what a field cannot know alone: the company's country (for
local phone numbers), its domains (for `source_kind: company`) and today's
date (for `checked`).  Field docstrings become the JSON Schema descriptions.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from generator.data.addresses import check_address
from generator.data.errors import Mark
from generator.data.fields import (
    Country,
    Domain,
    DurationField,
    Figure,
    Hours,
    HttpsUrl,
    IsoDate,
    Language,
    MeasuredPeriod,
    Region,
    Slug,
    Timezone,
    check_clean,
    did_you_mean,
    fail,
    on_domains,
    one_of,
    period_bounds,
    text,
)
from generator.data.legal import load_rules
from generator.data.vocabulary import (
    LANGUAGES,
    MEASURED_SOURCE_KINDS,
    METRIC_UNITS,
    PUBLIC_BY_DEFAULT,
    ChannelType,
    Cost,
    Metric,
    Purpose,
    Sector,
    SourceKind,
    Unit,
)

Name = Annotated[str, *text(120, prose=True)]
ShortText = Annotated[str, *text(200)]
LegalName = Annotated[str, *text(200, prose=True)]
Note = Annotated[str, *text(1000, single_line=False, prose=True)]
Alias = Annotated[str, *text(80, prose=True)]


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise fail("text_one_line", "must be one line — remove the line breaks")
    return value


Evidence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), AfterValidator(_one_line)]
EVIDENCE_REQUIRED_FROM = date(2026, 11, 30)
"""Facts checked on or after this day must quote their `evidence`."""


def _ctx(info: ValidationInfo, key: str, default: Any) -> Any:
    return (info.context or {}).get(key, default)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              use_attribute_docstrings=True, validate_default=False)

    # Control characters and bidi overrides: companies are checked in one walk over the entry by the validate
    # stage (generator/data/validate.py, `_unsafe_text`), which is much cheaper than a validator on every field.


class Localized(Model):
    """Free text given per site language; plain text in the data is read as Spanish."""

    es: Note | None = None
    """The text in Spanish."""
    en: Note | None = None
    """The text in English."""

    @model_validator(mode="after")
    def _at_least_one(self) -> Localized:
        if self.es is None and self.en is None:
            raise fail("localized_empty", "no text in any language — write the text, or `es:` and/or `en:` under it")
        return self

    def get(self, lang: str) -> str | None:
        """The text in `lang`, or None when it was not given in that language."""
        value: str | None = getattr(self, lang)
        return value


def _plain_text_is_spanish(value: object) -> object:
    return {"es": value} if isinstance(value, str) else value


_NOTE_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 1000}
Notes = Annotated[Localized, BeforeValidator(_plain_text_is_spanish), WithJsonSchema({
    "description": "Plain text (read as Spanish), or the text per language.",
    "anyOf": [_NOTE_SCHEMA, {"type": "object", "additionalProperties": False, "minProperties": 1,
                             "properties": {lang: _NOTE_SCHEMA for lang in LANGUAGES}}]})]


class Sourced(Model):
    """Fields every fact carries: where it was read and when."""

    source: HttpsUrl
    """Public https page that states this fact."""
    source_kind: Annotated[SourceKind, one_of(SourceKind)]
    """What kind of page the source is: company (on one of the company's domains); regulator (on the domain of an
    escalation body or of `regulator_domains` in generator/data/legal/escalation.yaml); public-body (a town council, ministry
    or other public body that is not a regulator); press; consumer-org; study (a published survey or annual report);
    directory (anything else: directories, blogs, forums, document copies)."""
    source_date: IsoDate | None = None
    """The date the source itself shows (e.g. an article's date), if it shows one."""
    checked: IsoDate
    """The day someone read the source and found the fact there (YYYY-MM-DD)."""
    evidence: Evidence | None = Field(default=None, validate_default=True)
    """The sentence of the source that states the fact, quoted in the source's language (at most 300 characters).
    Required when `checked` is on or after 2026-11-30."""

    @field_validator("source_kind")
    @classmethod
    def _company_source_on_domains(cls, kind: SourceKind, info: ValidationInfo) -> SourceKind:
        domains = _ctx(info, "domains", ())
        source = info.data.get("source")
        if kind is SourceKind.COMPANY and source and domains and not on_domains(source, domains):
            raise fail("source_domain", f"source is claimed as 'company' but {source} is not on the company's "
                       f"domains ({', '.join(domains)}) — add the domain to `domains` or set the right source_kind")
        if kind is SourceKind.REGULATOR and source and not on_domains(source, load_rules().regulator_domains):
            raise fail("source_domain", f"source is claimed as 'regulator' but {source} is not on a regulator's domain "
                       "(the escalation bodies' or regulator_domains in generator/data/legal/escalation.yaml) — use "
                       "public-body, or add the domain with a reason to regulator_domains in escalation.yaml")
        return kind

    @field_validator("evidence")
    @classmethod
    def _evidence_when_new(cls, value: str | None, info: ValidationInfo) -> str | None:
        checked = info.data.get("checked")
        if value is None and isinstance(checked, date) and checked >= EVIDENCE_REQUIRED_FROM:
            raise fail("evidence", f"facts checked on or after {EVIDENCE_REQUIRED_FROM.isoformat()} need `evidence` — "
                       "add evidence: with the source's sentence that states this fact, in quotes")
        return value

    @field_validator("checked", "source_date")
    @classmethod
    def _not_in_future(cls, value: date | None, info: ValidationInfo) -> date | None:
        today = _ctx(info, "today", None)
        if value is not None and today is not None and value > today:
            raise fail("future_date", f"{value.isoformat()} is in the future — write the day you read the source")
        return value


class Channel(Sourced):
    """One way to reach the company's customer service."""

    type: Annotated[ChannelType, one_of(ChannelType)]
    """Kind of channel: x, facebook, instagram, tiktok, youtube, linkedin, whatsapp, telegram, phone, email, webform, chat, app, post, in_person."""
    address: Annotated[str, *text(500)]
    """Where to write or call: phone number, @handle, e-mail, https link or postal address, by type."""
    purpose: list[Annotated[Purpose, one_of(Purpose)]] = Field(default_factory=list, max_length=10)
    """What the channel is for: general, support, complaints, sales, billing, outages, technical, claims, accessibility."""
    languages: list[Language] = Field(default_factory=list, max_length=20)
    """Languages the channel answers in (ISO 639-1)."""
    hours: Hours | None = None
    """When the channel is staffed, in OpenStreetMap opening_hours syntax; left out when the company does not say."""
    timezone: Timezone | None = None
    """Timezone of `hours` when it differs from the company's."""
    response_time: DurationField | None = None
    """The answer time the company states: 30m, 2h (staffed time), 2 days (calendar), 3 working days."""
    cost: Annotated[Cost, one_of(Cost)] | None = Field(default=None, validate_default=True)
    """What using the channel costs: free, standard, premium (shared-cost or special-rate numbers), unknown. For phone numbers it follows from the number."""
    private: StrictBool | None = Field(default=None, validate_default=True)
    """true when what you write is seen only by the company (DM, phone, e-mail); false for public posts. Defaults by type."""
    notes: Notes | None = None
    """Anything else a consumer should know, as plain text (or per language: es, en)."""

    @field_validator("address")
    @classmethod
    def _address_fits_type(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("type")
        if kind is None:
            return value
        return check_address(kind, value, _ctx(info, "region", "ES")).value

    @field_validator("cost")
    @classmethod
    def _cost_matches_number(cls, value: Cost | None, info: ValidationInfo) -> Cost:
        kind, address = info.data.get("type"), info.data.get("address")
        implied = None
        if kind in (ChannelType.PHONE, ChannelType.WHATSAPP) and address:
            implied = check_address(kind, address, _ctx(info, "region", "ES")).implied_cost
        if value is None:
            if kind is ChannelType.PHONE:
                return implied or Cost.UNKNOWN
            return Cost.FREE if kind in (ChannelType.WHATSAPP, *PUBLIC_BY_DEFAULT, ChannelType.EMAIL, ChannelType.WEBFORM,
                                         ChannelType.CHAT, ChannelType.APP, ChannelType.TELEGRAM) else Cost.UNKNOWN
        if kind is ChannelType.PHONE and implied is Cost.PREMIUM and value is Cost.FREE:
            raise fail("cost", f"{address} is a shared-cost or special-rate number, not free — set cost: premium")
        if kind is ChannelType.PHONE and implied is Cost.FREE and value is Cost.PREMIUM:
            raise fail("cost", f"{address} is a freephone number — set cost: free")
        return value

    @field_validator("private")
    @classmethod
    def _private_default(cls, value: bool | None, info: ValidationInfo) -> bool:
        if value is None:
            return info.data.get("type") not in PUBLIC_BY_DEFAULT
        return value


class Complaints(Sourced):
    """The formal complaint route (reclamación) and the deadline the company states."""

    url: HttpsUrl | None = None
    """Page or form to file a formal complaint."""
    email: Annotated[str, *text(254)] | None = None
    """E-mail address for formal complaints."""
    postal_address: ShortText | None = None
    """Postal address of the customer-service department for written complaints."""
    answer_within: DurationField | None = None
    """The answer deadline the company states, e.g. 1 month, 15 working days."""
    notes: Notes | None = None
    """Anything else about the complaint route, as plain text (or per language: es, en)."""


class Measured(Sourced):
    """A figure a third party measured about the company's customer service in a past period (a study, a regulator's report)."""

    metric: Annotated[Metric, one_of(Metric)]
    """What was measured: phone_wait_minutes, social_reply_minutes, forum_reply_minutes, complaints_per_10k_lines,
    complaints_upheld_share, complaint_resolution_days. Lower is better for every metric."""
    value: Figure
    """The figure as the source gives it (a number; decimals with a point)."""
    unit: Annotated[Unit, one_of(Unit)]
    """The figure's unit, fixed by the metric: minutes (waits and replies), days (complaint resolution), per_10000
    (complaints per 10,000 lines or subscribers), percent (share of complaints upheld)."""
    period: MeasuredPeriod
    """When it was measured: the year ("2023") or the first and last day ("2024-07-01/2024-09-30")."""
    study: Name | None = Field(default=None, validate_default=True)
    """The study or report and who published it, as the page names it (e.g. "Informe anual 2021 de la Oficina de
    Atención al Usuario de Telecomunicaciones"). Required when the source is a press article that reports it."""
    scope: Notes | None = None
    """What exactly the figure covers when the metric alone does not say (e.g. convergent services only), as plain text (or per language: es, en)."""

    @field_validator("source_kind")
    @classmethod
    def _company_source_on_domains(cls, kind: SourceKind, info: ValidationInfo) -> SourceKind:
        """Replaces the check of `Sourced`: a company's own page is never where a third party's figure is read."""
        if kind not in MEASURED_SOURCE_KINDS:
            raise fail("measured_source", f"a measured figure cannot come from a '{kind.value}' source — cite the study "
                       "or the regulator's report (source_kind: study or regulator), or the press article that reports it "
                       "(source_kind: press, with `study:` naming the report)")
        return kind

    @field_validator("evidence")
    @classmethod
    def _evidence_when_new(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            raise fail("evidence", "a measured figure needs `evidence` — add evidence: with the source's sentence that "
                       "states the figure, in quotes")
        return value

    @field_validator("unit")
    @classmethod
    def _unit_of_metric(cls, unit: Unit, info: ValidationInfo) -> Unit:
        metric = info.data.get("metric")
        if metric is not None and METRIC_UNITS[metric] is not unit:
            raise fail("unit", f"{metric.value} is given in {METRIC_UNITS[metric].value}, not {unit.value} — "
                       f"write unit: {METRIC_UNITS[metric].value} and convert the value if needed")
        return unit

    @field_validator("value")
    @classmethod
    def _share_at_most_100(cls, value: float, info: ValidationInfo) -> float:
        if info.data.get("metric") is Metric.COMPLAINTS_UPHELD_SHARE and value > 100:
            raise fail("value", f"{value:g} is not a share — write a percentage between 0 and 100")
        return value

    @field_validator("period")
    @classmethod
    def _period_past(cls, period: str, info: ValidationInfo) -> str:
        today = _ctx(info, "today", None)
        if today is not None and period_bounds(period)[0] > today:
            raise fail("future_date", f"the period {period} has not started yet — write the period the source measured")
        return period

    @field_validator("study")
    @classmethod
    def _study_named_for_press(cls, study: str | None, info: ValidationInfo) -> str | None:
        if study is None and info.data.get("source_kind") is SourceKind.PRESS:
            raise fail("study", "the source is a press article: say which study or report it quotes — add study: with "
                       "its title and publisher as the article names them")
        return study


class LargeCompany(Sourced):
    """A source stating that the company is large in Ley 10/2025's sense (art. 2): last year 250 or more employees,
    or turnover over €50 million, or a balance sheet over €43 million; only for a company outside the basic-service
    sectors, which the law covers whatever their size."""

    notes: Notes | None = None
    """Which figure the source gives, as plain text (or per language: es, en)."""


def _escalation_key(value: object) -> object:
    # The bodies are read here, on first use, not at import: a mistake in escalation.yaml is then reported,
    # with its position, where the bodies are needed.
    bodies = load_rules().bodies
    if isinstance(value, str) and value not in bodies:
        raise fail("unknown_value", f"'{value}' is not a known escalation body — {did_you_mean(value, bodies)}")
    return value


class _EscalationKeySchema:
    """JSON Schema of an escalation key: the catalogue's keys, read when a schema is generated, not at import."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {"enum": sorted(load_rules().bodies)}


EscalationKey = Annotated[str, BeforeValidator(_escalation_key), _EscalationKeySchema()]


class Company(Model):
    """One company's entry in companies.yaml."""

    id: Slug
    """Stable slug (lowercase letters, digits, hyphens); it becomes the page URL and never changes."""
    name: Name
    """Name consumers know the company by."""
    legal_name: LegalName | None = None
    """Registered legal name, if sourced."""
    aliases: list[Alias] = Field(default_factory=list, max_length=30)
    """Other names people search for (brands, old names)."""
    sector: Annotated[Sector, one_of(Sector)]
    """Sector, from the catalogue in CONTRIBUTING.md."""
    countries: list[Country] = Field(min_length=1, max_length=50)
    """Countries where these channels serve consumers (ISO 3166-1 alpha-2)."""
    region: Region | None = None
    """ISO 3166-2 region (e.g. ES-CT) whose public holidays also apply, for regional companies."""
    website: HttpsUrl
    """Main website."""
    domains: list[Domain] = Field(min_length=1, max_length=20)
    """Official domains (no www.); a source of kind `company` must sit on one of them."""
    timezone: Timezone
    """IANA timezone of the channels' hours unless a channel says otherwise."""
    channels: list[Channel] = Field(min_length=1, max_length=100)
    """Customer-service channels."""
    complaints: Complaints | None = None
    """The formal complaint route."""
    measured: list[Measured] = Field(default_factory=list, max_length=50)
    """Figures third parties measured about the company's customer service in past periods (studies, regulators' reports)."""
    escalation: list[EscalationKey] = Field(default_factory=list, max_length=10)
    """Where to go when the company does not answer: keys of the escalation catalogue."""
    large_company: LargeCompany | None = None
    """Only with a source you read that gives the company's staff, turnover or balance sheet (Ley 10/2025, art. 2):
    then the law's duties are shown on its page. Left out for basic-service sectors, which the law covers anyway."""
    notes: Notes | None = None
    """Anything else a consumer should know, as plain text (or per language: es, en)."""
    renamed_from: list[Slug] = Field(default_factory=list, max_length=20)
    """Earlier ids of this company: each keeps a redirect page at its old address (ids never change once published)."""

    _origin: Mark | None = PrivateAttr(default=None)

    @property
    def premium_only(self) -> bool:
        """Whether every phone number listed is premium-rate: Ley 10/2025 (art. 10.2) asks for an ordinary alternative."""
        phones = [c for c in self.channels if c.type == ChannelType.PHONE]
        return bool(phones) and all(c.cost == Cost.PREMIUM for c in phones)

    @property
    def origin(self) -> Mark | None:
        """Where the entry starts in its data file (set by the validate stage), for "suggest a correction" links."""
        return self._origin

    @field_validator("region")
    @classmethod
    def _region_in_countries(cls, region: str | None, info: ValidationInfo) -> str | None:
        countries = info.data.get("countries") or []
        if region and countries and region[:2] not in countries:
            raise fail("region", f"region {region} is not in countries ({', '.join(countries)}) — "
                       f"add {region[:2]} to countries or fix the region")
        return region


class Retired(Model):
    """A company taken off the site (retired.yaml): its address keeps a page saying it is gone and why."""

    @field_validator("*", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        """No control characters, bidirectional overrides or isolates in any field (retired.yaml is small)."""
        if isinstance(value, str):
            check_clean(value)
        return value

    id: Slug
    """The id the company had; it is never reused."""
    name: Name
    """The name the company was listed under."""
    reason: Note
    """Why it was removed, as plain text shown to readers (e.g. "ceased trading in 2026")."""
    removed: IsoDate
    """The day it was removed from the site (YYYY-MM-DD)."""
    replaced_by: Slug | None = None
    """The id of the company that took over its customers, if any (its page links there)."""
