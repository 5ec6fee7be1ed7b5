"""Render on its own: golden pages per language, the catalogues, and no interface text outside them.

Goldens are rewritten with `pytest --update-goldens` and reviewed in the diff.
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import generator.site.derive as derive_module
from generator.data.vocabulary import LANGUAGES
from generator.pipeline import build_model
from generator.site.i18n import key_paths, messages
from generator.site.render import RenderOptions, data_files, render, search_form

from .conftest import CASES, REAL_DATA, ROOT

BUILT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
GOLDEN = Path(__file__).resolve().parent / "golden"
FIXTURE = [CASES / "site" / "companies.yaml"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("url", ["empresas/acme/", "indices/a-z/"])
def test_golden_pages(lang: str, url: str, update_goldens: bool) -> None:
    pages = {page.url: page for page in render(build_model(FIXTURE, built=BUILT), lang)}
    page = pages[("" if lang == "es" else f"{lang}/") + url]
    golden = GOLDEN / f"{lang}-{url.strip('/').replace('/', '-')}.html"
    if update_goldens:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(page.body, encoding="utf-8")
    assert page.body == golden.read_text(encoding="utf-8"), f"{golden.name} changed: review, then --update-goldens"


def test_catalogues_have_the_same_keys() -> None:
    es, en = key_paths(messages("es")), key_paths(messages("en"))
    assert es - en == set(), "keys missing in en.yaml"
    assert en - es == set(), "keys missing in es.yaml"


def test_every_catalogue_key_is_used() -> None:
    used = "\n".join(p.read_text(encoding="utf-8") for p in [*(ROOT / "generator").rglob("*.py"), *(ROOT / "generator" / "site" / "templates").glob("*.html"),
                                                              *(ROOT / "docs" / "javascripts").glob("*.js"), ROOT / "overrides" / "404.html"])
    top = set(messages("es"))
    unused = {key for key in top if not re.search(rf"\b{re.escape(key)}\b", used)}
    assert unused == set()


def test_timing_is_computed_once_per_distinct_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[object, ...]] = []
    real = derive_module.timing_for

    def counting(*args: object) -> object:
        calls.append(args[:5])
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(derive_module, "timing_for", counting)
    model = build_model(FIXTURE, built=BUILT)
    assert len(calls) == len(set(calls)) == len(model.timings)
    for lang in LANGUAGES:
        render(model, lang)
    assert len(calls) == len(model.timings)  # render never computes timing


SENTENCE = re.compile(r"[^\W\d_]{2,} [^\W\d_]{2,}")
NOT_INTERFACE = {"customer service",  # schema.org's ContactPoint vocabulary, not shown to readers
                 "PH off",  # OpenStreetMap opening_hours syntax
                 "use strict", "nofollow noopener ugc"}  # JavaScript's directive, a link's rel


def test_no_interface_text_outside_the_catalogues() -> None:
    # Templates: once tags, expressions and comments are gone, only punctuation may be left.
    for template in (ROOT / "generator" / "site" / "templates").glob("*.html"):
        text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<[^>]+>", " ", template.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"[^\W\d_]{2,}", text), (template.name, re.findall(r"[^\W\d_]{2,}", text)[:5])
    # The browser scripts: no string literal that reads as words.
    for script in (ROOT / "docs" / "javascripts").glob("*.js"):
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script.read_text(encoding="utf-8"), flags=re.S)
        literals = re.findall(r'"((?:[^"\\]|\\.)*)"', code)
        assert not [lit for lit in literals if SENTENCE.search(lit) and lit not in NOT_INTERFACE], script.name
    # The render stage's Python: no string constant that reads as words, outside docstrings.
    for module in ("render.py", "derive.py", "urls.py"):
        tree = ast.parse((ROOT / "generator" / "site" / module).read_text(encoding="utf-8"))
        # docstrings, attribute docstrings included: string expressions that are statements of their own
        docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
        words = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
                 and id(node) not in docstrings and SENTENCE.search(node.value) and node.value not in NOT_INTERFACE]
        assert words == [], (module, words[:3])


def test_folder_writer_writes_every_page_with_links_to_its_twin(tmp_path: Path) -> None:
    from generator.adapters.writer import write_site
    from generator.pipeline import build_site

    site = build_site(FIXTURE, built=BUILT)
    out = tmp_path / "out"
    (out / "stale").mkdir(parents=True)  # replaced whole, never merged into
    count = write_site(site, out)
    assert count == sum(len(pages) for pages in site.pages.values()) + len(site.files)
    english = (out / "en/empresas/acme/index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and 'hreflang="es" href="../../../empresas/acme/"' in english
    assert 'hreflang="en" href="../en/cambios/"' in (out / "cambios/index.html").read_text(encoding="utf-8")
    assert (out / "api/v1/companies.json").is_file() and not (out / "stale").exists()


def test_long_indexes_split_by_letter_sector_and_channel_then_page(tmp_path: Path) -> None:
    """Past `index_page_size` entries an index becomes an overview plus one page per letter, sector or channel,
    each paged: every company is listed exactly once per index, every link reaches a page of the site, and the
    company page's sector link goes to its sector's page."""
    from benchmarks import synthetic  # realistic made-up companies: names with accents, digits, every sector

    data = synthetic.write_file(list(synthetic.companies(60, seed=3)), tmp_path / "companies.yaml")
    model = build_model([data], built=BUILT)
    for lang in LANGUAGES:
        pages = {page.url: page for page in render(model, lang, RenderOptions(index_page_size=7))}
        root = "" if lang == "es" else f"{lang}/"
        ids = sorted(view.company.id for view in model.companies)
        for name in ("a-z", "sectores", "canales"):
            listed = [page for url, page in pages.items() if url.startswith(f"{root}indices/{name}/") and url != f"{root}indices/{name}/"]
            assert listed and all(page.body.count('class="dr-list"') == 1 for page in listed)
            assert all(len(re.findall(r'<li><a href="[^"]*empresas/', page.body)) <= 7 for page in listed)
            if name != "canales":  # a company is under each of its channel types there
                found = sorted(re.search(r"empresas/([^/]+)/", link)[1]  # type: ignore[index]
                               for page in listed for link in re.findall(r'<li><a href="([^"]*empresas/[^"]*)"', page.body))
                assert found == ids, name
        for url, page in pages.items():
            for link in re.findall(r'href="([^"#:]+/)"', page.body):
                target = posixpath.normpath(posixpath.join(url, link)) + "/"
                assert target.removeprefix("./") in pages or "empresas" in target, (url, link)
        letters = pages[f"{root}indices/a-z/"].body
        assert re.search(r'<nav class="dr-letters"[^>]*><ul><li><a href="0-9/">#</a>', letters) or 'href="a/">A<' in letters
        assert 'aria-current="page"' in pages[f"{root}indices/a-z/a/"].body
        company = model.companies[0].company
        assert f'href="../../indices/sectores/{company.sector.value}/"' in pages[f"{root}empresas/{company.id}/"].body
        paged = [url for url in pages if re.search(r"indices/respuesta/\d+/$", url)]
        assert paged and 'rel="prev"' in pages[paged[0]].body


def test_short_indexes_stay_one_page_with_a_letter_bar_to_the_headings() -> None:
    pages = {page.url: page for page in render(build_model(FIXTURE, built=BUILT), "es")}
    assert not [url for url in pages if re.match(r"indices/[^/]+/.+", url)]
    body = pages["indices/a-z/"].body
    for key in re.findall(r'<a href="#([^"]+)">', body.split('class="dr-letters"')[1].split("</nav>")[0]):
        assert f'<h2 id="{key}">' in body
    assert 'href="../../indices/sectores/#telecom"' in pages["empresas/acme/"].body


def test_every_card_timing_is_one_shared_file() -> None:
    """Pages name their cards' timings; each distinct timing is published once, as the browser script reads it."""
    model = build_model(FIXTURE, built=BUILT)
    files = data_files(model)
    used = {key for lang in LANGUAGES for page in render(model, lang) for key in re.findall(r'data-timing="([^"]+)"', page.body)}
    assert used and used == set(model.timings)
    for key in used:
        assert json.loads(files[f"horarios/{key}.json"]) == model.timings[key]
    assert 'data-timings="../../../horarios/"' in next(p.body for p in render(model, "en") if p.url == "en/empresas/acme/")


def test_every_language_in_the_data_has_a_name_in_both_catalogues() -> None:
    """Pages say "japonés", never "ja": each service language the bundled data states has a name in each language."""
    used = {code for view in build_model(REAL_DATA, built=datetime.now(UTC)).companies for ch in view.company.channels for code in ch.languages or ()}
    assert used
    for lang in LANGUAGES:
        assert used - set(messages(lang)["language_names"]) == set(), lang


def test_links_into_the_indexes_follow_each_index_own_split(tmp_path: Path) -> None:
    """A company counts once per channel type, so the channel index can be split while the sector index is not:
    the search filters and the company page's sector link must each lead where that index put the group."""
    from benchmarks import synthetic

    model = build_model([synthetic.write_file(list(synthetic.companies(60, seed=3)), tmp_path / "c.yaml")], built=BUILT)
    pages = {page.url: page for page in render(model, "es", RenderOptions(index_page_size=100))}
    assert "indices/canales/whatsapp/" in pages and not [url for url in pages if url.startswith("indices/sectores/") and url != "indices/sectores/"]
    data = json.loads(re.search(r'id="dr-search-data">(.*?)</script>', search_form(model, "es", "", index_page_size=100))[1])  # type: ignore[index]
    assert data["channel_link"].replace("{key}", "whatsapp") == "indices/canales/whatsapp/"
    sector = model.companies[0].company.sector.value
    assert data["sector_link"].replace("{key}", sector) == f"indices/sectores/#{sector}"
    assert f'<h2 id="{sector}">' in pages["indices/sectores/"].body
    assert f'href="../../indices/sectores/#{sector}"' in pages[f"empresas/{model.companies[0].company.id}/"].body
