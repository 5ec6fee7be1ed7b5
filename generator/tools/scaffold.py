"""Scaffolding: `python -m generator new` writes a valid, commented company entry.

Where it goes.  When the project has a `companies/` folder, the entry becomes
`companies/<id>.yaml`: a new file never conflicts with another pull request,
the loader reads the folder in file-name (= id) order, and no existing file
is touched.  Otherwise (or with `--file companies.yaml`) it is inserted into
the list file in id order: before the first entry whose id sorts after the
new one (at the end if none does).  In a sorted file that is the sorted
place; companies.yaml grew by sector and is not sorted, so the rule keeps new
entries sorted among themselves at a stable, predictable place, and two
companies added at once touch different lines unless their ids are
neighbours (appending at the end would make every such pair conflict).

How.  ruamel.yaml reads the file round-trip to find each entry's id and line;
the new entry (rendered by ruamel.yaml with its comments, in the file's
indentation) is spliced in as text, so every other byte of the file, comments
and formatting included, stays exactly as it was.  The result is validated
with the project's own validator and the file is restored if that fails.
Nothing is invented: every fact comes from the contributor.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator.data.errors import DataErrors
from generator.data.fields import host_of, on_domains
from generator.data.loader import load_paths, parse_text, split_entries
from generator.data.validate import validate
from generator.data.vocabulary import ChannelType, Sector, SourceKind

# (option, prompt, default) in the order they are asked; a default None means required.
QUESTIONS: tuple[tuple[str, str, str | None], ...] = (
    ("id", "id (lowercase slug, becomes the page address, never changes)", None),
    ("name", "name consumers know the company by", None),
    ("sector", f"sector ({', '.join(s.value for s in Sector)})", None),
    ("website", "main website (https://…)", None),
    ("domains", "official domains, comma-separated (default: the website's)", ""),
    ("country", "country (ISO code)", "ES"),
    ("timezone", "timezone of the channels' hours", "Europe/Madrid"),
    ("channel_type", f"first channel's type ({', '.join(t.value for t in ChannelType)})", None),
    ("address", "its address (number, @handle, e-mail or https link)", None),
    ("source", "public https page that states it", None),
    ("source_kind", f"kind of source ({', '.join(k.value for k in SourceKind)}; default: company when on the domains)", ""),
    ("checked", "day you read it there (YYYY-MM-DD, default today)", ""),
    ("evidence", "the source's sentence that states it, copied as written", None),
)


NEW_ENTRY = "new entry"
"""The name errors in the rendered entry carry (their lines count from the entry's first line)."""


class ScaffoldError(Exception):
    """A request `new` cannot carry out (missing answer, existing id, unreadable file); nothing was written."""


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    line: int  # where the new entry starts (1-based)


def collect(given: Mapping[str, str | None], ask: Callable[[str], str] | None, today: date) -> dict[str, str]:
    """Every answer: from `given` (options), else from `ask` (a prompt), else the default; raises `ScaffoldError`."""
    answers: dict[str, str] = {}
    missing: list[str] = []
    for key, prompt, default in QUESTIONS:
        value = (given.get(key) or "").strip()
        if not value and ask is not None:
            value = ask(f"{prompt}: ").strip()
        if not value and default is None:
            missing.append("--" + key.replace("_", "-"))
        answers[key] = value or (default or "")
    if missing:
        raise ScaffoldError("missing " + ", ".join(missing) + " (give them as options, or run in a terminal to be asked)")
    if not answers["domains"]:
        answers["domains"] = host_of(answers["website"]).removeprefix("www.")
    if not answers["source_kind"]:
        domains = [d.strip() for d in answers["domains"].split(",")]
        if not on_domains(answers["source"], domains):
            raise ScaffoldError("the source is not on the company's domains: say what it is with --source-kind "
                                f"({', '.join(k.value for k in SourceKind if k is not SourceKind.COMPANY)})")
        answers["source_kind"] = SourceKind.COMPANY.value
    answers["checked"] = answers["checked"] or today.isoformat()
    return answers


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def entry_map(a: Mapping[str, str]) -> CommentedMap:
    """The new entry as a ruamel mapping, with a comment on each line saying what to check or add."""
    try:
        checked: date | str = date.fromisoformat(a["checked"])
    except ValueError:
        checked = a["checked"]  # the validator explains the mistake, with its position
    channel = CommentedMap()
    channel["type"] = a["channel_type"]
    channel["address"] = DoubleQuotedScalarString(a["address"])
    channel["source"] = a["source"]
    channel["source_kind"] = a["source_kind"]
    channel["checked"] = checked
    channel["evidence"] = DoubleQuotedScalarString(a["evidence"])
    channel.yaml_add_eol_comment("add hours:, response_time:, purpose:, languages: only as the source states them", "type")
    channel.yaml_add_eol_comment("the page that states this address", "source")
    entry = CommentedMap()
    entry["id"] = a["id"]
    entry["name"] = a["name"]
    entry["sector"] = a["sector"]
    entry["countries"] = _flow([a["country"]])
    entry["website"] = a["website"]
    entry["domains"] = _flow([d.strip() for d in a["domains"].split(",") if d.strip()])
    entry["timezone"] = a["timezone"]
    entry["channels"] = CommentedSeq([channel])
    entry.yaml_add_eol_comment("never changes once published", "id")
    entry.yaml_add_eol_comment("sources on these domains count as the company's own", "domains")
    entry.yaml_add_eol_comment("add complaints: and escalation: when sourced (CONTRIBUTING.md)", "channels")
    return entry


def _yaml() -> YAML:
    yaml = YAML()  # round-trip
    yaml.width = 4096  # never fold a long line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


HEADER = "# New entry: check every fact against its source, then delete this line.\n"
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/companies.schema.json\n"
"""First line of a one-company file: editors with the YAML language server then check and complete the entry."""


def render_entry(answers: Mapping[str, str], *, single: bool = False) -> str:
    """The entry as YAML text: a list item in companies.yaml's style (`- id:` at the margin, two-space
    indents), or with `single` a mapping at the margin, like the one-company files in companies/."""
    out = io.StringIO()
    if single:
        _yaml().dump(entry_map(answers), out)
        return SCHEMA_LINE + HEADER + out.getvalue()
    _yaml().dump(CommentedSeq([entry_map(answers)]), out)
    # ruamel indents a root list by the offset too; the project's files start their entries at the margin.
    lines = [line[2:] if line.startswith("  ") else line for line in out.getvalue().splitlines()]
    return HEADER + "\n".join(lines) + "\n"


def entry_starts(text: str, name: str) -> list[tuple[str, int]]:
    """(id, 0-based line) of each entry of a list file, read round-trip."""
    try:
        document = _yaml().load(text)
    except Exception as exc:  # ruamel raises many error types; any of them means "cannot insert here"
        raise ScaffoldError(f"{name} is not valid YAML ({exc.__class__.__name__}): run python -m generator validate") from None
    if document is None:
        return []
    if not isinstance(document, CommentedSeq):
        raise ScaffoldError(f"{name} is not a list of companies")
    starts = []
    for index, item in enumerate(document):
        if isinstance(item, CommentedMap):
            starts.append((str(item.get("id", "")), document.lc.item(index)[0]))
    return starts


def insert_sorted(text: str, entry: str, new_id: str, name: str) -> tuple[str, int]:
    """`text` with `entry` spliced in before the first entry whose id sorts after `new_id`; and its first line."""
    lines = text.splitlines(keepends=True)
    starts = entry_starts(text, name)
    later = next((line for entry_id, line in starts if entry_id > new_id), None)
    if later is None:
        body = text if text.endswith("\n") or not text else text + "\n"
        return body + "\n" + entry, len(body.splitlines()) + 2
    return "".join(lines[:later]) + entry + "\n" + "".join(lines[later:]), later + 1


def known_ids(paths: list[Path]) -> set[str]:
    """Every id in use or once used in these data files (companies, renamed_from, retired.yaml)."""
    from generator.data.stable import published_ids  # stable imports validate, as we do; kept local to make the direction plain

    existing = [p for p in dict.fromkeys(p.resolve() for p in paths)
                if p.is_file() or (p.is_dir() and any(p.glob("*.y*ml")))]  # an empty folder holds no ids yet
    return published_ids(existing) if existing else set()


def add_company(target: Path, answers: Mapping[str, str], *, data_paths: list[Path], today: date) -> Written:
    """Write the entry into `target` (a list file, or a folder for `<id>.yaml`), validate, roll back on failure.

    `data_paths` are all the project's data files, to refuse an id already
    used anywhere.  Raises `ScaffoldError` (nothing written) or `DataErrors`
    (the written entry did not validate; the file was restored).
    """
    new_id = answers["id"]
    try:
        taken = known_ids([*data_paths, target])
    except DataErrors as failure:
        raise ScaffoldError("the existing data cannot be read; fix it first:\n" + str(failure)) from None
    if new_id in taken:
        raise ScaffoldError(f"id '{new_id}' exists already (or once did: ids are never reused) — pick another id, "
                            "or edit the existing entry")
    entry = render_entry(answers, single=target.is_dir())
    # First the entry alone, so a mistake in an answer is reported against the text shown to the contributor.
    validate(split_entries(parse_text(entry, NEW_ENTRY)), today=today)
    if target.is_dir():
        path, original, line = target / f"{new_id}.yaml", None, 3
        text = entry
    else:
        path = target
        original = target.read_text(encoding="utf-8") if target.exists() else None
        text, line = insert_sorted(original or "", entry, new_id, str(target))
        line += 1  # the entry's own header comment comes first
    path.write_text(text, encoding="utf-8")
    try:  # then the file as written: the splice must leave it valid as a whole
        validate(load_paths([path]), today=today)
    except DataErrors:
        if original is None:
            path.unlink()
        else:
            path.write_text(original, encoding="utf-8")
        raise
    return Written(path, line)

