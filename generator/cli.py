"""Command line: `python -m generator validate|schema|...` (also the `donde-reclamo` script).

Exit codes: 0 success, 1 invalid data, 2 bad usage.  Data problems are
printed one per line; a traceback would mean a bug in this program.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from . import schema
from .errors import DataErrors
from .pipeline import default_paths, load_companies
from .report import FORMATS, format_errors

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Dónde Reclamo data tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("validate", help="check company data and report every problem")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="YAML files or folders (default: the project's companies.yaml)")
    check.add_argument("--format", choices=FORMATS, default="text", help="how to print problems (default: text)")
    check.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)

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
    if args.command == "schema":
        return _schema(args.out)
    raise AssertionError(args.command)  # pragma: no cover - argparse enforces the choices


def _validate(paths: list[Path], fmt: str, today: date) -> int:
    missing = [p for p in paths if not p.exists()]
    if missing:
        for path in missing:
            print(f"python -m generator validate: no such file or folder: {path}", file=sys.stderr)
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


def _schema(out: Path | None) -> int:
    if out is None:
        print(schema.dumps(schema.company_schema()), end="")
        return EXIT_OK
    out.mkdir(parents=True, exist_ok=True)
    (out / "company.schema.json").write_text(schema.dumps(schema.company_schema()), encoding="utf-8")
    (out / "companies.schema.json").write_text(schema.dumps(schema.companies_file_schema()), encoding="utf-8")
    print(f"wrote {out / 'company.schema.json'} and {out / 'companies.schema.json'}")
    return EXIT_OK
