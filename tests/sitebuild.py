"""Helpers to build a real site with MkDocs from fixture data (no stand-ins)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

from .conftest import ROOT

BUILT_EPOCH = "1795521600"  # 2026-11-24T12:00:00Z


def write_config(folder: Path, data: Path | list[Path], **overrides: object) -> Path:
    """An mkdocs.yml in `folder` using the project's docs and theme, with `data` as the companies."""
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))  # resolves !ENV as MkDocs does
    config["docs_dir"] = str(ROOT / "docs")
    config["site_dir"] = str(folder / "site")
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "donde-reclamo" in plugin:
            plugin["donde-reclamo"]["data_files"] = [str(p) for p in (data if isinstance(data, list) else [data])]
    config.update(overrides)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def mkdocs_build(config: Path, cwd: Path, epoch: str | None = BUILT_EPOCH) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict`; `epoch` pins the build instant (None: the real clock, for the real data)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def build_copy(folder: Path, data: list[Path], epoch: str | None = BUILT_EPOCH) -> Path:
    """Copy the data files into `folder`, build the site there and return its folder (the build must pass)."""
    copies = []
    for path in data:
        shutil.copy(path, folder / path.name)
        copies.append(folder / path.name)
    result = mkdocs_build(write_config(folder, copies), folder, epoch=epoch)
    assert result.returncode == 0, result.stderr
    return folder / "site"
