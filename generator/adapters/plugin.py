"""MkDocs adapter: runs the pipeline and hands MkDocs the rendered pages as finished HTML.

The only module that knows MkDocs (and mkdocs-static-i18n, which builds each
language in its own pass).  Per pass, the pages of that pass's language are
added as generated files (after the i18n plugin has sorted the hand-written
ones, at their final language path) whose Markdown is empty:
`on_page_markdown` gives MkDocs their title and description and
`on_page_content` their finished HTML, so nothing is parsed as Markdown
twice.  Material's language switcher is pointed at each page's twin in
`on_page_context` (hand-written pages have twins too: a test enforces it).  Data errors stop the
build in `on_pre_build`, which MkDocs runs before it cleans `site_dir`, so a
failed build leaves the previous site exactly as it was.  Last, every HTML page
gets the hashes of its inline scripts in its Content-Security-Policy
(`on_post_page`, `on_post_template`), and the sitemap lists every page of every
language with its twins (`on_template_context`).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc

from generator.data.errors import DataErrors, format_errors
from generator.data.vocabulary import LANGUAGES
from generator.pipeline import build_instant, build_model
from generator.site.api_reference import field_reference
from generator.site.derive import SiteModel
from generator.site.i18n import messages
from generator.site.render import INDEX_PAGE_SIZE, Page, RenderOptions, data_files, escalation_bodies, language_files, render, search_form
from generator.site.search import NOT_SEARCHED, SEARCH_DIR, guide_sections
from generator.site.urls import DEFAULT_LANGUAGE, INDEX_NAMES, index_url, language_root, twin

log = get_plugin_logger(__name__)
ESCALATION_MARKER = re.compile(r"<!-- dr:escalation-bodies\b.*?-->", re.S)
API_FIELDS_MARKER = re.compile(r"<!-- dr:api-fields\b.*?-->", re.S)
SEARCH_MARKER = re.compile(r"<!-- dr:search\b.*?-->", re.S)
BODY_MARKER = "<!-- dr:generated-body, which brings its own <h1> -->"
"""Stands in a generated page's content until the finished page is written.  It names "<h1" because Material adds a
heading of its own to content without one (partials/content.html), and the body has its own."""
CSP_HASHES_MARKER = "'dr-inline-script-hashes'"
"""Stands in overrides/main.html's Content-Security-Policy where the page's inline-script hashes go."""
# A script element as the HTML parser sees it: it ends at the first </script, whatever the quotes inside.
SCRIPT_ELEMENT = re.compile(r"""<script\b(?P<attrs>(?:[^>"']|"[^"]*"|'[^']*')*)>(?P<body>.*?)</script[\s/>]""", re.S | re.I)
SCRIPT_ATTR = re.compile(r"""(?:^|\s)(?P<name>src|type)(?:\s*=\s*(?:"(?P<q>[^"]*)"|'(?P<s>[^']*)'|(?P<bare>[^\s"'>]+)))?""", re.I)
# type values the browser runs (the HTML standard's JavaScript MIME types, and modules); anything else is data.
JS_TYPES = frozenset({"", "module", "application/ecmascript", "application/javascript", "application/x-ecmascript",
                      "application/x-javascript", "text/ecmascript", "text/javascript", "text/javascript1.0",
                      "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
                      "text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript"})


class PluginConfig(Config):
    data_files = c.ListOfItems(c.Type(str), default=["companies.yaml"])
    """Data files or folders, relative to mkdocs.yml."""
    edit_base = c.Optional(c.Type(str))
    """Link prefix for "suggest a correction" (the data file and #Lline are appended); default: repo_url + /blob/main/."""
    index_page_size = c.Type(int, default=INDEX_PAGE_SIZE)
    """Most entries on one index page (longer indexes are split by letter, sector or channel, then paged)."""


def source_uri(url: str, lang: str) -> str:
    """The virtual source name of a generated page, the same in every language ("en/empresas/a/" → "empresas/a.md").

    So a hand-written page's link to `indices/a-z.md` reaches the index of its own language.
    """
    return f"{url.removeprefix(language_root(lang)).rstrip('/')}.md"


def inline_script_hashes(page_html: str) -> list[str]:
    """The CSP source of each inline script the browser would run ('sha256-…'), in page order, without repeats.

    Scripts with a `src` are covered by 'self'; JSON and other data blocks are never run.  The hash is over the
    text between the tags as the browser reads it: UTF-8, line ends normalised to LF.
    """
    found: list[str] = []
    for match in SCRIPT_ELEMENT.finditer(page_html):
        attrs = {m["name"].lower(): m["q"] if m["q"] is not None else m["s"] if m["s"] is not None else m["bare"] or ""
                 for m in SCRIPT_ATTR.finditer(match["attrs"])}
        if "src" in attrs or attrs.get("type", "").split(";")[0].strip().lower() not in JS_TYPES:
            continue
        text = match["body"].replace("\r\n", "\n").replace("\r", "\n")
        source = "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"
        if source not in found:
            found.append(source)
    return found


def with_script_hashes(page_html: str) -> str | None:
    """The page with its inline-script hashes in its Content-Security-Policy; None if the page has no policy to fill."""
    if CSP_HASHES_MARKER not in page_html:
        return None
    return page_html.replace(CSP_HASHES_MARKER, " ".join(inline_script_hashes(page_html)), 1)


def sitemap_entries(site_url: str, urls: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Every page of every language (site-relative directory URLs) as {loc, alternates: {lang: url}}, for sitemap.xml."""
    known = {lang: set(found) for lang, found in urls.items()}
    return [{"loc": site_url + url, "alternates": {other: site_url + twin(url, other) for other in LANGUAGES
                                                   if twin(url, other) in known.get(other, ())}}
            for lang in LANGUAGES for url in sorted(known.get(lang, ()))]


class MadeOnWrite(File):
    """A generated file whose text is made when MkDocs writes it, then let go (`texts.TextsOnRead`).

    MkDocs keeps every file it was given until the build ends: with the text inside, the open data of 10,000
    companies would stay in memory (hundreds of MB at scale; benchmarks/README.md) for the whole build.
    """

    make: Callable[[], str]

    @classmethod
    def of(cls, config: MkDocsConfig, path: str, make: Callable[[], str]) -> MadeOnWrite:
        file = cls.generated(config, path, content="")
        assert isinstance(file, MadeOnWrite)
        file.make = make
        return file

    @property
    def content_string(self) -> str:
        return self.make()

    @content_string.setter
    def content_string(self, value: str) -> None:
        raise AttributeError("a made-on-write file's text is made when it is written, never set")

    @property
    def content_bytes(self) -> bytes:
        return self.make().encode("utf-8")

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        raise AttributeError("a made-on-write file's text is made when it is written, never set")

    def copy_file(self, dirty: bool = False) -> None:
        os.makedirs(os.path.dirname(self.abs_dest_path), exist_ok=True)
        with open(self.abs_dest_path, "w", encoding="utf-8") as output:
            output.write(self.make())


class GeneratedPage(MkDocsPage):
    """A page the pipeline renders: MkDocs has no Markdown to read or convert (it would still make a Markdown
    converter with every extension for each page, a few seconds at 20,000 pages).  Its content is `BODY_MARKER`
    until the finished page is written (`on_post_page`).  MkDocs lets plugins set `File.page` themselves."""

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = BODY_MARKER
        self.toc = get_toc([])
        self.present_anchor_ids = set()


def nav_paths(nav: Any) -> set[str]:
    """The source paths the `nav` setting names (pages there get MkDocs' own page, with the nav's title)."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return {path for value in nav.values() for path in nav_paths(value)}
    if isinstance(nav, list):
        return {path for item in nav for path in nav_paths(item)}
    return set()


class DondeReclamoPlugin(BasePlugin[PluginConfig]):
    def __init__(self) -> None:
        self.paths: list[Path] = []
        self.repo: Path | None = None
        self.model: SiteModel | None = None
        self.rendered: set[str] = set()  # languages already rendered from `model` in this build
        self.lang = DEFAULT_LANGUAGE
        self.pages: dict[str, Page] = {}  # source uri → page, for this pass
        self.not_found_default: str | None = None  # the default language's 404 page, kept at the site root
        self.language_files: dict[str, str] = {}  # this pass's language files (its Atom feed)
        self.page_urls: dict[str, list[str]] = {}  # language → every page of its pass, for the sitemap
        self.guides: list[list[str]] = []  # this pass's hand-written pages by section, for the header search

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        self.paths = [root / p for p in self.config.data_files]
        self.repo = root  # the data's git history, when there is one, gives "last changed" and the feed
        if not config.use_directory_urls:
            raise PluginError("donde-reclamo: pages link to each other as directories; set use_directory_urls: true")
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        language = str(config.theme.get("language") or DEFAULT_LANGUAGE)
        self.lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
        # A language seen again means a new build (mkdocs serve): load and derive afresh.
        if self.model is None or self.lang in self.rendered:
            try:
                self.model = build_model(self.paths, built=build_instant(os.environ), repo=self.repo)
            except DataErrors as failure:
                raise PluginError("invalid company data, nothing was built:\n" + format_errors(failure.errors, "text")) from None
            self.rendered = set()
        self.rendered.add(self.lang)
        self.guides = []
        edit_base = self.config.edit_base
        if edit_base is None and config.repo_url:
            edit_base = config.repo_url.rstrip("/") + "/blob/main/"
        options = RenderOptions(edit_base=edit_base, site_url=config.site_url or "", index_page_size=self.config.index_page_size)
        pages = render(self.model, self.lang, options)
        self.language_files = language_files(self.model, self.lang, options)
        self.pages = {source_uri(page.url, self.lang): page for page in pages}
        strings = messages(self.lang)
        # The 404 page is served at any address: its links start from the site's path.
        site_path = urlsplit(config.site_url or "/").path or "/"
        roots = {index_url(name, self.lang) for name in INDEX_NAMES}
        config.extra["dr"] = {"not_found": strings["not_found"], "lang": self.lang, "home": language_root(self.lang),
                              "indexes": [{"title": p.title, "url": p.url} for p in pages if p.url in roots],
                              "search": search_form(self.model, self.lang, "404.html", base=site_path,
                                                    index_page_size=self.config.index_page_size)}
        log.info("%d pages generated in '%s'", len(pages), self.lang)

    @event_priority(-110)  # after mkdocs-static-i18n (-100) has picked this language's hand-written pages
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.model is not None
        in_nav = nav_paths(config.nav)
        for uri, page in self.pages.items():
            file = File.generated(config, uri, content="")
            file.dest_uri = f"{page.url}index.html"  # under /en/ in the English pass
            files.append(file)
            if uri not in in_nav:
                GeneratedPage(None, file, config)
        for path, text in self.language_files.items():
            file = File.generated(config, path.removeprefix(language_root(self.lang)), content=text)
            file.dest_uri = path
            files.append(file)
        if self.lang == DEFAULT_LANGUAGE:
            for path, make in data_files(self.model, site_url=config.site_url).makers():
                files.append(MadeOnWrite.of(config, path, make))
        # mkdocs-static-i18n's sitemap knew only the hand-written pages; ours (overrides/sitemap.xml) lists these.
        self.page_urls[self.lang] = ["" if f.url == "./" else f.url for f in files.documentation_pages()]
        return files

    def on_template_context(self, context: Any, /, *, template_name: str, config: MkDocsConfig) -> Any:
        if template_name == "sitemap.xml":
            context["dr_sitemap"] = sitemap_entries(config.site_url or "", self.page_urls)
        if template_name == "404.html":
            # The 404 page is no page of the nav: its language switcher would keep the last page's twins. Point it
            # at the 404 page of each language (the theme makes the links start from the site's path).
            self._point_switcher(config, "404.html")
        return context

    @staticmethod
    def _point_switcher(config: MkDocsConfig, url: str) -> None:
        alternates = getattr(config.extra, "alternate", None) or config.extra.get("alternate")
        if isinstance(alternates, list):
            pointed = [{**alt, "link": twin(url, str(alt.get("lang")))} for alt in alternates]
            config.extra["alternate"] = pointed
            object.__setattr__(config.extra, "alternate", pointed)

    def on_page_markdown(self, markdown: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            # A hand-written page may ask for the escalation catalogue (the guide on escalating), the
            # open-data field reference (the open-data page) or the company search field (the home page).
            assert self.model is not None
            model = self.model
            markdown = SEARCH_MARKER.sub(lambda _: "\n" + search_form(model, self.lang, page.url, index_page_size=self.config.index_page_size) + "\n", markdown)
            markdown = ESCALATION_MARKER.sub(lambda _: "\n" + escalation_bodies(self.lang) + "\n", markdown)
            return API_FIELDS_MARKER.sub(lambda _: f"\n{NOT_SEARCHED[0]}\n\n{field_reference(self.lang)}\n\n{NOT_SEARCHED[1]}\n",
                                         markdown)
        # The theme prints these without escaping: escape them here, once.  Generated pages stay out of
        # Material's full-text index (it would grow to tens of MB): company search has its own (generator/site/search.py).
        page.meta.update(title=html.escape(generated.title), description=html.escape(generated.description),
                         search={"exclude": True})
        return ""

    def on_page_content(self, content: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        # MkDocs keeps every page's content until the last page is written: a generated page's stays a marker,
        # and its body is rendered into the finished page (on_post_page), so the build holds one body at a time.
        if page.file.src_uri in self.pages:
            return BODY_MARKER
        # Hand-written pages are what the header search finds besides companies, in their own language.
        self.guides.extend(guide_sections(html.unescape(page.title or ""), page.url, content))
        return content

    def on_post_build(self, config: MkDocsConfig) -> None:
        # Each language pass writes its own guides index (search/companies/guides-<lang>.json).
        target = Path(config.site_dir) / SEARCH_DIR / f"guides-{self.lang}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(self.guides, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        self.guides = []

    @event_priority(-110)  # after mkdocs-static-i18n, which points the switcher at language home pages
    def on_page_context(self, context: Any, /, *, page: MkDocsPage, config: MkDocsConfig, nav: Any) -> Any:
        # Material's language switcher: the same page in each language (its twin: the URL with /en/ added or
        # removed), as a site-relative link that the theme makes relative to the page.
        # (mkdocs-static-i18n sets it as an attribute of `extra`, which the theme reads before the mapping.)
        self._point_switcher(config, page.url)
        return context

    @event_priority(-120)  # last: nothing may change a page's scripts after they were hashed
    def on_post_page(self, output: str, /, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is not None:
            before, marker, after = output.partition(BODY_MARKER)
            if not marker:
                raise PluginError(f"donde-reclamo: the theme did not print the content of {page.file.src_uri}")
            output = before + generated.body + after
        return self._hashed(output, page.file.src_uri)

    def _hashed(self, output: str, name: str) -> str:
        filled = with_script_hashes(output)
        if filled is None:
            # The theme override that carries the policy was lost (a theme upgrade?): fail a --strict build.
            log.warning("%s has no Content-Security-Policy to fill (overrides/main.html not used?)", name)
            return output
        return filled

    @event_priority(-120)
    def on_post_template(self, output: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        # Each language pass renders the theme's 404 page at the site root; keep the default language's
        # there and put the others under their own folder (/en/404.html).
        if template_name != "404.html":
            return output
        output = self._hashed(output, template_name)
        if self.lang == DEFAULT_LANGUAGE or self.not_found_default is None:
            self.not_found_default = output
            return output
        target = Path(config.site_dir) / language_root(self.lang) / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, encoding="utf-8")
        return self.not_found_default

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for path in self.paths:
            server.watch(str(path))
        return server
