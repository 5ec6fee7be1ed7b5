"""MkDocs adapter: runs the pipeline and adds the rendered pages as generated files.

The only module that knows MkDocs.  Data errors stop the build in
`on_pre_build`, which MkDocs runs before it cleans `site_dir`, so a failed
build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .errors import DataErrors
from .pipeline import build_instant, build_site
from .render import RenderedSite
from .report import format_errors

log = get_plugin_logger(__name__)


class PluginConfig(Config):  # type: ignore[no-untyped-call]
    data_files = c.ListOfItems(c.Type(str), default=["companies.yaml"])
    """Data files or folders, relative to mkdocs.yml."""
    edit_base = c.Optional(c.Type(str))
    """Link prefix for "suggest a correction" (the data file and #Lline are appended); default: repo_url + /blob/main/."""


class DondeReclamoPlugin(BasePlugin[PluginConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.site: RenderedSite | None = None
        self.paths: list[Path] = []

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        self.paths = [root / p for p in self.config.data_files]
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        edit_base = self.config.edit_base
        if edit_base is None and config.repo_url:
            edit_base = config.repo_url.rstrip("/") + "/blob/main/"
        try:
            self.site = build_site(self.paths, built=build_instant(os.environ), edit_base=edit_base)
        except DataErrors as failure:
            raise PluginError("invalid company data, nothing was built:\n" + format_errors(failure.errors, "text")) from None
        log.info("%d company pages generated", sum(1 for p in self.site.pages if p.startswith("empresas/")))

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.site is not None
        for path, text in {**self.site.pages, **self.site.files}.items():
            files.append(File.generated(config, path, content=text))
        return files

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for path in self.paths:
            server.watch(str(path))
        return server
