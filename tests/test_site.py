"""Build the real site with `mkdocs build --strict` and read the HTML it wrote."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.pipeline import load_companies

from .conftest import CASES, FIXTURE_SITE_URL, REAL_DATA
from .sitebuild import mkdocs_build, write_config

pytestmark = pytest.mark.site
FIXTURE = CASES / "site" / "companies.yaml"
SUBPATH = FIXTURE_SITE_URL  # the site must work under a subpath: every link is relative


@pytest.fixture(scope="module")
def built(fixture_site: Path) -> Path:
    # render runs once per language
    log = (fixture_site.parent / "build.log").read_text(encoding="utf-8")
    assert [line.split("generated in ")[1] for line in log.splitlines() if "pages generated in" in line] == ["'es'", "'en'"]
    return fixture_site


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_one_page_per_company_with_its_channels(built: Path) -> None:
    acme = page(built, "empresas/acme")
    hooks = [card["data-channel"] for card in acme.select("[data-channel]")]
    assert sorted(hooks) == ["email", "phone", "phone-2", "webform", "whatsapp", "x"]
    assert len(page(built, "empresas/beta-bank").select("[data-channel]")) == 1


def test_channels_are_ranked_by_stated_time_then_cost(built: Path) -> None:
    hooks = [card["data-channel"] for card in page(built, "empresas/acme").select("[data-channel]")]
    # 30m, 2h, the 2-day free 900 phone, 3 working days, no stated time; the premium 902 phone after every
    # direct channel at no more than the ordinary rate (issue 21: its tier, published as data-tier).
    assert hooks == ["whatsapp", "x", "phone", "email", "webform", "phone-2"]
    tiers = [card["data-tier"] for card in page(built, "empresas/acme").select("[data-channel]")]
    assert tiers == ["0", "0", "0", "0", "0", "2"]
    assert "900" in page(built, "empresas/acme").select_one('[data-channel="phone"] .dr-address').text


def test_each_channel_type_links_the_right_way(built: Path) -> None:
    acme = page(built, "empresas/acme")
    link = {hook: acme.select_one(f'[data-channel="{hook}"] .dr-address a')["href"]
            for hook in ("phone", "phone-2", "whatsapp", "x", "email", "webform")}
    assert link["phone"] == "tel:+34900100100"
    assert link["phone-2"] == "tel:+34902100100"
    assert link["whatsapp"] == "https://wa.me/34600000000"
    assert link["x"] == "https://x.com/AcmeAyuda"
    assert link["email"] == "mailto:atencion@acme.es"
    assert link["webform"] == 'https://www.acme.es/formulario?a=1&b="2"'


def test_premium_number_public_channel_and_old_source_are_called_out(built: Path) -> None:
    acme = page(built, "empresas/acme")
    premium = acme.select_one('[data-channel="phone-2"]')
    assert premium["data-cost"] == "premium" and "tarifa especial" in premium.text.lower()
    x = acme.select_one('[data-channel="x"]')
    assert x["data-private"] == "false" and "nunca publiques tu DNI" in x.text
    assert "prensa, 2020" in x.select_one(".dr-source").text and x.select_one(".dr-old")


def test_text_from_the_data_is_shown_as_typed(built: Path) -> None:
    raw = (built / "empresas/acme/index.html").read_text(encoding="utf-8")
    acme = BeautifulSoup(raw, "html.parser")
    name = 'Acme <script>alert(1)</script> "Q" *bold* [x](//evil.example)'
    assert acme.select_one("h1").text == name
    assert acme.select_one("title").text.startswith(name)
    assert "<script>alert(" not in raw and "</script><script>" not in raw
    assert not acme.select('a[href="//evil.example"]') and not acme.select("em, strong:-soup-contains('bold')")
    assert acme.select_one(".dr-notes").text == "<img src=x onerror=alert(2)> **not bold** {{ jinja }} {% raw %}"
    assert not acme.select("img[onerror]")
    whatsapp_notes = acme.select_one('[data-channel="whatsapp"] .dr-channel-notes').text
    assert whatsapp_notes == "</script><script>alert(3)</script>"


def test_external_links_are_nofollow(built: Path) -> None:
    acme = page(built, "empresas/acme")
    external = [a for a in acme.select(".dr-company a[href^='https://']")]
    assert external and all({"nofollow", "noopener"} <= set(a.get("rel", [])) for a in external)
    assert all("ugc" in a["rel"] for a in acme.select(".dr-card a[href^='https://']"))


def test_json_ld_parses_and_describes_the_company(built: Path) -> None:
    acme = page(built, "empresas/acme")
    data = json.loads(acme.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Organization" and data["name"].startswith("Acme <script>")
    assert {"telephone": "+34 900 100 100"}.items() <= next(p for p in data["contactPoint"] if p.get("telephone") == "+34 900 100 100").items()


def test_api_equals_the_validated_models(built: Path) -> None:
    companies = load_companies([FIXTURE], today=date(2026, 11, 24))
    summary = json.loads((built / "api/v1/companies.json").read_text(encoding="utf-8"))
    assert summary["count"] == len(companies) == 2
    for company in companies:
        full = json.loads((built / f"api/v1/companies/{company.id}.json").read_text(encoding="utf-8"))
        entry = company.model_dump(mode="json", exclude_none=True)  # the record is the entry plus what the site adds
        assert {key: full[key] for key in entry} == entry
    assert json.loads((built / "schema/company.schema.json").read_text())["title"] == "Company"


def test_indexes_reach_every_company(built: Path) -> None:
    for index in ("a-z", "sectores", "canales", "respuesta", "24-7"):
        assert (built / "indices" / index / "index.html").exists()
    az = page(built, "indices/a-z")
    assert {a["href"] for a in az.select(".dr-list a")} == {"../../empresas/acme/", "../../empresas/beta-bank/"}
    whatsapp = page(built, "indices/canales").select_one("#whatsapp + ul")
    assert whatsapp and "Acme" in whatsapp.text and "Beta" not in whatsapp.text
    rows = page(built, "indices/respuesta").select("table.dr-sortable tbody tr")
    assert [r.select("td")[3]["data-sort-value"] for r in rows] == ["30", "120", "2880", "2880", "6048"]
    assert "Acme" in page(built, "indices/24-7").text and "Beta" not in page(built, "indices/24-7").select_one(".dr-index").text


def test_alias_search_lands_on_the_company(built: Path) -> None:
    # Company search has its own index (generator/site/search.py): the alias's words point at a shard that lists acme.
    from generator.site.search import SEARCH_DIR, shard_key, words

    [word] = words("AcmeAliasUnique")
    rows = json.loads((built / SEARCH_DIR / f"n-{shard_key(word)}.json").read_text(encoding="utf-8"))
    assert [row[0] for row in rows if "AcmeAliasUnique" in row[4:]] == ["acme"]
    # Company pages left Material's full-text index, which keeps serving the hand-written pages.
    index = json.loads((built / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert not [loc for loc in locations if "empresas/" in loc or "indices/" in loc]
    assert {"guias/escalar/", "en/guias/escalar/"} <= locations
    assert index["config"]["lang"] == ["es", "en"]


def test_company_pages_are_not_in_the_sidebar(built: Path) -> None:
    home = page(built, "")
    assert not home.select('nav a[href*="empresas/"]')


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_invalid_data_stops_the_build_and_leaves_the_previous_site(tmp_path: Path) -> None:
    data = tmp_path / "companies.yaml"
    shutil.copy(FIXTURE, data)
    config = write_config(tmp_path, data)
    assert mkdocs_build(config, tmp_path).returncode == 0
    before = tree_digest(tmp_path / "site")
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace('hours: "Mo-Su 08:00-22:00"', 'hours: "Lu-Do 8-22"'), encoding="utf-8")
    line = text.splitlines().index('      hours: "Mo-Su 08:00-22:00"') + 1
    result = mkdocs_build(config, tmp_path)
    assert result.returncode != 0
    assert f"companies.yaml:{line}:14: acme.channels[1].hours" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(tmp_path / "site") == before


def test_bundled_data_builds_strict_with_no_warnings(real_site: Path) -> None:
    companies = load_companies(REAL_DATA, today=date.today())
    for company in companies:
        for lang_root in ("", "en/"):
            html = (real_site / f"{lang_root}empresas" / company.id / "index.html").read_text(encoding="utf-8")
            assert html.count("data-channel=") == len(company.channels)
            # a postal or in-person address is never the first card when the company has a direct channel
            kinds = [card["data-channel"].split("-")[0] for card in BeautifulSoup(html, "html.parser").select("[data-channel]")]
            if any(kind not in ("post", "in_person") for kind in kinds):
                assert kinds[0] not in ("post", "in_person"), (company.id, kinds)
        assert (real_site / "api/v1/companies" / f"{company.id}.json").exists()
        json.loads(BeautifulSoup(html, "html.parser").select_one('script[type="application/ld+json"]').string)


def html_pages(site: Path) -> list[str]:
    """Site-relative URLs of every HTML page (directory URLs), assets and the 404 left out."""
    found = []
    for path in sorted(site.rglob("index.html")):
        url = str(path.parent.relative_to(site)).replace(".", "") + "/"
        if not url.startswith(("assets/", "search/")):
            found.append("" if url == "/" else url)
    return found


def test_every_page_has_its_twin_in_the_other_language(built: Path) -> None:
    pages = set(html_pages(built))
    spanish = {url for url in pages if not url.startswith("en/")}
    english = {url.removeprefix("en/") for url in pages if url.startswith("en/")}
    assert spanish == english
    assert {"", "empresas/acme/", "indices/a-z/", "acerca/", "guias/escalar/"} <= spanish
    for url in pages:
        lang = page(built, url).select_one("html")["lang"]
        assert lang == ("en" if url.startswith("en/") else "es"), url


def _visible_text(soup: BeautifulSoup) -> str:
    content = soup.select_one("article.md-content__inner") or soup
    data_from_yaml = (".dr-text, .dr-address, h1, .dr-extra, .dr-aliases, script, .dr-list a, .dr-complaints a, .dr-escalation a, "
                      "#dr-followup-body option")
    for data in content.select(data_from_yaml):
        data.decompose()
    return re.sub(r"https?://\S+", " ", content.get_text(" ", strip=True))  # addresses are data, not interface text


def test_nothing_is_left_untranslated(built: Path) -> None:
    from generator.site.i18n import key_paths, messages

    def leaves(lang: str) -> dict[str, str]:
        out: dict[str, str] = {}
        def walk(tree: object, path: str) -> None:
            if isinstance(tree, dict):
                for key, value in tree.items():
                    walk(value, f"{path}.{key}")
            elif isinstance(tree, list):
                for i, value in enumerate(tree):
                    walk(value, f"{path}[{i}]")
            elif isinstance(tree, str):
                out[path] = tree
        walk(messages(lang), "")
        return out

    assert key_paths(messages("es")) == key_paths(messages("en"))
    es, en = leaves("es"), leaves("en")
    # interface strings that differ between the languages and are long enough to be unambiguous
    spanish_only = {text.split("{")[0].strip() for path, text in es.items() if text != en[path] and len(text) >= 12}
    english_only = {text.split("{")[0].strip() for path, text in en.items() if text != es[path] and len(text) >= 12}
    for url in html_pages(built):
        soup = page(built, url)
        text = _visible_text(soup)
        wrong = english_only if not url.startswith("en/") else spanish_only
        if url.removeprefix("en/").startswith(("empresas/", "indices/")):
            # generated pages: every interface string in the page's language (hand-written prose may quote
            # Spanish names in English, so it is checked against its twin below instead)
            assert not [s for s in wrong if len(s) >= 8 and s in text], url
        if url.startswith("en/"):
            # a hand-written page served in Spanish under /en/ is untranslated
            assert _visible_text(page(built, url.removeprefix("en/"))) != text, url


def test_language_switcher_goes_to_the_same_page(built: Path) -> None:
    for url in html_pages(built):
        links = {a["hreflang"]: a["href"] for a in page(built, url).select("a.md-select__link[hreflang]")}
        assert set(links) == {"es", "en"}, url
        for lang, href in links.items():
            target = posixpath.normpath(posixpath.join(url, href)) + "/"
            target = "" if target in ("./", "/") else target.removeprefix("./")
            expected = url.removeprefix("en/") if lang == "es" else ("en/" + url.removeprefix("en/"))
            assert target == expected, (url, lang, href)


def test_every_internal_link_and_anchor_resolves_under_a_subpath(built: Path) -> None:
    checked = 0
    ids_of: dict[Path, set[str]] = {}  # each target parsed once: many links point into the same index page
    for url in html_pages(built):
        soup = page(built, url)
        for a in soup.select("a[href]"):
            href = a["href"]
            if href.startswith(("http:", "https:", "mailto:", "tel:", "data:")):
                continue
            assert not href.startswith("/"), (url, href)  # a root-absolute link breaks under a subpath
            path, _, fragment = href.partition("#")
            target_url = posixpath.normpath(posixpath.join(url or ".", path)) if path else url.rstrip("/")
            target = built / target_url
            if target.is_dir() or not path or path.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), (url, href)
            if fragment and target.suffix == ".html":
                if target not in ids_of:
                    ids_of[target] = {el["id"] for el in BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").select("[id]")}
                assert fragment in ids_of[target], (url, href)
            checked += 1
    assert checked > 200
    assert page(built, "empresas/acme").select_one('link[rel="canonical"]')["href"] == SUBPATH + "empresas/acme/"


def test_old_and_retired_addresses_keep_a_page(built: Path) -> None:
    for root in ("", "en/"):
        moved = page(built, f"{root}empresas/acme-antigua")
        assert moved.select_one('meta[http-equiv="refresh"]')["content"] == "0; url=../acme/"
        assert moved.select_one(".dr-notice a")["href"] == "../acme/"
        gone = page(built, f"{root}empresas/gamma-gone")
        assert "Gamma <b>Gone</b>" in gone.select_one("h1").text and not gone.select("b")
        assert gone.select_one(".dr-notice a")["href"] == "../beta-bank/"
    assert "Cerró en 2026" in page(built, "empresas/gamma-gone").text


def test_changes_page_and_feeds_in_both_languages(built: Path) -> None:
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    for root, lang in (("", "es"), ("en/", "en")):
        feed = ElementTree.parse(built / f"{root}feed.xml").getroot()
        assert feed.tag == f"{atom}feed" and feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        assert feed.find(f"{atom}link[@rel='self']").get("href") == f"{SUBPATH}{root}feed.xml"
        # built outside a git repository: no entries, and the feed says why
        assert not feed.findall(f"{atom}entry") and feed.find(f"{atom}subtitle").text
        changes = page(built, f"{root}cambios")
        assert changes.select_one('a[href="../feed.xml"]')


def test_every_page_has_one_main_heading(built: Path) -> None:
    """Generated pages bring their own <h1>; the theme must not add a second one (nor drop it)."""
    pages = [p for p in built.rglob("index.html") if not p.relative_to(built).as_posix().startswith(("assets/", "search/"))]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert len(re.findall(r"<h1[\s>]", html)) == 1, page.relative_to(built)
