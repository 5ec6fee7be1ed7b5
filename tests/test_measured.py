"""Measured figures: the data model's rules, the company page's line, the ranking index and the CSV rows."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup

from generator.data.errors import DataErrors
from generator.data.vocabulary import Metric
from generator.pipeline import build_model, load_companies
from generator.site.api import MeasuredRow, measured_rows, to_csv
from generator.site.measured import figure_text, measured_groups, period_text
from generator.site.render import render

from .conftest import CASES, REAL_DATA

BUILT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
FIXTURE = [CASES / "site" / "companies.yaml"]
DAY = date(2026, 11, 24)

ENTRY = """
- id: tele
  name: Tele
  sector: telecom
  countries: [ES]
  website: https://www.tele.es
  domains: [tele.es]
  timezone: Europe/Madrid
  channels:
    - type: phone
      address: "+34 900 100 200"
      source: https://www.tele.es/contacto
      source_kind: company
      checked: 2026-11-01
  measured:
    - metric: {metric}
      value: {value}
      unit: {unit}
      period: "{period}"
      source: https://www.estudio.example.org/2023
      source_kind: {kind}
      checked: 2026-11-01
      evidence: "Tele: 13 minutos de espera."
"""


def entry(**changes: str) -> str:
    fields = {"metric": "phone_wait_minutes", "value": "13", "unit": "minutes", "period": "2023", "kind": "study"} | changes
    return ENTRY.format(**fields)


def problems(write_yaml, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(DataErrors) as failure:
        load_companies([write_yaml(text)], today=DAY)
    return [f"{e.field}: {e.message} — {e.hint}" for e in failure.value.errors]


def test_a_valid_figure_loads_with_its_number(write_yaml) -> None:  # type: ignore[no-untyped-def]
    (company,) = load_companies([write_yaml(entry(value="4.23", metric="complaint_resolution_days", unit="days",
                                                  period="2024-07-01/2024-09-30", kind="regulator"))], today=DAY)
    (figure,) = company.measured
    assert (figure.metric, figure.value, figure.period) == (Metric.COMPLAINT_RESOLUTION_DAYS, 4.23, "2024-07-01/2024-09-30")


@pytest.mark.parametrize(("changes", "expected"), [
    ({"kind": "company"}, "tele.measured[0].source_kind: a measured figure cannot come from a 'company' source"),
    ({"kind": "directory"}, "tele.measured[0].source_kind: a measured figure cannot come from a 'directory' source"),
    ({"kind": "press"}, "tele.measured[0].study: the source is a press article: say which study or report it quotes"),
    ({"unit": "days"}, "tele.measured[0].unit: phone_wait_minutes is given in minutes, not days — write unit: minutes"),
    ({"value": "13,5"}, "tele.measured[0].value: '13,5' is not a number — write it with a decimal point: 13.5"),
    ({"value": "13 min"}, "tele.measured[0].value: '13 min' is not a number"),
    ({"metric": "complaints_upheld_share", "unit": "percent", "value": "140"}, "tele.measured[0].value: 140 is not a share"),
    ({"period": "2023-2024"}, "tele.measured[0].period: '2023-2024' is not a period"),
    ({"period": "2024-09-30/2024-07-01"}, "tele.measured[0].period: '2024-09-30/2024-07-01' ends before it starts"),
    ({"period": "2027"}, "tele.measured[0].period: the period 2027 has not started yet"),
    ({"metric": "phone_wait"}, "tele.measured[0].metric: 'phone_wait' is not a known metric"),
])
def test_a_bad_figure_is_reported_with_how_to_fix_it(write_yaml, changes: dict[str, str], expected: str) -> None:  # type: ignore[no-untyped-def]
    found = problems(write_yaml, entry(**changes))
    assert any(line.startswith(expected) for line in found), found


def test_a_figure_without_evidence_is_refused_whatever_its_checked_date(write_yaml) -> None:  # type: ignore[no-untyped-def]
    text = entry().replace('      evidence: "Tele: 13 minutos de espera."\n', "")
    assert any(line.startswith("tele.measured[0].evidence: a measured figure needs `evidence`")
               for line in problems(write_yaml, text))


def test_numbers_and_periods_read_as_each_language_writes_them() -> None:
    (company, *_) = load_companies(FIXTURE, today=DAY)
    wait, days = company.measured
    assert (figure_text(wait, "es"), figure_text(days, "es"), figure_text(days, "en")) == ("13 min", "4,23 días", "4.23 days")
    assert period_text("2023", "es") == "2023"
    assert period_text("2024-07-01/2024-09-30", "en") == "1 July 2024 to 30 September 2024"


def pages(lang: str) -> dict[str, BeautifulSoup]:
    prefix = "" if lang == "es" else f"{lang}/"
    return {page.url.removeprefix(prefix): BeautifulSoup(page.body, "html.parser")
            for page in render(build_model(FIXTURE, built=BUILT), lang)}


@pytest.mark.parametrize(("lang", "line"), [
    ("es", 'Medido por Estudio <b>SAC</b> & "Q" 2023 (2023): espera media al teléfono 13 min'),
    ("en", 'Measured by Estudio <b>SAC</b> & "Q" 2023 (2023): average phone wait 13 min'),
])
def test_the_company_page_says_who_measured_what_when_with_the_source(lang: str, line: str) -> None:
    page = pages(lang)["empresas/acme/"]
    items = page.select("ul.dr-measured li")
    assert items[0].select_one(".dr-measured-line").get_text() == line  # the study's name is text, never markup
    assert items[0].strong.get_text() == "13 min"
    assert items[0].select_one(".dr-source a")["href"] == "https://www.estudio.example.org/sac-2023"
    # a figure with no study named says where it was read; its scope is shown as typed
    assert items[1].select_one(".dr-measured-line").get_text().startswith(("Medido por cnmc.es", "Measured by cnmc.es"))
    assert items[1].select_one(".dr-measured-scope .dr-text").get_text() == "Solo servicios fijos <i>x</i>."
    # the section is in the page's menu, and each figure links to its ranking on the index
    menu = [a["href"] for a in page.select("nav.dr-menu a")]
    assert any(href.endswith(("#medido", "#measured")) for href in menu)
    ranking = items[0].select("a")[-1]["href"]
    assert ranking.startswith("../../indices/medido/#phone-wait-minutes-2023-")
    index = pages(lang)["indices/medido/"]
    assert index.find(id=ranking.split("#")[1]) is not None


def test_the_index_ranks_each_measurement_lowest_first_and_never_mixes_studies() -> None:
    index = pages("es")["indices/medido/"]
    headings = [h.get_text(" ", strip=True) for h in index.select("h2")]
    assert headings[0].startswith("espera media al teléfono · 2023 · Estudio <b>SAC</b>")
    assert headings[1].startswith("tiempo medio para resolver una reclamación · del 1 de julio de 2024 al 30 de septiembre de 2024")
    first = index.select("table.dr-measured-table")[0]
    assert [row.select("td")[1].get_text() for row in first.select("tbody tr")] == [
        "Beta Bank", 'Acme <script>alert(1)</script> "Q" *bold* [x](//evil.example)']
    assert [row.select("td")[2].get_text() for row in first.select("tbody tr")] == ["4,5 min", "13 min"]


def test_groups_order_metrics_by_catalogue_then_newest_period() -> None:
    companies = load_companies(REAL_DATA, today=date(2026, 12, 3))
    groups = measured_groups(companies)
    keys = [(g.metric, g.period) for g in groups]
    assert keys == sorted(keys, key=lambda k: (list(Metric).index(k[0]), -int(k[1][:4])))
    for group in groups:
        values = [figure.value for _, figure in group.rows]
        assert values == sorted(values)


def test_measured_csv_has_a_row_per_figure_in_data_order() -> None:
    companies = load_companies(FIXTURE, today=DAY)
    text = to_csv(MeasuredRow, (row for company in companies for row in measured_rows(company)))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["company_id"], r["position"], r["metric"], r["value"]) for r in rows] == [
        ("acme", "1", "phone_wait_minutes", "13.0"), ("acme", "2", "complaint_resolution_days", "4.23"),
        ("beta-bank", "1", "phone_wait_minutes", "4.5")]
    assert rows[1]["scope_es"] == "Solo servicios fijos <i>x</i>." and rows[1]["study"] == ""
