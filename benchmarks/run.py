#!/usr/bin/env python3
"""Scale benchmark (issue 16): the project's build against bare Material, in one run.

  benchmarks/run.py N [N ...]      e.g. benchmarks/run.py 1000 10000   (make benchmark)
  benchmarks/run.py 1000 --smoke   the CI smoke run: N = 1,000, no stress files, exit 0 unless something broke

For each N it generates N realistic synthetic companies (benchmarks/synthetic.py),
times `python -m generator validate` on them (one file and one-file-per-company
folder), then builds in fresh subprocesses (a) the project's site with the
project's mkdocs.yml (data path swapped, in a temp folder, `mkdocs build
--strict`) and (b) a bare mkdocs-material site with as many plain ~3 KB Markdown
pages as the project built company pages in all languages, out of the nav, same
theme settings.  It prints wall time, peak RSS, site size and bytes per company
page for both, the ratios and the issue's targets.  Company search is measured
in headless Chromium when the home page has it (benchmarks/search.py).

Targets are printed, never asserted: this is a benchmark, not a timed test.  The
exit code is 1 only when something failed (invalid data, a failed build, no
company pages), so CI can run the smoke size.  The machine's other work shows up
in the figures: the load average at the start is printed with them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import stress, synthetic
from benchmarks.measure import Run, measure

ROOT = Path(__file__).resolve().parent.parent
BUILT_EPOCH = "1795521600"  # 2026-11-24T12:00:00Z: after every synthetic `checked` date
TARGETS = {"build": 1.3, "rss": 1.5, "page_kb": 40.0, "validate_s": 5.0}
COMPANY_DIRS = frozenset({"empresas", "companies"})  # Spanish URLs; English ones if they get translated


@dataclass
class Build:
    run: Run
    site_bytes: int = 0
    pages: list[int] = field(default_factory=list)  # bytes of each company page (project) or plain page (bare)


def _mkdocs_env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": BUILT_EPOCH, "NO_MKDOCS_2_WARNING": "1"}


class _KeepTags(yaml.SafeLoader):
    """Reads mkdocs.yml even if it uses tags such as !!python/name: (kept as they are, never run)."""


class _Tagged:
    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    value: Any = (loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else  # type: ignore[arg-type]
                  loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else  # type: ignore[arg-type]
                  loader.construct_mapping(node))  # type: ignore[arg-type]
    return _Tagged(node.tag, value)


_KeepTags.add_multi_constructor("!", _construct_tagged)  # type: ignore[no-untyped-call]
_KeepTags.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)  # type: ignore[no-untyped-call]


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


yaml.SafeDumper.add_representer(_Tagged, _represent_tagged)


def project_config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_KeepTags)
    return config


def _absolute(path: str) -> str:
    return str((ROOT / path).resolve())


def write_project_config(folder: Path, data: Path) -> Path:
    """The project's mkdocs.yml with `data` as the companies, building into folder/site."""
    config = project_config()
    config["docs_dir"] = _absolute(config.get("docs_dir", "docs"))
    config["site_dir"] = str(folder / "site")
    theme = config.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        theme["custom_dir"] = _absolute(theme["custom_dir"])
    if isinstance(config.get("hooks"), list):
        config["hooks"] = [_absolute(h) for h in config["hooks"]]
    swapped = False
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "donde-reclamo" in plugin:
            options = plugin["donde-reclamo"] or {}
            options["data_files"] = [str(data)]
            plugin["donde-reclamo"] = options
            swapped = True
    if not swapped:
        raise SystemExit("mkdocs.yml has no donde-reclamo plugin entry to point at the synthetic data")
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


_FILLER = """\
Texto de relleno para llegar a unos tres kilobytes por página: las fichas reales
tienen horarios, plazos, fuentes y fechas de comprobación; esta solo tiene prosa.
Se repite un párrafo para alcanzar el tamaño deseado sin añadir estructura nueva.
"""
# A plain ~3 KB page: prose, headings and lists, then the filler paragraph four times.
PLAIN_PAGE = """\
# {title}

Esta página de prueba tiene texto corriente en Markdown, del tamaño de una ficha
sencilla, para medir lo que cuesta a MkDocs y Material construir muchas páginas.

## Cómo contactar

- Teléfono de atención al cliente, de lunes a viernes por la mañana.
- Correo electrónico para consultas y reclamaciones por escrito.
- Formulario web con acuse de recibo y número de incidencia.

## Cuándo responden

La empresa dice que contesta en pocos días laborables. Si no hay respuesta en el
plazo legal, puedes acudir a la junta arbitral de consumo o al organismo del sector.

## Dónde reclamar

Guarda siempre una copia de lo que envías y el número de referencia que te den.
Con esa referencia, la reclamación avanza más rápido en cada paso del proceso.

## Notas

""" + "\n".join([_FILLER] * 4)


def write_bare_site(folder: Path, pages: int) -> Path:
    """A bare Material site: the project's theme settings, search, `pages` plain pages kept out of the nav."""
    docs = folder / "docs"
    (docs / "p").mkdir(parents=True)
    (docs / "index.md").write_text("# Inicio\n\nSitio de comparación del benchmark.\n", encoding="utf-8")
    for number in range(pages):
        (docs / "p" / f"{number:06d}.md").write_text(PLAIN_PAGE.format(title=f"Página {number}"), encoding="utf-8")
    project = project_config()
    theme = dict(project.get("theme") or {"name": "material"})
    theme.pop("custom_dir", None)  # bare Material: none of the project's template overrides
    search = [p for p in project.get("plugins", []) if p == "search" or (isinstance(p, dict) and "search" in p)]
    config = {"site_name": "Bare Material", "docs_dir": str(docs), "site_dir": str(folder / "site"), "theme": theme,
              "plugins": search or ["search"], "markdown_extensions": project.get("markdown_extensions", []),
              "nav": [{"Inicio": "index.md"}], "not_in_nav": "/p/\n"}
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def company_pages(site: Path, ids: set[str]) -> list[Path]:
    """Every language's HTML page of a synthetic company: empresas/<id>/index.html, en/empresas/<id>/index.html, ..."""
    return [p for p in site.rglob("index.html")
            if p.parent.parent.name in COMPANY_DIRS and p.parent.name in ids]


def build_project(folder: Path, data: Path, ids: set[str], timeout: float) -> Build:
    return _build(folder, write_project_config(folder, data), lambda site: company_pages(site, ids), timeout)


def build_bare(folder: Path, pages: int, timeout: float) -> Build:
    return _build(folder, write_bare_site(folder, pages), lambda site: list((site / "p").rglob("index.html")), timeout)


def _build(folder: Path, config: Path, pages: Callable[[Path], list[Path]], timeout: float) -> Build:
    """`mkdocs build --strict` of `config` in a fresh process, timed; `pages` finds the pages to size in the site."""
    _settle()
    run = measure([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)], folder, _mkdocs_env(), timeout=timeout)
    build = Build(run)
    if run.code == 0:
        build.site_bytes = site_bytes(folder / "site")
        build.pages = [page.stat().st_size for page in pages(folder / "site")]
    return build


VALIDATE_RUNS = 3


def validate(path: Path, cwd: Path, runs: int = VALIDATE_RUNS) -> list[Run]:
    """`generator validate` timed `runs` times, each after the files written so far reach the disk (a few seconds
    each, so one run is at the mercy of whatever else the machine does: the median is reported)."""
    timed = []
    for _ in range(runs):
        _settle()
        timed.append(measure([sys.executable, "-m", "generator", "validate", str(path)], cwd))
    return timed


def _settle() -> None:
    """Flush what this benchmark wrote (data, the other site) to disk, so its write-back does not slow the next step."""
    if hasattr(os, "sync"):
        os.sync()


# --- printing ----------------------------------------------------------------

def _mb(value: float) -> str:
    return f"{value / 1024:.2f} GB" if value >= 1024 else f"{value:.0f} MB"


def _kb(value: float) -> str:
    return f"{value / 1024:.1f} KB"


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def _row(cells: list[str]) -> str:
    widths = [28, 14, 14, 9, 10, 6]
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def _tail(output: str, lines: int = 15) -> str:
    return "\n".join("    " + line for line in output.strip().splitlines()[-lines:])


def report(count: int, channels: int, checks: dict[str, list[Run]], project: Build, bare: Build | None) -> list[str]:
    """The table for one N; returns the problems (failed steps), if any."""
    problems: list[str] = []
    print(f"\nN = {count:,} companies ({channels:,} channels)")
    print(_row(["measure", "project", "bare Material", "ratio", "target", ""]))
    for label, runs in checks.items():
        check = sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]  # the median run
        ok = all(run.code == 0 for run in runs)
        if not ok:
            problems.append(f"{label} exited {', '.join(str(run.code) for run in runs)}")
        print(_row([label, f"{check.seconds:.2f} s", "", "", f"≤ {TARGETS['validate_s']:.0f} s",
                    _verdict(check.seconds <= TARGETS["validate_s"]) if ok else "FAILED"]))
        every = " / ".join(f"{run.seconds:.2f}" for run in runs)
        print(_row([f"  median of {len(runs)} runs", f"({every} s)", "", "", "", ""]))
        print(_row(["  CPU time, peak RSS", f"{check.cpu:.2f} s, {_mb(check.peak_mb)}", "", "", "", ""]))
    if project.run.code != 0:
        problems.append("the project's build failed")
        print(f"project build FAILED (exit {project.run.code}) after {project.run.seconds:.1f} s:\n{_tail(project.run.output)}")
        return problems
    pages = len(project.pages)
    if not pages:
        problems.append("the project's build produced no company pages")
    if bare is None or bare.run.code != 0:
        problems.append("the bare Material build failed")
        if bare is not None:
            print(f"bare build FAILED (exit {bare.run.code}):\n{_tail(bare.run.output)}")
        return problems
    time_ratio = project.run.seconds / bare.run.seconds
    rss_ratio = project.run.peak_mb / bare.run.peak_mb
    cpu_ratio = project.run.cpu / bare.run.cpu
    print(_row(["company pages (all langs)", f"{pages:,}", f"{len(bare.pages):,}", "", "", ""]))
    print(_row(["build wall time", f"{project.run.seconds:.1f} s", f"{bare.run.seconds:.1f} s", f"{time_ratio:.2f}×",
                f"≤ {TARGETS['build']}×", _verdict(time_ratio <= TARGETS["build"])]))
    print(_row(["build CPU time (user+sys)", f"{project.run.cpu:.1f} s", f"{bare.run.cpu:.1f} s", f"{cpu_ratio:.2f}×",
                "", ""]))
    print(_row(["build peak RSS", _mb(project.run.peak_mb), _mb(bare.run.peak_mb), f"{rss_ratio:.2f}×",
                f"≤ {TARGETS['rss']}×", _verdict(rss_ratio <= TARGETS["rss"])]))
    print(_row(["site size", _mb(project.site_bytes / 1048576), _mb(bare.site_bytes / 1048576),
                f"{project.site_bytes / bare.site_bytes:.2f}×", "", ""]))
    if pages:
        median, largest = statistics.median(project.pages), max(project.pages)
        print(_row(["company page HTML median", _kb(median), _kb(statistics.median(bare.pages)), "",
                    f"≤ {TARGETS['page_kb']:.0f} KB", _verdict(median <= TARGETS["page_kb"] * 1024)]))
        print(_row(["company page HTML max", _kb(largest), _kb(max(bare.pages)), "",
                    f"≤ {TARGETS['page_kb']:.0f} KB", _verdict(largest <= TARGETS["page_kb"] * 1024)]))
    return problems


# --- main --------------------------------------------------------------------

def run_size(count: int, work: Path, *, search_queries: int, timeout: float) -> list[str]:
    entries = list(synthetic.companies(count))
    ids = {e["id"] for e in entries}
    channels = sum(len(e["channels"]) for e in entries)
    data = synthetic.write_file(entries, work / "companies.yaml")
    folder = synthetic.write_folder(entries, work / "companies")
    print(f"\n[{count:,}] data: {data.stat().st_size / 1048576:.1f} MB in one file; the same as {count:,} files in companies/",
          flush=True)
    checks = {"validate, one file": validate(data, work), "validate, companies/ folder": validate(folder, work)}
    print(f"[{count:,}] building the project's site...", flush=True)
    (work / "project").mkdir()
    project = build_project(work / "project", data, ids, timeout)
    bare = None
    if project.run.code == 0 and project.pages:
        print(f"[{count:,}] building bare Material with {len(project.pages):,} plain pages...", flush=True)
        (work / "bare").mkdir()
        bare = build_bare(work / "bare", len(project.pages), timeout)
    problems = report(count, channels, checks, project, bare)
    if project.run.code == 0:
        from benchmarks import search  # Playwright is imported only when there is a site to search

        problems += search.report(work / "project" / "site", entries, queries=search_queries)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000], metavar="N",
                        help="numbers of companies (default: 1000 10000)")
    parser.add_argument("--smoke", action="store_true", help="CI smoke run: skip the stress files (use with N = 1000)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR", help="keep data and sites in DIR")
    parser.add_argument("--timeout", type=float, default=1800, metavar="S",
                        help="stop a build that runs longer than S seconds and report it (default: 1800)")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    print(f"Benchmark on {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"(other work on the machine slows both builds)", flush=True)
    problems: list[str] = []
    if not args.smoke:
        problems += stress.run_all()
    for count in args.sizes:
        if args.keep:
            work = args.keep / f"n{count}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            problems += run_size(count, work, search_queries=20, timeout=args.timeout)
        else:
            with tempfile.TemporaryDirectory(prefix=f"dr-bench-{count}-") as tmp:
                problems += run_size(count, Path(tmp), search_queries=20, timeout=args.timeout)
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
