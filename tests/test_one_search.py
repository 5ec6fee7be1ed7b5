"""One search (issue 21, item 3): the header search on every page finds companies first, in the page's language;
need queries ("luz", "seguro coche", "tren") show the sector's companies and a link to its index; guides stay
searchable in the page's own language; the open-data field reference and code blocks are never results.

Real Chromium on the built fixture site and on a build of the real data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from generator.site.render import need_phrases
from generator.site.search import SEARCH_DIR

from .browsing import launch, serve, spanish_page

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_need_words_are_data_in_both_languages_and_name_known_sectors() -> None:
    phrases = need_phrases()
    for typed, sector in [("luz", "energy"), ("electricidad", "energy"), ("gas", "energy"), ("seguro coche", "insurance"),
                          ("banco", "banking"), ("tren", "rail"), ("vuelo", "airline"), ("paquete", "parcel"),
                          ("paquete", "post"), ("electricity", "energy"), ("train", "rail"), ("flight", "airline")]:
        assert sector in phrases[typed], typed


@pytest.fixture(scope="module")
def site(fixture_site: Path) -> Iterator[Path]:
    yield fixture_site


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    yield from serve(site)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from spanish_page(browser, PHONE)


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    yield from spanish_page(browser, DESKTOP)


def header_search(page: Page, query: str) -> list[str]:
    """Open the header search (the magnifier on a phone), type, and return the answer's links (path only)."""
    opener = page.locator("label.md-header__button[for=__search]")
    if page.is_checked("#__search"):
        pass  # the dialog is open already
    elif opener.is_visible():
        opener.click()
    else:
        page.click("[data-md-component=search-query]")
    page.fill("[data-md-component=search-query]", query)
    page.wait_for_function("q => document.querySelector('[data-header-search]').getAttribute('data-search-done') === q", arg=query.strip())
    hrefs: list[str] = page.eval_on_selector_all("[data-header-results] a", "links => links.map(a => new URL(a.href).pathname + new URL(a.href).hash)")
    return hrefs


@pytest.mark.browser
@pytest.mark.site
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_company_name_in_the_header_search_of_a_company_page_finds_it_first(request: pytest.FixtureRequest, served: str, viewport: str) -> None:
    page: Page = request.getfixturevalue(viewport)
    page.goto(served + "empresas/acme/")
    assert header_search(page, "beta bank")[0] == "/empresas/beta-bank/"
    assert page.is_visible("[data-header-results] a")
    assert header_search(page, "AcmeAliasUnique")[0] == "/empresas/acme/"
    page.goto(served + "en/empresas/acme/")
    assert header_search(page, "betta")[0] == "/en/empresas/beta-bank/"  # a typo, in the page's language
    page.keyboard.press("Enter")
    page.wait_for_url(served + "en/empresas/beta-bank/")


@pytest.mark.browser
@pytest.mark.site
@pytest.mark.parametrize(("path", "query", "sector", "company"), [
    ("", "banco", "banking", "beta-bank"), ("", "fibra", "telecom", "acme"), ("guias/escalar/", "móvil", "telecom", "acme"),
    ("en/", "bank account", "banking", "beta-bank"),
])
def test_need_queries_show_the_sector_and_its_companies(phone: Page, served: str, path: str, query: str, sector: str, company: str) -> None:
    phone.goto(served + path)
    hrefs = header_search(phone, query)
    root = "/en/" if path.startswith("en/") else "/"
    assert f"{root}indices/sectores/#{sector}" in hrefs
    assert f"{root}empresas/{company}/" in hrefs
    assert phone.get_attribute(f"[data-need={sector}]", "class") == "dr-search__need"


@pytest.mark.browser
@pytest.mark.site
def test_the_home_page_search_answers_need_queries_too(phone: Page, served: str) -> None:
    phone.goto(served)
    phone.fill("#dr-search-q", "banco")
    phone.wait_for_function("() => document.querySelector('[data-search]').getAttribute('data-search-done') === 'banco'")
    hrefs = phone.eval_on_selector_all("[data-search-results] a", "links => links.map(a => a.getAttribute('href'))")
    assert "indices/sectores/#banking" in hrefs and "empresas/beta-bank/" in hrefs


@pytest.mark.browser
@pytest.mark.site
def test_pages_are_found_in_the_page_language_and_never_the_field_reference_or_code(desktop: Page, served: str, site: Path) -> None:
    desktop.goto(served + "guias/escalar/")
    spanish = header_search(desktop, "plazo")
    assert spanish and all(not href.startswith("/en/") for href in spanish)
    desktop.goto(served + "en/guias/escalar/")
    english = header_search(desktop, "deadline")
    assert english and all(href.startswith("/en/") for href in english)
    assert header_search(desktop, "plazo") == []  # a Spanish word finds no English page
    guides = json.loads((site / SEARCH_DIR / "guides-es.json").read_text(encoding="utf-8"))
    text = " ".join(" ".join(entry) for entry in guides)
    # The field reference (its headings and descriptions) and the code example are left out.
    assert "CompanySummary" not in text and "Name consumers know the company by" not in text and "import json" not in text
    desktop.goto(served + "api/")
    assert not [h for h in header_search(desktop, "CompanySummary") if "/api/" in h]
    assert not [h for h in header_search(desktop, "consumers know") if "/api/" in h]


@pytest.fixture(scope="module")
def real_url(real_site: Path) -> Iterator[str]:
    yield from serve(real_site)


@pytest.mark.browser
@pytest.mark.site
def test_the_issue_queries_on_the_real_data(desktop: Page, real_url: str) -> None:
    desktop.goto(real_url + "empresas/movistar/")
    assert header_search(desktop, "vodafone")[0] == "/empresas/vodafone/"
    assert header_search(desktop, "movistar")[0] == "/empresas/movistar/"
    for query, sector in [("luz", "energy"), ("seguro coche", "insurance"), ("banco", "banking"), ("tren", "rail"),
                          ("vuelo", "airline"), ("paquete", "parcel")]:
        assert f"/indices/sectores/#{sector}" in header_search(desktop, query), query
    plazo = header_search(desktop, "plazo")
    assert plazo and "/api/" not in plazo[0]


def test_guide_sections_leave_out_code_tables_and_the_marked_reference() -> None:
    from generator.site.search import NOT_SEARCHED, guide_sections

    html = ('<h1 id="t">Guía</h1><p>Intro con <code>plazo</code>, y más.</p>'
            '<h2 id="uno">Uno <a class="headerlink" href="#uno">¶</a></h2><p>texto</p><pre><code>import json</code></pre>'
            f'{NOT_SEARCHED[0]}<h2 id="ref">Referencia</h2><table><tr><td>source_kind</td></tr></table>{NOT_SEARCHED[1]}')
    assert guide_sections("Guía", "g/", html) == [["Guía", "g/", "Intro con plazo, y más."], ["Guía · Uno", "g/#uno", "texto"]]


@pytest.mark.browser
@pytest.mark.site
def test_the_home_form_fallback_lands_on_an_answered_header_search(phone: Page, served: str) -> None:
    # Without the script's own answer (it failed to load), the home form is a GET form to the A–Z index with ?q=;
    # Material opens its dialog there, and the dialog now answers with the company.
    phone.goto(served + "indices/a-z/?q=beta")
    phone.wait_for_function("() => document.querySelector('[data-header-search]').getAttribute('data-search-done') === 'beta'")
    first = phone.eval_on_selector_all("[data-header-results] a", "links => links.map(a => new URL(a.href).pathname)")[0]
    assert first == "/empresas/beta-bank/"
