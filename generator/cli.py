"""Command line: `python -m generator validate|schema|...` (also the `donde-reclamo` script).

Exit codes: 0 success, 1 invalid data, 2 bad usage.  Data problems are
printed one per line; a traceback would mean a bug in this program.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from . import schema
from .errors import DataErrors
from .pipeline import build_instant, build_site, default_paths, load_companies
from .quality import format_report, quality_report
from .report import FORMATS, format_errors
from .writer import write_site

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Dónde Reclamo data tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("validate", help="check company data and report every problem")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="YAML files or folders (default: the project's companies.yaml)")
    check.add_argument("--format", choices=FORMATS, default="text", help="how to print problems (default: text)")
    check.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)

    quality = commands.add_parser("report", help="print the data-quality report (coverage, sources, stale facts)")
    quality.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="data files (default: companies.yaml)")
    quality.add_argument("--json", action="store_true", help="print JSON for machines")
    quality.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)

    render = commands.add_parser("render", help="write the generated pages and API files to a folder (no MkDocs)")
    render.add_argument("out", type=Path, metavar="OUT", help="folder to write into (created; existing files replaced)")
    render.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="data files (default: companies.yaml)")

    out = commands.add_parser("schema", help="write the JSON Schema generated from the models")
    out.add_argument("--out", type=Path, default=None, metavar="DIR",
                     help="folder for company.schema.json and companies.schema.json (default: print the entry schema)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on bad usage, 0 on --help
        return int(exit_.code or 0)
    if args.command == "validate":
        return _validate(args.paths or default_paths(Path.cwd()), args.format, args.today or date.today())
    if args.command == "report":
        return _report(args.paths or default_paths(Path.cwd()), args.json, args.today or date.today())
    if args.command == "render":
        return _render(args.out, args.paths or default_paths(Path.cwd()))
    if args.command == "schema":
        return _schema(args.out)
    raise AssertionError(args.command)  # pragma: no cover - argparse enforces the choices


def _report_missing(command: str, paths: list[Path]) -> bool:
    """Print a usage error for each path that does not exist; True if any was missing."""
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        print(f"python -m generator {command}: no such file or folder: {path}", file=sys.stderr)
    return bool(missing)


def _validate(paths: list[Path], fmt: str, today: date) -> int:
    if _report_missing("validate", paths):
        return EXIT_USAGE
    try:
        companies = load_companies(paths, today=today)
    except DataErrors as failure:
        print(format_errors(failure.errors, fmt), file=sys.stdout if fmt != "text" else sys.stderr)
        return EXIT_INVALID
    channels = sum(len(c.channels) for c in companies)
    if fmt == "json":
        print("[]")
    elif fmt == "text":
        print(f"{len(companies)} companies, {channels} channels: all valid")
    return EXIT_OK


def _report(paths: list[Path], as_json: bool, today: date) -> int:
    if _report_missing("report", paths):
        return EXIT_USAGE
    try:
        companies = load_companies(paths, today=today)
    except DataErrors as failure:
        print(format_errors(failure.errors, "text"), file=sys.stderr)
        return EXIT_INVALID
    report = quality_report(companies, today)
    print(json.dumps(report, ensure_ascii=False, indent=2) if as_json else format_report(report))
    return EXIT_OK


def _render(out: Path, paths: list[Path]) -> int:
    if _report_missing("render", paths):
        return EXIT_USAGE
    try:
        site = build_site(paths, built=build_instant(os.environ))
    except DataErrors as failure:
        print(format_errors(failure.errors, "text"), file=sys.stderr)
        return EXIT_INVALID
    count = write_site(site, out)
    print(f"wrote {count} files to {out} ({sum(len(p) for p in site.pages.values())} pages in {len(site.pages)} languages)")
    return EXIT_OK


def _schema(out: Path | None) -> int:
    if out is None:
        print(schema.dumps(schema.company_schema()), end="")
        return EXIT_OK
    out.mkdir(parents=True, exist_ok=True)
    (out / "company.schema.json").write_text(schema.dumps(schema.company_schema()), encoding="utf-8")
    (out / "companies.schema.json").write_text(schema.dumps(schema.companies_file_schema()), encoding="utf-8")
    print(f"wrote {out / 'company.schema.json'} and {out / 'companies.schema.json'}")
    return EXIT_OK
