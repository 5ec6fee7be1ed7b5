"""Command line: `python -m generator validate|schema|...` (also the `donde-reclamo` script).

Exit codes: 0 success, 1 invalid data, 2 bad usage.  Data problems are
printed one per line; a traceback would mean a bug in this program.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from generator.data import revisions, stable
from generator.data._parallel import check
from generator.data.errors import FORMATS, DataErrors, format_errors, format_warnings
from generator.data.loader import default_paths
from generator.data.revisions import RevisionError
from generator.data.validate import Checked
from generator.tools import scaffold
from generator.tools.sources import command as sources

if TYPE_CHECKING:
    from generator.data.models import Company, Retired

# The other commands import what only they use (the pipeline, Jinja, the quality report): `validate` runs in
# every pull request and in editors, and starts faster without them.

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Dónde Reclamo data tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("validate", help="check company data and report every problem")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="YAML files or folders (default: the project's companies.yaml)")
    check.add_argument("--format", choices=FORMATS, default="text", help="how to print problems (default: text)")
    check.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)
    check.add_argument("--previous", default=None, metavar="REV",
                       help="an earlier version (git revision or path): refuse ids dropped without renamed_from or retired.yaml")

    quality = commands.add_parser("report", help="print the data-quality report (coverage, sources, stale facts)")
    quality.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="data files (default: companies.yaml)")
    quality.add_argument("--json", action="store_true", help="print JSON for machines")
    quality.add_argument("--leads", type=Path, default=None, metavar="FILE",
                         help="unconfirmed leads to list under 'To research' (default: research/leads.yaml, if it exists)")
    quality.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)

    render = commands.add_parser("render", help="write the generated pages and API files to a folder (no MkDocs)")
    render.add_argument("out", type=Path, metavar="OUT", help="folder to write into (created; existing files replaced)")
    render.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="data files (default: companies.yaml)")

    diff = commands.add_parser("review", help="summarise the data changes between two versions, flagging risky ones (Markdown)")
    diff.add_argument("base", metavar="BASE", help="the earlier version: a git revision (e.g. origin/main) or a file/folder")
    diff.add_argument("head", metavar="HEAD", help="the later version: a git revision (e.g. HEAD) or a file/folder")
    diff.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)

    new = commands.add_parser("new", help="add a valid, commented company entry (asks for what is missing)")
    for key, prompt, _default in scaffold.QUESTIONS:
        new.add_argument("--" + key.replace("_", "-"), dest=key, default=None, metavar=key.split("_")[-1].upper(), help=prompt)
    new.add_argument("--file", type=Path, default=None, metavar="PATH",
                     help="a folder to write <id>.yaml in, or a list file to insert into in id order "
                          "(default: companies/ if it exists, else companies.yaml)")
    new.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)

    out = commands.add_parser("schema", help="write the JSON Schema generated from the models")
    out.add_argument("--out", type=Path, default=None, metavar="DIR",
                     help="folder for company.schema.json and companies.schema.json (default: print the entry schema)")

    sources.add_parser(commands)  # `sources check`: maintainers, with network access (generator/tools/sources/)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on bad usage, 0 on --help
        return int(exit_.code or 0)
    if args.command == "validate":
        return _validate(args.paths or default_paths(Path.cwd()), args.format, args.today or date.today(), args.previous)
    if args.command == "report":
        return _report(args.paths or default_paths(Path.cwd()), args.json, args.today or date.today(), args.leads)
    if args.command == "render":
        return _render(args.out, args.paths or default_paths(Path.cwd()))
    if args.command == "schema":
        return _schema(args.out)
    if args.command == "new":
        return _new(args)
    if args.command == "review":
        return _review(args.base, args.head, args.today or date.today())
    if args.command == "sources":
        return sources.run(args)
    raise AssertionError(args.command)  # pragma: no cover - argparse enforces the choices


def _report_missing(command: str, paths: list[Path]) -> bool:
    """Print a usage error for each path that does not exist; True if any was missing."""
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        print(f"python -m generator {command}: no such file or folder: {path}", file=sys.stderr)
    return bool(missing)


def _validate(paths: list[Path], fmt: str, today: date, previous: str | None = None) -> int:
    if _report_missing("validate", paths):
        return EXIT_USAGE
    try:
        companies = check(paths, today=today)  # the reading and checking shared between the cores for large data
        _check_stable(paths, companies, previous)
    except RevisionError as problem:
        print(f"python -m generator validate --previous: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except DataErrors as failure:
        print(format_errors(failure.errors, fmt), file=sys.stdout if fmt != "text" else sys.stderr)
        return EXIT_INVALID
    channels = sum(c.channels for c in companies)
    warnings = [w for c in companies for w in c.warnings]
    if warnings and fmt != "json":  # JSON lists problems only; warnings never change the exit status
        print(format_warnings(warnings, fmt), file=sys.stdout if fmt == "github" else sys.stderr)
    if fmt == "json":
        print("[]")
    elif fmt == "text":
        said = f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''} above)" if warnings else ""
        print(f"{len(companies)} companies, {channels} channels: all valid{said}")
    return EXIT_OK


def _check_stable(paths: list[Path], companies: Sequence[Checked], previous: str | None) -> None:
    """Renames, retired.yaml and (with --previous) ids dropped since that version; raises `DataErrors`."""
    retired, retired_origins = stable.load_retired(stable.retired_path(paths))
    previous_ids = None
    if previous is not None:
        with revisions.resolve(previous, Path.cwd()) as (previous_paths, _label):
            previous_ids = stable.published_ids(previous_paths)
    origins = {c.id: c.origin for c in companies}
    errors = stable.check_stable_ids(companies, origins, retired, retired_origins, previous_ids, previous or "")
    if errors:
        raise DataErrors(errors)


def _report(paths: list[Path], as_json: bool, today: date, leads_file: Path | None = None) -> int:
    from generator.pipeline import load_companies
    from generator.tools.defensible import LEADS_FILE, read_leads
    from generator.tools.quality import format_report, quality_report

    if _report_missing("report", paths):
        return EXIT_USAGE
    try:
        companies = load_companies(paths, today=today)
    except DataErrors as failure:
        print(format_errors(failure.errors, "text"), file=sys.stderr)
        return EXIT_INVALID
    if leads_file is not None and _report_missing("report", [leads_file]):
        return EXIT_USAGE
    report = quality_report(companies, today, read_leads(leads_file or Path.cwd() / LEADS_FILE, companies))
    print(report.model_dump_json(indent=2) if as_json else format_report(report))
    return EXIT_OK


def _render(out: Path, paths: list[Path]) -> int:
    from generator.adapters.writer import write_site
    from generator.pipeline import build_instant, build_site

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
    from generator.data import schema

    if out is None:
        print(schema.dumps(schema.company_schema()), end="")
        return EXIT_OK
    out.mkdir(parents=True, exist_ok=True)
    (out / "company.schema.json").write_text(schema.dumps(schema.company_schema()), encoding="utf-8")
    (out / "companies.schema.json").write_text(schema.dumps(schema.companies_file_schema()), encoding="utf-8")
    print(f"wrote {out / 'company.schema.json'} and {out / 'companies.schema.json'}")
    return EXIT_OK


def _review(base: str, head: str, today: date) -> int:
    """Print the review summary; exit 2 (and say why, in the summary too) when either side cannot be read."""
    import yaml

    from generator.pipeline import load_companies
    from generator.tools import review

    changed: list[str] = []
    catalogues: list[tuple[str, object, object]] = []
    repo = Path.cwd()
    if revisions.is_revision(base, repo) and revisions.is_revision(head, repo) and not Path(base).exists() \
            and not Path(head).exists():
        try:
            changed = revisions.changed_files(base, head, repo)
        except RevisionError as problem:
            print(f"python -m generator review: {problem}", file=sys.stderr)
            return EXIT_USAGE
        for name in review.CATALOGUES:
            if name in changed:
                texts = [revisions.file_at(spec, name, repo) for spec in (base, head)]
                try:
                    parsed = [yaml.safe_load(t.decode("utf-8", errors="replace")) if t else None for t in texts]
                except yaml.YAMLError as problem:
                    parsed = [None, {"unreadable": str(problem).splitlines()[0]}]
                catalogues.append((name.rsplit("/", 1)[-1], parsed[0], parsed[1]))
    sides: list[tuple[list[Company], list[Retired]]] = []
    for spec in (base, head):
        try:
            with revisions.resolve(spec, repo) as (paths, _label):
                companies = load_companies(paths, today=today)
                sides.append((companies, stable.load_retired(stable.retired_path(paths))[0]))
        except RevisionError as problem:
            print(f"python -m generator review: {problem}", file=sys.stderr)
            return EXIT_USAGE
        except DataErrors as failure:
            print(format_errors(failure.errors, "text"), file=sys.stderr)
            count = len(failure.errors)
            # What lies outside the data is listed all the same: a change to the code is never hidden.
            outside = review.outside_section(review.compare([], [], changed_files=changed, catalogues=catalogues))
            print(f"## Data review\n\nNo summary: the data at {review.code(spec)} does not validate ({count} problem"
                  f"{'s' if count != 1 else ''}). Fix it first; `python -m generator validate` lists every problem."
                  + "".join(f"\n{line}" for line in outside))
            return EXIT_USAGE
    (old, _), (new, retired) = sides
    print(review.to_markdown(review.compare(old, new, head_retired=retired, base_label=base, head_label=head,
                                            changed_files=changed, catalogues=catalogues)), end="")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    """Ask for what the options did not give (in a terminal), write the entry, validate, roll back on failure."""
    today = args.today or date.today()
    # The one-company-per-file folder, once the project has it: new files never conflict (scaffold.py says more).
    target = args.file or (Path("companies") if Path("companies").is_dir() else Path("companies.yaml"))
    ask = input if sys.stdin.isatty() else None
    try:
        answers = scaffold.collect(vars(args), ask, today)
        written = scaffold.add_company(target, answers, data_paths=default_paths(Path.cwd()), today=today)
    except scaffold.ScaffoldError as problem:
        print(f"python -m generator new: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except DataErrors as failure:
        print(format_errors(failure.errors, "text"), file=sys.stderr)
        if any(e.mark.file == scaffold.NEW_ENTRY for e in failure.errors):
            print("The entry (nothing was written):\n" + scaffold.render_entry(answers, single=target.is_dir()), file=sys.stderr)
        else:
            print(f"{target} was left as it was.", file=sys.stderr)
        return EXIT_INVALID
    print(f"added '{answers['id']}' at {written.path}:{written.line}; check it, add what the sources state, "
          "then run python -m generator validate")
    return EXIT_OK
