"""When a channel is staffed and when its stated answer is due: pure functions of hours, place and time.

Everything here takes the instant, the timezone and the holiday calendar as
arguments (no ``now()``), so a page built today, and the tests, pin them.

Hours and public holidays
-------------------------
A channel's ``hours`` are OpenStreetMap ``opening_hours`` evaluated with
opening-hours-py in the channel's local wall time.  Public holidays (``PH``)
come from the ``holidays`` library only (country plus, when given, the ISO
3166-2 region: ``ES-CT`` → ``country_holidays("ES", subdiv="CT")``), because
opening-hours-py knows national holidays only and its calendar differs.

So the expression is evaluated *without* a country — there ``PH`` never
matches, which is exactly right on an ordinary day — and the days a holiday
can change are evaluated again with a rewritten expression: a day D is
affected when D or D-1 is a holiday (D-1 because ``22:00-02:00`` spills past
midnight).  For D, every ``PH`` token (outside comments) is replaced by the
nth-weekday selectors that pick exactly those of {D-1, D} that are holidays,
e.g. Christmas 2026 (the 4th Friday of December) turns ``Mo-Fr,PH 10:00-14:00;
PH off`` into ``Mo-Fr,Fr[4] 10:00-14:00; Fr[4] off``.  In the one-day window
that selector matches the holiday and nothing else, and the rest of the
expression is untouched, so opening-hours-py itself applies the OSM rules:
a later rule overrides earlier ones for the days it selects, ``PH off``
closes the holiday, ``Mo-Fr,PH`` is a union.  The test suite checks the
rewrite against opening-hours-py's own PH handling on days both calendars
call a holiday.  ``PH`` forms the rewrite cannot express (an offset such as
``PH +1 day``, or ``PH Mo``) fall back to opening-hours-py's calendar for
that day.  ``SH`` (school holidays) never matches: there is no calendar.

Wall-time boundaries are turned into UTC with ``fold=0`` (an ambiguous time
is its first occurrence, a time skipped by DST uses the offset before the
change); ``docs/javascripts/dr-time.js`` follows the same rule.

Durations
---------
Arithmetic is done on UTC instants, so across a DST change an hour is an hour.

- minutes/hours: staffed time.  A message sent while closed starts the clock
  at the next opening; the clock stops at closing and resumes at the next
  opening.  When the hours are unknown they count as continuous time.
- days: calendar time, N × 24 real hours.
- working days: the deadline is the end (next local midnight) of the N-th
  Monday–Friday that is not a public holiday after the day the message is sent.
- months: the same local wall time N calendar months later, the day clamped to
  the month's end.

The browser repeats ``is_open``/``next_change``/``reply_by`` from
``Timing.to_json()`` (docs/javascripts/dr-time.js); both must agree to the
millisecond, so ``iso_z`` prints instants as JavaScript's ``toISOString``.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any, cast
from zoneinfo import ZoneInfo

import holidays as holidays_lib
import opening_hours

from generator.data.fields import Duration

UnknownCountryError: type[Exception] = getattr(opening_hours, "UnknownCountryError")  # noqa: B009 - raised, but missing from the stub

Interval = tuple[datetime, datetime]

HORIZON_BEFORE = timedelta(days=1)
HORIZON_AFTER = timedelta(days=400)
HOLIDAY_MARGIN = timedelta(days=120)
"""Holidays are listed this far past the hours' horizon so working-day deadlines near its end still skip them."""

_DAY = timedelta(days=1)
_WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_PH = re.compile(r"\bPH\b")
_PH_UNSUPPORTED = re.compile(r"\bPH\s*[+-]|\bPH\s+(?:Mo|Tu|We|Th|Fr|Sa|Su)\b")


# --- holidays ----------------------------------------------------------------


@lru_cache(maxsize=512)
def _holidays_of_year(country: str, region: str | None, year: int) -> frozenset[date]:
    subdiv = region.split("-", 1)[1] if region and "-" in region else region
    try:  # an unknown country raises NotImplementedError (asking for the list would import every country's module)
        if subdiv not in holidays_lib.country_holidays(country).subdivisions:
            subdiv = None
        calendar_ = holidays_lib.country_holidays(country, subdiv=subdiv, years=year)
    except NotImplementedError:
        return frozenset()
    return frozenset(d for d in calendar_ if d.year == year)


def holiday_dates(country: str, region: str | None, start: date, end: date) -> list[date]:
    """Public holidays of `country` (and ISO 3166-2 `region`, e.g. "ES-CT") from `start` to `end`, both included.

    A country the `holidays` library does not know has none; a region it does not
    know falls back to the national calendar.
    """
    found: set[date] = set()
    for year in range(start.year, end.year + 1):
        found.update(d for d in _holidays_of_year(country, region, year) if start <= d <= end)
    return sorted(found)


def _nth_working_day_after(day: date, count: int, is_holiday: Callable[[date], bool]) -> date:
    while count > 0:
        day += _DAY
        if day.weekday() < 5 and not is_holiday(day):
            count -= 1
    return day


def add_working_days(filed: date, count: int, country: str, region: str | None = None) -> date:
    """The `count`-th Monday–Friday after `filed` that is not a public holiday of `country`/`region` (ISO 3166-2).

    The last day of a deadline in working days (días hábiles), counted from the day after filing.
    """
    if count < 1:
        raise ValueError("count must be 1 or more")
    return _nth_working_day_after(filed, count, lambda d: d in _holidays_of_year(country, region, d.year))


def add_months(day: date, months: int) -> date:
    """The same day `months` months after `day`, clamped to the end of that month (31 January + 1 → 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


# --- opening hours -----------------------------------------------------------


def _to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """Naive wall time → UTC instant, fold=0 (first occurrence; offset before a DST gap)."""
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _open_local(expression: opening_hours.OpeningHours, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    return [(a, b) for a, b, state, _ in expression.intervals(start, end) if state == opening_hours.State.OPEN]


def _nth_weekday(day: date) -> str:
    return f"{_WEEKDAYS[day.weekday()]}[{(day.day - 1) // 7 + 1}]"


def _holiday_expression(hours: str, days: Sequence[date]) -> str | None:
    """`hours` with PH replaced by selectors of exactly `days` (within a 2-day window), or None if it cannot be."""
    parts = hours.split('"')
    if any(_PH_UNSUPPORTED.search(part) for part in parts[::2]):
        return None
    selector = ",".join(_nth_weekday(d) for d in days)
    parts[::2] = [_PH.sub(selector, part) for part in parts[::2]]
    rewritten = '"'.join(parts)
    return rewritten if opening_hours.validate(rewritten) else None


def _day_on_holiday(hours: str, day: date, holidays: frozenset[date], country: str) -> list[tuple[datetime, datetime]]:
    start = datetime.combine(day, datetime.min.time())
    rewritten = _holiday_expression(hours, [d for d in (day - _DAY, day) if d in holidays])
    if rewritten is not None:
        return _open_local(opening_hours.OpeningHours(rewritten), start, start + _DAY)
    try:
        native = opening_hours.OpeningHours(hours, country=country)
    except UnknownCountryError:
        native = opening_hours.OpeningHours(hours)
    return _open_local(native, start, start + _DAY)


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for a, b in sorted(intervals):
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


@lru_cache(maxsize=4096)
def _open_intervals_cached(hours: str, tz: str, country: str, region: str | None, start: datetime, end: datetime) -> tuple[Interval, ...]:
    zone = ZoneInfo(tz)
    first = start.astimezone(zone).date() - 2 * _DAY
    last = end.astimezone(zone).date() + 2 * _DAY
    local_start, local_end = datetime.combine(first, datetime.min.time()), datetime.combine(last, datetime.min.time())
    holidays = frozenset(holiday_dates(country, region, first - _DAY, last))
    affected = {d for h in holidays for d in (h, h + _DAY)} if _PH.search(hours) else set()

    pieces: list[tuple[datetime, datetime]] = []
    for a, b in _open_local(opening_hours.OpeningHours(hours), local_start, local_end):
        # cut at local midnights so the days a holiday changes can be swapped out
        while a < b:
            midnight = datetime.combine(a.date() + _DAY, datetime.min.time())
            piece_end = min(b, midnight)
            if a.date() not in affected:
                pieces.append((a, piece_end))
            a = piece_end
    for day in sorted(affected):
        if first <= day < last:
            pieces.extend(_day_on_holiday(hours, day, holidays, country))

    as_utc = [(_to_utc(a, zone), _to_utc(b, zone)) for a, b in _merge(pieces)]
    start_utc, end_utc = start.astimezone(UTC), end.astimezone(UTC)
    clipped = [(max(a, start_utc), min(b, end_utc)) for a, b in as_utc]
    return tuple(_merge(clipped))


def open_intervals(hours: str, tz: str, country: str, region: str | None, start: datetime, end: datetime) -> list[Interval]:
    """Merged open intervals of `hours` in `tz` with the holidays of `country`/`region`, as UTC instants clipped to [start, end].

    `start` and `end` must be timezone-aware.  An interval is open at its start
    and closed at its end.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    return list(_open_intervals_cached(hours, tz, country, region, start, end))


# --- timing ------------------------------------------------------------------


def iso_z(instant: datetime) -> str:
    """The instant as JavaScript's Date.prototype.toISOString() prints it: UTC, milliseconds, "Z"."""
    utc = instant.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def _epoch_minutes(instant: datetime) -> int:
    return int(instant.timestamp()) // 60


def _from_epoch_minutes(minutes: int) -> datetime:
    return datetime.fromtimestamp(minutes * 60, UTC)


@dataclass(frozen=True)
class Timing:
    """What the browser needs to say "open now" and "reply by" for one channel, computed at build time."""

    tz: str
    open: list[Interval] | None
    """Open intervals (UTC, minute-aligned) over the horizon; None when the hours are unknown."""
    response: Duration | None
    holidays: list[date]
    start: datetime | None = None
    """Start of the horizon; `to_json`'s `base` when there is no open interval."""
    end: datetime | None = None
    """End of the horizon: past it (or before `start`) nothing is known, and the page is out of date."""
    holidays_said: bool = True
    """Whether the hours say what happens on a public holiday ("PH", or every day / 24/7).  When they do not
    ("Mo-Fr 08:00-20:00"), "open now" on a holiday is not what the source says: it is unknown."""

    def knows(self, instant: datetime) -> bool:
        """Whether `instant` lies in the horizon this timing was computed for (always, when it has none)."""
        t = _as_utc(instant)
        return (self.start is None or t >= self.start) and (self.end is None or t < self.end)

    def to_json(self) -> dict[str, Any]:
        """Compact form: `open` holds minute offsets, each from the previous boundary (the first from `base`)."""
        boundaries = [instant for interval in (self.open or []) for instant in interval]
        fallback = self.start or (boundaries[0] if boundaries else datetime(1970, 1, 1, tzinfo=UTC))
        base = _epoch_minutes(boundaries[0] if boundaries else fallback)
        minutes = [_epoch_minutes(b) for b in boundaries]
        deltas = [m - p for m, p in zip(minutes, [base, *minutes], strict=False)]
        data: dict[str, Any] = {
            "tz": self.tz,
            "base": base,
            "open": None if self.open is None else deltas,
            "response": None if self.response is None else {"amount": self.response.amount, "unit": self.response.unit},
            "holidays": [d.isoformat() for d in self.holidays],
        }
        if self.start is not None and self.end is not None:  # the horizon, in epoch minutes: outside it, "unknown"
            data["from"], data["until"] = _epoch_minutes(self.start), _epoch_minutes(self.end)
        if not self.holidays_said:
            data["ph"] = False
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Timing:
        """Read back what `to_json` wrote."""
        open_: list[Interval] | None = None
        if data["open"] is not None:
            minute, instants = int(data["base"]), []
            for delta in data["open"]:
                minute += int(delta)
                instants.append(_from_epoch_minutes(minute))
            open_ = list(zip(instants[::2], instants[1::2], strict=True))
        response = data["response"]
        return cls(tz=data["tz"], open=open_,
                   response=None if response is None else Duration(int(response["amount"]), cast(Any, response["unit"])),
                   holidays=[date.fromisoformat(d) for d in data["holidays"]],
                   start=_from_epoch_minutes(int(data.get("from", data["base"]))),
                   end=_from_epoch_minutes(int(data["until"])) if "until" in data else None,
                   holidays_said=bool(data.get("ph", True)))


def timing_for(hours: str | None, tz: str, country: str, region: str | None, response: Duration | None, built: datetime) -> Timing:
    """Timing of one channel for a page built at `built`: from a day before to 400 days after.

    `hours` None means the company does not say when the channel is staffed.
    """
    start = built.astimezone(UTC).replace(second=0, microsecond=0) - HORIZON_BEFORE
    end = start + HORIZON_BEFORE + HORIZON_AFTER
    zone = ZoneInfo(tz)
    open_ = None if hours is None else open_intervals(hours, tz, country, region, start, end)
    days = holiday_dates(country, region, start.astimezone(zone).date(), (end + HOLIDAY_MARGIN).astimezone(zone).date())
    said = hours is None or bool(_PH.search(hours)) or hours.strip() == "24/7" or "Mo-Su" in hours
    return Timing(tz=tz, open=open_, response=response, holidays=days, start=start, end=end, holidays_said=said)


def _as_utc(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    return instant.astimezone(UTC)


def is_open(timing: Timing, instant: datetime) -> bool | None:
    """Whether the channel is staffed at `instant`; None when its hours are unknown, `instant` is out of the horizon,
    or the hours would have it open on a public holiday they say nothing about."""
    if timing.open is None or not timing.knows(instant):
        return None
    t = _as_utc(instant)
    i = bisect.bisect_right(timing.open, t, key=lambda interval: interval[0]) - 1
    staffed = i >= 0 and t < timing.open[i][1]
    if staffed and holiday_in_doubt(timing, t):
        return None
    return staffed


def holiday_in_doubt(timing: Timing, instant: datetime) -> bool:
    """Whether `instant` falls on a public holiday (local date) that the channel's hours say nothing about."""
    return not timing.holidays_said and _as_utc(instant).astimezone(ZoneInfo(timing.tz)).date() in timing.holidays


def next_change(timing: Timing, instant: datetime) -> datetime | None:
    """First opening or closing strictly after `instant`; None when hours are unknown or nothing changes in the horizon."""
    if timing.open is None or not timing.knows(instant):
        return None
    t = _as_utc(instant)
    boundaries = [b for interval in timing.open for b in interval]
    i = bisect.bisect_right(boundaries, t)
    return boundaries[i] if i < len(boundaries) else None


def _staffed(open_: list[Interval], sent: datetime, needed: timedelta) -> datetime | None:
    for a, b in open_:
        if b <= sent:
            continue
        begin = max(a, sent)
        if needed <= b - begin:
            return begin + needed
        needed -= b - begin
    return None


def _add_months(local: datetime, months: int) -> datetime:
    day = add_months(local.date(), months)
    return local.replace(year=day.year, month=day.month, day=day.day, fold=0)


def reply_by(timing: Timing, sent: datetime) -> datetime | None:
    """When the stated answer is due for a message sent at `sent` (UTC); None without a response time.

    Also None when staffed time cannot be served within the horizon (the channel
    never opens again in it).
    """
    response = timing.response
    if response is None or not timing.knows(sent):
        return None
    t = _as_utc(sent)
    zone = ZoneInfo(timing.tz)
    if response.unit in ("minutes", "hours"):
        needed = timedelta(minutes=response.amount) if response.unit == "minutes" else timedelta(hours=response.amount)
        return t + needed if timing.open is None else _staffed(timing.open, t, needed)
    if response.unit == "days":
        return t + timedelta(days=response.amount)
    if response.unit == "working_days":
        holidays = frozenset(timing.holidays)
        last = _nth_working_day_after(t.astimezone(zone).date(), response.amount, holidays.__contains__)
        return _to_utc(datetime.combine(last + _DAY, datetime.min.time()), zone)
    local = t.astimezone(zone).replace(tzinfo=None)
    return _to_utc(_add_months(local, response.amount), zone)
