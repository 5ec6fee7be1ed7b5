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
    Hours,
    HttpsUrl,
    IsoDate,
    Language,
    Region,
    Slug,
    Timezone,
    check_clean,
    did_you_mean,
    fail,
    on_domains,
    one_of,
    text,
)
from generator.data.legal import load_rules
from generator.data.vocabulary import LANGUAGES, PUBLIC_BY_DEFAULT, ChannelType, Cost, Purpose, Sector, SourceKind

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
    """What kind of page the source is: company (on one of the company's domains), regulator, press, consumer-org, directory."""
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
    escalation: list[EscalationKey] = Field(default_factory=list, max_length=10)
    """Where to go when the company does not answer: keys of the escalation catalogue."""
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
