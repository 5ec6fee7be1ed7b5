"""Stable addresses: renamed_from, retired.yaml, and `validate --previous` refusing a dropped id."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.data.stable import Redirect, load_retired, redirects, retired_pages

from .conftest import TODAY
from .test_review import BASE, load

MOVISTAR_RENAMED = BASE.replace("- id: movistar\n", "- id: movistar-es\n  renamed_from: [movistar]\n")
RETIRED = """\
# Companies taken off the site: their pages say they are gone and why.
- id: movistar
  name: Movistar
  reason: "Dejó de operar en 2026."
  removed: 2026-11-20
  replaced_by: iberia
"""


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: str, *args: str, retired: str | None = None) -> tuple[int, str]:
    (tmp_path / "companies.yaml").write_text(data, encoding="utf-8")
    if retired is not None:
        (tmp_path / "retired.yaml").write_text(retired, encoding="utf-8")
    code = main(["validate", str(tmp_path / "companies.yaml"), "--today", TODAY.isoformat(), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_redirects_and_retired_pages_are_listed_for_render(tmp_path: Path) -> None:
    assert redirects(load(MOVISTAR_RENAMED)) == [Redirect("movistar", "movistar-es")]
    (tmp_path / "retired.yaml").write_text(RETIRED, encoding="utf-8")
    retired, origins = load_retired(tmp_path / "retired.yaml")
    assert [(r.id, r.removed.isoformat(), r.replaced_by) for r in retired_pages(retired)] == [("movistar", "2026-11-20", "iberia")]
    assert origins["movistar"].line == 2


def test_dropped_id_is_refused_given_the_previous_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    previous = tmp_path / "previous.yaml"
    previous.write_text(BASE, encoding="utf-8")
    code, out = run(tmp_path, capsys, BASE.replace("- id: movistar\n", "- id: movistar-es\n"), "--previous", str(previous))
    assert code == 1
    assert f"companies.yaml:1:1: movistar: id 'movistar' (in {previous}) is gone" in out
    assert "add 'renamed_from: [movistar]' to the company" in out


def test_a_rename_or_a_retired_entry_keeps_the_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    previous = tmp_path / "previous.yaml"
    previous.write_text(BASE, encoding="utf-8")
    assert run(tmp_path, capsys, MOVISTAR_RENAMED, "--previous", str(previous))[0] == 0
    assert run(tmp_path, capsys, BASE.split("- id: movistar")[0], "--previous", str(previous), retired=RETIRED)[0] == 0


def test_retired_file_errors_have_positions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run(tmp_path, capsys, BASE.split("- id: movistar")[0],
                    retired=RETIRED.replace("removed: 2026-11-20", "removed: 20-11-2026").replace("reason:", "reasn:"))
    assert code == 1
    assert out.splitlines() == [
        "retired.yaml:2:3: movistar.reason: required field is missing — add 'reason:' to this entry (see CONTRIBUTING.md)",
        "retired.yaml:4:3: movistar.reasn: unknown field 'reasn' — did you mean 'reason'?",
        "retired.yaml:5:12: movistar.removed: '20-11-2026' is not a date — write it as YYYY-MM-DD, e.g. 2026-11-24",
        "3 problems found",
    ]


def test_an_old_id_cannot_be_current_or_claimed_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(tmp_path, capsys, BASE.replace("- id: movistar\n", "- id: movistar\n  renamed_from: [iberia]\n"))
    assert code == 1 and "movistar.renamed_from: 'iberia' is a current company id" in out
    code, out = run(tmp_path, capsys, BASE, retired=RETIRED)
    assert code == 1 and "movistar.id: 'movistar' is retired but still a company" in out


def test_previous_as_a_git_revision_keeps_old_redirects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args], cwd=tmp_path, check=True,
                       capture_output=True)

    git("init", "-q", "-b", "main")
    (tmp_path / "companies.yaml").write_text(MOVISTAR_RENAMED, encoding="utf-8")
    git("add", "companies.yaml")
    git("commit", "-q", "-m", "rename")
    monkeypatch.chdir(tmp_path)
    # Dropping the redirect later breaks the old address again.
    code, out = run(tmp_path, capsys, BASE.replace("- id: movistar\n", "- id: movistar-es\n"), "--previous", "HEAD")
    assert code == 1 and "id 'movistar' (in HEAD) is gone" in out
    assert run(tmp_path, capsys, MOVISTAR_RENAMED, "--previous", "HEAD")[0] == 0
    code, out = run(tmp_path, capsys, MOVISTAR_RENAMED, "--previous", "nope")
    assert code == 2 and "neither a file or folder nor a git revision" in out

