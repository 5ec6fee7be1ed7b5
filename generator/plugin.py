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
failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from .catalog import LANGUAGES
from .derive import SiteModel
from .errors import DataErrors
from .pipeline import build_instant, build_model
from .render import Page, RenderOptions, data_files, escalation_bodies, language_files, render
from .report import format_errors
from .strings import catalogue
from .urls import DEFAULT_LANGUAGE, INDEX_DIR, language_root, twin

log = get_plugin_logger(__name__)
ESCALATION_MARKER = re.compile(r"<!-- dr:escalation-bodies\b.*?-->", re.S)


class PluginConfig(Config):  # type: ignore[no-untyped-call]
    data_files = c.ListOfItems(c.Type(str), default=["companies.yaml"])
    """Data files or folders, relative to mkdocs.yml."""
    edit_base = c.Optional(c.Type(str))
    """Link prefix for "suggest a correction" (the data file and #Lline are appended); default: repo_url + /blob/main/."""


def source_uri(url: str, lang: str) -> str:
    """The virtual source name of a generated page, the same in every language ("en/empresas/a/" → "empresas/a.md").

    So a hand-written page's link to `indices/a-z.md` reaches the index of its own language.
    """
    return f"{url.removeprefix(language_root(lang)).rstrip('/')}.md"


class DondeReclamoPlugin(BasePlugin[PluginConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.paths: list[Path] = []
        self.repo: Path | None = None
        self.model: SiteModel | None = None
        self.rendered: set[str] = set()  # languages already rendered from `model` in this build
        self.lang = DEFAULT_LANGUAGE
        self.pages: dict[str, Page] = {}  # source uri → page, for this pass
        self.not_found_default: str | None = None
        self.language_files: dict[str, str] = {}  # the default language's 404 page, kept at the site root

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
        edit_base = self.config.edit_base
        if edit_base is None and config.repo_url:
            edit_base = config.repo_url.rstrip("/") + "/blob/main/"
        options = RenderOptions(edit_base=edit_base, site_url=config.site_url or "")
        pages = render(self.model, self.lang, options)
        self.language_files = language_files(self.model, self.lang, options)
        self.pages = {source_uri(page.url, self.lang): page for page in pages}
        strings = catalogue(self.lang)
        config.extra["dr"] = {"not_found": strings["not_found"], "lang": self.lang, "home": language_root(self.lang),
                              "indexes": [{"title": p.title, "url": p.url} for p in pages if p.url.startswith(f"{language_root(self.lang)}{INDEX_DIR}/")]}
        log.info("%d pages generated in '%s'", len(pages), self.lang)

    @event_priority(-110)  # after mkdocs-static-i18n (-100) has picked this language's hand-written pages
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.model is not None
        for uri, page in self.pages.items():
            file = File.generated(config, uri, content="")
            file.dest_uri = f"{page.url}index.html"  # under /en/ in the English pass
            files.append(file)
        for path, text in self.language_files.items():
            file = File.generated(config, path.removeprefix(language_root(self.lang)), content=text)
            file.dest_uri = path
            files.append(file)
        if self.lang == DEFAULT_LANGUAGE:
            for path, text in data_files(self.model).items():
                files.append(File.generated(config, path, content=text))
        return files

    def on_page_markdown(self, markdown: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            # A hand-written page may ask for the escalation catalogue (the guide on escalating).
            return ESCALATION_MARKER.sub(lambda _: "\n" + escalation_bodies(self.lang) + "\n", markdown)
        # The theme prints these without escaping: escape them here, once.
        page.meta.update(title=html.escape(generated.title), description=html.escape(generated.description),
                         search={"boost": 2})
        return ""

    def on_page_content(self, content: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        return content if generated is None else generated.body

    @event_priority(-110)  # after mkdocs-static-i18n, which points the switcher at language home pages
    def on_page_context(self, context: Any, /, *, page: MkDocsPage, config: MkDocsConfig, nav: Any) -> Any:
        # Material's language switcher: the same page in each language (its twin: the URL with /en/ added or
        # removed), as a site-relative link that the theme makes relative to the page.
        # (mkdocs-static-i18n sets it as an attribute of `extra`, which the theme reads before the mapping.)
        alternates = getattr(config.extra, "alternate", None) or config.extra.get("alternate")
        if isinstance(alternates, list):
            pointed = [{**alt, "link": twin(page.url, str(alt.get("lang")))} for alt in alternates]
            config.extra["alternate"] = pointed
            object.__setattr__(config.extra, "alternate", pointed)
        return context

    def on_post_template(self, output: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        # Each language pass renders the theme's 404 page at the site root; keep the default language's
        # there and put the others under their own folder (/en/404.html).
        if template_name != "404.html":
            return output
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
