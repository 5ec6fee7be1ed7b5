"""The complaint kit (issue 23) on a real built site, in real headless Chromium, in both languages.

The letter cites the chosen case's rule by law and article with its last day ("a más tardar el …", the deadline
day itself, worked out in Python here for the same instant); the composer flags personal data and keeps the post
link disabled until it is removed; the .ics parses with the `icalendar` library; the law block switches at
2026-12-28 00:00 in Madrid; nothing typed leaves the page; axe finds nothing serious with the kit open.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, BrowserContext, Page

from generator.data.legal import load_rules
from generator.site.deadlines import legal_deadline
from generator.site.i18n import long_date

from .browsing import launch, serve
from .conftest import CASES, ROOT
from .sitebuild import build_copy

pytestmark = pytest.mark.browser
DATA = [CASES / "kit" / "companies.yaml"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # a Wednesday, with 6 and 8 December (holidays) ahead
MADRID = ZoneInfo("Europe/Madrid")
WATCH_CSP = """window.__drCsp = [];
document.addEventListener("securitypolicyviolation", function (e) { window.__drCsp.push(e.effectiveDirective + " " + e.blockedURI); });"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(build_copy(tmp_path_factory.mktemp("kit-site"), DATA))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


def url_of(site_url: str, company: str, lang: str) -> str:
    return f"{site_url}{'en/' if lang == 'en' else ''}empresas/{company}/"


def new_context(browser: Browser, width: int = 1280, *, axe: bool = False) -> BrowserContext:
    context = browser.new_context(viewport={"width": width, "height": 900}, timezone_id="Europe/Madrid", locale="es-ES",
                                  accept_downloads=True)
    context.add_init_script(WATCH_CSP)
    if axe:
        context.add_init_script(path=AXE)
    return context


def open_kit(context: BrowserContext, url: str, instant: datetime = NOW) -> Page:
    page = context.new_page()
    page.clock.set_fixed_time(instant)
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector("form[data-letter]:not([hidden])")
    return page


def due(rule_key: str, filed: date) -> date:
    return legal_deadline(filed, load_rules().rule(rule_key), "ES")


def write_letter(page: Page, case: str | None) -> str:
    if case:
        page.check(f"#dr-case-{case}")
    page.fill("#dr-letter-name", "Ana García López")
    page.fill("#dr-letter-id", "12345678Z")
    page.fill("#dr-letter-address", "Calle Mayor 1, 28013 Madrid")
    page.fill("#dr-letter-place", "Madrid")
    page.fill("#dr-letter-what", "Me han cobrado dos veces la factura de noviembre.")
    page.fill("#dr-letter-ask", "Que me devuelvan el cargo repetido.")
    page.fill("#dr-letter-reference", "C-12345")
    page.click("form[data-letter] button[type=submit]")
    page.wait_for_selector(".dr-letter-result:not([hidden])")
    return page.input_value("#dr-letter-text")


# company, the case to choose (None: the only rule), the rule the letter must cite, and its citation
LETTERS = [
    ("tele-kit", None, "es-telecom", "Ley 10/2025, art. 17.1"),
    ("banco-kit", "es-banking-payments", "es-banking-payments", "Real Decreto-ley 19/2018, art. 69"),
    ("banco-kit", "es-banking-other", "es-banking-other", "Ley 44/2002, art. 29.5.b"),
    ("luz-kit", "es-billing", "es-billing", "Ley 10/2025, art. 17.3"),
    ("seguros-kit", None, "es-insurance", "Ley 44/2002, art. 29.5.b"),
]
SECTOR_PERIOD = {"es": "(plazo propio del sector, conforme a la ", "en": "(the sector's own period, under "}
"""How a letter cites a period the sector's own rules set (art. 17.1 leaves it in force), so it never reads as if the
article set it."""


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize(("company", "case", "rule", "citation"), LETTERS)
def test_the_letter_cites_the_rule_and_its_last_day(browser: Browser, site_url: str, lang: str, company: str,
                                                     case: str | None, rule: str, citation: str) -> None:
    context = new_context(browser)
    try:
        page = open_kit(context, url_of(site_url, company, lang))
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        text = write_letter(page, case)
        filed = NOW.astimezone(MADRID).date()
        last = long_date(due(rule, filed), lang)
        assert f"{citation}: {load_rules().rule(rule).citation_url or load_rules().rule(rule).source}" in text
        assert (SECTOR_PERIOD[lang] + citation in text) == load_rules().rule(rule).defers_to_sector, text
        assert (f"a más tardar el {last}." if lang == "es" else f"by {last} at the latest.") in text, text
        assert long_date(filed, lang) in text  # the letter's date
        for field in ("Ana García López", "DNI/NIE: 12345678Z", "Calle Mayor 1, 28013 Madrid", "C-12345"):
            assert field in text
        assert ("Firma:" if lang == "es" else "Signature:") in text
        assert "4.2.c" in text and ("justificante" if lang == "es" else "receipt") in text
        assert "Preguntas frecuentes" not in text and "RTVE" not in text and "«" not in text
        if lang == "es":
            assert "disponen ustedes" in text.lower() and " tú " not in text and " te " not in text
        assert requests == [], requests  # nothing typed left the browser
        assert page.evaluate("window.__drCsp") == []
        assert page.evaluate("document.cookie") == "" and page.evaluate("localStorage.length + sessionStorage.length") == 0
    finally:
        context.close()


def test_the_case_choice_changes_the_date(browser: Browser, site_url: str) -> None:
    """Energy: billing (5 days, art. 17.3), outage (2 hours, no date) and anything else (15 working days)."""
    context = new_context(browser)
    try:
        page = open_kit(context, url_of(site_url, "luz-kit", "es"))
        filed = NOW.astimezone(MADRID).date()
        other = write_letter(page, "es-general")
        assert f"a más tardar el {long_date(due('es-general', filed), 'es')}" in other and "Ley 10/2025, art. 17.1" in other
        outage = write_letter(page, "es-outage")
        assert "2 horas" in outage and "Ley 10/2025, art. 17.2" in outage and "a más tardar" not in outage
        assert page.locator("[data-kit-ics]").is_hidden()  # no day to put in a calendar
    finally:
        context.close()


POST = ("Llevo 3 semanas sin línea. DNI 12345678Z, NIE X1234567L, cuenta ES91 2100 0418 4502 0005 1332, "
        "tarjeta 4111 1111 1111 1111, móvil 612 345 678, ana.garcia@example.com, cliente 55512345.")
KINDS = ["dni", "nie", "iban", "card", "phone", "email", "customer-number"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_composer_flags_personal_data_until_it_is_removed(browser: Browser, site_url: str, lang: str) -> None:
    context = new_context(browser)
    try:
        page = open_kit(context, url_of(site_url, "tele-kit", lang))
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        area = page.locator("textarea[data-compose]")
        post = page.locator("a[data-compose-post]")
        area.click()
        page.keyboard.type(POST[:40])  # typed key by key, then the rest at once
        area.fill(POST)
        assert page.eval_on_selector_all("[data-pii] li[data-kind]", "els => els.map(e => e.dataset.kind)") == KINDS
        assert post.get_attribute("aria-disabled") == "true" and post.get_attribute("href") is None
        assert page.locator("[data-compose-why]").inner_text().strip() != ""
        post.evaluate("el => el.click()")  # a disabled link does nothing
        assert len(context.pages) == 1
        # "post anyway" is deliberate, and typing again switches the link off again
        page.click("[data-compose-anyway]")
        assert post.get_attribute("aria-disabled") == "false"
        area.press("End")
        page.keyboard.type(" ")
        assert post.get_attribute("aria-disabled") == "true"
        for _ in KINDS:  # one tap each
            assert post.get_attribute("aria-disabled") == "true"
            page.locator("[data-pii] li button").first.click()
        assert page.locator("[data-pii] li").count() == 0
        assert post.get_attribute("aria-disabled") == "false"
        masked = area.input_value()
        assert "12345678Z" not in masked and "55512345" not in masked and "3 semanas" in masked
        href = post.get_attribute("href") or ""
        assert href.startswith("https://x.com/intent/post?text=") and "%40TeleKitAyuda" in href
        assert requests == [], requests  # no request while typing
        assert "280" in page.locator("[data-compose-count]").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_innocent_text_raises_nothing(browser: Browser, site_url: str, lang: str) -> None:
    context = new_context(browser)
    try:
        page = open_kit(context, url_of(site_url, "tele-kit", lang))
        page.fill("textarea[data-compose]", "Llevo 3 semanas esperando el reembolso de 49,99 € del pedido del 12/03/2026. Sin respuesta.")
        assert page.locator("[data-pii] li").count() == 0
        assert page.get_attribute("a[data-compose-post]", "aria-disabled") == "false"
    finally:
        context.close()


def test_the_calendar_file_parses_and_carries_the_deadline(browser: Browser, site_url: str, tmp_path: Path) -> None:
    context = new_context(browser)
    try:
        page = open_kit(context, url_of(site_url, "luz-kit", "es"))
        write_letter(page, "es-billing")
        link = page.locator("a[data-kit-ics]")
        assert (link.get_attribute("href") or "").startswith("blob:")
        with page.expect_download() as info:
            link.click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert path.name == "plazo-luz-kit.ics"
        calendar = Calendar.from_ical(path.read_bytes())
        [event] = list(calendar.walk("VEVENT"))
        want = due("es-billing", NOW.astimezone(MADRID).date())
        assert event.decoded("DTSTART") == want
        assert "Luz Kit" in str(event.get("SUMMARY")) and "Ley 10/2025, art. 17.3" in str(event.get("DESCRIPTION"))
        assert str(event.get("URL")).endswith("/empresas/luz-kit/")
        with page.expect_download() as text_info:
            page.click("a[data-letter-download]")
        text_path = tmp_path / "letter.txt"
        text_info.value.save_as(text_path)
        assert "Ley 10/2025, art. 17.3" in text_path.read_text(encoding="utf-8")
        assert page.evaluate("window.__drCsp") == []  # blob: downloads are navigations the policy allows
    finally:
        context.close()


@pytest.mark.parametrize(("company", "body", "filed", "rule", "limit"), [
    ("tele-kit", "oatu", date(2026, 10, 1), "es-telecom", date(2027, 2, 1)),        # 3 months from the end of the month it had
    ("banco-kit", "bde", date(2026, 10, 1), "es-banking-other", date(2027, 10, 1)),  # a year from the complaint
])
def test_the_follow_up_names_the_body_the_passed_deadline_and_the_time_left(
        browser: Browser, site_url: str, company: str, body: str, filed: date, rule: str, limit: date) -> None:
    context = new_context(browser)
    try:
        page = open_kit(context, url_of(site_url, company, "es"))
        if company == "banco-kit":
            page.check(f"#dr-case-{rule}")
        page.fill("#dr-letter-name", "Ana García López")
        page.select_option("#dr-followup-body", body)
        page.fill("#dr-followup-filed", filed.isoformat())
        page.fill("#dr-followup-code", "R-2026-0042")
        page.click("form[data-followup] button[type=submit]")
        text = page.input_value("#dr-followup-text")
        name = load_rules().bodies[body].name.es
        assert f"A la atención de: {name}" in text
        assert f"El {long_date(filed, 'es')} presenté una reclamación ante" in text and "R-2026-0042" in text
        assert long_date(due(rule, filed), "es") in text
        assert f"tengo hasta el {long_date(limit, 'es')}" in text
        assert str(load_rules().bodies[body].url) in text
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_law_block_switches_at_midnight_in_madrid(browser: Browser, site_url: str, lang: str) -> None:
    switch = datetime(2026, 12, 28, 0, 0, tzinfo=MADRID)
    words = {"es": ("deberá", "debe:", "incumplirá", "incumple la ley"), "en": ("will have to", "must:", "will break", "is breaking")}[lang]
    for instant, state in ((switch.astimezone(UTC).replace(microsecond=0) - (datetime(2026, 1, 1, 0, 0, 1) - datetime(2026, 1, 1)), "upcoming"),
                           (switch.astimezone(UTC), "in-force")):
        context = new_context(browser)
        try:
            page = open_kit(context, url_of(site_url, "luz-kit", lang), instant)
            block = page.locator("[data-law]")
            assert block.get_attribute("data-law-state") == state, instant
            when = block.locator("[data-law-when]").inner_text()
            breach = block.locator("[data-law-breach]").inner_text()
            assert "28" in when
            if state == "upcoming":
                assert words[0] in when and words[2] in breach
            else:
                assert words[1] in when and words[3] in breach
            assert "+34 902 10 03 00" in breach
            assert block.locator("[data-law-breach] a").get_attribute("href") == str(load_rules().scope.source)  # type: ignore[union-attr]
            duties = block.locator("[data-duty]").evaluate_all("els => els.map(e => e.dataset.duty)")
            assert duties == ["person", "waiting", "no-premium", "tracking", "answer", "outages"]
        finally:
            context.close()


def test_the_law_block_only_where_the_law_applies(browser: Browser, site_url: str) -> None:
    context = new_context(browser)
    try:
        page = open_kit(context, url_of(site_url, "tienda-grande", "es"))
        assert page.locator("[data-law] [data-duty]").evaluate_all("els => els.map(e => e.dataset.duty)") == [
            "person", "waiting", "no-premium", "tracking", "answer"]  # a large company: no 24-hour outage line
        assert page.locator("[data-law] a[href='https://www.tiendagrande.es/informe-anual']").count() == 1
        page = open_kit(context, url_of(site_url, "tienda-chica", "es"))
        assert page.locator("[data-law]").count() == 0
        page = open_kit(context, url_of(site_url, "tele-kit", "es"))
        assert page.locator("[data-law]").count() == 1 and page.locator("[data-law-breach]").count() == 0
    finally:
        context.close()


def test_without_javascript_the_rules_a_template_and_the_advice(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url_of(site_url, "banco-kit", "es"))
        assert page.locator(".dr-legal").first.is_visible()
        template = page.locator("[data-letter-template] pre")
        assert template.is_visible()
        text = template.inner_text()
        assert "Real Decreto-ley 19/2018, art. 69" in text and "Firma:" in text and "DNI/NIE:" in text
        assert page.locator(".dr-compose-never").is_visible()
        assert page.locator("form[data-letter]").is_hidden()
    finally:
        context.close()


def test_printing_shows_only_the_letter(browser: Browser, site_url: str) -> None:
    context = new_context(browser)
    try:
        page = open_kit(context, url_of(site_url, "seguros-kit", "es"))
        text = write_letter(page, None)
        page.emulate_media(media="print")
        assert page.locator("pre[data-letter-print-copy]").is_visible()
        assert page.locator("pre[data-letter-print-copy]").inner_text().strip() == text.strip()
        assert page.locator("h1").is_hidden() and page.locator("#dr-letter-text").is_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_with_the_kit_open(browser: Browser, site_url: str, lang: str, width: int) -> None:
    assert AXE.is_file(), f"{AXE} missing: run `npm ci`"
    context = new_context(browser, width, axe=True)
    try:
        page = open_kit(context, url_of(site_url, "luz-kit", lang))
        write_letter(page, "es-billing")
        page.fill("textarea[data-compose]", POST)
        page.fill("#dr-followup-filed", "2026-11-02")
        page.click("form[data-followup] button[type=submit]")
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
        result = page.evaluate("axe.run(document, { resultTypes: ['violations'] })")
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
        assert bad == [], json.dumps(bad)
        assert page.evaluate("window.__drCsp") == []
    finally:
        context.close()
