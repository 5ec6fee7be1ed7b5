"""Rule catalogues: who must answer a complaint within how long, and where to escalate.

Two YAML files ship beside this module, in `generator/data/legal/`:

- `deadlines.yaml`: legal answer periods by sector and country (Ley 10/2025's
  general rule, the sector rules it leaves in force, and its special cases);
- `escalation.yaml`: the bodies a consumer can turn to next, each sector's
  default bodies, and the other government domains a company fact may cite
  as `source_kind: regulator` (`regulator_domains`, each with its reason).

Both are read with the project's position-keeping loader and validated with
the models below, so every mistake is reported as `file:line:col: field: what
— how to fix`, all at once.  `load_rules()` returns both catalogues, validated
once and cached; tests and tools pass other paths to `load_rules_from()`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from generator.data.errors import DataError, DataErrors, Mark
from generator.data.fields import Country, Domain, HttpsUrl, IsoDate, Slug, check_clean, fail, host_of, on_domains, one_of, text
from generator.data.loader import RawEntry, display_path, load_file, locate
from generator.data.vocabulary import Sector

LEGAL_DIR = Path(__file__).parent
DEADLINES_FILE = LEGAL_DIR / "deadlines.yaml"
ESCALATION_FILE = LEGAL_DIR / "escalation.yaml"

Unit = Literal["working_days", "days", "months", "hours"]
RuleKind = Literal["general", "sector", "special"]
RuleSourceKind = Literal["law", "regulator", "press", "consumer-org"]

Long = Annotated[str, *text(600)]

_ARTICLE = re.compile(r"\barts?\. \S")
"""A citation names its article: «Ley 10/2025, art. 17.1», «arts. 4.2.c y 12»."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, use_attribute_docstrings=True)

    @field_validator("*", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        """No control characters, bidirectional overrides or isolates in any text of a catalogue."""
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                check_clean(item)
        return value


class Localized(_Model):
    """A short text in both languages of the site."""

    es: Long
    """Spanish."""
    en: Long
    """English."""


class Period(_Model):
    """How long: an amount of a unit."""

    amount: int = Field(ge=1, le=400)
    """How many units (1 or more)."""
    unit: Unit
    """working_days (Monday–Friday that are not public holidays), days (calendar), months (same day, clamped to the month's end) or hours."""


class _Sourced(_Model):
    source: HttpsUrl
    """The law (BOE/ELI) or regulator page that states this, on https."""
    source_kind: RuleSourceKind
    """law, regulator, press or consumer-org."""
    checked: IsoDate
    """The day someone read the source and found this there (YYYY-MM-DD)."""
    evidence: str | None = Field(default=None, min_length=1, max_length=300)
    """The source's sentence that states it, quoted in the source's language."""

    @field_validator("checked")
    @classmethod
    def _not_in_future(cls, value: date, info: ValidationInfo) -> date:
        today = (info.context or {}).get("today")
        if today is not None and value > today:
            raise fail("future_date", f"{value.isoformat()} is in the future — write the day you read the source")
        return value


class DeadlineRule(_Sourced):
    """Who must answer a formal complaint within how long."""

    key: Slug
    """Stable identifier (lowercase, hyphens); pages and the browser refer to it."""
    kind: RuleKind
    """general (Ley 10/2025 art. 17.1), sector (a sector's own rule) or special (outages, billing: shown as special cases)."""
    countries: list[Country] = Field(min_length=1, max_length=60)
    """Countries whose companies this rule binds (ISO 3166-1 alpha-2)."""
    sectors: list[Annotated[Sector, one_of(Sector)]] = Field(min_length=1, max_length=40)
    """Sectors the rule applies to."""
    period: Period
    """The answer period."""
    article: Annotated[str, *text(200)]
    """Where in the source: the article, or the section of a regulator's page."""
    label: Localized
    """One line for the page, e.g. «15 días hábiles para responder a una reclamación»."""
    basis: Localized
    """Why this period applies, in two or three plain sentences."""
    citation: Annotated[str, *text(120)]
    """What a complaint letter cites: the law and article, as short as «Ley 10/2025, art. 17.1»; only what the law's text
    or the rule's source names.  It must name the article: when only a regulator states a sector's own period, cite
    the general rule that leaves it in force («Ley 10/2025, art. 17.1») with `defers_to_sector: true`."""
    citation_url: HttpsUrl | None = None
    """The text of the law cited (BOE/ELI), when `source` is not that text."""
    defers_to_sector: bool = False
    """true when `citation` is the general rule's article that leaves the sector's own period in force (Ley 10/2025,
    art. 17.1) and the period itself is what `source` states: the letter then says it is the sector's own period, never
    that the cited article sets it."""
    case: Localized | None = None
    """The situation this rule is for, as the complaint letter offers it («Un servicio de pago: cuenta, tarjeta…»);
    required when a sector has more than one rule, so the person chooses the case first."""

    @model_validator(mode="after")
    def _cites_an_article(self) -> DeadlineRule:
        if not _ARTICLE.search(self.citation):
            raise fail("citation_article",
                       f"citation {self.citation!r} names no article — a letter cites the law and its article, e.g. "
                       "«Ley 10/2025, art. 17.1»; when only a regulator states the sector's period, cite «Ley 10/2025, "
                       "art. 17.1» with `defers_to_sector: true`")
        if self.defers_to_sector and self.kind != "sector":
            raise fail("defers_to_sector", f"a {self.kind} rule has no sector period to defer to — "
                       "set `defers_to_sector` only on `kind: sector` rules")
        if self.defers_to_sector and not self.citation.startswith("Ley "):
            raise fail("defers_to_sector", f"citation {self.citation!r} is not a law's article that leaves the "
                       "sector's period in force — cite «Ley 10/2025, art. 17.1»")
        return self


class Obligation(_Model):
    """One duty Ley 10/2025 puts on the companies it covers."""

    key: Slug
    """Stable identifier."""
    article: Annotated[str, *text(120)]
    """Where the law states it, e.g. «Ley 10/2025, art. 10.3»."""
    label: Localized
    """The duty in one plain line."""
    basic_only: bool = False
    """true when only basic-service companies have it (e.g. outages taken 24 hours a day)."""


class Scope(_Sourced):
    """Which companies Ley 10/2025 covers, and from when (art. 2 and the first transitional provision)."""

    article: Annotated[str, *text(120)]
    """Where the law sets its scope, e.g. «Ley 10/2025, art. 2»."""
    basic_sectors: list[Annotated[Sector, one_of(Sector)]] = Field(min_length=1, max_length=40)
    """Sectors that are basic services: the law applies to their companies whatever their size."""
    large: Localized
    """Who else it covers (large companies), in one line."""
    applies_from: IsoDate
    """The day companies must comply (00:00 in Madrid)."""
    applies_from_article: Annotated[str, *text(120)]
    """Where the law sets that day."""
    obligations: list[Obligation] = Field(min_length=1, max_length=40)
    """The duties shown on the page of each company the law covers."""


class DeadlineCatalogue(_Model):
    """The whole deadlines.yaml."""

    rules: list[DeadlineRule] = Field(min_length=1, max_length=500)
    """Every rule, general first."""
    scope: Scope | None = None
    """Which companies Ley 10/2025 covers, from when, and what it requires of them."""


class TimeLimit(_Model):
    """How long a consumer has to turn to a body, and from when it counts."""

    period: Period
    """The time you have."""
    counted_from: Literal["deadline", "complaint"]
    """deadline: from the end of the company's answer period (or its answer, if earlier); complaint: from the day you
    complained to the company."""


class EscalationBody(_Sourced):
    """A body a consumer can turn to when the company does not answer or says no."""

    key: Slug
    """Stable identifier; companies.yaml `escalation:` lists use it."""
    name: Localized
    """Official name (Spanish) and an English rendering."""
    url: HttpsUrl | None = None
    """The body's page for filing a complaint (not its home page); left out when there is one office per town or region."""
    find: Localized | None = None
    """How to find your office when there is no single page (required without `url`)."""
    countries: list[Country] = Field(min_length=1, max_length=60)
    """Countries where the company must serve consumers for this body to be a next step."""
    handles: Localized
    """What it deals with."""
    before: Localized
    """What you must have done first, and by when."""
    time_limit: TimeLimit | None = None
    """How long you have to go to this body, when its rules set a limit (stated in `before` and the source)."""

    @model_validator(mode="after")
    def _url_or_find(self) -> EscalationBody:
        if self.url is None and self.find is None:
            raise fail("url_or_find", "a body needs `url` (its complaints page) or `find` (how to find your office) — add one")
        return self


class RegulatorDomain(_Model):
    """A government domain, other than an escalation body's, that company facts may cite as `regulator`."""

    domain: Domain
    """The bare domain (no https://, no www.); its subdomains count too."""
    reason: Annotated[str, *text(300)]
    """Which body it belongs to and why it counts as a regulator's."""


class EscalationCatalogue(_Model):
    """The whole escalation.yaml."""

    bodies: list[EscalationBody] = Field(min_length=1, max_length=500)
    """Every body."""
    defaults: dict[str, list[Slug]]
    """Each sector's default bodies, in the order a page lists them."""
    regulator_domains: list[RegulatorDomain] = Field(default_factory=list, max_length=200)
    """Other government domains a company fact may cite with `source_kind: regulator`, each with its reason."""


# A body described by a regulator's page or the law is a public body; one described by a consumer
# organisation's page (OCU) is not, so its domain does not make a source a regulator's.
_OFFICIAL_SOURCE_KINDS = frozenset({"law", "regulator"})


def _bare(url: str) -> str:
    return host_of(url).removeprefix("www.")


def body_domains(bodies: Iterable[EscalationBody]) -> dict[str, str]:
    """The domains of the official bodies' complaint pages, each with the reason it counts (the body's key)."""
    return {_bare(body.url): f"escalation body '{body.key}'"
            for body in bodies if body.url and body.source_kind in _OFFICIAL_SOURCE_KINDS}


@dataclass(frozen=True)
class Rules:
    """Both catalogues, validated and cross-checked."""

    deadlines: tuple[DeadlineRule, ...]
    bodies: dict[str, EscalationBody]
    defaults: dict[Sector, tuple[str, ...]]
    regulator_domains: dict[str, str]
    """Every domain a `source_kind: regulator` may sit on (or under), with why: the bodies' and the listed ones."""
    listed_regulator_domains: tuple[RegulatorDomain, ...] = ()
    """The catalogue's own `regulator_domains` entries, as written (what the API publishes)."""
    scope: Scope | None = None

    def rule(self, key: str) -> DeadlineRule:
        """The deadline rule called `key` (KeyError if none)."""
        for rule in self.deadlines:
            if rule.key == key:
                return rule
        raise KeyError(key)


# --- loading -----------------------------------------------------------------


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The package's catalogues, validated on first use; raises `DataErrors` listing every problem."""
    return load_rules_from(DEADLINES_FILE, ESCALATION_FILE)


def load_rules_from(deadlines: Path, escalation: Path, *, today: date | None = None) -> Rules:
    """Read and validate two catalogue files; raises `DataErrors` with every problem in both."""
    errors: list[DataError] = []
    deadline_doc = _validated(deadlines, DeadlineCatalogue, today, errors)
    escalation_doc = _validated(escalation, EscalationCatalogue, today, errors)
    if deadline_doc is not None:
        errors.extend(_check_deadlines(*deadline_doc))
    if escalation_doc is not None:
        errors.extend(_check_escalation(*escalation_doc))
    if errors or deadline_doc is None or escalation_doc is None:
        raise DataErrors(errors)
    catalogue_d = deadline_doc[1]
    catalogue_e = escalation_doc[1]
    assert isinstance(catalogue_d, DeadlineCatalogue) and isinstance(catalogue_e, EscalationCatalogue)
    return Rules(deadlines=tuple(catalogue_d.rules),
                 bodies={body.key: body for body in catalogue_e.bodies},
                 defaults={Sector(sector): tuple(keys) for sector, keys in catalogue_e.defaults.items()},
                 regulator_domains={**body_domains(catalogue_e.bodies),
                                    **{entry.domain: entry.reason for entry in catalogue_e.regulator_domains}},
                 listed_regulator_domains=tuple(catalogue_e.regulator_domains),
                 scope=catalogue_d.scope)


def _validated(path: Path, model: type[_Model], today: date | None,
               errors: list[DataError]) -> tuple[RawEntry, _Model] | None:
    try:
        raw = load_file(path)
    except DataErrors as failure:
        errors.extend(failure.errors)
        return None
    except OSError as exc:
        errors.append(DataError(Mark(display_path(path), 1, 1), "", f"cannot read the file ({exc.strerror})",
                                "check the path"))
        return None
    if not isinstance(raw.data, dict):
        first = next(iter(model.model_fields))
        errors.append(DataError(raw.mark, "", "expected a mapping of fields at the top of the file",
                                f"start the file with '{first}:'"))
        return None
    try:
        return raw, model.model_validate(raw.data, context={"today": today})
    except ValidationError as failure:
        errors.extend(_to_data_error(raw, model, detail) for detail in failure.errors())
        return None


# --- checks across entries -----------------------------------------------------


def _check_deadlines(raw: RawEntry, catalogue_: _Model) -> list[DataError]:
    assert isinstance(catalogue_, DeadlineCatalogue)
    errors = _duplicates(raw, "rules", [rule.key for rule in catalogue_.rules])
    covered = {sector for rule in catalogue_.rules if rule.kind != "special" for sector in rule.sectors}
    for index, rule in enumerate(catalogue_.rules):
        shared = [other.key for other in catalogue_.rules
                  if other is not rule and set(other.sectors) & set(rule.sectors) and set(other.countries) & set(rule.countries)]
        if shared and rule.case is None:
            errors.append(DataError(locate(raw, ["rules", index, "key"]), f"{rule.key}.case",
                                    f"its sectors have other rules too ({', '.join(shared[:3])}), so the letter asks which case applies",
                                    "add 'case:' with es and en, e.g. «Un servicio de pago: cuenta, tarjeta, transferencia»"))
    for sector in Sector:
        if sector not in covered:
            errors.append(DataError(locate(raw, ["rules"], key=True), "rules",
                                    f"sector '{sector.value}' has no general or sector rule",
                                    "add it to the sectors of a rule (es-general if no sector rule exists)"))
    return errors


def _check_escalation(raw: RawEntry, catalogue_: _Model) -> list[DataError]:
    assert isinstance(catalogue_, EscalationCatalogue)
    keys = [body.key for body in catalogue_.bodies]
    errors = _duplicates(raw, "bodies", keys)
    known_sectors = {s.value for s in Sector}
    for sector, bodies in catalogue_.defaults.items():
        if sector not in known_sectors:
            errors.append(DataError(locate(raw, ["defaults", sector], key=True), f"defaults.{sector}",
                                    f"'{sector}' is not a known sector", _hint(sector, known_sectors)))
            continue
        if not bodies:
            errors.append(DataError(locate(raw, ["defaults", sector]), f"defaults.{sector}",
                                    "a sector needs at least one default body", "list one or more body keys"))
        for index, key in enumerate(bodies):
            if key not in keys:
                errors.append(DataError(locate(raw, ["defaults", sector, index]), f"defaults.{sector}[{index}]",
                                        f"'{key}' is not a body in this file", _hint(key, keys)))
        if len(set(bodies)) != len(bodies):
            errors.append(DataError(locate(raw, ["defaults", sector]), f"defaults.{sector}",
                                    "a body is listed twice", "keep each body once"))
    for sector in Sector:
        if sector.value not in catalogue_.defaults:
            errors.append(DataError(locate(raw, ["defaults"], key=True), "defaults",
                                    f"sector '{sector.value}' has no default bodies",
                                    f"add '{sector.value}: [...]' so its companies always have a next step"))
    return errors + _check_regulator_domains(raw, catalogue_)


def _check_regulator_domains(raw: RawEntry, catalogue_: EscalationCatalogue) -> list[DataError]:
    """Each listed domain once, and none a body's domain already covers (the list is for the others)."""
    errors: list[DataError] = []
    bodies = body_domains(catalogue_.bodies)
    first: dict[str, int] = {}
    for index, entry in enumerate(catalogue_.regulator_domains):
        where = locate(raw, ["regulator_domains", index, "domain"])
        field = f"regulator_domains[{index}].domain"
        if entry.domain in first:
            line = locate(raw, ["regulator_domains", first[entry.domain], "domain"]).line
            errors.append(DataError(where, field, f"'{entry.domain}' is listed twice (first at line {line})",
                                    "keep one entry per domain"))
            continue
        first[entry.domain] = index
        covering = next((domain for domain in bodies if on_domains(f"https://{entry.domain}/", [domain])), None)
        if covering is not None:
            errors.append(DataError(where, field, f"'{entry.domain}' is already covered by {bodies[covering]} "
                                    f"({covering})", "remove this entry: the body's domain counts already"))
    return errors


def _duplicates(raw: RawEntry, field: str, keys: Sequence[str]) -> list[DataError]:
    errors: list[DataError] = []
    first: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key in first:
            where = locate(raw, [field, first[key], "key"])
            errors.append(DataError(locate(raw, [field, index, "key"]), f"{field}[{index}].key",
                                    f"duplicate key '{key}' (first at line {where.line})", "keys must be unique; pick another"))
        else:
            first[key] = index
    return errors


def _hint(value: str, choices: Iterable[str]) -> str:
    options = sorted(choices)
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else "use one of: " + ", ".join(options)


# --- pydantic errors → positioned errors --------------------------------------

_NESTED: dict[str, type[BaseModel]] = {
    "rules": DeadlineRule, "bodies": EscalationBody, "period": Period,
    "label": Localized, "basis": Localized, "name": Localized, "handles": Localized, "before": Localized,
    "find": Localized, "regulator_domains": RegulatorDomain, "case": Localized, "scope": Scope, "obligations": Obligation,
    "large": Localized, "time_limit": TimeLimit,
}


def _model_at(top: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel]:
    model = top
    for step in loc:
        if isinstance(step, str) and step in _NESTED:
            model = _NESTED[step]
    return model


def _field_path(raw: RawEntry, loc: Sequence[int | str]) -> str:
    """`es-general.period.unit` for a rule or body with a readable key, else `rules[0].period.unit`."""
    steps = list(loc)
    path = ""
    if len(steps) >= 2 and steps[0] in ("rules", "bodies") and isinstance(steps[1], int) and isinstance(raw.data, dict):
        items = raw.data.get(str(steps[0]))
        item = items[steps[1]] if isinstance(items, list) and 0 <= steps[1] < len(items) else None
        key = item.get("key") if isinstance(item, dict) else None
        if isinstance(key, str) and 0 < len(key) <= 64:
            path, steps = key, steps[2:]
    for step in steps:
        path += f"[{step}]" if isinstance(step, int) else (f".{step}" if path else str(step))
    return path


def _to_data_error(raw: RawEntry, top: type[BaseModel], detail: Any) -> DataError:
    loc: tuple[int | str, ...] = tuple(detail["loc"])
    kind: str = detail["type"]
    name = str(loc[-1]) if loc else "file"
    mark = locate(raw, loc, key=kind == "extra_forbidden")
    field = _field_path(raw, loc)
    value = detail.get("input")
    if kind == "missing":
        return DataError(mark, field, "required field is missing",
                         f"add '{name}:' (see CONTRIBUTING.md, «The two rule catalogues»)")
    if kind == "extra_forbidden":
        known = list(_model_at(top, loc[:-1]).model_fields)
        return DataError(mark, field, f"unknown field '{name}'", _hint(name, known))
    if kind == "literal_error":
        return DataError(mark, field, f"{value!r} is not allowed", f"use one of: {(detail.get('ctx') or {}).get('expected')}")
    if kind in ("int_parsing", "int_type", "greater_than_equal", "less_than_equal"):
        return DataError(mark, field, f"expected a whole number from 1 to 400, got {value!r}", "write a number such as 15")
    message = str(detail["msg"])
    if " — " in message:  # our own errors (fields.fail) carry "what — how to fix"
        what, _, hint = message.partition(" — ")
        return DataError(mark, field, what, hint)
    return DataError(mark, field, message, "see CONTRIBUTING.md, «The two rule catalogues»")


# --- queries -----------------------------------------------------------------


def body_keys() -> frozenset[str]:
    """Keys of every escalation body (what companies.yaml `escalation:` may name)."""
    return frozenset(load_rules().bodies)


def escalation_for(sector: Sector | str, countries: Sequence[str], listed: Sequence[str] = (),
                   rules: Rules | None = None) -> list[EscalationBody]:
    """The next steps for a company: the bodies its entry lists, then its sector's defaults.

    An entry's list adds to the defaults, never removes one: the defaults are
    routes every consumer keeps, whatever the entry says.  Defaults whose
    `countries` do not meet the company's countries are left out (a Spanish
    regulator for a company that serves no one in Spain, or the European
    Consumer Centre for a company based in Spain); bodies the entry names are
    always kept, since a person chose them.
    """
    catalogue_ = rules or load_rules()
    served = set(countries)
    chosen = list(dict.fromkeys(listed))
    for key in catalogue_.defaults.get(Sector(sector), ()):
        if key not in chosen and served & set(catalogue_.bodies[key].countries):
            chosen.append(key)
    return [catalogue_.bodies[key] for key in chosen]
