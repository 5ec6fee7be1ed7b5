"""Derive stage: from validated companies to the language-neutral site model.

Pure functions: the build instant is an argument, never read from the clock.
Everything a page shows is decided here, once per company: ranked channels,
weekly hours, the timing data the browser needs (computed once per distinct
hours/place/response), the legal deadline for a complaint filed on the build
day, escalation steps, search records and the index groupings.  Nothing here
knows about HTML, languages or MkDocs; `render.py` decides how it looks.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import opening_hours

from generator.data.addresses import fold, handle_url
from generator.data.errors import Mark
from generator.data.fields import Duration
from generator.data.history import ChangeRecord, last_changed
from generator.data.legal import DeadlineRule, EscalationBody, Period, escalation_for
from generator.data.models import Channel, Company, Retired
from generator.data.stable import Redirect, redirects, retired_pages
from generator.data.vocabulary import PUBLIC_BY_DEFAULT, ChannelType, Cost, Purpose, Sector, SourceKind
from generator.site.deadlines import applicable_rules, legal_deadline
from generator.site.measured import MeasuredGroup, measured_groups
from generator.site.schedule import Timing, holiday_dates, is_open, reply_by, timing_for

OLD_SOURCE_DAYS = 2 * 365
HOLIDAY_DAYS = 500
"""Public holidays listed for the browser's deadline count: a page stays right for a year past its build."""

_COST_ORDER = {Cost.FREE: 0, Cost.STANDARD: 1, Cost.UNKNOWN: 2, Cost.PREMIUM: 3}
_MINUTES = {"minutes": 1, "hours": 60, "days": 1440, "working_days": 1440 * 7 / 5, "months": 43200}


@dataclass(frozen=True, slots=True)
class DayHours:
    weekday: int  # 0 = Monday
    spans: tuple[tuple[str, str], ...]  # ("09:00", "21:00"); "24:00" for midnight at the end


@dataclass(frozen=True, slots=True)
class DayGroup:
    """Consecutive weekdays with the same hours: Monday–Friday 09:00–18:00."""

    first: int  # 0 = Monday
    last: int
    spans: tuple[tuple[str, str], ...]  # empty: closed


@dataclass(frozen=True, slots=True)
class ChannelView:
    channel: Channel
    hook: str  # data-channel value: the type, then type-2, type-3 … for repeats
    href: str | None  # tel:, mailto:, https:// — None for a postal address
    timezone: str
    week: tuple[DayHours, ...] | None  # None when the company does not state hours
    week_groups: tuple[DayGroup, ...]  # the week said briefly; empty when hours are unknown
    always_open: bool
    holidays_closed: bool
    stated_minutes: float  # stated response time in minutes (inf when not stated), for ranking
    tier: int  # channel_tier(): published as data-tier, so the browser re-ranks by the same rule
    old_source: bool
    timing_key: str | None  # key into SiteModel.timings; None when neither hours nor a response time are stated


@dataclass(frozen=True, slots=True)
class LegalDeadline:
    """One rule that binds the company, worked out for a complaint filed on the build day.

    The browser works it out again for a complaint filed at the visitor's instant;
    this date is what a page shows without JavaScript.
    """

    rule: DeadlineRule
    filed: date
    due: date | None  # None for a period in hours (an outage): not a date


@dataclass(frozen=True, slots=True)
class CompanyDeadlines:
    """What the page needs to say when a formal complaint must be answered."""

    rules: tuple[LegalDeadline, ...]  # general or sector rules (banking: two, by matter)
    special: tuple[LegalDeadline, ...]  # outages, billing: shown as special cases
    timezone: str  # the company's: "filed today" is its local date
    holidays: tuple[date, ...]  # its country's and region's, for the browser's working-day count
    stated: Duration | None  # the deadline the company itself states
    stated_due: date | None  # that deadline for a complaint filed on the build day
    shorter: str | None  # "company" or "law" (compared with the first rule), None when it cannot be said


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """An official address the company lists, for "is this account really them?": where it was read, and when."""

    type: ChannelType
    address: str
    source: str
    checked: date
    source_kind: SourceKind = SourceKind.COMPANY


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """What company search matches on: names, sector and channel types, not page bodies."""

    id: str
    name: str
    aliases: tuple[str, ...]
    sector: Sector
    channel_types: tuple[ChannelType, ...]
    contacts: tuple[ContactRecord, ...] = ()  # every channel address and the complaints e-mail, as the data lists them
    website: str = ""
    domains: tuple[str, ...] = ()  # the company's own domains: a pasted link or e-mail on them is the company's


@dataclass(frozen=True, slots=True)
class CompanyView:
    company: Company
    channels: tuple[ChannelView, ...]  # ranked for the consumer
    authorities: tuple[EscalationBody, ...]  # the entry's own, then its sector's defaults
    deadlines: CompanyDeadlines | None  # None when no rule we know binds the company (outside Spain)
    website_host: str
    origin: Mark | None
    search: SearchRecord
    json_ld: dict[str, Any]
    last_changed: date | None
    fastest_minutes: float
    open_24_7: bool


@dataclass(frozen=True, slots=True)
class ResponseRow:
    company: CompanyView
    channel: ChannelView


@dataclass(frozen=True, slots=True)
class Indexes:
    by_letter: tuple[tuple[str, tuple[CompanyView, ...]], ...]
    by_sector: tuple[tuple[Sector, tuple[CompanyView, ...]], ...]
    by_channel: tuple[tuple[ChannelType, tuple[tuple[CompanyView, tuple[ChannelView, ...]], ...]], ...]
    by_response: tuple[ResponseRow, ...]  # fastest stated answer first
    always_open: tuple[tuple[CompanyView, tuple[ChannelView, ...]], ...]
    by_measured: tuple[MeasuredGroup, ...] = ()  # per metric, period and study: (company view, figure), lowest first


@dataclass(frozen=True, slots=True)
class SiteModel:
    built: datetime
    companies: tuple[CompanyView, ...]  # sorted by name, accents ignored
    indexes: Indexes
    timings: dict[str, dict[str, Any]]  # timing key → what the browser needs (Timing.to_json())
    redirects: tuple[Redirect, ...] = ()  # old id → current id: the old address keeps a page
    retired: tuple[Retired, ...] = ()  # companies taken off the site: their address says why
    history: tuple[ChangeRecord, ...] = ()  # newest first; empty without git history
    names: dict[str, str] = field(default_factory=dict)  # every id ever shown → its name, for the changes page


def stated_minutes(duration: Duration | None) -> float:
    """A stated response time as minutes, for ordering (working days and months approximated)."""
    return math.inf if duration is None else duration.amount * _MINUTES[duration.unit]


def channel_href(channel: Channel) -> str | None:
    """The link that opens the channel: a phone call, a mail, a chat, a profile."""
    kind: ChannelType = channel.type
    address: str = channel.address
    if kind is ChannelType.PHONE:
        return "tel:" + address.replace(" ", "")
    if kind is ChannelType.WHATSAPP:
        return "https://wa.me/" + "".join(ch for ch in address if ch.isdigit())
    if kind is ChannelType.EMAIL:
        return "mailto:" + quote(address, safe="@.+-_")
    if kind in (ChannelType.X, ChannelType.INSTAGRAM, ChannelType.TIKTOK, ChannelType.TELEGRAM):
        return handle_url(kind, address)
    if address.startswith("https://"):
        return address
    return None


@lru_cache(maxsize=4096)  # many channels state the same hours ("Mo-Fr 09:00-18:00"): worked out once each
def weekly_hours(hours: str, reference_monday: date) -> tuple[DayHours, ...]:
    """Open spans per weekday in a reference week (local wall time; holidays not applied)."""
    schedule = opening_hours.OpeningHours(hours)
    start = datetime.combine(reference_monday, datetime.min.time())
    days: list[list[tuple[str, str]]] = [[] for _ in range(7)]
    for begin, end, state, _comment in schedule.intervals(start, start + timedelta(days=7)):
        if state != opening_hours.State.OPEN:
            continue
        cursor = begin
        while cursor < end:
            day_end = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time())
            stop = min(end, day_end)
            days[cursor.weekday()].append((cursor.strftime("%H:%M"), "24:00" if stop == day_end else stop.strftime("%H:%M")))
            cursor = stop
    return tuple(DayHours(i, tuple(spans)) for i, spans in enumerate(days))


def group_days(week: tuple[DayHours, ...] | None) -> tuple[DayGroup, ...]:
    """Runs of consecutive days with the same spans, so a card says "Mon–Fri 09:00–18:00" once."""
    groups: list[DayGroup] = []
    for day in week or ():
        if groups and groups[-1].spans == day.spans and groups[-1].last == day.weekday - 1:
            groups[-1] = DayGroup(groups[-1].first, day.weekday, day.spans)
        else:
            groups.append(DayGroup(day.weekday, day.weekday, day.spans))
    return tuple(groups)


def _is_always_open(week: tuple[DayHours, ...] | None) -> bool:
    return week is not None and all(day.spans == (("00:00", "24:00"),) for day in week)


class TimingTable:
    """Timing data computed once per distinct (hours, timezone, country, region, response time)."""

    def __init__(self, built: datetime) -> None:
        self.built = built
        self.by_key: dict[str, dict[str, Any]] = {}
        self._keys: dict[tuple[Any, ...], str] = {}

    def key_for(self, company: Company, channel: Channel, timezone: str) -> str | None:
        if not channel.hours and not channel.response_time:
            return None
        response = channel.response_time
        identity = (channel.hours, timezone, company.countries[0], company.region,
                    None if response is None else (response.amount, response.unit))
        key = self._keys.get(identity)
        if key is None:
            timing = timing_for(channel.hours, timezone, company.countries[0], company.region, response, self.built)
            data = timing.to_json()
            key = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]
            self._keys[identity] = key
            self.by_key[key] = data
        return key


def json_ld(company: Company) -> dict[str, Any]:
    """schema.org Organization with a ContactPoint per phone/e-mail/web channel."""
    points = []
    for ch in company.channels:
        point: dict[str, Any] = {"@type": "ContactPoint", "contactType": "customer service"}
        if ch.type is ChannelType.PHONE or ch.type is ChannelType.WHATSAPP:
            point["telephone"] = ch.address
        elif ch.type is ChannelType.EMAIL:
            point["email"] = ch.address
        elif ch.address.startswith("https://"):
            point["url"] = ch.address
        else:
            continue
        if ch.languages:
            point["availableLanguage"] = ch.languages
        if ch.hours:
            point["hoursAvailable"] = ch.hours
        points.append(point)
    same_as = [ch.address for ch in company.channels if ch.type in (ChannelType.FACEBOOK, ChannelType.YOUTUBE, ChannelType.LINKEDIN)]
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Organization", "name": company.name,
                            "url": company.website, "contactPoint": points}
    if company.legal_name:
        data["legalName"] = company.legal_name
    if company.aliases:
        data["alternateName"] = company.aliases
    if same_as:
        data["sameAs"] = same_as
    return data


def derive_company(company: Company, built: datetime, timings: TimingTable | None = None,
                   last_changed: date | None = None) -> CompanyView:
    """Everything a company page shows, channels ranked: what they are for, stated speed, cost, privacy."""
    table = timings or TimingTable(built)
    monday = built.date() - timedelta(days=built.weekday()) + timedelta(days=7)
    views: list[ChannelView] = []
    counts: dict[str, int] = {}
    for channel in sorted(company.channels, key=lambda ch: _rank_key_of(ch)):
        week = weekly_hours(channel.hours, monday) if channel.hours else None
        source_date = channel.source_date or channel.checked
        timezone = channel.timezone or company.timezone
        counts[channel.type] = counts.get(channel.type, 0) + 1
        n = counts[channel.type]
        views.append(ChannelView(
            channel=channel, hook=channel.type.value if n == 1 else f"{channel.type.value}-{n}",
            href=channel_href(channel), timezone=timezone, week=week, week_groups=group_days(week),
            always_open=_is_always_open(week),
            holidays_closed=bool(channel.hours and "PH off" in channel.hours),
            stated_minutes=stated_minutes(channel.response_time), tier=channel_tier(channel),
            old_source=(built.date() - source_date).days > OLD_SOURCE_DAYS,
            timing_key=table.key_for(company, channel, timezone)))
    local_today = built.astimezone(ZoneInfo(company.timezone)).date()
    contacts = [ContactRecord(ch.type, ch.address, ch.source, ch.checked, ch.source_kind) for ch in company.channels]
    if company.complaints and company.complaints.email:
        k = company.complaints
        contacts.append(ContactRecord(ChannelType.EMAIL, str(k.email), k.source, k.checked, k.source_kind))
    search = SearchRecord(company.id, company.name, tuple(company.aliases), company.sector,
                          tuple(dict.fromkeys(ch.type for ch in company.channels)), tuple(contacts),
                          company.website, tuple(company.domains))
    return CompanyView(
        company=company, channels=tuple(views),
        authorities=tuple(escalation_for(company.sector, company.countries, company.escalation)),
        deadlines=derive_deadlines(company, local_today), website_host=(urlsplit(company.website).hostname or "").removeprefix("www."),
        origin=company.origin, search=search, json_ld=json_ld(company), last_changed=last_changed,
        fastest_minutes=min((v.stated_minutes for v in views), default=math.inf),
        open_24_7=any(v.always_open for v in views))


def _due(rule: DeadlineRule, filed: date, country: str, region: str | None) -> date | None:
    return None if rule.period.unit == "hours" else legal_deadline(filed, rule, country, region)


def _stated_due(stated: Duration, filed: date, country: str, region: str | None) -> date | None:
    if stated.unit in ("minutes", "hours"):
        return None
    return legal_deadline(filed, Period(amount=stated.amount, unit=stated.unit), country, region)


def derive_deadlines(company: Company, filed: date) -> CompanyDeadlines | None:
    """The legal deadlines that bind `company` for a complaint filed on `filed`, beside the one it states."""
    found = applicable_rules(company.sector, company.countries, company.region, special=True)
    if not found:
        return None
    country = next((c for c in company.countries if any(c in rule.countries for rule in found)), company.countries[0])
    worked = [LegalDeadline(rule, filed, _due(rule, filed, country, company.region)) for rule in found]
    rules = tuple(d for d in worked if d.rule.kind != "special")
    stated = company.complaints.answer_within if company.complaints else None
    stated_due = _stated_due(stated, filed, country, company.region) if stated else None
    first_due = rules[0].due if rules else None
    shorter = None
    if stated_due and first_due and stated_due != first_due:
        shorter = "company" if stated_due < first_due else "law"
    holidays = holiday_dates(country, company.region, filed - timedelta(days=1), filed + timedelta(days=HOLIDAY_DAYS))
    return CompanyDeadlines(rules=rules, special=tuple(d for d in worked if d.rule.kind == "special"),
                            timezone=company.timezone, holidays=tuple(holidays), stated=stated,
                            stated_due=stated_due, shorter=shorter)


_FOR_CONSUMERS = frozenset({Purpose.SUPPORT, Purpose.COMPLAINTS, Purpose.GENERAL, Purpose.BILLING, Purpose.TECHNICAL,
                            Purpose.OUTAGES, Purpose.CLAIMS, Purpose.ACCESSIBILITY})
_NOT_DIRECT = frozenset({ChannelType.POST, ChannelType.IN_PERSON})


def channel_tier(channel: Channel) -> int:
    """Where a channel stands before speed, cost and privacy are weighed; the browser keeps it (`data-tier`).

    0: a direct channel meant for customers' problems; 1: a direct channel for other things (sales);
    2: a premium-rate number; 3: post or a desk.  A registered office's postal address never comes before a
    phone, chat or e-mail, a sales line never before customer service, and a costlier-than-ordinary number
    never before a free or ordinary-rate direct channel.
    """
    if channel.type in _NOT_DIRECT:
        return 3
    if channel.cost == Cost.PREMIUM:
        return 2
    if channel.purpose and not _FOR_CONSUMERS & set(channel.purpose):
        return 1
    return 0


def _rank_key_of(channel: Channel) -> tuple[int, float, int, int, int]:
    """What the channel is for, then its stated speed, cost, privacy."""
    return (channel_tier(channel), stated_minutes(channel.response_time), _COST_ORDER.get(Cost(channel.cost or Cost.UNKNOWN), 2),
            0 if channel.private else 1, 0 if channel.type not in PUBLIC_BY_DEFAULT else 1)


def live_order(channels: Sequence[ChannelView], timings: dict[str, dict[str, Any]],
               instant: datetime) -> tuple[tuple[ChannelView, bool | None], ...]:
    """The cards in the order the browser shows them at `instant` (docs/javascripts/dr-time.js `ranked`), each with
    whether it is open then (None: unknown).

    The tier is the server's (`channel_tier`); the instant adds only what it can know: open now before the rest,
    then the earliest reply-by, then the server's order.
    """
    def state(view: ChannelView) -> tuple[bool | None, datetime | None]:
        if view.timing_key is None:
            return None, None
        timing = Timing.from_json(timings[view.timing_key])
        return is_open(timing, instant), reply_by(timing, instant)

    worked = [(view, *state(view), index) for index, view in enumerate(channels)]
    far = datetime.max.replace(tzinfo=UTC)
    worked.sort(key=lambda row: (row[0].tier, 0 if row[1] else 1, row[2] or far, row[3]))
    return tuple((view, open_) for view, open_, _, _ in worked)


def best_now(channels: Sequence[ChannelView], timings: dict[str, dict[str, Any]],
             instant: datetime) -> tuple[ChannelView, ChannelView | None] | None:
    """What the "best way now" box names at `instant`: the first card, and, when it is not open, the best channel
    open now (a premium number, post or a desk only when no direct channel at the ordinary rate or less exists)."""
    order = live_order(channels, timings, instant)
    if not order:
        return None
    top, top_open = order[0]
    if top_open:
        return top, None
    alternative = next((view for view, open_ in order[1:] if open_ and (view.tier <= 1 or top.tier > 1)), None)
    return top, alternative


def letter_of(name: str) -> str:
    """The A–Z index letter of a name: its first letter with accents removed, "#" for digits and symbols."""
    first = re.sub(r"[^a-z0-9]", "", fold(name))[:1]
    return first.upper() if first.isalpha() else "#"


def derive_indexes(companies: tuple[CompanyView, ...]) -> Indexes:
    """The index groupings, each in reading order; empty groups are left out."""
    letters: dict[str, list[CompanyView]] = {}
    for view in companies:
        letters.setdefault(letter_of(view.company.name), []).append(view)
    # One pass over the companies for all groupings (not one per sector or channel type).
    sectors: dict[Sector, list[CompanyView]] = {sector: [] for sector in Sector}
    kinds: dict[ChannelType, list[tuple[CompanyView, tuple[ChannelView, ...]]]] = {kind: [] for kind in ChannelType}
    for view in companies:
        sectors[view.company.sector].append(view)
        own: dict[ChannelType, list[ChannelView]] = {}
        for channel_view in view.channels:
            own.setdefault(channel_view.channel.type, []).append(channel_view)
        for kind, channel_views in own.items():
            kinds[kind].append((view, tuple(channel_views)))
    by_sector = tuple((sector, tuple(views)) for sector, views in sectors.items())
    by_channel = tuple((kind, tuple(rows)) for kind, rows in kinds.items())
    timed = sorted((ResponseRow(v, cv) for v in companies for cv in v.channels if cv.channel.response_time),
                   key=lambda row: (row.channel.stated_minutes, fold(row.company.company.name)))
    always = tuple((v, tuple(cv for cv in v.channels if cv.always_open)) for v in companies if v.open_24_7)
    return Indexes(by_letter=tuple(sorted((k, tuple(rows)) for k, rows in letters.items())),
                   by_sector=tuple(group for group in by_sector if group[1]),
                   by_channel=tuple(group for group in by_channel if group[1]),
                   by_response=tuple(timed), always_open=always,
                   by_measured=measured_groups(companies, lambda view: view.company))


def derive_site(companies: list[Company], built: datetime, *, retired: Sequence[Retired] = (),
                history: Sequence[ChangeRecord] = ()) -> SiteModel:
    """The whole site model; companies sorted by name as a Spanish reader expects (accents ignored)."""
    table = TimingTable(built)
    changed = last_changed(history)
    views = tuple(sorted((derive_company(c, built, table, changed.get(c.id)) for c in companies), key=lambda v: fold(v.company.name)))
    names = {r.id: r.name for r in retired} | {r.old_id: c.name for c in companies for r in redirects([c])} | {c.id: c.name for c in companies}
    return SiteModel(built=built, companies=views, indexes=derive_indexes(views), timings=table.by_key,
                     redirects=tuple(redirects(companies)), retired=tuple(retired_pages(retired)), history=tuple(history),
                     names=names)

