"""Accessible, light and safe (issue 13), on the real built site in real headless Chromium.

Every page type in both languages (home, companies, each index, each guide and
hand-written page, the 404 page) is opened at a phone width (390 px) and a
desktop width (1280 px), where axe-core (npm package, installed by `make test`)
must find no serious or critical violation, and the page must cause no
Content-Security-Policy violation, no console error and no request to another
host.  The site is served from 127.0.0.1 under a subpath, as on the real host,
with missing pages answered by the 404 page.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import io
import json
import re
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, BrowserContext, Page

from generator.adapters.plugin import inline_script_hashes, sitemap_entries, with_script_hashes

from .browsing import launch
from .conftest import FIXTURE_SITE_URL, ROOT
from .sitebuild import BUILT_EPOCH

pytestmark = pytest.mark.browser
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BUILT = datetime.fromtimestamp(int(BUILT_EPOCH), UTC)
SUBPATH = urlsplit(FIXTURE_SITE_URL).path  # served where the shared fixture site was built for
WIDTHS = (390,)
"""Widths this module checks; tests/test_a11y_desktop.py runs the width-bound checks at 1280 px (a second test worker)."""
BLOCKING = {"serious", "critical"}
"""Impacts that fail a test; so do the landmark rules (moderate), since every landmark must be told apart by name."""
# Before any page script: record CSP violations (the event fires on the document for blocked scripts, styles, fetches).
WATCH_CSP = """window.__drCsp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__drCsp.push(e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});"""


class _Site(http.server.SimpleHTTPRequestHandler):
    """The built site under SUBPATH; anything missing gets the nearest 404 page (en/404.html under en/) with status
    404, as static hosts such as Cloudflare Pages do (GitHub Pages serves the root one everywhere)."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = self.path.split("?", 1)[0]
        if not path.startswith(SUBPATH):
            self.send_error(404)
            return None
        local = Path(self.translate_path("/" + path.removeprefix(SUBPATH)))
        if not (local.is_file() or (local / "index.html").is_file()):
            nearest = Path(self.directory) / path.removeprefix(SUBPATH).split("/", 1)[0] / "404.html"
            body = (nearest if nearest.is_file() else Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        self.path = "/" + path.removeprefix(SUBPATH)
        return super().send_head()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    base: str  # "http://127.0.0.1:PORT/donde-reclamo/"
    site: Path


@pytest.fixture(scope="module")
def served(fixture_site: Path) -> Iterator[Served]:
    port = _free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(_Site, directory=str(fixture_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Served(f"http://127.0.0.1:{port}{SUBPATH}", fixture_site)
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


def site_pages(site: Path) -> list[str]:
    """Every page type to check, as paths under the site root: all hand-written pages and indexes, one company, 404s."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        url = index.parent.relative_to(site).as_posix()
        url = "" if url == "." else url + "/"
        if url.startswith(("assets/", "search/", "api/", "schema/")):
            continue
        if "empresas/" in url and not url.endswith("empresas/acme/"):
            continue  # one company page per language: acme has every kind of channel, warning and note
        pages.append(url)
    return [*pages, "404.html", "en/404.html"]


@dataclass
class Visit:
    axe: list[dict[str, Any]] = field(default_factory=list)  # violations
    rules_checked: int = 0
    console: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


def new_context(browser: Browser, base: str, width: int, *, axe: bool,
                outside: Callable[[str], None] | None = None) -> tuple[BrowserContext, Visit]:
    """A context that records what the checks need; requests to any other host are refused and recorded, in the
    returned visit or by `outside`."""
    visit = Visit()
    context = browser.new_context(viewport={"width": width, "height": 900}, timezone_id="Europe/Madrid", locale="es-ES")
    context.add_init_script(WATCH_CSP)
    if axe:
        # Injected by the driver, which no page policy governs: the page under test is left exactly as served.
        context.add_init_script(path=AXE)
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(base))
    record = outside or visit.outside.append

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http:", "https:", "ws:", "wss:")) and not url.startswith(origin):
            record(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    return context, visit


def open_page(context: BrowserContext, visit: Visit, url: str, *, clock: bool = True) -> Page:
    """Open `url`, recording console errors; `clock`: at the build instant (the open-now data starts there)."""
    page = context.new_page()
    if clock:
        page.clock.set_fixed_time(BUILT)
    expected_404 = url.endswith("no-such-page/")

    def console(message: Any) -> None:
        # A missing page's own 404 status is the point of that visit, not an error of the page.
        if message.type == "error" and not (expected_404 and "404" in message.text and url in (message.location or {}).get("url", "")):
            visit.console.append(f"{url}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: visit.console.append(f"{url}: {error}"))
    response = page.goto(url)
    assert response is not None and response.status == (404 if expected_404 else 200), url
    page.wait_for_load_state("networkidle")
    return page


def assert_clean(visit: Visit, where: object) -> None:
    """No serious axe finding, policy violation, console error or outside request in what the visit recorded."""
    blocking = [describe(v) for v in visit.axe if blocks(v)]
    assert not (blocking or visit.csp or visit.console or visit.outside), (where, blocking, visit)


def run_axe(page: Page, visit: Visit, label: str) -> None:
    # Check what a reader sees once things settle: Material fades its search results in (opacity over .4 s),
    # and axe run mid-fade measures the text's contrast against a half-transparent colour.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    result = page.evaluate("axe.run(document, { resultTypes: ['violations'] })")
    visit.rules_checked = max(visit.rules_checked, len(result["passes"]) + len(result["violations"]))
    for violation in result["violations"]:
        violation["where"] = label
        visit.axe.append(violation)


@pytest.fixture(scope="module")
def widths(request: pytest.FixtureRequest) -> tuple[int, ...]:
    """The viewport widths of the requesting module (this one: phone; test_a11y_desktop: desktop)."""
    found: tuple[int, ...] = request.module.WIDTHS
    return found


class Visitor:
    """One tab that opens page after page, each recorded in its own `Visit` (the visit under way gets what the tab's
    handlers see).  Opening a tab costs about half a second, and so does networkidle's fixed 500 ms of quiet: across
    every page type at two widths, one tab and `settle()` halve the axe visits' time."""

    QUIET = 0.25  # seconds with no request in flight before a page counts as settled

    def __init__(self, browser: Browser, base: str, width: int) -> None:
        self.visit = Visit()
        self.in_flight = 0
        # Requests to other hosts are recorded in whichever visit is under way.
        self.context, _ = new_context(browser, base, width, axe=True, outside=lambda url: self.visit.outside.append(url))
        self.page = self.context.new_page()
        self.page.clock.set_fixed_time(BUILT)
        self.page.on("console", lambda m: self.visit.console.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda error: self.visit.console.append(str(error)))
        self.page.on("request", lambda _: self._count(+1))
        self.page.on("requestfinished", lambda _: self._count(-1))
        self.page.on("requestfailed", lambda _: self._count(-1))

    def _count(self, step: int) -> None:
        self.in_flight = max(0, self.in_flight + step)

    def settle(self) -> None:
        """Wait until no request has been in flight for QUIET seconds (at most 10 s)."""
        quiet_since, deadline = None, time.monotonic() + 10
        while time.monotonic() < deadline:
            now = time.monotonic()
            if self.in_flight:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = now
            elif now - quiet_since >= self.QUIET:
                return
            self.page.wait_for_timeout(50)
        raise AssertionError(f"{self.page.url}: requests still in flight after 10 s")

    def check(self, url: str, label: str) -> Visit:
        self.visit, self.in_flight = Visit(), 0
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        self.settle()
        run_axe(self.page, self.visit, label)
        self.visit.csp = self.page.evaluate("window.__drCsp")
        return self.visit

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def visits(served: Served, browser: Browser, widths: tuple[int, ...]) -> dict[tuple[int, str], Visit]:
    """Each page at each width, opened once: axe results, console errors, CSP violations, outside requests."""
    assert AXE.is_file(), f"{AXE} missing: `make test` installs it (npm ci, package.json)"
    found: dict[tuple[int, str], Visit] = {}
    for width in widths:
        visitor = Visitor(browser, served.base, width)
        try:
            for path in site_pages(served.site):
                found[(width, path)] = visitor.check(served.base + path, path)
        finally:
            visitor.close()
    return found


def blocks(violation: dict[str, Any]) -> bool:
    return violation["impact"] in BLOCKING or str(violation["id"]).startswith("landmark-")


def describe(violation: dict[str, Any]) -> str:
    nodes = "; ".join(" ".join(node["target"]) + " " + node.get("html", "")[:200] + ": " + node.get("failureSummary", "").replace("\n", " ")[:240]
                      for node in violation["nodes"][:3])
    return f"{violation['where']}: {violation['id']} ({violation['impact']}, {len(violation['nodes'])} nodes) {nodes}"


def test_every_page_type_in_both_languages_is_checked(served: Served) -> None:
    pages = set(site_pages(served.site))
    for lang in ("", "en/"):
        assert {f"{lang}", f"{lang}empresas/acme/", f"{lang}acerca/", f"{lang}404.html"} <= pages
        assert len([p for p in pages if p.startswith(f"{lang}indices/")]) == 6, pages  # A–Z, sector, channel, reply time, 24/7, measured
        assert len([p for p in pages if p.startswith(f"{lang}guias/")]) >= 4, pages


def test_axe_finds_no_serious_or_critical_violation(visits: dict[tuple[int, str], Visit], widths: tuple[int, ...]) -> None:
    assert len(visits) == len(widths) * len({path for _, path in visits})  # every page at each of this module's widths
    assert min(visit.rules_checked for visit in visits.values()) > 20  # axe really ran on every page
    blocking = [f"{width}px {describe(v)}" for (width, _), visit in visits.items() for v in visit.axe if blocks(v)]
    assert not blocking, "\n".join(blocking)


def test_no_policy_violation_console_error_or_outside_request(visits: dict[tuple[int, str], Visit]) -> None:
    problems = [f"{width}px {path}: {kind}: {item}" for (width, path), visit in visits.items()
                for kind, items in (("CSP", visit.csp), ("console", visit.console), ("outside request", visit.outside))
                for item in items]
    assert not problems, "\n".join(problems)


def test_search_results_are_accessible_and_within_the_policy(served: Served, browser: Browser, widths: tuple[int, ...]) -> None:
    """The home page's company search and the header search dialog, both with results, at both widths:
    axe, policy, console, outside requests."""
    for width in widths:
        context, visit = new_context(browser, served.base, width, axe=True)
        try:
            page = open_page(context, visit, served.base + "en/", clock=False)  # a frozen clock stalls the desktop results
            page.fill("#dr-search-q", "acme")
            # A function, not a bare expression: Playwright eval()s those, which the policy refuses.
            page.wait_for_function("() => document.querySelector('[data-search]').getAttribute('data-search-done') === 'acme'")
            assert page.locator("[data-search-results] a").count() == 1
            run_axe(page, visit, f"company search results at {width}px")
            visit.csp += page.evaluate("window.__drCsp")

            page = open_page(context, visit, served.base, clock=False)
            if width < 960:  # Material's breakpoint: on a phone the search button opens the dialog
                page.click("label.md-header__button[for='__search']")
            page.click(".md-search__input")
            page.keyboard.type("reclamar")
            # The dialog shows the site's own answers (dr-search.js): companies, sectors, then this language's pages.
            page.wait_for_selector("[data-header-results] a", timeout=15000)
            run_axe(page, visit, f"search results at {width}px")
            visit.csp += page.evaluate("window.__drCsp")
        finally:
            context.close()
        assert_clean(visit, width)


def test_using_the_pages_stays_within_the_policy(served: Served, browser: Browser, widths: tuple[int, ...]) -> None:
    """A missing page, the language menu, the drawer, sorting, the complaint letter: no violation, error or outside request.

    axe also runs on the written letter.
    """
    for width in widths:
        context, visit = new_context(browser, served.base, width, axe=True)
        try:
            open_page(context, visit, served.base + "en/no-such-page/")  # the host answers with the 404 page

            page = open_page(context, visit, served.base + "indices/respuesta/")
            page.click("th[data-sort-col='3'] button")
            page.hover(".md-header .md-select")  # the language menu
            if width < 1220:  # the menu is a drawer below Material's 76.25em breakpoint
                page.click("label.md-header__button[for='__drawer']")
            visit.csp += page.evaluate("window.__drCsp")

            page = open_page(context, visit, served.base + "en/empresas/acme/")
            page.wait_for_selector("form[data-letter]:not([hidden])")
            page.fill("#dr-letter-what", "The router stopped working on 2 November.")
            page.fill("#dr-letter-ask", "A replacement, please.")
            page.click("form[data-letter] button[type=submit]")
            page.wait_for_selector(".dr-letter-result:not([hidden])")
            run_axe(page, visit, f"complaint letter at {width}px")
            visit.csp += page.evaluate("window.__drCsp")
        finally:
            context.close()
        assert_clean(visit, width)


# --- the built HTML and sitemap, read without a browser -------------------------------------------------------

def _pages(site: Path) -> list[Path]:
    return sorted([*site.rglob("index.html"), *site.rglob("404.html")])


def _csp(soup: BeautifulSoup) -> dict[str, list[str]]:
    metas = soup.select('meta[http-equiv="Content-Security-Policy"]')
    assert len(metas) == 1
    policy = {}
    for directive in str(metas[0]["content"]).split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


def test_every_page_has_a_strict_policy_with_the_hashes_of_its_scripts(served: Served) -> None:
    pages = _pages(served.site)
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        policy = _csp(soup)
        head = soup.head
        assert head is not None and head.find("meta", attrs={"charset": True}) is not None
        first = [tag for tag in head.find_all(True)][:2]
        assert first[1].get("http-equiv") == "Content-Security-Policy", path  # before anything it must govern
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"] and policy["default-src"] == ["'self'"]
        values = [value for values in policy.values() for value in values]
        assert not [v for v in values if v in ("'unsafe-eval'", "*") or "://" in v or (v.endswith(":") and v != "data:")], path
        assert "'unsafe-inline'" not in policy["script-src"] and policy["script-src"][0] == "'self'"
        inline = [s.string or "" for s in soup.find_all("script") if not s.get("src")
                  and s.get("type", "text/javascript") in ("text/javascript", "module")]
        assert inline, path  # the theme's inline scripts are there: the hashes below are really checked
        expected = {"'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'" for body in inline}
        assert set(policy["script-src"][1:]) == expected, path


def test_no_page_names_another_host_for_what_it_loads(served: Served) -> None:
    for path in _pages(served.site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        loads = [tag.get("src") or tag.get("href") for tag in soup.select("script[src], img[src], iframe, link[href]")
                 if tag.name != "link" or {"stylesheet", "preconnect", "preload", "icon", "modulepreload"} & set(tag.get("rel", []))]
        outside = [url for url in loads if url and urlsplit(str(url)).netloc not in ("", urlsplit(served.base).netloc)]
        assert not outside, (path, outside)
        assert not soup.select("[data-md-component=source]"), path  # Material's repository widget calls the forge's API


def test_sitemap_lists_every_page_with_its_twin(served: Served) -> None:
    # The sitemap and canonical links use the address the site is published at (the fixture site's site_url).
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(served.site / "sitemap.xml").getroot()
    listed = {url.findtext("s:loc", namespaces=ns): {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
              for url in root.findall("s:url", ns)}
    pages = []
    for index in served.site.rglob("index.html"):
        url = index.parent.relative_to(served.site).as_posix()
        if not url.startswith(("assets", "search")):
            pages.append(FIXTURE_SITE_URL + ("" if url == "." else url + "/"))
    assert set(listed) == set(pages) and len(pages) > 20
    acme = FIXTURE_SITE_URL + "empresas/acme/"
    assert listed[acme] == {"es": acme, "en": FIXTURE_SITE_URL + "en/empresas/acme/"}
    canonical = BeautifulSoup((served.site / "empresas/acme/index.html").read_text(encoding="utf-8"), "html.parser").select_one("link[rel=canonical]")
    assert canonical is not None and canonical["href"] == acme


# --- the hashing itself ---------------------------------------------------------------------------------------

def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_only_scripts_the_browser_runs_are_hashed() -> None:
    page = """<head><meta http-equiv="Content-Security-Policy" content="script-src 'self' 'dr-inline-script-hashes'; object-src 'none'">
    <script>var a = "</scr" + "ipt>";</script>
    <script type="application/json" id="d">{"a": 1}</script><script type="application/ld+json">{}</script>
    <script src="x.js"></script><script data-src="y" type='module'>import "./m.js";</script>
    <SCRIPT TYPE="text/javascript">one()\r\ntwo()</SCRIPT ><script>var a = "</scr" + "ipt>";</script>"""
    assert inline_script_hashes(page) == [_sha('var a = "</scr" + "ipt>";'), _sha('import "./m.js";'), _sha("one()\ntwo()")]
    filled = with_script_hashes(page)
    assert filled is not None and "dr-inline-script-hashes" not in filled
    assert re.search(r"script-src 'self' 'sha256-[^;]+'; object-src", filled)
    assert with_script_hashes("<html><script>x()</script></html>") is None  # no policy to fill: the plugin warns


def test_sitemap_entries_pair_twins() -> None:
    entries = sitemap_entries("https://example.org/", {"es": ["", "empresas/a/"], "en": ["en/", "en/empresas/a/"]})
    assert entries[1] == {"loc": "https://example.org/empresas/a/",
                          "alternates": {"es": "https://example.org/empresas/a/", "en": "https://example.org/en/empresas/a/"}}
    assert [e["loc"] for e in entries] == ["https://example.org/", "https://example.org/empresas/a/",
                                           "https://example.org/en/", "https://example.org/en/empresas/a/"]
    assert json.dumps(entries)  # plain data for the template


def test_a_missing_page_offers_the_company_search_in_its_language(served: Served, browser: Browser) -> None:
    """The 404 page, served at a deep missing address, searches and links to the right company in each language."""
    for prefix, word in (("", "empresa"), ("en/", "company")):
        context, visit = new_context(browser, served.base, 390, axe=False)
        try:
            page = open_page(context, visit, served.base + prefix + "empresas/acme/a/b/no-such-page/", clock=False)
            page.fill("#dr-search-q", "beta")
            page.wait_for_function("() => document.querySelector('[data-search]').getAttribute('data-search-done') === 'beta'")
            assert word in page.inner_text("[data-search-status]")
            page.click("[data-search-results] a")
            page.wait_for_url(served.base + prefix + "empresas/beta-bank/")
            visit.csp += page.evaluate("window.__drCsp")
        finally:
            context.close()
        assert_clean(visit, prefix or "es")
