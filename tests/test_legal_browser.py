"""The legal deadline for a complaint filed at the visitor's instant, worked out in real headless Chromium.

`data-legal-deadline` must equal an independent computation (generator/site/deadlines.py) for the same
instant, in the company's timezone, with its country's and region's public holidays.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page

from generator.pipeline import load_companies
from generator.site.deadlines import applicable_rules, legal_deadline

from .browsing import serve
from .conftest import CASES
from .sitebuild import build_copy
from .test_browser import browser  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
DATA = [CASES / "site" / "companies.yaml", CASES / "site" / "deadlines.yaml"]

INSTANTS = [
    datetime(2026, 11, 30, 9, 0, tzinfo=UTC),    # an ordinary Monday
    datetime(2026, 12, 4, 12, 0, tzinfo=UTC),    # the week of 6 and 8 December (Constitución, Inmaculada)
    datetime(2026, 12, 23, 16, 0, tzinfo=UTC),   # Christmas week
    datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # already 1 January in Madrid, still 31 December in the Canaries
    datetime(2027, 1, 29, 10, 0, tzinfo=UTC),    # a month from 29 January ends on 28 February
    datetime(2027, 3, 24, 10, 0, tzinfo=UTC),    # Easter 2027 (Easter Monday is a holiday in Catalonia only)
    datetime(2027, 8, 31, 21, 30, tzinfo=UTC),   # 1 September in Madrid; the Diada (11 September) ahead
]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(build_copy(tmp_path_factory.mktemp("legal-site"), DATA))


def expected(company_id: str, instant: datetime) -> dict[str, str]:
    """rule key → due date, computed in Python from the company's local date."""
    [company] = [c for c in load_companies(DATA, today=date(2026, 11, 24)) if c.id == company_id]
    filed = instant.astimezone(ZoneInfo(company.timezone)).date()
    return {rule.key: legal_deadline(filed, rule, "ES", company.region).isoformat()
            for rule in applicable_rules(company.sector, company.countries, company.region)}


def seen(page: Page, url: str, instant: datetime) -> dict[str, str]:
    """The page's deadlines when opened at `instant` (one tab reused: each load starts from the new instant)."""
    page.clock.set_fixed_time(instant)
    page.goto(url)
    page.wait_for_function("() => document.querySelector('.dr-legal[data-unit] .dr-legal-date')?.textContent.startsWith('Si reclamas hoy')")
    return dict(page.eval_on_selector_all(
        "[data-legal-deadline]", "els => els.map(e => [e.dataset.legalBasis, e.dataset.legalDeadline])"))


@pytest.mark.parametrize(("company_id", "basis"), [
    ("acme", {"es-telecom"}),                                      # telecom: one month, its sector's rule
    ("beta-bank", {"es-banking-payments", "es-banking-other"}),    # banking: both rules, by matter
    ("tienda-bcn", {"es-general"}),                                # a retailer with Catalonia's holidays
    ("luz-canarias", {"es-general"}),                              # the Canary Islands: own timezone and holidays
])
def test_deadline_at_the_visitors_instant(browser: Browser, site_url: str, company_id: str, basis: set[str]) -> None:  # noqa: F811
    context = browser.new_context(timezone_id="America/New_York", locale="es-ES")
    try:
        page = context.new_page()
        for instant in INSTANTS:
            want = expected(company_id, instant)
            assert set(want) == basis
            got = seen(page, f"{site_url}empresas/{company_id}/", instant)
            assert got == want, (company_id, instant)
    finally:
        context.close()


def test_a_company_outside_spain_gets_no_spanish_deadline(browser: Browser, site_url: str) -> None:  # noqa: F811
    page = browser.new_page()
    page.goto(f"{site_url}empresas/loja-lisboa/")
    assert page.locator("[data-legal-deadline]").count() == 0
    assert page.locator(".dr-legal-unknown").is_visible()
    page.close()


def test_without_javascript_the_rule_and_the_build_day_date_are_shown(browser: Browser, site_url: str) -> None:  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}empresas/tienda-bcn/")
    text = page.inner_text(".dr-legal")
    assert "15 días hábiles" in text and "día en que se generó esta página" in text
    context.close()


def test_complaint_letter_is_written_in_the_browser_with_the_keyboard(browser: Browser, site_url: str) -> None:  # noqa: F811
    context = browser.new_context(timezone_id="Europe/Madrid", locale="es-ES")
    page = context.new_page()
    page.clock.set_fixed_time(INSTANTS[2])
    page.goto(f"{site_url}empresas/luz-canarias/", wait_until="networkidle")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.focus("#dr-letter-what")
    page.keyboard.type("Me han cobrado dos veces la factura <b>de noviembre</b>.")
    page.keyboard.press("Tab")
    page.keyboard.type("Que me devuelvan el cargo repetido.")
    page.keyboard.press("Tab")
    page.keyboard.type("C-12345")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the "prepare" button
    text = page.input_value("#dr-letter-text")
    due = expected("luz-canarias", INSTANTS[2])["es-general"]
    assert "Luz Canarias" in text and "<b>de noviembre</b>" in text and "C-12345" in text
    assert "Ley 10/2025, art. 17.1" in text and date.fromisoformat(due).strftime("%Y") in text
    mail = page.get_attribute("[data-letter-mail]", "href") or ""
    assert mail.startswith("mailto:reclamaciones@luz.example.es?subject=") and "C-12345" in mail
    assert requests == []  # nothing typed left the browser
    assert page.locator("#dr-letter-text").evaluate("el => el === document.activeElement")
    context.close()
