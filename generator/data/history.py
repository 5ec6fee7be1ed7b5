"""What changed, from the data's git history: per commit, which companies were added, changed or removed.

`company_history(repo)` walks `git log` over the data files (companies.yaml
and companies/) and compares each commit's entries with its parent's, by id,
on the plain data the loader reads (so reformatting a file or moving an entry
is not a change, while any edited value is).  Each distinct file version is
parsed once.  Without git, outside a repository, or in a shallow clone whose
boundary commit has no parent to compare with, it returns what it can tell for
sure, down to nothing: a build never fails for want of history.

Render reads the records for the "recent changes" page, the feed and "last
changed" on each company page (`last_changed`).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from generator.data.errors import DataErrors
from generator.data.loader import Plain, load_bytes, split_entries
from generator.data.revisions import DATA_FILES, git_output

DEFAULT_LIMIT = 200
"""Commits read at most: the feed and the recent-changes page show the latest few dozen."""


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """The companies one commit added, changed and removed (ids, sorted)."""

    commit: str
    when: datetime
    subject: str
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


class _Snapshots:
    """The entries ({id: plain data}) of the data at each commit, parsing each file version (blob) once."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.blobs: dict[str, dict[str, Plain]] = {}

    def at(self, commit: str) -> dict[str, Plain] | None:
        listing = git_output(self.repo, "ls-tree", "-r", "--full-tree", commit, "--", *DATA_FILES)
        if listing is None:
            return None
        entries: dict[str, Plain] = {}
        for line in listing.splitlines():
            meta, _, name = line.partition("\t")
            blob = meta.split()[2]
            if name == DATA_FILES[0] or (name.startswith(DATA_FILES[1] + "/") and name.endswith((".yaml", ".yml"))):
                entries.update(self.parse(blob, name))
        return entries

    def parse(self, blob: str, name: str) -> dict[str, Plain]:
        if blob not in self.blobs:
            found: dict[str, Plain] = {}
            try:
                data = subprocess.run(["git", "cat-file", "blob", blob], cwd=self.repo, capture_output=True,
                                      check=True).stdout
                for entry in split_entries(load_bytes(data, name)):
                    if isinstance(entry.data, dict) and isinstance(entry.data.get("id"), str):
                        found[str(entry.data["id"])] = entry.data
            except (DataErrors, subprocess.CalledProcessError):
                pass  # a version that did not parse lists no companies; the next valid one shows them again
            self.blobs[blob] = found
        return self.blobs[blob]


def company_history(repo: Path, *, limit: int = DEFAULT_LIMIT) -> list[ChangeRecord]:
    """Change records, newest first, for commits that changed some company; [] without git or history."""
    log = git_output(repo, "log", "--no-merges", f"--max-count={limit}", "--format=%H%x00%P%x00%cI%x00%s", "--", *DATA_FILES)
    if not log:
        return []
    snapshots = _Snapshots(repo)
    records: list[ChangeRecord] = []
    for line in log.splitlines():
        commit, parents, when, subject = line.split("\x00", 3)
        after = snapshots.at(commit)
        before: dict[str, Plain] | None = {}
        if parents:
            before = snapshots.at(parents.split()[0])
        elif git_output(repo, "rev-parse", "--is-shallow-repository") == "true\n":
            before = None  # the boundary of a shallow clone: its parent exists but was not fetched
        if after is None or before is None:
            continue
        added = sorted(set(after) - set(before))
        removed = sorted(set(before) - set(after))
        changed = sorted(i for i in set(after) & set(before) if after[i] != before[i])
        if added or changed or removed:
            records.append(ChangeRecord(commit, datetime.fromisoformat(when), subject,
                                        tuple(added), tuple(changed), tuple(removed)))
    return records


def last_changed(records: Iterable[ChangeRecord]) -> dict[str, date]:
    """The day each company was last added or changed, from records (pure)."""
    latest: dict[str, date] = {}
    for record in records:
        for company_id in (*record.added, *record.changed):
            day = record.when.date()
            if company_id not in latest or day > latest[company_id]:
                latest[company_id] = day
    return latest


def company_changes(records: Sequence[ChangeRecord]) -> list[tuple[ChangeRecord, str, str]]:
    """One (record, company id, "added" | "changed" | "removed") per company change, newest first (pure)."""
    return [(record, company_id, kind) for record in records
            for kind, ids in (("added", record.added), ("changed", record.changed), ("removed", record.removed))
            for company_id in ids]
