"""Derive stage: from validated companies to everything the pages need.

Pure functions: the build instant is an argument, never read from the clock.
Nothing here knows about HTML, Markdown or MkDocs; it decides *what* to
show (ranking, links, cost flags, hours table, search terms), `render.py`
decides *how*.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from urllib.parse import quote

import opening_hours

from .addresses import handle_url
from .catalog import AUTHORITIES, PUBLIC_BY_DEFAULT, Authority, ChannelType, Cost
from .fields import Duration
from .models import Channel, Company

OLD_SOURCE_DAYS = 2 * 365
_COST_ORDER = {Cost.FREE: 0, Cost.STANDARD: 1, Cost.UNKNOWN: 2, Cost.PREMIUM: 3}
_MINUTES = {"minutes": 1, "hours": 60, "days": 1440, "working_days": 1440 * 7 / 5, "months": 43200}


@dataclass(frozen=True, slots=True)
class DayHours:
    weekday: int  # 0 = Monday
    spans: tuple[tuple[str, str], ...]  # ("09:00", "21:00"); "24:00" for midnight at the end


@dataclass(frozen=True, slots=True)
class ChannelView:
    channel: Channel
    hook: str  # data-channel value: the type, then type-2, type-3 … for repeats
    href: str | None  # tel:, mailto:, https:// — None for a postal address
    timezone: str
    week: tuple[DayHours, ...] | None  # None when the company does not state hours
    always_open: bool
    holidays_closed: bool
    stated_minutes: float  # stated response time in minutes (inf when not stated), for ranking
    old_source: bool


@dataclass(frozen=True, slots=True)
class CompanyView:
    company: Company
    channels: tuple[ChannelView, ...]  # ranked for the consumer
    authorities: tuple[Authority, ...]
    search_terms: tuple[str, ...]
    fastest_minutes: float
    open_24_7: bool


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


def _is_always_open(week: tuple[DayHours, ...] | None) -> bool:
    return week is not None and all(day.spans == (("00:00", "24:00"),) for day in week)


def _rank_key(view: ChannelView) -> tuple[float, int, int, int]:
    channel = view.channel
    return (view.stated_minutes, _COST_ORDER.get(Cost(channel.cost or Cost.UNKNOWN), 2), 0 if channel.private else 1,
            0 if channel.type not in PUBLIC_BY_DEFAULT else 1)


def derive_company(company: Company, built: datetime) -> CompanyView:
    """Everything a company page shows, channels ranked: stated speed, then cost, then privacy."""
    monday = built.date() - timedelta(days=built.weekday()) + timedelta(days=7)
    views: list[ChannelView] = []
    for channel in company.channels:
        week = weekly_hours(channel.hours, monday) if channel.hours else None
        source_date = channel.source_date or channel.checked
        views.append(ChannelView(
            channel=channel, hook="", href=channel_href(channel), timezone=channel.timezone or company.timezone,
            week=week, always_open=_is_always_open(week),
            holidays_closed=bool(channel.hours and "PH off" in channel.hours),
            stated_minutes=stated_minutes(channel.response_time),
            old_source=(built.date() - source_date).days > OLD_SOURCE_DAYS))
    ranked = sorted(views, key=_rank_key)
    counts: dict[str, int] = {}
    hooked = []
    for view in ranked:
        counts[view.channel.type] = counts.get(view.channel.type, 0) + 1
        n = counts[view.channel.type]
        hooked.append(replace(view, hook=view.channel.type.value if n == 1 else f"{view.channel.type.value}-{n}"))
    terms = tuple(dict.fromkeys([company.name, *company.aliases, company.id]))
    return CompanyView(
        company=company, channels=tuple(hooked),
        authorities=tuple(AUTHORITIES[key] for key in company.escalation),
        search_terms=terms, fastest_minutes=min((v.stated_minutes for v in views), default=math.inf),
        open_24_7=any(v.always_open for v in views))


def derive_all(companies: list[Company], built: datetime) -> list[CompanyView]:
    """All companies, sorted by name as a Spanish reader expects (accents ignored)."""
    views = [derive_company(c, built) for c in companies]
    return sorted(views, key=lambda v: fold(v.company.name))


def fold(text: str) -> str:
    """Text for sorting and matching: case and accents ignored (Ávila sorts with A)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))
