"""Render stage: the site model → pages (finished HTML bodies) in one language, and the data files.

`render(model, lang)` is a pure function, called once per language; it
returns `Page`s that any engine can place.  Every string from the data is
escaped by Jinja2's autoescape (HTML text and attributes) or by
`script_json` (JSON inside <script>), so data is shown as typed and never
read as HTML, Markdown or script.  Every link goes through `urls.relative`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from . import schema
from .catalog import LANGUAGES
from .derive import CompanyView, SiteModel
from .fields import Duration
from .models import Localized
from .rules import load_rules
from .search import SEARCH_DIR, SEARCH_SCRIPT, build_index, fold
from .strings import catalogue, duration_text, language_name, long_date
from .urls import API_DIR, COMPANY_DIR, company_url, index_url, language_root, relative, twin


@dataclass(frozen=True, slots=True)
class Page:
    """One generated page: where it lives, what it is called, and its body."""

    url: str  # site-relative directory URL, e.g. "en/empresas/acme/"
    lang: str
    title: str  # plain text (escape it where it is printed)
    description: str  # plain text
    alternates: dict[str, str]  # language → URL of the same page in that language (this one included)
    body: str  # finished HTML, everything escaped


@dataclass(frozen=True, slots=True)
class RenderOptions:
    edit_base: str | None = None
    """Link prefix for "suggest a correction", e.g. https://github.com/org/repo/blob/main/ (file#Lline is appended)."""


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("generator", "templates"), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def script_json(value: object) -> str:
    """JSON that is safe inside an HTML <script> element (no `</script>`, no `<!--`)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _alternates(url: str) -> dict[str, str]:
    return {lang: twin(url, lang) for lang in LANGUAGES}


class _Words:
    """What templates call to put words and links on one page: bound to its language and URL."""

    def __init__(self, lang: str, url: str) -> None:
        self.lang, self.url = lang, url
        self.t = catalogue(lang)

    def link(self, to: str) -> str:
        return relative(self.url, to)

    def company(self, company_id: str) -> str:
        return relative(self.url, company_url(company_id, self.lang))

    def index(self, name: str, anchor: str = "") -> str:
        return relative(self.url, index_url(name, self.lang) + (f"#{anchor}" if anchor else ""))

    def duration(self, value: Duration) -> str:
        return duration_text(value, self.lang)

    def date(self, value: Any) -> str:
        return long_date(value, self.lang)

    def language(self, code: str) -> str:
        return language_name(code, self.lang)

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


def render_company(view: CompanyView, model: SiteModel, lang: str, options: RenderOptions) -> Page:
    company = view.company
    url = company_url(company.id, lang)
    w = _Words(lang, url)
    origin = view.origin
    edit_url = f"{options.edit_base}{origin.file}#L{origin.line}" if options.edit_base and origin else None
    timings = {v.timing_key: model.timings[v.timing_key] for v in view.channels if v.timing_key}
    body = environment().get_template("company.html").render(
        c=company, view=view, t=w.t, w=w, edit_url=edit_url, json_ld=script_json(view.json_ld),
        timings=script_json(timings) if timings else None, browser=script_json(w.t["browser"]))
    return Page(url=url, lang=lang, title=company.name,
                description=str(w.t["company_description"]).format(name=company.name),
                alternates=_alternates(url), body=body)


def _index(name: str, lang: str, title: str, intro: str, **content: Any) -> Page:
    url = index_url(name, lang)
    w = _Words(lang, url)
    body = environment().get_template("index.html").render(t=w.t, w=w, title=title, intro=intro, **content)
    return Page(url=url, lang=lang, title=title, description=intro, alternates=_alternates(url), body=body)


def render_indexes(model: SiteModel, lang: str) -> list[Page]:
    t = catalogue(lang)["indexes"]
    idx = model.indexes
    return [
        _index("a-z", lang, t["a_z_title"], str(t["a_z_intro"]).format(count=len(model.companies)), letters=idx.by_letter),
        _index("sectores", lang, t["sectors_title"], t["sectors_intro"], sectors=idx.by_sector),
        _index("canales", lang, t["channels_title"], t["channels_intro"], channel_groups=idx.by_channel),
        _index("respuesta", lang, t["response_title"], t["response_intro"], response_rows=idx.by_response),
        _index("24-7", lang, t["always_open_title"], t["always_open_intro"], always_open=idx.always_open),
    ]


def render(model: SiteModel, lang: str, options: RenderOptions | None = None) -> list[Page]:
    """Every generated page of the site in `lang`."""
    chosen = options or RenderOptions()
    pages = [render_company(view, model, lang, chosen) for view in model.companies]
    pages.extend(render_indexes(model, lang))
    return pages


def escalation_bodies(lang: str) -> str:
    """The escalation catalogue as an HTML list, for the guide on escalating (one block, no blank lines)."""
    w = _Words(lang, "")
    return environment().get_template("escalation.html").render(t=w.t, w=w, bodies=load_rules().bodies.values()).strip()


def search_form(model: SiteModel, lang: str, url: str) -> str:
    """The company search field with its filters, for the hand-written page at `url` (one HTML block, no blank lines).

    A plain GET form to the A–Z index, so it does something without JavaScript; docs/javascripts/dr-search.js
    reads `#dr-search-data` (where the index is, this page's words and links) and answers as the visitor types.
    """
    w = _Words(lang, url)
    index = build_index(tuple(v.search for v in model.companies))
    s = w.t["search"]
    sectors = sorted(((sector.value, str(w.t["sectors"][sector])) for sector, _ in model.indexes.by_sector),
                     key=lambda pair: fold(pair[1]))
    channels = sorted(((kind.value, str(w.t["channel_types"][kind])) for kind, _ in model.indexes.by_channel),
                      key=lambda pair: fold(pair[1]))
    data = {"index": w.link(f"{SEARCH_DIR}/"), "companies": w.link(f"{language_root(lang)}{COMPANY_DIR}/"),
            "sector_index": w.index("sectores"), "channel_index": w.index("canales"), "a_z": w.index("a-z"),
            "meta": index.meta, "words": s["browser"], "sectors": w.t["sectors"], "channels": w.t["channel_types"]}
    # The script comes with the form, so only pages with a search field load it.
    html = environment().get_template("search.html").render(s=s, a_z=w.index("a-z"), sectors=sectors, channels=channels,
                                                            data=script_json(data), script=w.link(SEARCH_SCRIPT))
    return html.strip()


def data_files(model: SiteModel) -> dict[str, str]:
    """The language-neutral files: the JSON API, the JSON Schema and the company search index (site-relative path → text)."""
    summary = [{"id": v.company.id, "name": v.company.name, "aliases": v.company.aliases, "sector": v.company.sector.value,
                "countries": v.company.countries, "url": f"{COMPANY_DIR}/{v.company.id}/",
                "api": f"{API_DIR}/companies/{v.company.id}.json",
                "channel_types": sorted(kind.value for kind in v.search.channel_types)} for v in model.companies]
    files = {f"{API_DIR}/companies.json": json.dumps({"count": len(summary), "companies": summary}, ensure_ascii=False, indent=1)}
    for v in model.companies:
        files[f"{API_DIR}/companies/{v.company.id}.json"] = json.dumps(v.company.model_dump(mode="json"), ensure_ascii=False, indent=1)
    files["schema/company.schema.json"] = schema.dumps(schema.company_schema())
    files["schema/companies.schema.json"] = schema.dumps(schema.companies_file_schema())
    files.update(build_index(tuple(v.search for v in model.companies)).files)
    return files
