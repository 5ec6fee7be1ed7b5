"""Legal answer deadlines: which rules bind a company, and the last day for a complaint filed on a date.

Pure functions of their arguments: the filing date, the rule and the place
are passed in (no clock); days are counted by `schedule.add_working_days` and
`schedule.add_months`, with public holidays from `schedule.holiday_dates`
(the `holidays` library, country plus ISO 3166-2 region), the same calendar
the channel hours use.  The browser repeats `legal_deadline` for a complaint
filed at the visitor's instant; both must agree day for day.

Counting, as Spanish law reads these periods:

- working_days: Monday to Friday that are not public holidays of the
  company's country and region, counted from the day after filing; the
  deadline is the N-th such day.
- days: calendar days; the deadline is the filing date plus N.
- months: the same day N months later, clamped to the month's end
  (31 January + 1 month = 28 or 29 February).
- hours: not a date; `legal_deadline` refuses it (a two-hour answer is shown
  as such, not as a day).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from generator.data.legal import DeadlineRule, Period, Rules, load_rules
from generator.data.vocabulary import Sector
from generator.site.schedule import add_months, add_working_days


def applicable_rules(sector: Sector | str, countries: Sequence[str], region: str | None = None, *,
                     special: bool = False, rules: Rules | None = None) -> list[DeadlineRule]:
    """The rules that bind a company of `sector` serving `countries` (and `region`, e.g. "ES-CN").

    General and sector rules come first, in catalogue order; banking has two
    (payment services and other products), each with its basis.  With
    `special=True` the special cases (outages, billing) follow them.  A
    company serving no country of a rule gets none of it: a company outside
    Spain gets no Spanish rule.  The region's country counts as served.
    """
    catalogue = rules or load_rules()
    wanted = Sector(sector)
    served = set(countries) | ({region.split("-", 1)[0]} if region else set())
    found = [rule for rule in catalogue.deadlines
             if wanted in rule.sectors and served & set(rule.countries) and (special or rule.kind != "special")]
    return sorted(found, key=lambda rule: rule.kind == "special")  # stable: catalogue order within each group


def legal_deadline(filed: date, rule: DeadlineRule | Period, country: str, region: str | None = None) -> date:
    """The last day to answer a complaint filed on `filed` under `rule`, with `country`'s and `region`'s holidays.

    Raises ValueError for a period in hours (it is not a date).
    """
    period = rule.period if isinstance(rule, DeadlineRule) else rule
    if period.unit == "working_days":
        return add_working_days(filed, period.amount, country, region)
    if period.unit == "days":
        return filed + timedelta(days=period.amount)
    if period.unit == "months":
        return add_months(filed, period.amount)
    raise ValueError(f"a period of {period.amount} {period.unit} is not a date; show it as a duration")
