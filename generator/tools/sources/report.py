"""The results for people (text), programs (JSON, `schema/sources-check.schema.json`) and GitHub (a Markdown issue body).

Reporters by name: `REPORTERS[format](results, summary) -> str`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .judge import STATUSES, Result

SCHEMA_VERSION = 1
ISSUE_MAX_CHARS = 60_000  # GitHub refuses issue bodies over 65,536 characters


@dataclass(frozen=True, slots=True)
class Summary:
    checked_on: str
    facts: int
    websites: int
    pages: int
    seconds: float


def counts(results: Sequence[Result]) -> dict[str, int]:
    found = Counter(r.status for r in results)
    return {status: found.get(status, 0) for status in STATUSES}


def findings(results: Sequence[Result]) -> list[Result]:
    return [r for r in results if r.status != "ok"]


def _label(result: Result) -> str:
    what = f"{result.kind} {result.address}" if result.address and result.kind not in ("complaints", "website") else result.kind
    return f"{result.company}.{result.field} ({what})"


def _tally(results: Sequence[Result]) -> str:
    return ", ".join(f"{status} {n}" for status, n in counts(results).items() if n)


def to_text(results: Sequence[Result], summary: Summary) -> str:
    lines = []
    for result in findings(results):
        line = f"{result.where}: {_label(result)}: {result.status}: {result.detail}"
        if result.address_found is False:
            line += "; the address itself is not on the page"
        if result.note:
            line += f" [{result.note}]"
        lines.append(f"{line} — {result.hint}")
        lines.append(f"    source: {result.source}")
        if result.closest:
            lines.append(f"    closest: \"{result.closest}\"")
        if result.status == "proposal" and result.evidence:
            lines.append(f"    evidence: {result.evidence}")
    lines.append(f"{summary.facts} facts and {summary.websites} websites ({summary.pages} pages) checked in "
                 f"{summary.seconds:.1f} s: {_tally(results) or 'nothing to check'}")
    return "\n".join(lines)


def as_json(results: Sequence[Result], summary: Summary) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION,
        "checked_on": summary.checked_on,
        "facts": summary.facts,
        "websites": summary.websites,
        "pages": summary.pages,
        "seconds": round(summary.seconds, 2),
        "counts": counts(results),
        "results": [{
            "company": r.company, "field": r.field, "where": r.where, "status": r.status, "kind": r.kind,
            "source": r.source, "detail": r.detail, "hint": r.hint, "address": r.address, "address_found": r.address_found,
            "evidence": r.evidence, "closest": r.closest, "similarity": r.similarity, "final_url": r.final_url,
            "http_status": r.http_status, "note": r.note, "proposal": r.proposal,
        } for r in results],
    }


def to_json(results: Sequence[Result], summary: Summary) -> str:
    return json.dumps(as_json(results, summary), ensure_ascii=False, indent=2)


def _cell(text: str, limit: int = 200) -> str:
    text = " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def to_markdown(results: Sequence[Result], summary: Summary) -> str:
    """The "Source watch" issue body: a findings table, cut to fit an issue (the JSON lists everything)."""
    found = findings(results)
    head = [f"Checked on {summary.checked_on}: {summary.facts} facts and {summary.websites} websites "
            f"({summary.pages} pages). {_tally(results) or 'Nothing to check.'}", ""]
    if not found:
        return "\n".join([*head, "Every evidence quote is still on its page."]) + "\n"
    head += ["How to act on each status: CONTRIBUTING.md, \"Acting on the source watch\".", "",
             "| status | fact | where | source | what was found |", "|---|---|---|---|---|"]
    rows, size = [], sum(len(line) + 1 for line in head)
    for number, result in enumerate(found):
        detail = result.detail + (f": “{result.closest}”" if result.closest else "")
        if result.status == "proposal" and result.evidence:
            detail += f" — `{_cell(result.evidence, 150).replace('`', '')}`"
        if result.address_found is False:
            detail += " (the address itself is not on the page)"
        row = (f"| {result.status} | {_cell(_label(result), 80)} | `{_cell(result.where, 80)}` | "
               f"{_cell(result.source, 120)} | {_cell(detail, 400)} |")
        if size + len(row) > ISSUE_MAX_CHARS:
            rows.append(f"\n{len(found) - number} more findings not shown: the run's JSON artifact lists them all.")
            break
        rows.append(row)
        size += len(row) + 1
    return "\n".join(head + rows) + "\n"


REPORTERS: dict[str, Callable[[Sequence[Result], Summary], str]] = {
    "text": to_text, "json": to_json, "github": to_markdown,
}
