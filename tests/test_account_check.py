"""The account check answers only what the evidence supports (issue 21, item 2): data-verdict on the answer.

company: listed and sourced on the company's own page (or the company's website or domain) · reported: listed,
but only a press article, directory or public body says so (who is named; the company has not confirmed it) ·
lookalike: not listed, but like a listed handle or domain (the company is named and linked) · unknown: nothing.
Real Chromium on the built fixture site (tests/cases/site/companies.yaml), in both languages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from .browsing import launch, serve, spanish_page

pytestmark = [pytest.mark.browser, pytest.mark.site]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(fixture_site: Path) -> Iterator[str]:
    yield from serve(fixture_site)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from spanish_page(browser, PHONE)


def check(page: Page, pasted: str) -> tuple[str, str, list[str]]:
    """(data-verdict, the answer's text, the company links it gives) after pasting into the home page's search."""
    box = page.locator("#dr-search-q")
    box.fill(pasted)
    page.wait_for_function("q => document.querySelector('[data-search]').getAttribute('data-search-done') === q", arg=pasted.strip())
    answer = page.locator("[data-account-check]")
    links = page.eval_on_selector_all("[data-account-check] a[href*='empresas/']", "links => links.map(a => a.getAttribute('href'))")
    return str(answer.get_attribute("data-verdict")), answer.inner_text(), links


# (pasted, verdict, words the Spanish answer must hold, words the English one must hold)
CASES_BY_VERDICT = [
    ("+34 902 100 100", "company", ["publica +34 902 10 01 00 en su propia web"], ["publishes +34 902 10 01 00 on its own website"]),
    ("atencion@acme.es", "company", ["en su propia web", "acme.es"], ["on its own website"]),
    ("@AcmeAyuda", "reported", ["Según un medio de prensa", "no lo ha confirmado en su propia web", "elpais.example.es"],
     ["According to a press article", "has not confirmed it on its own website", "elpais.example.es"]),
    ("soporte@acme-clientes.es", "lookalike", ["Cuidado", "se parece a acme.es", "Ver los canales oficiales de Acme"],
     ["Careful", "looks like acme.es", "official channels"]),
    ("@acmeayuda_es", "lookalike", ["se parece a @acmeayuda", "añade palabras"], ["looks like @acmeayuda", "adds words"]),
    ("https://www.acme.es/contacto", "company", ["es una web de Acme"], ["is a website of Acme"]),
    ("beta.es", "company", ["es una web de Beta Bank"], ["is a website of Beta Bank"]),
    ("+34 666 000 000", "unknown", ["Ninguna empresa de nuestros datos", "No des datos personales"],
     ["No company in our data", "Never give personal details"]),
]


@pytest.mark.parametrize(("pasted", "verdict", "spanish", "english"), CASES_BY_VERDICT, ids=[c[0] for c in CASES_BY_VERDICT])
def test_each_verdict_in_both_languages(page: Page, site: str, pasted: str, verdict: str, spanish: list[str], english: list[str]) -> None:
    for path, words, prefix in (("", spanish, ""), ("en/", english, "")):
        page.goto(site + path)
        found, text, links = check(page, pasted)
        assert found == verdict, (path, text)
        assert all(w in text for w in words), (path, [w for w in words if w not in text], text[30:300].replace("\n", " "))
        if verdict == "unknown":
            assert links == []
        else:
            company = "beta-bank" if "beta" in pasted else "acme"
            assert f"{prefix}empresas/{company}/" in links, links


def test_an_email_on_the_company_domain_that_is_not_listed_says_so(page: Page, site: str) -> None:
    page.goto(site)
    verdict, text, links = check(page, "otra@acme.es")
    assert verdict == "company" and "Esa dirección concreta no figura en nuestros datos" in text and links == ["empresas/acme/"]


def test_the_header_search_answers_the_check_on_any_page(page: Page, site: str) -> None:
    page.goto(site + "en/empresas/beta-bank/")
    page.click("label[for=__search]")
    page.fill("[data-md-component=search-query]", "@acmeayuda_es")
    page.wait_for_function("() => document.querySelector('[data-header-search]').getAttribute('data-search-done') === '@acmeayuda_es'")
    answer = page.locator("[data-header-search] [data-header-check]")
    assert answer.get_attribute("data-verdict") == "lookalike"
    assert page.get_attribute("[data-header-search] .dr-account__lookalike a", "href").endswith("/en/empresas/acme/")
