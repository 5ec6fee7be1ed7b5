"""`python -m generator new`: a valid entry in id order, the rest of the file byte for byte, no duplicate ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.data.loader import load_paths
from generator.data.validate import validate
from generator.tools.scaffold import QUESTIONS, collect

from .conftest import TODAY

ENTRY = """\
- id: {id}
  name: {name}
  sector: telecom
  countries: [ES]
  website: https://www.{id}.es
  domains: [{id}.es]
  timezone: Europe/Madrid
  channels:
    - type: email
      address: 'hola@{id}.es'   # quoted with single quotes on purpose
      source: https://www.{id}.es/contacto
      source_kind: company
      checked: 2026-11-01
"""
FILE = ("# Header comment kept as it is.\n\n"
        + ENTRY.format(id="alpha", name="Alpha")
        + "\n# --- a comment above bravo ---\n"
        + ENTRY.format(id="bravo", name="Bravo").replace("  sector: telecom", "  sector:   telecom  # odd spacing")
        + "\n" + ENTRY.format(id="delta", name="Delta"))
OPTIONS = ["--name", "Charlie Móvil", "--sector", "telecom", "--website", "https://www.charlie.es",
           "--channel-type", "x", "--address", "@CharlieAyuda", "--source", "https://www.charlie.es/ayuda",
           "--evidence", "Escríbenos a @CharlieAyuda.", "--today", TODAY.isoformat()]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "companies.yaml").write_text(FILE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "companies.yaml"


def test_new_entry_is_valid_inserted_in_id_order_and_leaves_the_rest_byte_for_byte(project: Path) -> None:
    assert main(["new", "--id", "charlie", *OPTIONS]) == 0
    text = project.read_text(encoding="utf-8")
    companies = validate(load_paths([project]), today=TODAY)
    assert [c.id for c in companies] == ["alpha", "bravo", "charlie", "delta"]
    charlie = companies[2]
    assert (charlie.name, charlie.domains, charlie.channels[0].address, charlie.channels[0].checked) == \
        ("Charlie Móvil", ["charlie.es"], "@CharlieAyuda", TODAY)
    assert charlie.channels[0].source_kind.value == "company"
    start = text.index("# New entry:")
    end = text.index("- id: delta")
    assert text[:start] == FILE[:FILE.index("- id: delta")]  # everything before: identical, comments and odd spacing too
    assert text[end:] == FILE[FILE.index("- id: delta"):]  # everything after: identical
    assert "# never changes once published" in text[start:end]


def test_first_and_last_places(project: Path) -> None:
    assert main(["new", "--id", "aardvark", *OPTIONS]) == 0
    assert main(["new", "--id", "zulu", *OPTIONS]) == 0
    ids = [c.id for c in validate(load_paths([project]), today=TODAY)]
    assert ids == ["aardvark", "alpha", "bravo", "delta", "zulu"]
    assert project.read_text(encoding="utf-8").startswith("# Header comment kept as it is.\n\n# New entry:")


def test_existing_id_is_refused_and_nothing_written(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--id", "bravo", *OPTIONS]) == 2
    assert "id 'bravo' exists already" in capsys.readouterr().err
    assert project.read_text(encoding="utf-8") == FILE


def test_an_id_once_used_is_refused_too(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project.parent / "retired.yaml").write_text("- id: charlie\n  name: Charlie\n  reason: cerró\n  removed: 2026-01-01\n",
                                                 encoding="utf-8")
    assert main(["new", "--id", "charlie", *OPTIONS]) == 2
    assert "ids are never reused" in capsys.readouterr().err


def test_invalid_answers_are_reported_against_the_entry_and_nothing_is_written(project: Path,
                                                                               capsys: pytest.CaptureFixture[str]) -> None:
    options = [o if o != "@CharlieAyuda" else "@Charlie Ayuda" for o in OPTIONS]
    assert main(["new", "--id", "charlie", *options]) == 1
    err = capsys.readouterr().err
    assert "new entry:11:16: charlie.channels[0].address: '@Charlie Ayuda' is not a valid x handle" in err
    assert "The entry (nothing was written):" in err
    assert project.read_text(encoding="utf-8") == FILE


def test_a_file_that_does_not_validate_after_the_splice_is_restored(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = FILE.replace("checked: 2026-11-01", "checked: 2099-01-01", 1)  # already invalid: a date in the future
    project.write_text(broken, encoding="utf-8")
    assert main(["new", "--id", "charlie", *OPTIONS]) == 1
    err = capsys.readouterr().err
    assert "companies.yaml:15:16: alpha.channels[0].checked: 2099-01-01 is in the future" in err
    assert "companies.yaml was left as it was." in err
    assert project.read_text(encoding="utf-8") == broken


def test_folder_target_writes_one_file_per_company(project: Path) -> None:
    folder = project.parent / "companies"
    folder.mkdir()
    assert main(["new", "--id", "charlie", "--file", str(folder), *OPTIONS]) == 0
    [company] = validate(load_paths([folder]), today=TODAY)
    assert company.id == "charlie" and (folder / "charlie.yaml").exists()
    assert project.read_text(encoding="utf-8") == FILE


def test_missing_answers_are_asked_or_named() -> None:
    asked: list[str] = []
    answers = {"id": "charlie", "name": "Charlie", "sector": "telecom", "website": "https://www.charlie.es",
               "channel_type": "phone", "address": "900 123 456", "source": "https://www.charlie.es/c",
               "evidence": "Llámanos al 900 123 456."}

    keys = {f"{prompt}: ": key for key, prompt, _default in QUESTIONS}

    def ask(prompt: str) -> str:
        asked.append(keys[prompt])
        return answers.get(keys[prompt], "")

    collected = collect({"id": "charlie"}, ask, TODAY)
    assert asked == [key for key, _prompt, _default in QUESTIONS if key != "id"]  # all but the one given as an option
    assert collected["domains"] == "charlie.es" and collected["source_kind"] == "company"
    assert collected["checked"] == TODAY.isoformat() and collected["country"] == "ES"
    with pytest.raises(Exception, match="missing --name, --sector"):
        collect({"id": "charlie"}, None, TODAY)


def test_an_off_domain_source_needs_its_kind(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    options = [o if o != "https://www.charlie.es/ayuda" else "https://prensa.example.org/charlie" for o in OPTIONS]
    assert main(["new", "--id", "charlie", *options]) == 2
    assert "--source-kind" in capsys.readouterr().err
    assert main(["new", "--id", "charlie", *options, "--source-kind", "press"]) == 0


def test_with_a_companies_folder_the_default_is_a_new_file_there(project: Path) -> None:
    folder = project.parent / "companies"
    folder.mkdir()
    (folder / "echo.yaml").write_text(ENTRY.format(id="echo", name="Echo").replace("- id:", "id:").replace("\n  ", "\n"),
                                      encoding="utf-8")
    assert main(["new", "--id", "bravo", *OPTIONS]) == 2  # ids are unique across companies.yaml and the folder
    assert main(["new", "--id", "echo", *OPTIONS]) == 2
    assert main(["new", "--id", "charlie", *OPTIONS]) == 0
    text = (folder / "charlie.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/companies.schema.json\n# New entry:")
    assert "\nid: charlie  # never changes once published\n" in text
    ids = [c.id for c in validate(load_paths([project, folder]), today=TODAY)]
    assert ids == ["alpha", "bravo", "delta", "charlie", "echo"]
    assert project.read_text(encoding="utf-8") == FILE
