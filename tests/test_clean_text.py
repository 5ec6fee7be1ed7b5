"""Clean text everywhere: what validates renders, control and bidi characters never pass, CSV cells are inert.

- A property test: any company that validates, with arbitrary Unicode in every free-text field and an
  arbitrary commit subject in its history, goes through derive and render (pages, open data, feeds)
  without an exception.
- The validator's own rules: contacts refused in prose, kept out of the way of dates, prices and articles.
- One small site build (`site` marker): the CSV files' formula guard, and hostile text that passes the
  validator (a cell starting with "=", "@", "-") comes out neutralised in the CSV and intact in the JSON.
The validator's exact messages for contacts, control and bidi characters are in tests/cases/invalid/
(contacts-in-free-text, control-characters, bidi-characters).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.data.errors import DataErrors
from generator.data.fields import check_clean, check_no_contacts
from generator.data.history import ChangeRecord
from generator.data.loader import parse_text, split_entries
from generator.data.validate import validate
from generator.data.vocabulary import LANGUAGES
from generator.site.api import _cell
from generator.site.derive import derive_site
from generator.site.feed import clean_subject
from generator.site.render import data_files, language_files, render

from .conftest import TODAY
from .sitebuild import build_copy, mkdocs_build, write_config

BUILT = datetime(2026, 11, 24, 12, tzinfo=UTC)


def company(**texts: str) -> dict[str, object]:
    """A valid company whose free-text fields are replaced by `texts` (dotted keys reach into channels/complaints)."""
    entry: dict[str, object] = {
        "id": "acme", "name": "Acme", "sector": "telecom", "countries": ["ES"], "website": "https://www.acme.es",
        "domains": ["acme.es"], "timezone": "Europe/Madrid",
        "channels": [{"type": "phone", "address": "+34 900 100 100", "hours": "Mo-Fr 09:00-18:00",
                      "source": "https://www.acme.es/contacto", "source_kind": "company", "checked": "2026-11-01"},
                     {"type": "post", "address": "Calle Mayor 1, 28001 Madrid",
                      "source": "https://www.acme.es/contacto", "source_kind": "company", "checked": "2026-11-01"}],
        "complaints": {"url": "https://www.acme.es/reclamaciones", "source": "https://www.acme.es/reclamaciones",
                       "source_kind": "company", "checked": "2026-11-01"},
    }
    for key, value in texts.items():
        where: Any = entry
        *path, last = key.split(".")
        for part in path:
            where = where[int(part)] if part.isdigit() else where[part]
        where[last] = [value] if last == "aliases" else value
    return entry


def validated(entry: dict[str, object]) -> list:
    import yaml
    text = yaml.safe_dump([entry], allow_unicode=True)
    return validate(split_entries(parse_text(text, "companies.yaml")), today=TODAY)


def render_everything(companies: list, subject: str) -> None:
    history = [ChangeRecord("0" * 40, BUILT, subject, changed=("acme",))]
    model = derive_site(companies, BUILT, history=history)
    files = data_files(model)
    for lang in LANGUAGES:
        files.update(language_files(model, lang))
        for page in render(model, lang):
            assert page.body
    for path, _ in list(files.makers()):
        assert isinstance(files[path], str)


TEXT_FIELDS = ["name", "legal_name", "aliases", "notes", "channels.0.notes", "channels.0.evidence",
               "channels.1.address", "complaints.notes", "complaints.evidence", "complaints.postal_address"]


# Any Unicode (the validator turns most control characters away), and text with no control character at all
# (which mostly validates), so that most examples reach the renderer.
ANY_TEXT = st.one_of(st.text(min_size=1, max_size=60),
                     st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=60))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.dictionaries(st.sampled_from(TEXT_FIELDS), ANY_TEXT, min_size=1), st.text(max_size=80))
def test_whatever_validates_renders_without_an_exception(texts: dict[str, str], subject: str) -> None:
    try:
        companies = validated(company(**texts))
    except DataErrors:
        assume(False)
        return
    render_everything(companies, subject)


def test_hostile_but_valid_text_renders() -> None:
    companies = validated(company(**{"name": "=HYPERLINK(\"x\")", "notes": "<script>‮</script>".replace("‮", "!"),
                                     "channels.0.notes": "-2+3", "complaints.postal_address": "@SUM(1)"}))
    render_everything(companies, "fix\x1b[31m \u202eevil\u2066 subject\x07")


@pytest.mark.parametrize("fine", [
    "Ley 10/2025, art. 10.2: 15 días hábiles desde el 2026-11-24.",
    "Cuesta 1.234,56 € al año o 12,99 €/mes; pedido nº 12345678.",
    "Horario de 09:00 a 18:00; tarda 48 horas; desde 2018-05-23 (ver art. 21.3 TRLGDCU).",
    "Atención en castellano y catalán; el 016 es gratuito.",
    "Fnac.es y El Corte Inglés.",
])
def test_ordinary_prose_is_not_taken_for_a_contact(fine: str) -> None:
    assert check_no_contacts(fine) == fine


@pytest.mark.parametrize(("text", "said"), [
    ("Llama al 806 123 456.", "a phone number ('806 123 456')"),
    ("Llama al +34 91-807-82-05", "a phone number ('+34 91-807-82-05')"),
    ("Escribe a ayuda@acme-soporte.com.", "an e-mail address ('ayuda@acme-soporte.com')"),
    ("Ver https://acme-ayuda.net/x).", "a web address ('https://acme-ayuda.net/x')"),
    ("Síguenos en @AcmeAyuda", "a handle ('@AcmeAyuda')"),
])
def test_contacts_in_prose_are_named(text: str, said: str) -> None:
    with pytest.raises(Exception) as raised:
        check_no_contacts(text)
    assert str(raised.value).startswith(f"{said} in free text — put it in a channel with its source")


@pytest.mark.parametrize(("text", "named"), [
    ("a\x1bb", "U+001B ESCAPE"), ("a\x07", "U+0007 control character"), ("a\x85", "U+0085 NEXT LINE"),
    ("a\u202eb", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("a\u202ab", "U+202A LEFT-TO-RIGHT EMBEDDING"),
    ("a\u2067b", "U+2067 RIGHT-TO-LEFT ISOLATE"), ("a\u2069b", "U+2069 POP DIRECTIONAL ISOLATE"),
    ("a\tb", "U+0009 CHARACTER TABULATION"),
])
def test_control_and_bidi_characters_are_refused_by_code_point(text: str, named: str) -> None:
    with pytest.raises(Exception) as raised:
        check_clean(text)
    assert f"contains {named} at character 2" in str(raised.value)


def test_control_characters_in_a_url_or_hours_are_refused_too() -> None:
    with pytest.raises(DataErrors) as raised:
        validated(company(**{"channels.0.source": "https://www.acme.es/\u202econtacto", "channels.0.hours": "Mo-Fr\x0b09:00-18:00"}))
    said = "\n".join(str(e) for e in raised.value.errors)
    assert "acme.channels[0].source: contains U+202E RIGHT-TO-LEFT OVERRIDE at character 21" in said
    assert "acme.channels[0].hours: contains U+000B control character at character 6" in said


def test_the_feed_drops_control_and_bidi_characters_from_commit_subjects() -> None:
    assert clean_subject("fix\x1b[31m \u202eevil\u2066 name\x07\nsecond line") == "fix [31m evil name second line"


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+34 900 100 100", "'+34 900 100 100"), ("-2", "'-2"), ("@Iberia", "'@Iberia"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("'quoted", "''quoted"), ("Acme", "Acme"), ("", ""), (None, ""),
    (["=x"], '["=x"]'), (True, "true"),
])
def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(value: object, cell: str) -> None:
    assert _cell(value) == cell


# --- over a built site ---------------------------------------------------------------------------------

HOSTILE = """\
- id: acme
  name: "=SUM(1+2)*cmd|' /C calc'!A0"
  aliases: ["=Acme", "-Acme"]
  sector: telecom
  countries: [ES]
  website: https://www.acme.es
  domains: [acme.es]
  timezone: Europe/Madrid
  notes: "+Notas con guion: - uno"
  channels:
    - type: x
      address: "@AcmeAyuda"
      source: https://www.acme.es/contacto
      source_kind: company
      checked: 2026-11-01
    - type: phone
      address: "+34 900 100 100"
      notes: "'entre comillas'"
      source: https://www.acme.es/contacto
      source_kind: company
      checked: 2026-11-01
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clean-text")
    data = folder / "input" / "companies.yaml"
    data.parent.mkdir()
    data.write_text(HOSTILE, encoding="utf-8")
    return build_copy(folder, [data])


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


@pytest.mark.site
def test_the_built_csv_neutralises_formulas_and_the_json_keeps_the_values(site: Path) -> None:
    [row] = rows(site / "api" / "v1" / "companies.csv")
    assert row["name"] == "'=SUM(1+2)*cmd|' /C calc'!A0"
    assert row["aliases"] == '["=Acme", "-Acme"]'  # a JSON list starts with "[": inert
    assert row["notes_es"] == "'+Notas con guion: - uno"
    channels = rows(site / "api" / "v1" / "channels.csv")
    assert [c["address"] for c in channels] == ["'@AcmeAyuda", "'+34 900 100 100"]
    assert channels[1]["notes_es"] == "''entre comillas'"
    for line in (site / "api" / "v1" / "channels.csv").read_text(encoding="utf-8").splitlines()[1:]:
        assert not line.startswith(("=", "+", "-", "@"))
    record = json.loads((site / "api" / "v1" / "companies" / "acme.json").read_text(encoding="utf-8"))
    assert record["name"] == "=SUM(1+2)*cmd|' /C calc'!A0"
    assert record["channels"][1]["address"] == "+34 900 100 100"


@pytest.mark.site
def test_the_table_schemas_describe_the_formula_guard(site: Path) -> None:
    for name in ("companies", "channels"):
        schema = json.loads((site / "api" / "v1" / "schema" / f"{name}.tableschema.json").read_text(encoding="utf-8"))
        assert "starts with an added '" in schema["description"] and "remove one leading '" in schema["description"]


@pytest.mark.site
def test_the_page_shows_the_hostile_name_as_text(site: Path) -> None:
    page = (site / "empresas" / "acme" / "index.html").read_text(encoding="utf-8")
    assert "=SUM(1+2)*cmd|&#39; /C calc&#39;!A0" in page or "=SUM(1+2)*cmd|&#x27; /C calc&#x27;!A0" in page


@pytest.mark.site
@pytest.mark.parametrize(("text", "named"), [("Acme\\e[31m", "U+001B ESCAPE"),
                                             ("Acme \\u202Eknab", "U+202E RIGHT-TO-LEFT OVERRIDE"),
                                             ("Acme \\u2067x\\u2069", "U+2067 RIGHT-TO-LEFT ISOLATE")])
def test_a_site_build_refuses_control_and_bidi_characters_by_code_point(tmp_path: Path, text: str, named: str) -> None:
    data = tmp_path / "companies.yaml"
    data.write_text(HOSTILE.replace("name: \"=SUM(1+2)*cmd|' /C calc'!A0\"", f'name: "{text}"'), encoding="utf-8")
    done = mkdocs_build(write_config(tmp_path, data), tmp_path)
    assert done.returncode != 0 and not (tmp_path / "site" / "empresas").exists()
    assert f"companies.yaml:2:9: acme.name: contains {named} at character" in done.stderr
