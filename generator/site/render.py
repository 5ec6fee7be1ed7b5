"""Render stage: the site model → pages (finished HTML bodies) in one language, and the data files.

`render(model, lang)` is a pure function, called once per language; it
returns `Page`s that any engine can place.  Every string from the data is
escaped by Jinja2's autoescape (HTML text and attributes) or by
`script_json` (JSON inside <script>), so data is shown as typed and never
read as HTML, Markdown or script.  Every link goes through `urls.relative`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from importlib import resources
from typing import Any

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from generator.data import schema
from generator.data.addresses import fold
from generator.data.fields import Duration
from generator.data.history import company_changes
from generator.data.legal import load_rules
from generator.data.models import Localized, Measured
from generator.data.vocabulary import LANGUAGES, Purpose, Sector
from generator.site import api
from generator.site._made_on_write import TextsOnRead
from generator.site.derive import CompanyView, SiteModel
from generator.site.feed import FeedText, build_feed
from generator.site.i18n import duration_text, language_name, long_date, messages, short_date
from generator.site.kit import SHARE_PAGES, KitCase, kit_for
from generator.site.measured import figure_key, figure_text, measured_line, period_text
from generator.site.search import SEARCH_DIR, build_index, words
from generator.site.urls import CHANGES_DIR, COMPANY_DIR, FEED_FILE, company_url, index_url, language_root, relative, twin

CHANGES_SHOWN = 100
TIMINGS_DIR = "horarios"
"""Where each distinct channel timing is published as <key>.json, read by docs/javascripts/dr-time.js."""
INDEX_PAGE_SIZE = 300  # entries per index page: a phone renders it quickly


@dataclass(frozen=True, slots=True)
class Page:
    """One generated page: where it lives, what it is called, and its body."""

    url: str  # site-relative directory URL, e.g. "en/empresas/acme/"
    lang: str
    title: str  # plain text (escape it where it is printed)
    description: str  # plain text
    alternates: dict[str, str]  # language → URL of the same page in that language (this one included)
    make_body: Callable[[], str] = field(repr=False, compare=False)

    @property
    def body(self) -> str:
        """The finished HTML, everything escaped.  Rendered when asked for, so an engine that places one page at a
        time holds one page's HTML at a time (all company pages at once would take hundreds of MB; benchmarks/README.md)."""
        return self.make_body()


@dataclass(frozen=True, slots=True)
class RenderOptions:
    edit_base: str | None = None
    """Link prefix for "suggest a correction", e.g. https://github.com/org/repo/blob/main/ (file#Lline is appended)."""
    site_url: str = ""
    """Where the site is published (absolute links in the Atom feed); empty: links relative to the feed."""
    index_page_size: int = INDEX_PAGE_SIZE
    """Most entries on one index page: a longer index is split by letter, sector or channel, then paged."""


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("generator.site", "templates"), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def script_json(value: object) -> str:
    """JSON that is safe inside an HTML <script> element (no `</script>`, no `<!--`)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _page(url: str, lang: str, title: str, description: str, body: str | Callable[[], str]) -> Page:
    """A page, with its twin in every language as its alternates; `body` is its HTML or what renders it."""
    return Page(url=url, lang=lang, title=title, description=description,
                alternates={other: twin(url, other) for other in LANGUAGES},
                make_body=body if callable(body) else lambda: body)


class _Words:
    """What templates call to put words and links on one page: bound to its language and URL."""

    def __init__(self, lang: str, url: str, base: str | None = None) -> None:
        self.lang, self.url, self.base = lang, url, base
        self.t = messages(lang)

    def link(self, to: str) -> str:
        """Relative to this page; from `base` (the site's path, "/donde-reclamo/") on a page served at any address."""
        return self.base + to if self.base is not None else relative(self.url, to)

    def company(self, company_id: str) -> str:
        return self.link(company_url(company_id, self.lang))

    def index(self, name: str, anchor: str = "") -> str:
        return self.link(index_url(name, self.lang) + (f"#{anchor}" if anchor else ""))

    def index_group(self, name: str, key: str, split: bool) -> str:
        """One sector's or channel's companies: its own page when the index is split, else its heading."""
        return self.link(index_url(name, self.lang) + (f"{key}/" if split else f"#{key}"))

    def duration(self, value: Duration) -> str:
        return duration_text(value, self.lang)

    def date(self, value: Any) -> str:
        return long_date(value, self.lang)

    def short_date(self, value: Any) -> str:
        """"30 de noviembre de 2026": a fact's checked date."""
        return short_date(value, self.lang)

    def timezone(self, name: str) -> str:
        """A timezone in words ("hora peninsular española"); its city when the catalogue has no name for it."""
        names: dict[str, str] = self.t["timezones"]
        return names.get(name) or name.rsplit("/", 1)[-1].replace("_", " ")

    def days(self, first: int, last: int) -> str:
        """"Lun", or "Lun–Vie" for a run of days."""
        short = self.t["weekdays_short"]
        return str(short[first]) if first == last else str(self.t["day_range"]).format(first=short[first], last=short[last])

    def language(self, code: str) -> str:
        return language_name(code, self.lang)

    def measured_line(self, figure: Measured) -> str:
        """"Medido por ⟨study⟩ (⟨period⟩): ⟨metric⟩" (the template adds the value)."""
        return measured_line(figure, self.lang)

    def measured_link(self, figure: Measured) -> str:
        """The ranking on the measured index that lists this figure."""
        return self.index("medido", figure_key(figure))

    def figure(self, figure: Measured) -> str:
        return figure_text(figure, self.lang)

    def period(self, period: str) -> str:
        return period_text(period, self.lang)

    def cited(self, case: KitCase) -> str:
        """How the kit cites a case's rule: its law and article, or «plazo propio del sector, conforme a …» when the
        article only leaves the sector's own period in force (`defers_to_sector`)."""
        if case.rule.defers_to_sector:
            return str(self.t["kit"]["sector_cited"]).format(cited=case.cited)
        return case.cited

    def pick(self, texts: Any) -> str:
        """A catalogue text given in every language (rules data), in this page's language."""
        return str(getattr(texts, self.lang))

    def local(self, text: Localized | None) -> tuple[str, str | None] | None:
        """(text, None) in this page's language, or (text, "Solo en inglés") from the other one; None without text."""
        if text is None:
            return None
        own = text.get(self.lang)
        if own is not None:
            return own, None
        for other in LANGUAGES:
            found = text.get(other)
            if found is not None:
                return found, str(self.t["only_in"]).format(language=language_name(other, self.lang))
        return None


def _deadlines_data(view: CompanyView) -> dict[str, Any] | None:
    """What the browser needs to work the legal deadlines out again for a complaint filed at the visitor's instant."""
    d = view.deadlines
    if d is None:
        return None
    return {"tz": d.timezone, "holidays": [day.isoformat() for day in d.holidays]}


def split_indexes(model: SiteModel, size: int) -> frozenset[str]:
    """The grouped indexes too long for one page, each then split into a page per letter, sector or channel.

    The one place this is decided: the index pages and every link into them (the company page's sector, the
    search filters) follow it.
    """
    idx = model.indexes
    totals = {"a-z": sum(len(views) for _, views in idx.by_letter), "sectores": sum(len(views) for _, views in idx.by_sector),
              "canales": sum(len(rows) for _, rows in idx.by_channel)}  # a company counts once per channel type
    return frozenset(name for name, total in totals.items() if total > size)


def render_company(view: CompanyView, model: SiteModel, lang: str, options: RenderOptions, split: frozenset[str]) -> Page:
    company = view.company
    url = company_url(company.id, lang)
    w = _Words(lang, url)
    origin = view.origin
    edit_url = f"{options.edit_base}{origin.file}#L{origin.line}" if options.edit_base and origin else None
    # The cards' timings are shared files (one per distinct hours and place): the page says where they are.
    timed = any(v.timing_key for v in view.channels)
    sector_href = w.index_group("sectores", company.sector.value, "sectores" in split)
    kit = kit_for(view)

    def body() -> str:
        return environment().get_template("company.html").render(
            c=company, view=view, t=w.t, w=w, edit_url=edit_url, json_ld=script_json(view.json_ld), sector_href=sector_href,
            timings=w.link(f"{TIMINGS_DIR}/") if timed else None,
            strings_src=w.link(browser_strings_file(lang)),
            routes=[v for v in view.channels if Purpose.COMPLAINTS in v.channel.purpose],
            deadlines_json=script_json(_deadlines_data(view)), kit=kit, share_pages=SHARE_PAGES,
            law_now=kit.law is not None and model.built >= kit.law.applies_from)

    return _page(url, lang, company.name, str(w.t["company_description"]).format(name=company.name), body)


@dataclass(frozen=True, slots=True)
class IndexGroup:
    """One heading of an index (a letter, a sector, a channel type) with its rows."""

    key: str  # its page under the index when the index is split ("b", "banking", "whatsapp") and its anchor
    label: str  # what the heading says ("B", "Banca", "WhatsApp")
    rows: tuple[Any, ...]  # what the index's template lists: company views, (view, channels) pairs, response rows


def _chunks(rows: tuple[Any, ...], size: int) -> list[tuple[Any, ...]]:
    return [rows[start:start + size] for start in range(0, len(rows), size)] or [()]


def _page_url(first: str, number: int) -> str:
    """Page 1 of a list at `first`, page n at `first` + "n/"."""
    return first if number == 1 else f"{first}{number}/"


def _index_page(url: str, lang: str, title: str, intro: str, kind: str, *, groups: list[IndexGroup] | None = None,
                overview: list[tuple[IndexGroup, str]] | None = None, bar: list[tuple[IndexGroup, str, bool]] | None = None,
                rows: tuple[Any, ...] | None = None, pager: tuple[int, int, str] | None = None) -> Page:
    """One index page.  `bar`: the letter bar (group, link, is this page); `overview`: the groups, each with its
    page; `groups`: headings with their rows; `rows`: a list with no headings; `pager`: (page, pages, first page)."""
    w = _Words(lang, url)
    t = w.t["indexes"]
    pages = None
    if pager is not None:
        number, count, first = pager
        pages = {"number": number, "count": count, "label": str(t["page_of"]).format(page=number, pages=count),
                 "links": [(n, w.link(_page_url(first, n))) for n in range(1, count + 1)],
                 "previous": w.link(_page_url(first, number - 1)) if number > 1 else None,
                 "next": w.link(_page_url(first, number + 1)) if number < count else None}
        if count > 1:
            title = str(t["paged_title"]).format(title=title, page=number, pages=count)
    body = environment().get_template("index.html").render(
        t=w.t, w=w, title=title, intro=intro, kind=kind, groups=groups, rows=rows, pager=pages,
        overview=[(group, w.link(link)) for group, link in overview or ()],
        bar=[(group, w.link(link), current) for group, link, current in bar or ()])
    return _page(url, lang, title, intro, body)


def _grouped_index(name: str, lang: str, title: str, intro: str, kind: str, groups: list[IndexGroup], size: int,
                   split: frozenset[str], *, letters: bool = False) -> list[Page]:
    """An index under headings: one page while it is short; else an overview page plus one page per heading, paged."""
    root = index_url(name, lang)
    if name not in split:
        bar = [(group, f"#{group.key}", False) for group in groups] if letters else None
        return [_index_page(root, lang, title, intro, kind, groups=groups, bar=bar)]
    t = messages(lang)["indexes"]
    pages = [_index_page(root, lang, title, intro, kind, overview=[(group, f"{root}{group.key}/") for group in groups],
                         bar=[(group, f"{root}{group.key}/", False) for group in groups] if letters else None)]
    for group in groups:
        first = f"{root}{group.key}/"
        chunks = _chunks(group.rows, size)
        group_title = str(t["group_title"]).format(title=title, group=group.label)
        bar = [(other, f"{root}{other.key}/", other.key == group.key) for other in groups] if letters else None
        for number, chunk in enumerate(chunks, start=1):
            pages.append(_index_page(_page_url(first, number), lang, group_title, intro, kind, bar=bar,
                                     groups=[IndexGroup(group.key, group.label, chunk)], pager=(number, len(chunks), first)))
    return pages


def _listed_index(name: str, lang: str, title: str, intro: str, kind: str, rows: tuple[Any, ...], size: int) -> list[Page]:
    """An index with no headings, paged."""
    root = index_url(name, lang)
    chunks = _chunks(rows, size)
    return [_index_page(_page_url(root, number), lang, title, intro, kind, rows=chunk, pager=(number, len(chunks), root))
            for number, chunk in enumerate(chunks, start=1)]


def letter_key(letter: str) -> str:
    """The A–Z page and anchor of a letter: "b"; "0-9" for names that start with a digit or a symbol."""
    return "0-9" if letter == "#" else letter.lower()


def render_indexes(model: SiteModel, lang: str, options: RenderOptions | None = None) -> list[Page]:
    """The six indexes; each stays a handful of short pages at any number of companies."""
    strings = messages(lang)
    t = strings["indexes"]
    idx = model.indexes
    size = (options or RenderOptions()).index_page_size
    split = split_indexes(model, size)
    return [
        *_grouped_index("a-z", lang, t["a_z_title"], str(t["a_z_intro"]).format(count=len(model.companies)), "letter",
                        [IndexGroup(letter_key(letter), letter, views) for letter, views in idx.by_letter], size, split, letters=True),
        *_grouped_index("sectores", lang, t["sectors_title"], t["sectors_intro"], "sector",
                        [IndexGroup(sector.value, str(strings["sectors"][sector]), views) for sector, views in idx.by_sector], size, split),
        *_grouped_index("canales", lang, t["channels_title"], t["channels_intro"], "channel",
                        [IndexGroup(kind.value.replace("_", "-"), str(strings["channel_types"][kind]), rows)
                         for kind, rows in idx.by_channel], size, split),
        *_listed_index("respuesta", lang, t["response_title"], t["response_intro"], "response", idx.by_response, size),
        *_grouped_index("medido", lang, t["measured_title"], t["measured_intro"], "measured",
                        [IndexGroup(group.key, str(t["measured_group"]).format(
                            metric=strings["measured"]["metrics"][group.metric.value], period=period_text(group.period, lang),
                            study=group.study), group.rows) for group in idx.by_measured], size, split),
        *_listed_index("24-7", lang, t["always_open_title"], t["always_open_intro"], "always", idx.always_open, size),
    ]


def render_addresses_kept(model: SiteModel, lang: str) -> list[Page]:
    """Pages at addresses that no longer hold a company: a renamed company's old id, a retired company's id."""
    t = messages(lang)
    pages = []
    for moved in model.redirects:
        url = company_url(moved.old_id, lang)
        w = _Words(lang, url)
        title = str(t["moved"]["title"]).format(name=model.names.get(moved.new_id, moved.new_id))
        body = environment().get_template("notice.html").render(t=t, title=title, text=t["moved"]["text"],
                                                                link=w.company(moved.new_id), link_text=model.names.get(moved.new_id, moved.new_id),
                                                                refresh=True, lead=None)
        pages.append(_page(url, lang, title, title, body))
    for gone in model.retired:
        url = company_url(gone.id, lang)
        w = _Words(lang, url)
        title = str(t["gone"]["title"]).format(name=gone.name)
        text = str(t["gone"]["text"]).format(date=w.short_date(gone.removed), reason=gone.reason)
        replaced = gone.replaced_by
        body = environment().get_template("notice.html").render(
            t=t, title=title, text=text, refresh=False, lead=t["gone"]["replaced"] if replaced else None,
            link=w.company(replaced) if replaced else None, link_text=model.names.get(replaced, replaced) if replaced else None)
        pages.append(_page(url, lang, title, title, body))
    return pages


def render_changes(model: SiteModel, lang: str) -> Page:
    """The recent changes page: one line per company change, newest first, and the feed."""
    t = messages(lang)["changes"]
    url = f"{language_root(lang)}{CHANGES_DIR}/"
    w = _Words(lang, url)
    current = {v.company.id for v in model.companies}
    rows = [{"when": w.short_date(record.when.date()), "text": str(t[kind]).format(name=model.names.get(company_id, company_id)),
             "link": w.company(company_id) if company_id in current else None}
            for record, company_id, kind in company_changes(model.history)[:CHANGES_SHOWN]]
    body = environment().get_template("changes.html").render(t=t, rows=rows, feed=w.link(f"{language_root(lang)}{FEED_FILE}"))
    return _page(url, lang, t["title"], t["intro"], body)


def render(model: SiteModel, lang: str, options: RenderOptions | None = None) -> list[Page]:
    """Every generated page of the site in `lang`."""
    chosen = options or RenderOptions()
    split = split_indexes(model, chosen.index_page_size)
    pages = [render_company(view, model, lang, chosen, split) for view in model.companies]
    pages.extend(render_indexes(model, lang, chosen))
    pages.extend(render_addresses_kept(model, lang))
    pages.append(render_changes(model, lang))
    return pages


def browser_strings_file(lang: str) -> str:
    """Where a language's browser words live (from the site's root): one cached file, not a copy in every page."""
    return f"javascripts/dr-strings-{lang}.js"


def browser_strings(lang: str) -> str:
    """The words dr-time.js and dr-kit.js show in `lang`, as a script that sets `window.drStrings`."""
    t = messages(lang)
    words = {**t["browser"], **t["trust"]["browser"], "kit": t["kit"]["browser"]}
    return "window.drStrings = " + json.dumps(words, ensure_ascii=False, separators=(",", ":")) + ";\n"


def language_files(model: SiteModel, lang: str, options: RenderOptions | None = None) -> dict[str, str]:
    """The files of one language: its Atom feed of changes, the words its header search shows and the words the
    company pages' scripts show."""
    chosen = options or RenderOptions()
    t = messages(lang)["changes"]
    text = FeedText(lang=lang, title=t["feed_title"], subtitle=t["feed_subtitle"], empty=t["empty"], added=t["added"],
                    changed=t["changed"], removed=t["removed"], summary=t["feed_summary"],
                    company_path=f"{language_root(lang)}{COMPANY_DIR}/{{id}}/")
    path = f"{language_root(lang)}{FEED_FILE}"
    # The header search on every page reads this language's words from a file (links from the site's root),
    # rather than each page carrying them.
    words_file = f"{SEARCH_DIR}/words-{lang}.json"
    return {path: build_feed(model.history, site_url=chosen.site_url or "https://localhost/", feed_path=path, text=text,
                             names=model.names, updated=model.built),
            words_file: json.dumps(search_words(model, lang, _Words(lang, "", ""), chosen.index_page_size),
                                   ensure_ascii=False, separators=(",", ":")),
            browser_strings_file(lang): browser_strings(lang)}


def escalation_bodies(lang: str) -> str:
    """The escalation catalogue as an HTML list, for the guide on escalating (one block, no blank lines)."""
    w = _Words(lang, "")
    return environment().get_template("escalation.html").render(t=w.t, w=w, bodies=load_rules().bodies.values()).strip()


@cache
def need_phrases() -> dict[str, list[str]]:
    """Need queries (i18n/needs.yaml), both languages, folded: phrase → the sectors that answer it."""
    text = resources.files("generator.site.i18n").joinpath("needs.yaml").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    for sector, by_lang in yaml.safe_load(text).items():
        Sector(sector)  # a sector the vocabulary knows
        for lang in LANGUAGES:
            for phrase in by_lang[lang]:
                sectors = found.setdefault(" ".join(words(str(phrase))), [])
                if sector not in sectors:
                    sectors.append(sector)
    return found


def search_words(model: SiteModel, lang: str, w: _Words, index_page_size: int) -> dict[str, Any]:
    """What the search script needs from a page in `lang`: where the index is, the words it shows, its links
    ("{key}" stands for a sector or channel type) and the need queries."""
    split = split_indexes(model, index_page_size)
    return {"lang": lang, "index": w.link(f"{SEARCH_DIR}/"), "companies": w.link(f"{language_root(lang)}{COMPANY_DIR}/"),
            "sector_link": w.index_group("sectores", "{key}", "sectores" in split),
            "channel_link": w.index_group("canales", "{key}", "canales" in split),
            "guides": w.link(f"{SEARCH_DIR}/guides-{lang}.json"),
            "words": w.t["search"]["browser"], "sectors": w.t["sectors"], "channels": w.t["channel_types"],
            "check": w.t["account_check"], "header": w.t["one_search"], "needs": need_phrases()}


def search_form(model: SiteModel, lang: str, url: str, *, base: str | None = None,
                index_page_size: int = INDEX_PAGE_SIZE) -> str:
    """The company search field with its filters, for the hand-written page at `url` (one HTML block, no blank lines).

    A plain GET form to the A–Z index, so it does something without JavaScript; docs/javascripts/dr-search.js
    (loaded on every page, for the header search too) reads `#dr-search-data` (where the index is, this page's
    words and links) and answers as the visitor types.  `base` (the site's path) makes every link absolute, for a
    page served at any address (the 404 page).
    """
    w = _Words(lang, url, base)
    s = w.t["search"]
    sectors = sorted(((sector.value, str(w.t["sectors"][sector])) for sector, _ in model.indexes.by_sector),
                     key=lambda pair: fold(pair[1]))
    channels = sorted(((kind.value, str(w.t["channel_types"][kind])) for kind, _ in model.indexes.by_channel),
                      key=lambda pair: fold(pair[1]))
    data = search_words(model, lang, w, index_page_size)
    html = environment().get_template("search.html").render(s=s, a_z=w.index("a-z"), sectors=sectors, channels=channels,
                                                            data=script_json(data))
    return html.strip()


def data_files(model: SiteModel, site_url: str | None = None) -> TextsOnRead:
    """The language-neutral files: the open data under api/v1/ (see `api.py`), the contributors' JSON Schema, the
    company search index and the channel timings the pages' live parts read (horarios/<key>.json).

    Each text is made when it is read (`TextsOnRead`).  `site_url`, when the engine knows it, adds absolute page
    addresses to the open data.
    """
    files = api.files(model, site_url)
    files.add("schema/company.schema.json", lambda: schema.dumps(schema.company_schema()))
    files.add("schema/companies.schema.json", lambda: schema.dumps(schema.companies_file_schema()))
    files.update(build_index(tuple(v.search for v in model.companies)).files)
    for key, timing in model.timings.items():
        files.add(f"{TIMINGS_DIR}/{key}.json", partial(json.dumps, timing, ensure_ascii=False, separators=(",", ":")))
    return files
