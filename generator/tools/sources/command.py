"""The `sources check` command line.  Imports only the standard library until the command runs.

Exit codes: 0 every fact holds, 1 findings (or invalid data, as `validate`), 2 bad usage or a
network that cannot be set up (CA bundle, cache folder, or no server reached at all).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json", "github")


def add_parser(commands: Any) -> None:
    """Register `sources check` on the main parser's subcommands."""
    sources = commands.add_parser("sources", help="maintainers: re-read every source and report what no longer holds")
    actions = sources.add_subparsers(dest="sources_command", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="fetch each source, judge each fact (ok, drift, dead, moved, blocked, error) "
                                             "and propose channels from the companies' own structured data")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="YAML files or folders (default: the project's companies.yaml and companies/)")
    check.add_argument("--company", action="append", default=[], metavar="ID", help="check only this company (repeatable)")
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="text, json (schema/sources-check.schema.json) or github (a Markdown findings table)")
    check.add_argument("--json-file", type=Path, default=None, metavar="FILE",
                       help="also write the JSON report to FILE (whatever --format prints)")
    check.add_argument("--cache", type=Path, default=None, metavar="DIR",
                       help="keep pages here and ask servers only for what changed (ETag / Last-Modified)")
    check.add_argument("--connect-to", action="append", default=[], metavar="HOST1:PORT1:HOST2:PORT2",
                       help="as curl: connect to HOST2:PORT2 for requests to HOST1:PORT1 (either may be empty: any)")
    check.add_argument("--ca-bundle", type=Path, default=None, metavar="FILE",
                       help="trust only the certificate authorities in this PEM file (as curl's --cacert)")
    check.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS", help="per request, start to end (default 20)")
    check.add_argument("--delay", type=float, default=1.0, metavar="SECONDS",
                       help="pause between two requests to one host (default 1)")
    check.add_argument("--max-bytes", type=int, default=10_000_000, metavar="N",
                       help="largest page read, before and after decompression (default 10,000,000)")
    check.add_argument("--concurrency", type=int, default=8, metavar="N", help="requests in flight across hosts (default 8)")
    check.add_argument("--no-proposals", action="store_true", help="do not read the companies' websites for proposals")
    check.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)


def _fail(message: str) -> int:
    print(f"python -m generator sources check: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    """Run `sources check` with parsed arguments; the exit code."""
    try:
        from . import data
        from .fetch import Route, Settings, SetupError
        from .report import REPORTERS, Summary, findings
        from .run import check
    except ImportError as missing:
        return _fail(f"{missing.name} is not installed: pip install -e '.[sources]'")

    paths = args.paths or data.default_paths(Path.cwd())
    missing_paths = [p for p in paths if not p.exists()]
    if missing_paths:
        return _fail("no such file or folder: " + ", ".join(map(str, missing_paths)))
    for name, value in (("--timeout", args.timeout), ("--delay", args.delay)):
        if value < 0 or (name == "--timeout" and value == 0):
            return _fail(f"{name} must be a positive number of seconds")
    if args.max_bytes < 1 or args.concurrency < 1:
        return _fail("--max-bytes and --concurrency must be at least 1")
    if args.ca_bundle is not None and not args.ca_bundle.is_file():
        return _fail(f"--ca-bundle {args.ca_bundle}: no such file")
    try:
        routes = tuple(Route.parse(spec) for spec in args.connect_to)
    except ValueError as problem:
        return _fail(str(problem))

    today = args.today or date.today()
    try:
        facts, sites = data.load(paths, today)
    except data.DataErrors as failure:
        print(data.describe_errors(failure.errors), file=sys.stderr)
        return EXIT_FINDINGS
    if args.company:
        unknown = sorted(set(args.company) - {site.company for site in sites})
        if unknown:
            return _fail(f"no company with id {', '.join(unknown)}")
        facts = [fact for fact in facts if fact.company in args.company]
        sites = [site for site in sites if site.company in args.company]

    settings = Settings(timeout=args.timeout, delay=args.delay, max_bytes=args.max_bytes, concurrency=args.concurrency,
                        routes=routes, ca_bundle=args.ca_bundle, cache=args.cache)
    started = time.perf_counter()
    try:
        outcome = check(facts, sites, settings, proposals=not args.no_proposals)
    except SetupError as problem:
        return _fail(str(problem))
    summary = Summary(today.isoformat(), len(facts), 0 if args.no_proposals else len(sites), outcome.pages,
                      time.perf_counter() - started)
    print(REPORTERS[args.format](outcome.results, summary))
    if args.json_file is not None:
        try:
            args.json_file.write_text(REPORTERS["json"](outcome.results, summary) + "\n", encoding="utf-8")
        except OSError as problem:
            return _fail(f"--json-file {args.json_file}: {problem.strerror or problem}")
    if outcome.pages and not outcome.reached:
        return _fail(f"no server answered for any of the {outcome.pages} pages: is there a network?")
    return EXIT_FINDINGS if findings(outcome.results) else EXIT_OK
