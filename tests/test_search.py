"""Company search and the official-account check: the index (generator/site/search.py) and the browser script.

The script (docs/javascripts/dr-search.js) repeats the Python normalisation; node runs both on the same
inputs.  Real headless Chromium at 390 px drives the search on the built fixture site and on the real data.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from generator.data.addresses import browser_tables
from generator.data.vocabulary import ChannelType
from generator.pipeline import load_companies
from generator.site.derive import SearchRecord, derive_company
from generator.site.search import SEARCH_DIR, TYPO_MIN, AccountKey, account_key, build_index, fold, key_hash, shard_key, words

from .browsing import launch, serve, spanish_page
from .conftest import REAL_DATA, ROOT

SCRIPT = ROOT / "docs" / "javascripts" / "dr-search.js"
CHECK_SCRIPT = ROOT / "docs" / "javascripts" / "dr-check.js"
PHONE = {"width": 390, "height": 844}
IN_BROWSER = pytest.mark.browser
NODE_HARNESS = """
const fs = require('fs');
global.window = {}; global.document = {readyState: 'loading', addEventListener() {}};
eval(fs.readFileSync(process.argv[2], 'utf8'));
eval(fs.readFileSync(process.argv[1], 'utf8'));
const s = window.drSearch;
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const meta = input.meta;
window.drCheck.useTables(input.tables);
console.log(JSON.stringify({
  names: input.names.map(t => [s.fold(t), s.words(t), s.words(t).map(s.shardKey)]),
  accounts: input.accounts.map(t => { const k = s.accountKey(t); return k && [k.key, k.network, s.keyHash(k.key)]; }),
  typos: meta ? input.typos.map(q => s.typoShards(q, meta)) : [],
}));
"""


@cache
def real_records() -> tuple[SearchRecord, ...]:
    built = datetime(2026, 11, 30, tzinfo=UTC)  # any instant: search records do not depend on it
    return tuple(derive_company(c, built).search for c in load_companies(REAL_DATA, today=date.today()))


def run_node(names: list[str], accounts: list[str], typos: tuple[str, ...] | list[str] = (), meta: Any = None) -> dict[str, Any]:
    out = subprocess.run(["node", "-e", NODE_HARNESS, str(SCRIPT), str(CHECK_SCRIPT)], capture_output=True, text=True, check=True,
                         input=json.dumps({"names": names, "accounts": accounts, "typos": list(typos), "meta": meta,
                                           "tables": browser_tables()}))
    result: dict[str, Any] = json.loads(out.stdout)
    return result


# --- normalisation ---------------------------------------------------------------------------------------------

PASTED = [
    ("@Movistar_ES", "@movistar_es", None), ("  @movistar_es ", "@movistar_es", None),
    ("https://x.com/Movistar_ES", "@movistar_es", "x"), ("twitter.com/movistar_es/status/123", "@movistar_es", "x"),
    ("https://mobile.twitter.com/@movistar_es", "@movistar_es", "x"), ("www.instagram.com/eroskioficial/", "@eroskioficial", "instagram"),
    ("https://www.tiktok.com/@Acme.es", "@acme.es", "tiktok"), ("t.me/AcmeBot", "@acmebot", "telegram"),
    ("+34 638 10 10 04", "34638101004", None), ("0034 638-10-10-04", "34638101004", None), ("638101004", "34638101004", None),
    ("(+34) 638.10.10.04", "34638101004", None), ("1004", "1004", None), ("22123", "22123", None),
    ("https://wa.me/34638101004", "34638101004", "whatsapp"), ("wa.me/+34638101004?text=hola", "34638101004", "whatsapp"),
    ("https://api.whatsapp.com/send?phone=34638101004&text=x", "34638101004", "whatsapp"),
    ("mailto:Atencion@Acme.es?subject=Queja", "atencion@acme.es", "email"), ("ATENCION@acme.es", "atencion@acme.es", "email"),
    ("https://www.facebook.com/Movistar/", "facebook.com/movistar", "facebook"), ("fb.com/movistar", "facebook.com/movistar", "facebook"),
    ("https://es-es.facebook.com/movistar", "facebook.com/movistar", "facebook"),
    ("https://www.youtube.com/@Movistar", "youtube.com/@movistar", "youtube"),
]
NOT_ACCOUNTS = ["Movistar", "El Corte Inglés", "100 montaditos", "24", "", "@", "@ movistar es", "wa.me/", "x.com/", "+34"]
# A website or bare domain is checked against the companies' websites and domains (issue 21): no longer "not an account".
WEBSITES = [("https://www.movistar.es/contacto", "movistar.es"), ("telefonica.es", "telefonica.es")]


@pytest.mark.parametrize(("pasted", "key", "network"), PASTED)
def test_pasted_addresses_normalise_to_one_key(pasted: str, key: str, network: str | None) -> None:
    found = account_key(pasted)
    assert found is not None and (found.key, found.network) == (key, network)


@pytest.mark.parametrize("text", NOT_ACCOUNTS)
def test_names_are_not_accounts(text: str) -> None:
    assert account_key(text) is None


@pytest.mark.parametrize(("text", "host"), WEBSITES)
def test_web_pages_and_domains_are_keyed_by_host(text: str, host: str) -> None:
    assert account_key(text) == AccountKey(host, "web")


def test_folding_ignores_case_and_accents() -> None:
    assert words("Aigües de Barcelona · Telefónica ÑANDÚ Garçon Mirò H&M") == [
        "aigues", "de", "barcelona", "telefonica", "nandu", "garcon", "miro", "h", "m"]
    assert shard_key("nandu") == "na" and shard_key("ß") == "_" and shard_key("x") == "x"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the browser script")
def test_browser_script_normalises_exactly_as_python() -> None:
    records = real_records()
    names = [text for r in records for text in (r.name, *r.aliases)]
    names += ["Ça Ñ à Ü ß İstanbul ǅ Straße ﬁnca ½ 2º Ⅻ 東京 Ελλάδα Москва", "O'Neill & Co. — S.A.", "  "]
    accounts = [c.address for r in records for c in r.contacts] + [p for p, _, _ in PASTED] + NOT_ACCOUNTS
    accounts += ["@ÑANDÚ", "+34 9 1 2 3 4 5 6 7 8", "00 44 20 7946 0000", "mailto:x@y", "https://WA.ME/34 600", "wa.me/abc"]
    js = run_node(names, accounts)
    assert js["names"] == [[fold(t), words(t), [shard_key(w) for w in words(t)]] for t in names]
    expected = []
    for text in accounts:
        found = account_key(text)
        expected.append(found and [found.key, found.network, key_hash(found.key)])
    assert js["accounts"] == expected
    assert sum(1 for k in expected if k) > 100  # the real data's addresses are mostly checkable


# --- the index ----------------------------------------------------------------------------------------------------

def _shards(files: dict[str, str], prefix: str) -> dict[str, Any]:
    return {path.rsplit("/", 1)[1][len(prefix):-5]: json.loads(text) for path, text in files.items()
            if path.rsplit("/", 1)[1].startswith(prefix)}


def test_every_word_of_every_name_leads_to_its_company() -> None:
    records = real_records()
    index = build_index(records)
    names = _shards(index.files, "n-")
    assert set(names) == set(index.meta["names"])
    for record in records:
        for text in (record.name, *record.aliases):
            for word in words(text):
                rows = [row for row in names[shard_key(word)] if row[0] == record.id]
                assert rows == [[record.id, record.name, index.meta["sectors"].index(record.sector),
                                 sum(1 << index.meta["channels"].index(k) for k in record.channel_types), *record.aliases]]


def test_every_checkable_address_is_in_its_account_shard_with_source_and_date() -> None:
    records = real_records()
    index = build_index(records)
    accounts = _shards(index.files, "a-")
    assert len(accounts) == index.meta["accounts"]
    checked = 0
    for record in records:
        for contact in record.contacts:
            found = account_key(contact.address)
            if contact.type in (ChannelType.WEBFORM, ChannelType.CHAT, ChannelType.APP, ChannelType.POST, ChannelType.IN_PERSON):
                continue
            assert found is not None, contact.address
            shard = accounts[str(key_hash(found.key) % index.meta["accounts"])]
            assert [record.id, record.name, contact.type.value, contact.address, contact.source,
                    contact.checked.isoformat(), contact.source_kind.value] in shard[found.key]
            checked += 1
    assert checked > 100


def test_account_shards_stay_small_and_names_shards_are_split_by_two_letters() -> None:
    index = build_index(real_records())
    sizes = {path: len(text.encode()) for path, text in index.files.items()}
    assert all(path.startswith(f"{SEARCH_DIR}/") for path in sizes)
    assert max(size for path, size in sizes.items() if "/n-" in path) < 16 * 1024
    assert all(len(key) <= 2 for key in index.meta["names"])


def _one_typo_in_first_two_letters(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    found = set()
    for i in (0, 1):
        found |= {word[:i] + c + word[i + 1:] for c in letters}  # a letter changed
        found |= {word[:i] + c + word[i:] for c in letters}  # a letter added
        found.add(word[:i] + word[i + 1:])  # a letter missing
        found.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])  # two letters swapped
    return {q for q in found if len(q) >= TYPO_MIN and q != word}


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the browser script")
def test_a_typo_in_the_first_two_letters_is_found_in_the_shards_the_script_reads() -> None:
    records = real_records()
    index = build_index(records)
    names, typos = _shards(index.files, "n-"), _shards(index.files, "t-")
    cases = [(record.id, q) for record in records for text in (record.name, *record.aliases) for word in words(text)
             if len(word) >= TYPO_MIN for q in sorted(_one_typo_in_first_two_letters(word))]
    assert len(cases) > 10_000
    shards = run_node([], [], [q for _, q in cases], index.meta)["typos"]
    for (company, query), extra in zip(cases, shards, strict=True):
        rows = names.get(shard_key(query), []) + [row for name in extra for row in (names if name[0] == "n" else typos)[name[2:]]]
        assert company in {row[0] for row in rows}, (company, query, extra)


# --- in the browser ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fixture_url(fixture_site: Path) -> Iterator[str]:
    yield from serve(fixture_site)


@pytest.fixture(scope="module")
def real_url(real_site: Path) -> Iterator[str]:
    yield from serve(real_site)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from spanish_page(browser, PHONE, no_dialogs=True)


def search(page: Page, query: str) -> list[str]:
    """Type the query and return the result links' hrefs once the status has answered."""
    box = page.locator("input[type=search]")
    box.fill("")
    box.type(query)
    page.wait_for_function("q => document.querySelector('[data-search]').getAttribute('data-search-done') === q", arg=query.strip())
    return page.eval_on_selector_all("[data-search-results] a", "links => links.map(a => a.getAttribute('href'))")


def open_home(page: Page, base: str, path: str = "") -> None:
    page.goto(base + path)


@IN_BROWSER
def test_search_field_is_visible_at_390px_without_opening_anything(phone: Page, fixture_url: str) -> None:
    requested: list[str] = []
    phone.on("request", lambda request: requested.append(request.url))
    open_home(phone, fixture_url)
    box = phone.locator("input[type=search]#dr-search-q")
    assert box.is_visible()
    bounds = box.bounding_box()
    assert bounds is not None and bounds["y"] + bounds["height"] <= PHONE["height"] and bounds["width"] > 200
    assert not [url for url in requested if SEARCH_DIR in url]  # the index waits for the visitor
    search(phone, "beta")
    assert [url for url in requested if SEARCH_DIR in url]


@IN_BROWSER
def test_results_as_you_type_link_to_the_company_in_the_page_language(phone: Page, fixture_url: str) -> None:
    open_home(phone, fixture_url)
    assert search(phone, "Beta") == ["empresas/beta-bank/"]
    assert phone.inner_text("[data-search-status]") == "1 empresa encontrada."
    assert phone.get_attribute("[data-search-status]", "aria-live") == "polite"
    open_home(phone, fixture_url, "en/")
    assert search(phone, "beta ban") == ["empresas/beta-bank/"]
    assert phone.inner_text("[data-search-status]") == "1 company found."
    phone.click("[data-search-results] a")
    assert phone.url == fixture_url + "en/empresas/beta-bank/"


@IN_BROWSER
def test_a_typo_an_alias_and_accents_find_the_company(phone: Page, fixture_url: str) -> None:
    open_home(phone, fixture_url)
    assert search(phone, "acmealiasuniqe") == ["empresas/acme/"]  # one letter missing
    assert "AcmeAliasUnique" in phone.inner_text("[data-search-results]")
    assert search(phone, "ACME & co") == ["empresas/acme/"]
    # "bank" is also a need query (i18n/needs.yaml): the company by name first, then its sector's index.
    assert search(phone, "bank") == ["empresas/beta-bank/", "indices/sectores/#banking"]
    assert search(phone, "betta") == ["empresas/beta-bank/"]
    assert search(phone, "zzzz") == []
    assert "zzzz" in phone.inner_text("[data-search-status]")


@IN_BROWSER
def test_the_name_is_shown_as_typed(phone: Page, fixture_url: str) -> None:
    open_home(phone, fixture_url)
    search(phone, "acme")
    name = phone.inner_text("[data-search-results] .dr-search__name")
    assert name == 'Acme <script>alert(1)</script> "Q" *bold* [x](//evil.example)'
    assert phone.locator("[data-search-results] script").count() == 0


@IN_BROWSER
def test_query_and_filters_are_kept_in_the_url_and_restored(phone: Page, fixture_url: str) -> None:
    open_home(phone, fixture_url)
    search(phone, "acme")
    assert phone.url.endswith("?q=acme")
    phone.select_option("[data-search-sector]", "banking")
    phone.wait_for_function("() => location.search.includes('sector=banking')")
    assert phone.eval_on_selector_all("[data-search-results] a", "links => links.length") == 0
    phone.goto(fixture_url + "?q=ban&sector=banking&channel=phone")
    phone.wait_for_selector("[data-search-results] a")
    assert not phone.is_checked("#__search")  # Material's header search, which also reads ?q=, stays closed
    assert phone.is_visible("[data-search-results] a") and "q=ban" in phone.url
    assert phone.input_value("input[type=search]") == "ban"
    assert phone.input_value("[data-search-sector]") == "banking" and phone.input_value("[data-search-channel]") == "phone"
    assert phone.eval_on_selector_all("[data-search-results] a", "links => links.map(a => a.getAttribute('href'))") == ["empresas/beta-bank/"]
    phone.select_option("[data-search-channel]", "whatsapp")
    phone.wait_for_function("() => !document.querySelector('[data-search-results] a')")
    phone.fill("input[type=search]", "")
    phone.select_option("[data-search-channel]", "")
    phone.wait_for_selector("[data-search-results] a[href='indices/sectores/#banking']")  # a filter alone: its index


@IN_BROWSER
def test_keyboard_arrows_move_through_results_and_enter_opens(phone: Page, fixture_url: str) -> None:
    open_home(phone, fixture_url)
    phone.focus("input[type=search]")
    phone.keyboard.type("e")  # one letter: keep typing
    phone.wait_for_function("() => document.querySelector('[data-search]').getAttribute('data-search-done') === 'e'")
    assert phone.inner_text("[data-search-status]") == "Sigue escribiendo…"
    search(phone, "acme")
    phone.keyboard.press("ArrowDown")
    assert phone.evaluate("() => document.activeElement.getAttribute('href')") == "empresas/acme/"
    phone.keyboard.press("ArrowUp")
    assert phone.evaluate("() => document.activeElement.id") == "dr-search-q"
    phone.keyboard.press("Enter")
    phone.wait_for_url(fixture_url + "empresas/acme/")


def account_answer(page: Page, pasted: str) -> tuple[str, list[str], str]:
    """(data-account-result, companies named as listing it, the panel's text)."""
    search(page, pasted)
    panel = page.locator("[data-account-check]")
    companies = page.eval_on_selector_all("[data-account-company]", "rows => rows.map(r => r.dataset.accountCompany)")
    return str(panel.get_attribute("data-account-result")), companies, panel.inner_text()


@IN_BROWSER
def test_account_check_on_the_fixture(phone: Page, fixture_url: str) -> None:
    open_home(phone, fixture_url)
    state, companies, text = account_answer(phone, "@acmeayuda")
    assert (state, companies) == ("listed", ["acme"])
    assert "X (Twitter)" in text and "comprobado el 1 de noviembre de 2026" in text
    assert phone.get_attribute("[data-account-check] .dr-account__source a", "href") == "https://www.elpais.example.es/acme"
    assert account_answer(phone, "https://instagram.com/AcmeAyuda")[0] == "other-network"
    state, companies, text = account_answer(phone, "+34 666 000 000")
    assert (state, companies) == ("unlisted", []) and "No des datos personales" in text


# --- the real data -------------------------------------------------------------------------------------------------

QUERIES = [  # (typed, the company that must come first, what it tries)
    ("telefonica", "movistar", "alias without its accent"),
    ("Movistar", "movistar", "exact name"),
    ("vodafon", "vodafone", "partial name"),
    ("vodafoen", "vodafone", "two letters swapped"),
    ("bodafone", "vodafone", "typo in the first letter"),
    ("iberdola", "iberdrola", "a letter missing"),
    ("iberia", "iberia", "exact name before Iberia Express"),
    ("santander", "banco-santander", "alias"),
    ("sabadel", "banco-sabadell", "partial name"),
    ("la caixa", "caixabank", "alias of two words"),
    ("corte ingles", "el-corte-ingles", "alias without its accent"),
    ("aigues", "aigues-de-barcelona", "name without its accent (ü)"),
    ("mutua madrilena", "mutua-madrilena", "ñ typed as n"),
    ("linea directa", "linea-directa", "accent-less name"),
    ("hacendado", "mercadona", "brand alias"),
    ("ryanar", "ryanair", "a letter missing"),
    ("mediamark", "mediamarkt-es", "partial name"),
    ("pc componentes", "pccomponentes", "alias split in two words"),
    ("gas natural", "naturgy", "old name"),
    ("curenergia", "iberdrola", "alias without its accent"),
    ("santa lucia", "santalucia", "alias of two words"),
    ("endesa", "endesa", "exact name before Energía XXI's alias"),
    ("uber", "uber", "exact name before Uber Eats"),
    ("ing", "ing-espana", "exact short alias before words starting with ing"),
    ("metro madrid", "metro-de-madrid", "words of the name, one left out"),
    ("BBVA", "bbva", "exact name in capitals"),
]


@IN_BROWSER
def test_the_right_company_comes_first_on_the_real_data(phone: Page, real_url: str) -> None:
    open_home(phone, real_url)
    wrong = {}
    for query, company, _ in QUERIES:
        hrefs = search(phone, query)
        if hrefs[:1] != [f"empresas/{company}/"]:
            wrong[query] = hrefs[:3]
    assert not wrong
    assert len(QUERIES) >= 15


def _real_whatsapp_and_handle() -> tuple[str, str, str, str]:
    """(company, WhatsApp number as listed, company, X handle as listed), from the real data rather than hard-coded.

    The handle is one that spells a word of the company's name (@Sabadell_Help), so a lookalike of it should
    point the visitor to that company.
    """
    records = real_records()
    wa = next((r.id, c.address) for r in records for c in r.contacts if c.type is ChannelType.WHATSAPP and c.address.startswith("+34 "))
    x = next((r.id, c.address) for r in records for c in r.contacts if c.type is ChannelType.X
             and any(len(w) >= 4 and w in fold(c.address) for text in (r.name, *r.aliases) for w in words(text)))
    return wa[0], wa[1], x[0], x[1]


@IN_BROWSER
def test_account_check_on_the_real_data(phone: Page, real_url: str) -> None:
    wa_company, number, x_company, handle = _real_whatsapp_and_handle()
    open_home(phone, real_url)
    state, companies, text = account_answer(phone, handle.lower())
    assert (state, companies) == ("listed", [x_company]) and "comprobado el" in text
    assert account_answer(phone, f"https://x.com/{handle[1:]}")[:2] == ("listed", [x_company])
    digits = "".join(ch for ch in number if ch.isdigit())[2:]  # the nine digits after +34
    for written in (number, digits, f"0034 {digits[:3]}-{digits[3:5]}-{digits[5:7]}-{digits[7:]}", f"https://wa.me/34{digits}"):
        assert account_answer(phone, written)[:2] == ("listed", [wa_company]), written
    lookalike = f"{handle}_Ayuda_ES"[:16]
    state, companies, text = account_answer(phone, lookalike)
    assert (state, companies) == ("unlisted", [])
    # Not listed, but like a listed handle: a lookalike, named and linked (issue 21; was a plain "not listed").
    assert phone.get_attribute("[data-account-check]", "data-verdict") == "lookalike"
    assert "no figura en nuestros datos como canal de ninguna empresa" in text and "No des datos personales" in text
    assert phone.get_attribute("[data-account-check] .dr-account__lookalike a", "href") == f"empresas/{x_company}/"
