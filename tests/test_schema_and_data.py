"""The bundled data validates in full, and the committed JSON Schema is current and agrees."""

from __future__ import annotations

import json
from datetime import date

import jsonschema
import pytest

from generator.cli import main
from generator.data import schema
from generator.data.loader import load_file
from generator.pipeline import load_companies

from .conftest import REAL_DATA, ROOT

SCHEMA_DIR = ROOT / "schema"


def test_committed_schema_is_generated_from_the_models() -> None:
    assert (SCHEMA_DIR / "company.schema.json").read_text(encoding="utf-8") == schema.dumps(schema.company_schema())
    assert (SCHEMA_DIR / "companies.schema.json").read_text(encoding="utf-8") == schema.dumps(
        schema.companies_file_schema()), "run `make schema` and commit the result"


def test_companies_yaml_points_editors_at_the_schema() -> None:
    first_line = (ROOT / "companies.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=./schema/companies.schema.json"


def test_whole_bundled_dataset_validates() -> None:
    companies = load_companies(REAL_DATA, today=date.today())
    assert len(companies) >= 10
    assert len({c.sector for c in companies}) >= 5
    assert all(ch.source.startswith("https://") and ch.checked for c in companies for ch in c.channels)


def test_json_schema_accepts_the_bundled_data() -> None:
    data = load_file(ROOT / "companies.yaml").data
    file_schema = json.loads((SCHEMA_DIR / "companies.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(file_schema).validate(data)


def test_json_schema_rejects_what_the_validator_rejects() -> None:
    data = load_file(ROOT / "companies.yaml").data
    assert isinstance(data, list)
    data[0]["sector"] = "telcom"
    data[1]["channels"][0]["unknown"] = 1
    validator = jsonschema.Draft202012Validator(json.loads((SCHEMA_DIR / "company.schema.json").read_text()))
    assert not validator.is_valid(data[0]) and not validator.is_valid(data[1])


def test_cli_json_and_github_formats(write_yaml, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_yaml("- id: Bad Id\n  name: x\n")
    assert main(["validate", "--format", "json", str(path)]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert {p["field"] for p in problems} >= {"Bad Id.id", "Bad Id.sector"}
    assert all({"file", "line", "column", "message", "hint"} <= p.keys() for p in problems)
    assert main(["validate", "--format", "github", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith("::error file=") and ",line=" in line for line in lines)


def test_cli_exit_codes(write_yaml, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ROOT / "companies.yaml")]) == 0
    assert "all valid" in capsys.readouterr().out
    assert main(["validate", "no/such/file.yaml"]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["validate", "--format", "xml"]) == 2
