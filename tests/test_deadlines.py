"""Legal deadlines: which rules bind a company, and the last day for a complaint filed on a given date.

Expected dates are worked out by hand from the Spanish holiday calendars they
name (national, Catalonia, Madrid, Canary Islands), not from the code.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.data.legal import Period, load_rules
from generator.site.deadlines import add_months, add_working_days, applicable_rules, legal_deadline
from generator.site.schedule import holiday_dates

from .conftest import examples

WORKING_1 = Period(amount=1, unit="working_days")


def keys(sector: str, countries: list[str], region: str | None = None, *, special: bool = False) -> list[str]:
    return [rule.key for rule in applicable_rules(sector, countries, region, special=special)]


# --- which rules ----------------------------------------------------------------


def test_telecom_has_its_own_month_not_the_general_rule() -> None:
    assert keys("telecom", ["ES"]) == ["es-telecom"]


def test_banking_shows_both_rules_payment_services_first() -> None:
    assert keys("banking", ["ES"]) == ["es-banking-payments", "es-banking-other"]


def test_special_cases_come_only_when_asked_and_after_the_main_rule() -> None:
    assert keys("energy", ["ES"]) == ["es-general"]
    assert keys("energy", ["ES"], special=True) == ["es-general", "es-outage", "es-billing"]
    assert keys("retail", ["ES"], special=True) == ["es-general", "es-billing"]


def test_a_company_outside_spain_gets_no_spanish_rule() -> None:
    assert keys("telecom", ["FR"]) == []
    assert keys("retail", ["PT", "FR"], special=True) == []


def test_a_region_counts_as_serving_its_country() -> None:
    assert keys("retail", ["PT"], "ES-CN") == ["es-general"]


def test_post_has_national_and_international_rules() -> None:
    assert keys("post", ["ES"]) == ["es-post-national", "es-post-international"]


# --- working days ------------------------------------------------------------------


def test_fifteen_working_days_from_30_november_2026_end_on_22_december() -> None:
    # 8 December (Immaculate Conception) is a national holiday; the example date.
    general = load_rules().rule("es-general")
    assert legal_deadline(date(2026, 11, 30), general, "ES") == date(2026, 12, 22)


@pytest.mark.parametrize("region", [None, "ES-CT", "ES-MD"])
def test_fifteen_working_days_across_christmas_and_new_year(region: str | None) -> None:
    # From Mon 21 Dec 2026: 25 Dec, 1 Jan and 6 Jan are holidays everywhere; 26 Dec is a Saturday.
    assert add_working_days(date(2026, 12, 21), 15, "ES", region) == date(2027, 1, 14)


@pytest.mark.parametrize(("region", "expected"), [
    (None, date(2026, 4, 2)),      # Holy Thursday is not a national holiday
    ("ES-CT", date(2026, 4, 2)),   # nor in Catalonia (it keeps Easter Monday instead)
    ("ES-MD", date(2026, 4, 6)),   # Madrid: Thu 2 and Fri 3 (Good Friday) off, then the weekend
    ("ES-CN", date(2026, 4, 6)),   # Canary Islands: the same
])
def test_easter_week_depends_on_the_region(region: str | None, expected: date) -> None:
    assert legal_deadline(date(2026, 4, 1), WORKING_1, "ES", region) == expected


def test_catalonia_national_day() -> None:
    # 11 September 2026 is a Friday: a holiday in Catalonia only.
    assert add_working_days(date(2026, 9, 10), 1, "ES", "ES-CT") == date(2026, 9, 14)
    assert add_working_days(date(2026, 9, 10), 1, "ES", "ES-MD") == date(2026, 9, 11)


def test_canary_islands_day() -> None:
    # 30 May 2025 is a Friday: Día de Canarias.
    assert add_working_days(date(2025, 5, 29), 1, "ES", "ES-CN") == date(2025, 6, 2)
    assert add_working_days(date(2025, 5, 29), 1, "ES", "ES-MD") == date(2025, 5, 30)


def test_filing_on_a_weekend_counts_from_monday() -> None:
    assert add_working_days(date(2026, 11, 28), 1, "ES") == date(2026, 11, 30)


def test_a_long_period_extends_its_holiday_window() -> None:
    # 300 working days cross more than a year; the result is still a working day.
    end = add_working_days(date(2026, 1, 2), 300, "ES", "ES-MD")
    assert end.weekday() < 5 and end not in holiday_dates("ES", "ES-MD", end, end)


@settings(max_examples=examples(60), deadline=None)
@given(filed=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
       count=st.integers(min_value=1, max_value=40),
       region=st.sampled_from([None, "ES-CT", "ES-MD", "ES-CN", "ES-AN"]))
def test_working_days_count_exactly_the_open_days_in_between(filed: date, count: int, region: str | None) -> None:
    end = add_working_days(filed, count, "ES", region)
    holidays = set(holiday_dates("ES", region, filed, end))
    between = [filed + timedelta(days=n) for n in range(1, (end - filed).days + 1)]
    open_days = [d for d in between if d.weekday() < 5 and d not in holidays]
    assert len(open_days) == count and open_days[-1] == end


# --- months and days ---------------------------------------------------------------


@pytest.mark.parametrize(("filed", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),    # leap year
    (date(2026, 3, 31), 1, date(2026, 4, 30)),
    (date(2026, 12, 15), 1, date(2027, 1, 15)),   # across the year end
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2026, 8, 29), 6, date(2027, 2, 28)),
])
def test_months_keep_the_day_clamped_to_the_month_end(filed: date, months: int, expected: date) -> None:
    assert add_months(filed, months) == expected


def test_telecom_month_ignores_holidays() -> None:
    telecom = load_rules().rule("es-telecom")
    assert legal_deadline(date(2026, 12, 8), telecom, "ES", "ES-MD") == date(2027, 1, 8)


def test_billing_days_are_calendar_days() -> None:
    billing = load_rules().rule("es-billing")
    assert legal_deadline(date(2026, 12, 30), billing, "ES", "ES-CT") == date(2027, 1, 4)


def test_a_period_in_hours_is_not_a_date() -> None:
    outage = load_rules().rule("es-outage")
    with pytest.raises(ValueError, match="not a date"):
        legal_deadline(date(2026, 12, 1), outage, "ES")
