"""Helpers to build a real site with MkDocs from fixture data (no stand-ins)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import ROOT

BUILT_EPOCH = "1795521600"  # 2026-11-24T12:00:00Z


def write_config(folder: Path, data: Path) -> Path:
    """An mkdocs.yml in `folder` using the project's docs and theme, with `data` as the companies."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / "docs")
    config["site_dir"] = str(folder / "site")
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "donde-reclamo" in plugin:
            plugin["donde-reclamo"]["data_files"] = [str(data)]
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def mkdocs_build(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILT_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
