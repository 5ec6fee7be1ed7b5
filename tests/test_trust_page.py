"""Issue 21: the company page says only what the evidence supports (the best-way box, one ranking, honest text,
phone comfort).

A small fixture site (tests/cases/trust/companies.yaml) is built once per module with MkDocs and opened in
Debian's Chromium with the clock set by `page.clock`; what the page shows is compared with what the Python
derive stage says for the same instant (`derive.live_order`, `derive.best_now`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from generator.data.models import Company
from generator.data.vocabulary import Cost
from generator.pipeline import load_companies
from generator.site.derive import CompanyView, SiteModel, best_now, channel_tier, derive_site, live_order
from generator.site.i18n import messages
from generator.site.schedule import Timing, is_open, reply_by, timing_for

from .browsing import launch, serve
from .conftest import CASES
from .sitebuild import BUILT_EPOCH, build_copy

BUILT = datetime.fromtimestamp(int(BUILT_EPOCH), UTC)  # Tuesday 2026-11-24 12:00 UTC
DATA = CASES / "trust" / "companies.yaml"
MADRID_NIGHT = datetime(2026, 11, 28, 22, 30, tzinfo=UTC)  # Saturday 23:30 in Madrid
WEEKDAY_NOON = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)  # Wednesday 12:00 in Madrid
MADRID_HOLIDAY = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)  # Monday 12:00: a Madrid regional holiday, not a national one
NATIONAL_HOLIDAY = datetime(2026, 12, 8, 11, 0, tzinfo=UTC)  # Tuesday 12:00 in Madrid: Inmaculada Concepción
CATALAN_HOLIDAY = datetime(2027, 3, 29, 10, 0, tzinfo=UTC)  # Easter Monday 12:00: a holiday in Catalonia, not in Madrid
LANGS = ["es", "en"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_copy(tmp_path_factory.mktemp("trust-site"), [DATA])


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    yield from serve(site)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


@pytest.fixture(scope="module")
def model() -> SiteModel:
    return derive_site(load_companies([DATA], today=BUILT.date()), BUILT)


def view_of(model: SiteModel, company_id: str) -> CompanyView:
    return next(v for v in model.companies if v.company.id == company_id)


def page_url(base_url: str, lang: str, company_id: str) -> str:
    return f"{base_url}{'en/' if lang == 'en' else ''}empresas/{company_id}/"


def open_company(browser: Browser, base_url: str, lang: str, company_id: str, instant: datetime, width: int = 1280) -> Page:
    context = browser.new_context(timezone_id="Europe/Madrid", locale="es-ES" if lang == "es" else "en-GB",
                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    page.clock.set_fixed_time(instant)
    page.goto(page_url(base_url, lang, company_id))
    page.wait_for_selector("[data-best][data-best-live]")
    return page


def box(page: Page) -> dict[str, Any]:
    return page.eval_on_selector("[data-best]", """b => ({
        hook: b.getAttribute('data-best'), state: b.getAttribute('data-best-state'),
        type: b.querySelector('[data-best-type]').textContent, link: b.querySelector('[data-best-link]').textContent.trim(),
        when: b.querySelector('[data-best-when]').textContent, cost: b.querySelector('[data-best-cost]').textContent,
        reply: b.querySelector('[data-best-reply]').textContent, text: b.textContent.replace(/\\s+/g, ' '),
        alt: b.querySelector('[data-best-alt]').hidden ? null : b.querySelector('[data-best-alt]').getAttribute('data-alt'),
        altText: b.querySelector('[data-best-alt]').textContent})""")


def card_order(page: Page) -> list[str]:
    return page.eval_on_selector_all("[data-channel-list] > [data-channel]", "els => els.map(e => e.dataset.channel)")


# --- Python: one rule, in one place ---------------------------------------------------------------------------


def test_tiers_put_premium_after_direct_channels_and_post_last(model: SiteModel) -> None:
    tiers = [(v.channel.type, v.channel.purpose, v.tier) for v in view_of(model, "soporte-ventas").channels]
    assert tiers == [("phone", ["support"], 0), ("webform", ["complaints"], 0), ("phone", ["sales"], 1), ("post", [], 3)]
    both = view_of(model, "pago-y-gratis").channels
    assert [(v.channel.type, v.channel.cost, v.tier) for v in both] == [("email", Cost.FREE, 0), ("phone", Cost.PREMIUM, 2)]
    assert all(v.tier == channel_tier(v.channel) for m in model.companies for v in m.channels)


def test_out_of_the_window_nothing_is_known(model: SiteModel) -> None:
    sales = next(v for v in view_of(model, "soporte-ventas").channels if v.channel.hours == "24/7")
    assert sales.timing_key is not None
    timing = Timing.from_json(model.timings[sales.timing_key])
    assert is_open(timing, BUILT + timedelta(days=399)) is True
    later = BUILT + timedelta(days=402)
    assert is_open(timing, later) is None and reply_by(timing, later) is None


def test_the_regions_holidays_apply(model: SiteModel) -> None:
    madrid = timing_for("Mo-Fr 09:00-18:00; PH off", "Europe/Madrid", "ES", "ES-MD", None, BUILT)
    national = timing_for("Mo-Fr 09:00-18:00; PH off", "Europe/Madrid", "ES", None, None, BUILT)
    assert is_open(madrid, MADRID_HOLIDAY) is False and is_open(national, MADRID_HOLIDAY) is True


def test_open_on_a_holiday_the_hours_say_nothing_about_is_unknown() -> None:
    quiet = timing_for("Mo-Fr 08:00-20:00", "Europe/Madrid", "ES", "ES-CT", None, BUILT)
    assert is_open(quiet, NATIONAL_HOLIDAY) is None  # Tuesday 8 December: the hours say nothing about holidays
    assert is_open(quiet, CATALAN_HOLIDAY) is None  # Easter Monday 2027, a Catalan holiday
    assert is_open(quiet, WEEKDAY_NOON) is True
    assert is_open(timing_for("Mo-Fr 08:00-20:00; PH off", "Europe/Madrid", "ES", "ES-CT", None, BUILT), NATIONAL_HOLIDAY) is False
    assert is_open(timing_for("24/7", "Europe/Madrid", "ES", None, None, BUILT), NATIONAL_HOLIDAY) is True


def test_real_water_companies_have_their_region() -> None:
    from .conftest import ROOT

    companies: list[Company] = load_companies([ROOT / "companies.yaml"], today=date(2026, 12, 3))
    regions = {c.id: c.region for c in companies}
    assert regions["canal-de-isabel-ii"] == "ES-MD" and regions["aigues-de-barcelona"] == "ES-CT"


def test_the_fixed_praise_is_gone() -> None:
    for lang in LANGS:
        assert "best_hint" not in messages(lang)


# --- the built pages, without JavaScript ---------------------------------------------------------------------


@pytest.mark.site
@pytest.mark.parametrize("lang", LANGS)
def test_page_text_says_who_states_what(site: Path, lang: str, model: SiteModel) -> None:
    t = messages(lang)
    html = (site / ("en/" if lang == "en" else "") / "empresas" / "soporte-ventas" / "index.html").read_text(encoding="utf-8")
    # the deadline on that page comes from a regulator's page: never "the company says"
    assert str(t["trust"]["stated_by"]["regulator"]) in html
    assert "dice responder" not in html and "says it replies" not in html
    # a complaints channel exists: never "no formal route"
    assert 'class="dr-no-route"' not in html and 'class="dr-route-channel"' in html
    # each card publishes the server's tier; the box starts "unknown" and says the hours
    view = view_of(model, "soporte-ventas")
    tiers = re.findall(r'data-channel="([^"]+)" data-tier="(\d)"', html)
    assert tiers == [(v.hook, str(v.tier)) for v in view.channels]
    assert 'data-best-state="unknown"' in html
    first = view.channels[0]
    assert first.tier == 0 and f'data-best="{first.hook}"' in html
    assert str(t["trust"]["best_hours"]).split("{")[0] in html
    # the legal deadline is said in its section, not on every card
    label = str(getattr(load_rule_label(view), lang))
    cards = html[html.index("data-channel-list"):html.index('id="' + str(t["anchors"]["complaints"]) + '"')]
    assert label not in cards
    assert cards.count(f'href="#{t["anchors"]["deadline"]}"') == sum(1 for v in view.channels if not v.channel.response_time)


def load_rule_label(view: CompanyView) -> Any:
    assert view.deadlines is not None and view.deadlines.rules
    return view.deadlines.rules[0].rule.label


# --- in Chromium, at the visitor's instant ----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("instant", [MADRID_NIGHT, WEEKDAY_NOON], ids=["saturday-night", "weekday-noon"])
def test_card_order_and_box_match_python(browser: Browser, base_url: str, model: SiteModel, lang: str,
                                         instant: datetime) -> None:
    view = view_of(model, "soporte-ventas")
    expected_order = [v.hook for v, _ in live_order(view.channels, model.timings, instant)]
    chosen = best_now(view.channels, model.timings, instant)
    assert chosen is not None
    top, alternative = chosen
    page = open_company(browser, base_url, lang, "soporte-ventas", instant)
    try:
        assert card_order(page) == expected_order
        seen = box(page)
        assert seen["hook"] == top.hook == expected_order[0]
        assert seen["alt"] == (alternative.hook if alternative else None)
        support = next(v for v in view.channels if v.channel.purpose == ["support"])
        sales = next(v for v in view.channels if v.channel.purpose == ["sales"])
        assert top is support  # customer service first, at night too: never the sales line
        assert expected_order[-1] == next(v.hook for v in view.channels if v.channel.type == "post")
        words = messages(lang)["browser"]
        if instant == MADRID_NIGHT:
            assert seen["state"] == "closed" and alternative is sales
            monday = "lunes" if lang == "es" else "Monday"
            assert seen["when"].startswith(words["opens"].split("{")[0]) and monday in seen["when"]
            assert seen["altText"].startswith(messages(lang)["trust"]["browser"]["open_alt"])
            assert "34910000001" in re.sub(r"\D", "", seen["altText"])
        else:
            assert seen["state"] == "open" and seen["alt"] is None and seen["when"].startswith(words["open"])
        assert seen["cost"] == messages(lang)["cost"]["free"] + "."
        assert "1" in seen["reply"] and messages(lang)["trust"]["stated_by"]["company"] in seen["reply"]
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_unknown_hours_are_said_so(browser: Browser, base_url: str, model: SiteModel, lang: str) -> None:
    top = view_of(model, "sin-horario").channels[0]  # the free e-mail before the ordinary-rate phone; neither states hours
    assert top.channel.type == "email" and top.week is None
    page = open_company(browser, base_url, lang, "sin-horario", MADRID_NIGHT)
    try:
        seen = box(page)
        words = messages(lang)
        assert seen["state"] == "unknown"
        assert seen["when"] == words["trust"]["browser"]["hours_unknown"] + "."
        assert words["browser"]["open"] not in seen["text"] and words["browser"]["closed"] not in seen["text"]
        assert seen["hook"] == top.hook and seen["cost"] == words["cost"]["free"] + "."
        assert seen["reply"].startswith(words["trust"]["browser"]["legal_max"].split("{")[0])
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_premium_only_is_never_called_free(browser: Browser, base_url: str, lang: str) -> None:
    words = messages(lang)
    page = open_company(browser, base_url, lang, "solo-pago", WEEKDAY_NOON)
    try:
        seen = box(page)
        assert seen["state"] == "open" and "902" in seen["link"]  # the premium line, not the postal address
        assert seen["cost"] == words["cost"]["premium"] + "."
        assert words["cost"]["free"] not in seen["text"]
        assert words["old_source"] in seen["text"]  # its source is from 2012: the box says so too
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("instant", [MADRID_NIGHT, WEEKDAY_NOON], ids=["saturday-night", "weekday-noon"])
def test_a_free_channel_beats_a_faster_premium_one(browser: Browser, base_url: str, model: SiteModel, lang: str,
                                                   instant: datetime) -> None:
    view = view_of(model, "pago-y-gratis")
    page = open_company(browser, base_url, lang, "pago-y-gratis", instant)
    try:
        seen = box(page)
        assert "@" in seen["link"] and seen["alt"] is None  # the free e-mail; the 24/7 premium line is never offered
        assert "902" not in seen["text"]
        assert card_order(page) == [v.hook for v, _ in live_order(view.channels, model.timings, instant)]
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_past_the_window_the_page_says_it_is_out_of_date(browser: Browser, base_url: str, lang: str) -> None:
    words = messages(lang)
    page = open_company(browser, base_url, lang, "soporte-ventas", BUILT + timedelta(days=402))
    try:
        sales = page.eval_on_selector_all("[data-channel][data-timing]", """els => els.map(e => [
            e.getAttribute('data-stale'), e.getAttribute('data-open'), e.querySelector('.dr-open-state').textContent])""")
        stale = words["trust"]["browser"]["stale"]
        assert sales and all(row == ["true", None, stale] for row in sales)
        seen = box(page)
        assert seen["state"] == "unknown" and seen["when"] == stale + "."
        assert words["browser"]["closed"] not in seen["text"]
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_a_regional_holiday_closes_the_regional_company_only(browser: Browser, base_url: str, lang: str) -> None:
    for company, state in [("agua-madrid", "closed"), ("agua-nacional", "open")]:
        page = open_company(browser, base_url, lang, company, MADRID_HOLIDAY)
        try:
            assert box(page)["state"] == state, company
        finally:
            page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_a_holiday_the_hours_say_nothing_about_is_not_called_open(browser: Browser, base_url: str, lang: str) -> None:
    doubt = messages(lang)["trust"]["browser"]["holiday_doubt"]
    for instant, state in [(NATIONAL_HOLIDAY, "unknown"), (CATALAN_HOLIDAY, "unknown"), (WEEKDAY_NOON, "open")]:
        page = open_company(browser, base_url, lang, "agua-barcelona", instant)
        try:
            seen = box(page)
            assert seen["state"] == state, instant
            assert (seen["when"] == doubt + ".") == (state == "unknown")
            if state == "unknown":
                assert page.inner_text("[data-channel] .dr-open-state") == doubt
        finally:
            page.context.close()
    page = open_company(browser, base_url, lang, "agua-madrid", CATALAN_HOLIDAY)  # not a Madrid holiday: open
    try:
        assert box(page)["state"] == "open"
    finally:
        page.context.close()


TARGETS = """root => {
  const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
  return [...root.querySelectorAll('a, button, select, input, textarea, summary')].filter(shown).map(e => {
    const r = e.getBoundingClientRect();
    return [e.matches('.dr-go') ? 44 : 24, Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10, e.outerHTML.slice(0, 90)];
  });
}"""


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_targets_are_big_enough_on_a_phone(browser: Browser, base_url: str, lang: str) -> None:
    page = open_company(browser, base_url, lang, "soporte-ventas", MADRID_NIGHT, width=390)
    try:
        page.wait_for_selector("[data-best-alt]:not([hidden])")
        targets = page.eval_on_selector(".dr-company", TARGETS)
        assert len([t for t in targets if t[0] == 44]) >= 5  # the box's link, its open alternative, the cards'
        small = [t for t in targets if t[1] < t[0] or t[2] < t[0]]
        assert not small, small
        for box_handle in page.query_selector_all(".dr-best .dr-go, .dr-card .dr-go"):
            size = box_handle.bounding_box()
            assert size is not None and size["width"] >= 44 and size["height"] >= 44
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_search_controls_are_big_enough_on_a_phone(browser: Browser, base_url: str, lang: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    try:
        page.goto(base_url + ("en/" if lang == "en" else ""))
        controls = page.eval_on_selector_all(".dr-search select, .dr-search input:not([type=hidden]), .dr-search button", """els => els
            .filter(e => e.getBoundingClientRect().height > 0).map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])""")
        assert controls and all(w >= 24 and h >= 24 for w, h in controls), controls
        listed = page.eval_on_selector_all(".md-typeset li > a, .md-copyright a", """els => els
            .filter(e => e.getBoundingClientRect().height > 0).map(e => e.getBoundingClientRect().height)""")
        assert listed and min(listed) >= 24, listed  # links alone in a list item or the footer: not running text
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_names_do_not_break_in_tables(browser: Browser, base_url: str, lang: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    try:
        page.goto(base_url + ("en/" if lang == "en" else "") + "indices/respuesta/")
        styles = page.eval_on_selector_all("table tbody td:first-child a", "els => els.map(e => getComputedStyle(e).whiteSpace)")
        assert styles and set(styles) == {"nowrap"}
        heights = page.eval_on_selector_all("table tbody td:first-child a", "els => els.map(e => e.getClientRects().length)")
        assert set(heights) == {1}  # one line box each: no name is broken
    finally:
        context.close()


@pytest.mark.browser
def test_the_404_switcher_goes_to_the_other_404(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    try:
        for path, other, target in [("en/404.html", "es", "/404.html"), ("404.html", "en", "/en/404.html")]:
            page.goto(base_url + path)
            href = page.get_attribute(f".md-select__link[hreflang={other}]", "href")
            # the site's path (site_url in mkdocs.yml) comes first: the 404 page is served at any address
            assert href is not None and href.endswith(target) and ("/en/" in href) == (other == "en"), (path, href)
    finally:
        page.close()
