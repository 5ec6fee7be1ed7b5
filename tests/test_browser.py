"""Real headless Chromium on the real built site, with the clock and timezone set by the test.

The browser's `data-open` / `data-reply-by` must equal what the Python
schedule stage computes for the same channel and instant.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from generator.pipeline import load_companies
from generator.site.derive import derive_company, derive_site, live_order
from generator.site.schedule import is_open, iso_z, reply_by, timing_for

from .browsing import launch, serve
from .conftest import CASES
from .sitebuild import BUILT_EPOCH

pytestmark = pytest.mark.browser
BUILT = datetime.fromtimestamp(int(BUILT_EPOCH), UTC)


@pytest.fixture(scope="module")
def base_url(fixture_site: Path) -> Iterator[str]:
    yield from serve(fixture_site)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


def python_expectations(instant: datetime) -> dict[str, tuple[str | None, str | None]]:
    """hook → (data-open, data-reply-by) as the Python schedule computes them."""
    [acme, _] = load_companies([CASES / "site" / "companies.yaml"], today=BUILT.date())
    expected = {}
    for view in derive_company(acme, BUILT).channels:
        ch = view.channel
        if not ch.hours and not ch.response_time:
            continue
        timing = timing_for(ch.hours, view.timezone, acme.countries[0], acme.region, ch.response_time, BUILT)
        state = is_open(timing, instant)
        due = reply_by(timing, instant)
        expected[view.hook] = (None if state is None else str(state).lower(), None if due is None else iso_z(due))
    return expected


def browser_state(browser: Browser, url: str, instant: datetime, timezone: str) -> dict[str, tuple[str | None, str | None]]:
    context = browser.new_context(timezone_id=timezone, locale="es-ES")
    try:
        page = context.new_page()
        page.clock.set_fixed_time(instant)
        page.goto(url + "empresas/acme/")
        page.wait_for_selector("[data-channel][data-reply-by]")
        cards = page.eval_on_selector_all(
            "[data-channel]", "els => els.map(e => [e.dataset.channel, e.getAttribute('data-open'), e.getAttribute('data-reply-by')])")
        return {hook: (state, due) for hook, state, due in cards}
    finally:
        context.close()


INSTANTS = [
    datetime(2026, 11, 24, 12, 0, tzinfo=UTC),   # Tuesday midday in Madrid: weekday hours open
    datetime(2026, 11, 27, 17, 30, tzinfo=UTC),  # Friday 18:30 Madrid: the phones just closed, weekend ahead
    datetime(2026, 12, 8, 10, 0, tzinfo=UTC),    # Inmaculada, a national holiday: "PH off" phone closed
    datetime(2026, 12, 24, 21, 30, tzinfo=UTC),  # Christmas Eve 22:30 Madrid: WhatsApp just closed
    datetime(2027, 3, 28, 0, 30, tzinfo=UTC),    # the night the clocks go forward in Madrid
]


@pytest.mark.parametrize("visitor_tz", ["America/New_York", "Asia/Tokyo"])
def test_live_state_equals_python(browser: Browser, base_url: str, visitor_tz: str) -> None:
    compared = 0
    for instant in INSTANTS:
        seen = browser_state(browser, base_url, instant, visitor_tz)
        for hook, expected in python_expectations(instant).items():
            assert seen[hook] == expected, (instant, hook)
            compared += 1
    assert compared >= 20


def test_still_right_eleven_months_after_the_build(browser: Browser, base_url: str) -> None:
    later = BUILT + timedelta(days=335, hours=8)  # a Monday, 22:00 in Madrid: phones closed, X (24/7) open
    expected = python_expectations(later)
    seen = browser_state(browser, base_url, later, "Europe/London")
    assert {hook: seen[hook] for hook in expected} == expected
    assert any(state == "true" for state, _ in expected.values()) and any(state == "false" for state, _ in expected.values())


def test_cards_reranked_by_tier_then_open_now_then_earliest_reply(browser: Browser, base_url: str) -> None:
    # The server's tier first (data-tier), then open now, then the earliest reply-by, then the server's order:
    # derive.live_order says it in Python, and the page must show the same order.
    instant = INSTANTS[3]  # Christmas Eve 22:30: WhatsApp closed till 8:00, the 24/7 X account answers first
    seen = browser_state(browser, base_url, instant, "Europe/Madrid")
    model = derive_site(load_companies([CASES / "site" / "companies.yaml"], today=BUILT.date()), BUILT)
    acme = next(v for v in model.companies if v.company.id == "acme")
    order = [view.hook for view, _ in live_order(acme.channels, model.timings, instant)]
    assert order[0] == "x" and order[-1] == "phone-2"  # open now first; the premium 902 number after the direct channels
    assert list(seen) == order  # the page's card order (dicts keep DOM order)


def test_open_state_text_is_shown(browser: Browser, base_url: str) -> None:
    context = browser.new_context(timezone_id="Europe/Madrid", locale="es-ES")
    page = context.new_page()
    page.clock.set_fixed_time(INSTANTS[0])
    page.goto(base_url + "empresas/acme/")
    page.wait_for_selector('[data-channel="whatsapp"][data-open]')
    assert page.inner_text('[data-channel="whatsapp"] .dr-open-state').startswith("Abierto")
    assert "Si escribes ahora" in page.inner_text('[data-channel="whatsapp"] .dr-reply-by')
    context.close()


def test_response_table_sorts_on_click(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "indices/respuesta/")
    page.click("th[data-sort-col='3'] button")
    page.click("th[data-sort-col='3'] button")  # second click: slowest first
    values = page.eval_on_selector_all("tbody tr td:nth-child(4)", "tds => tds.map(td => Number(td.dataset.sortValue))")
    assert values == sorted(values, reverse=True) and len(values) == 5
    page.close()
