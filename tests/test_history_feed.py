"""Change records from a temporary git repository, and the Atom feed built from them, parsed back."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from generator.data.history import company_history, last_changed
from generator.site.feed import FeedText, build_feed

from .test_review import BASE, NEW_COMPANY

ATOM = "{http://www.w3.org/2005/Atom}"
ES = FeedText(lang="es", title="Dónde Reclamo: cambios", subtitle="Últimos cambios en los datos de las empresas.",
              empty="Sin historial disponible en esta compilación: el canal está vacío.", added="Nueva empresa: {name}",
              changed="Cambios en {name}", removed="{name} ya no figura", summary="Cambio: {subject}")


def commit(repo: Path, message: str, when: str, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
            subprocess.run(["git", "rm", "-q", name], cwd=repo, check=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        subprocess.run(["git", "add", name], cwd=repo, check=True)
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "PATH": "/usr/bin:/bin", "HOME": str(repo)}
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", message],
                   cwd=repo, check=True, env=env)


def make_repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", "-b", "main", str(tmp_path)], check=True)
    commit(tmp_path, "Start with Iberia and Movistar", "2026-11-01T10:00:00+00:00", {"companies.yaml": BASE})
    commit(tmp_path, "Reformat only", "2026-11-02T10:00:00+00:00",
           {"companies.yaml": BASE.replace("countries: [ES]", "countries:\n    - ES")})
    commit(tmp_path, "Unrelated file", "2026-11-03T10:00:00+00:00", {"README.md": "hello"})
    commit(tmp_path, "Iberia hours <b>changed</b> & Acme added", "2026-11-04T10:00:00+00:00",
           {"companies.yaml": BASE.replace("Mo-Fr 09:00-18:00", "Mo-Sa 09:00-18:00"), "companies/acme.yaml": NEW_COMPANY})
    commit(tmp_path, "Movistar leaves", "2026-11-05T10:00:00+00:00",
           {"companies.yaml": BASE.replace("Mo-Fr 09:00-18:00", "Mo-Sa 09:00-18:00").split("- id: movistar")[0]})
    return tmp_path


def test_history_lists_company_changes_per_commit(tmp_path: Path) -> None:
    records = company_history(make_repo(tmp_path))
    assert [(r.subject, r.added, r.changed, r.removed) for r in records] == [
        ("Movistar leaves", (), (), ("movistar",)),
        ("Iberia hours <b>changed</b> & Acme added", ("acme",), ("iberia",), ()),
        ("Start with Iberia and Movistar", ("iberia", "movistar"), (), ()),
    ]  # the reformatting and the unrelated commit changed no company
    assert records[0].when == datetime(2026, 11, 5, 10, tzinfo=UTC)
    assert {k: v.isoformat() for k, v in last_changed(records).items()} == \
        {"acme": "2026-11-04", "iberia": "2026-11-04", "movistar": "2026-11-01"}
    assert [r.subject for r in company_history(tmp_path, limit=2)] == ["Movistar leaves", "Iberia hours <b>changed</b> & Acme added"]


def test_no_git_history_gives_an_empty_result(tmp_path: Path) -> None:
    assert company_history(tmp_path) == []  # not a repository
    assert company_history(tmp_path / "missing") == []


def test_shallow_clone_boundary_is_not_reported_as_everything_added(tmp_path: Path) -> None:
    origin = make_repo(tmp_path / "origin")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{origin}", str(clone)], check=True)
    assert [r.subject for r in company_history(clone)] == ["Movistar leaves"]


def test_feed_parses_back_as_atom_with_one_entry_per_company_change(tmp_path: Path) -> None:
    records = company_history(make_repo(tmp_path))
    xml = build_feed(records, site_url="https://example.org/donde-reclamo", feed_path="feed.xml", text=ES,
                     names={"iberia": "Iberia", "acme": "Acme <Telecom> & Co"}, updated=datetime(2026, 11, 30, tzinfo=UTC))
    root = ET.fromstring(xml)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    assert root.findtext(f"{ATOM}id") == "https://example.org/donde-reclamo/feed.xml"
    assert root.findtext(f"{ATOM}updated", "").startswith("2026-11-05T10:00:00")
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles == ["movistar ya no figura", "Nueva empresa: Acme <Telecom> & Co", "Cambios en Iberia",
                      "Nueva empresa: Iberia", "Nueva empresa: movistar"]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i and i.startswith("tag:example.org,2026-11-0") for i in ids)
    for entry in entries:
        assert entry.findtext(f"{ATOM}updated") and entry.find(f"{ATOM}link") is not None
    assert entries[1].find(f"{ATOM}link").get("href") == "https://example.org/donde-reclamo/acme/"  # type: ignore[union-attr]
    assert entries[2].findtext(f"{ATOM}summary") == "Cambio: Iberia hours <b>changed</b> & Acme added"  # text, not markup
    # Rebuilt from the same records, the feed is the same (stable ids, no clock read).
    assert build_feed(records, site_url="https://example.org/donde-reclamo", feed_path="feed.xml", text=ES,
                      names={"iberia": "Iberia", "acme": "Acme <Telecom> & Co"}, updated=datetime(2026, 11, 30, tzinfo=UTC)) == xml


def test_feed_without_history_is_valid_empty_and_says_so() -> None:
    xml = build_feed([], site_url="https://example.org/", feed_path="en/feed.xml",
                     text=FeedText(lang="en", title="Dónde Reclamo: changes", subtitle="Latest changes.",
                                   empty="No history in this build: the feed is empty.", added="New: {name}",
                                   changed="Changed: {name}", removed="Gone: {name}", summary="{subject}"),
                     names={}, updated=datetime(2026, 11, 30, 12, tzinfo=UTC))
    root = ET.fromstring(xml)
    assert root.findall(f"{ATOM}entry") == []
    assert root.findtext(f"{ATOM}subtitle") == "No history in this build: the feed is empty."
    assert root.findtext(f"{ATOM}updated", "").startswith("2026-11-30T12:00:00")

