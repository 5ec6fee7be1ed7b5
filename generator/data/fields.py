"""Field types of the data contract: each checks one kind of value and says how to fix it.

Errors are `PydanticCustomError`s whose message reads "what is wrong — how to
fix it"; `validate.py` adds the file, line, column and field path.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache, lru_cache
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlsplit
from zoneinfo import available_timezones

import holidays
import opening_hours
import pycountry
from pydantic import AfterValidator, BeforeValidator, PlainSerializer, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

E = TypeVar("E", bound=StrEnum)


def fail(code: str, message: str) -> PydanticCustomError:
    """A validation error; braces are escaped so user text is never a template."""
    return PydanticCustomError(code, message.replace("{", "{{").replace("}", "}}"))


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """' — did you mean 'x'?' style hint, or the list of choices."""
    options = sorted(choices)
    close = difflib.get_close_matches(value.lower(), options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "use one of: " + ", ".join(options)


# C0 and C1 control characters (a line break is allowed where the field allows several lines) and the
# bidirectional overrides and isolates, which reorder what a reader sees (U+202E shows "moc.knab" as "bank.com").
UNSAFE_CHARACTERS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_NAMES = {0x09: "CHARACTER TABULATION", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE"}


def character_name(ch: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE', 'U+001B ESCAPE', 'U+0007 control character'."""
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ord(ch), "control character")
    return f"U+{ord(ch):04X} {name}"


def unsafe_text(value: str) -> tuple[str, str] | None:
    """(what, how to fix) when text holds a control character (but a line break) or a bidi override or isolate."""
    found = UNSAFE_CHARACTERS.search(value)
    if not found:
        return None
    where = f" at character {found.start() + 1}" if len(value) > 1 else ""
    return (f"contains {character_name(found.group())}{where}, which readers cannot see or which reorders the text",
            "delete it (retype the text around it if unsure)")


def check_clean(value: str) -> str:
    """Refuse control characters (but line breaks) and bidirectional overrides and isolates in any text."""
    problem = unsafe_text(value)
    if problem:
        raise fail("unsafe_character", " — ".join(problem))
    return value


# Contact details written in prose: they would reach readers without a source, an evidence quote or a review.
_CONTACTS = (
    ("an e-mail address", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("a web address", re.compile(r"\b(?:https?://|www\.)[^\s«»\"'()<>]+", re.IGNORECASE)),
    ("a handle", re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{2,}")),
    # 9 digits or more, maybe after +, in groups split by spaces, dots or hyphens: a phone number, not a date
    # (2026-11-24), a price (1.234,56), an article (art. 10.2) or a law (Ley 10/2025).
    ("a phone number", re.compile(r"(?<![\w/.,-])\+?\d(?:[ .-]?\d){8,14}(?![\w/]|[.,-]\d)")),
)


# One quick look that every contact above needs to match: most text has none of these and stops here.
_MAYBE_CONTACT = re.compile(r"@|://|www\.|\d(?:[ .-]?\d){8}", re.IGNORECASE)


def check_no_contacts(value: str) -> str:
    """Refuse phone numbers, e-mail and web addresses and handles inside free text."""
    if not _MAYBE_CONTACT.search(value):
        return value
    found: list[tuple[int, str]] = []
    taken: list[range] = []
    for what, pattern in _CONTACTS:
        for match in pattern.finditer(value):
            if not any(match.start() in span for span in taken):  # the digits of an e-mail are not a phone
                found.append((match.start(), f"{what} ('{match.group().rstrip('.,;:')}')"))
                taken.append(range(match.start(), match.end()))
                break
    if found:
        said = " and ".join(what for _, what in sorted(found))
        raise fail("contact_in_text", f"{said} in free text — put {'it' if len(found) == 1 else 'each'} in a channel "
                   "with its source (and say in the channel's notes what it is for)")
    return value


def text(max_length: int, *, min_length: int = 1, single_line: bool = True, prose: bool = False) -> tuple[Any, ...]:
    """The checks of free text, for `Annotated[str, *text(120)]`: trimmed, bounded, one line unless allowed.

    `prose`: text a reader sees as such (names, notes), where a contact detail is refused.
    """

    def check(value: str) -> str:
        if single_line and ("\n" in value or "\r" in value):
            raise fail("text_one_line", "must be one line — remove the line breaks")
        if prose:
            check_no_contacts(value)
        return value

    return (StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length), AfterValidator(check))


def one_of(enum: type[E]) -> BeforeValidator:
    """The check of a value from a fixed vocabulary, with a 'did you mean', for `Annotated[Sector, one_of(Sector)]`."""
    values = {member.value for member in enum}
    label = enum.__name__.lower()

    def check(value: object) -> object:
        if isinstance(value, str) and value not in values:
            raise fail("unknown_value", f"'{value}' is not a known {label} — {did_you_mean(value, values)}")
        return value

    return BeforeValidator(check)


# --- identifiers -------------------------------------------------------------

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _slug(value: str) -> str:
    if not SLUG.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "company-name"
        raise fail("slug", f"'{value}' is not a slug — use lowercase letters, digits and hyphens, e.g. '{suggestion}'")
    return value


Slug = Annotated[str, StringConstraints(max_length=64), AfterValidator(_slug),
                 WithJsonSchema({"type": "string", "pattern": SLUG.pattern, "maxLength": 64,
                                 "description": "lowercase letters, digits and single hyphens, e.g. el-corte-ingles"})]


@cache
def _countries() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def _subdivisions() -> frozenset[str]:
    return frozenset(s.code for s in pycountry.subdivisions)


@cache
def _languages() -> frozenset[str]:
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def _country(value: str) -> str:
    if value not in _countries():
        hint = did_you_mean(value.upper(), _countries()) if value.upper() in _countries() else "use an ISO 3166-1 alpha-2 code such as ES"
        raise fail("country", f"'{value}' is not an ISO 3166-1 country code — {hint}")
    return value


@cache
def _holiday_regions(country: str) -> frozenset[str]:
    """The subdivision codes the `holidays` library has a calendar for (ES: the autonomous communities); empty when none."""
    try:
        return frozenset(holidays.country_holidays(country).subdivisions)
    except NotImplementedError:  # a country the library does not know
        return frozenset()


@cache
def _parent_region(code: str) -> str | None:
    """The ISO 3166-2 region a subdivision belongs to (ES-B → ES-CT), None for a top-level one."""
    for sub in pycountry.subdivisions:
        if sub.code == code:
            return getattr(sub, "parent_code", None)
    return None


def _region(value: str) -> str:
    if value not in _subdivisions():
        raise fail("region", f"'{value}' is not an ISO 3166-2 region code — use a code such as ES-CT or ES-MD")
    country, _, code = value.partition("-")
    known = _holiday_regions(country)
    parent = _parent_region(value)
    if code not in known and parent and parent.partition("-")[2] in known:
        # A province (ES-B) of a region with its own holidays (ES-CT): only the national ones would apply.
        raise fail("region", f"'{value}' has no public-holiday calendar of its own (holidays are set for {parent}) — "
                   f"use {parent}, the region it belongs to")
    return value


def _language(value: str) -> str:
    if value not in _languages():
        hint = f"did you mean '{value.lower()}'?" if value.lower() in _languages() else "use an ISO 639-1 code such as es, en, ca"
        raise fail("language", f"'{value}' is not an ISO 639-1 language code — {hint}")
    return value


def _timezone(value: str) -> str:
    if value not in _timezones():
        raise fail("timezone", f"'{value}' is not an IANA timezone — {did_you_mean(value, _timezones())}")
    return value


Country = Annotated[str, StringConstraints(max_length=2), AfterValidator(_country),
                    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2"})]
Region = Annotated[str, StringConstraints(max_length=6), AfterValidator(_region),
                   WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}-[A-Z0-9]{1,3}$", "description": "ISO 3166-2"})]
Language = Annotated[str, StringConstraints(max_length=20), AfterValidator(_language),
                     WithJsonSchema({"type": "string", "pattern": "^[a-z]{2}$", "description": "ISO 639-1"})]
Timezone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_timezone),
                     WithJsonSchema({"type": "string", "description": "IANA timezone, e.g. Europe/Madrid"})]

# --- web ---------------------------------------------------------------------

_SPACE = re.compile(r"\s")
DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


# A plain https link whose host is letters, digits, dots and hyphens, followed by /, ?, # or nothing.
# For such a link urlsplit's hostname is exactly that host, lowercased, so the checks below can skip
# urlsplit (the slowest step of validating a large data set); anything else takes the full path.
_PLAIN_HTTPS = re.compile(r"https://([A-Za-z0-9.-]+)(?:[/?#]|\Z)")


@lru_cache(maxsize=8192)  # the same source page is cited by many channels
def check_https_url(value: str) -> str:
    """An absolute https URL with a host, no credentials and no spaces."""
    plain = _PLAIN_HTTPS.match(value)
    if plain and DOMAIN.match(plain.group(1).lower()) and not _SPACE.search(value):
        return value
    lowered = value.lower()
    if not lowered.startswith("https://"):
        if lowered.startswith("http://"):
            raise fail("url_scheme", f"'{value}' is not https — write https://{value[7:]}")
        raise fail("url_scheme", f"'{value}' is not an https:// link — write the full address, e.g. https://www.example.es/contact")
    parts = urlsplit(value)
    if not parts.hostname or not DOMAIN.match(parts.hostname) or parts.username or _SPACE.search(value):
        raise fail("url", f"'{value}' is not a valid web address — write it like https://www.example.es/contact")
    return value


def host_of(url: str) -> str:
    plain = _PLAIN_HTTPS.match(url)
    if plain:
        return plain.group(1).lower()
    return (urlsplit(url).hostname or "").lower()


def on_domains(url: str, domains: Iterable[str]) -> bool:
    """Whether the URL's host is one of the domains or a subdomain of one."""
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in domains)


def _domain(value: str) -> str:
    if not DOMAIN.match(value):
        fixed = host_of(value) if "//" in value else value.lower().removeprefix("www.")
        raise fail("domain", f"'{value}' is not a bare domain — write just the name, e.g. '{fixed or 'example.es'}'")
    return value


HttpsUrl = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(check_https_url),
                     WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https://", "maxLength": 2000})]
Domain = Annotated[str, StringConstraints(max_length=253), AfterValidator(_domain),
                   WithJsonSchema({"type": "string", "pattern": "^[a-z0-9.-]+\\.[a-z]{2,63}$"})]

# --- dates -------------------------------------------------------------------

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: object) -> object:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise fail("date", f"{value!r} is not a date — write it as YYYY-MM-DD, e.g. 2026-11-24")
    return _date_text(value)


@lru_cache(maxsize=1024)  # a data set has a few hundred distinct `checked` days at most
def _date_text(value: str) -> date:
    if not ISO_DATE.match(value):
        raise fail("date", f"{value!r} is not a date — write it as YYYY-MM-DD, e.g. 2026-11-24")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail("date", f"'{value}' is not a real calendar date — check the day and month") from None


IsoDate = Annotated[date, BeforeValidator(_date), PlainSerializer(lambda d: d.isoformat(), return_type=str)]

# --- hours -------------------------------------------------------------------

_SPANISH_DAYS = {"lu": "Mo", "ma": "Tu", "mi": "We", "x": "We", "ju": "Th", "vi": "Fr", "sa": "Sa", "sá": "Sa",
                 "do": "Su", "l": "Mo", "v": "Fr", "d": "Su", "fest": "PH", "festivos": "PH"}
_WORD = re.compile(r"[A-Za-zÁÉÍÓÚáéíóú]+")


def suggest_hours(value: str) -> str | None:
    """A corrected opening_hours string for common Spanish/loose spellings, if it parses."""
    def day(match: re.Match[str]) -> str:
        word = match.group(0)
        return _SPANISH_DAYS.get(word.lower(), word)

    fixed = _WORD.sub(day, value)
    fixed = re.sub(r"(?<![\d:])(\d{1,2})(?=\s*-\s*\d)", lambda m: f"{int(m.group(1)):02d}:00", fixed)
    fixed = re.sub(r"(?<=-)\s*(\d{1,2})(?![\d:])", lambda m: f"{int(m.group(1)):02d}:00", fixed)
    fixed = re.sub(r"\b(\d):(\d\d)", r"0\1:\2", fixed)
    fixed = re.sub(r"\s*-\s*", "-", fixed)
    if fixed != value and opening_hours.validate(fixed):
        return fixed
    return None


@lru_cache(maxsize=4096)
def _hours(value: str) -> str:
    if not opening_hours.validate(value):
        suggestion = suggest_hours(value)
        hint = (f"did you mean \"{suggestion}\"? (English day codes Mo Tu We Th Fr Sa Su, 24-hour times)" if suggestion
                else "write OpenStreetMap opening_hours like \"Mo-Fr 09:00-18:00; Sa 10:00-14:00; PH off\"")
        raise fail("hours", f"{value!r} is not valid opening hours — {hint}")
    return value


Hours = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_hours),
                  WithJsonSchema({"type": "string", "maxLength": 500,
                                  "description": "OpenStreetMap opening_hours, e.g. Mo-Fr 09:00-18:00; PH off"})]

# --- durations ---------------------------------------------------------------

DurationUnit = Literal["minutes", "hours", "days", "working_days", "months"]


@dataclass(frozen=True, slots=True)
class Duration:
    """A stated time to answer: minutes/hours count staffed time, the rest calendar or working days."""

    amount: int
    unit: DurationUnit

    def __str__(self) -> str:
        names = {"minutes": "m", "hours": "h"}
        if self.unit in names:
            return f"{self.amount}{names[self.unit]}"
        word = {"days": "day", "working_days": "working day", "months": "month"}[self.unit]
        return f"{self.amount} {word}{'' if self.amount == 1 else 's'}"


_DURATION = re.compile(
    r"^(?P<n>\d{1,4})\s*(?:(?P<m>m|min|mins|minutes?)|(?P<h>h|hours?)|(?P<d>days?|calendar days?)"
    r"|(?P<w>working days?|business days?)|(?P<mo>months?))$", re.IGNORECASE)
_SPANISH_DURATION = {"minutos": "m", "min": "m", "horas": "h", "hora": "h", "días hábiles": "working days",
                     "dias habiles": "working days", "días laborables": "working days", "días": "days",
                     "dias": "days", "día": "days", "meses": "months", "mes": "month"}
DURATION_PATTERN = r"^\d{1,4}\s*(m|min|minutes?|h|hours?|days?|working days?|months?)$"


def parse_duration(value: object) -> object:
    if isinstance(value, Duration) or not isinstance(value, str):
        return value
    return _parse_duration_text(value)


@lru_cache(maxsize=1024)  # a handful of spellings ("2h", "15 working days") cover most channels
def _parse_duration_text(value: str) -> Duration:
    match = _DURATION.match(value.strip())
    if not match or int(match.group("n")) == 0:
        hint = 'write e.g. "30m", "2h", "2 days", "15 working days" or "1 month"'
        spanish = re.match(r"^(\d+)\s*(.+)$", value.strip())
        if spanish and spanish.group(2).lower() in _SPANISH_DURATION:
            hint = f'did you mean "{spanish.group(1)} {_SPANISH_DURATION[spanish.group(2).lower()]}"?'.replace(" m\"", "m\"").replace(" h\"", "h\"")
        raise fail("duration", f"{value!r} is not a response time — {hint}")
    n = int(match.group("n"))
    unit: DurationUnit = ("minutes" if match.group("m") else "hours" if match.group("h") else
                          "days" if match.group("d") else "working_days" if match.group("w") else "months")
    return Duration(n, unit)


DurationField = Annotated[Duration, BeforeValidator(parse_duration), PlainSerializer(str, return_type=str),
                          WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN,
                                          "examples": ["30m", "2h", "2 days", "15 working days", "1 month"]})]

# --- measured periods ----------------------------------------------------------

_PERIOD = re.compile(r"^(\d{4})$|^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})$")
PERIOD_PATTERN = r"^(\d{4}|\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2})$"


def period_bounds(value: str) -> tuple[date, date]:
    """The first and last day of a measured period: a year ("2023") or a range ("2024-07-01/2024-09-30")."""
    match = _PERIOD.match(value)
    if not match:
        raise ValueError(value)
    if match.group(1):
        year = int(match.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    return date.fromisoformat(match.group(2)), date.fromisoformat(match.group(3))


def _period(value: str) -> str:
    if not _PERIOD.match(value):
        raise fail("period", f"{value!r} is not a period — write the year measured (e.g. \"2023\") "
                   "or the first and last day as YYYY-MM-DD/YYYY-MM-DD (e.g. \"2024-07-01/2024-09-30\")")
    try:
        first, last = period_bounds(value)
    except ValueError:
        raise fail("period", f"'{value}' holds a day that is not a real calendar date — check the days and months") from None
    if first > last:
        raise fail("period", f"'{value}' ends before it starts — write the first day, then the last")
    return value


MeasuredPeriod = Annotated[str, StringConstraints(strip_whitespace=True, max_length=21), AfterValidator(_period),
                           WithJsonSchema({"type": "string", "pattern": PERIOD_PATTERN,
                                           "description": "The year measured, or the first and last day: 2023, 2024-07-01/2024-09-30",
                                           "examples": ["2023", "2024-07-01/2024-09-30"]})]

_NUMBER = re.compile(r"^\d{1,7}(?:\.\d{1,6})?$")


def _figure(value: object) -> object:
    """A figure written in the data: YAML reads plain scalars as text, so "4.23" becomes 4.23 here."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise fail("figure", f"{value!r} is not a number — write the figure as the source gives it, e.g. 13 or 4.23")
    if isinstance(value, str):
        text = value.strip()
        if not _NUMBER.match(text):
            comma = re.fullmatch(r"(\d+),(\d+)", text)
            hint = f"write it with a decimal point: {comma.group(1)}.{comma.group(2)}" if comma else \
                "write the figure as a plain number, e.g. 13 or 4.23 (no unit, no thousands separator)"
            raise fail("figure", f"{value!r} is not a number — {hint}")
        return float(text)
    return float(value)


Figure = Annotated[float, BeforeValidator(_figure), WithJsonSchema({
    "description": "A number (YAML data may hold it as plain text, e.g. 4.23; the published JSON holds a number).",
    "anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": _NUMBER.pattern}]})]
