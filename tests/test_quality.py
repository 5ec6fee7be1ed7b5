"""The data-quality report, on a fixture with known gaps and on the real data."""

from __future__ import annotations

import json
from datetime import date

import pytest

from generator.cli import main
from generator.pipeline import load_companies
from generator.tools.defensible import read_leads
from generator.tools.quality import format_report, quality_report

from .conftest import CASES, REAL_DATA, TODAY

FIXTURE = CASES / "site" / "companies.yaml"  # 2 companies, 7 channels, gaps listed below
DAY = date(2026, 11, 30)

# Four companies with known gaps, checked against DAY (12 months back: 2025-11-30):
# - tele (telecom, basic service): phone with hours and evidence; X account from a directory,
#   checked 2025-06-01 (stale), no evidence; complaint route with url and evidence. Nobody states a response time.
# - water-co (water, basic service): one e-mail checked 2025-10-01 (stale), no hours, no evidence, no complaints.
# - shop (retail): web form without hours or evidence; complaints block with only a deadline (no route).
# - perfect (banking, basic service): nothing missing.
GAPS = """
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
      hours: "Mo-Fr 09:00-18:00"
      source: https://www.tele.es/contacto
      source_kind: company
      checked: 2026-11-30
      evidence: "Llámanos gratis al 900 100 200 de lunes a viernes de 9 a 18 h."
    - type: x
      address: "@TeleAyuda"
      source: https://www.guia.example.com/tele
      source_kind: directory
      checked: 2025-06-01
  complaints:
    url: https://www.tele.es/reclamaciones
    source: https://www.tele.es/reclamaciones
    source_kind: company
    checked: 2026-11-30
    evidence: "Presenta tu reclamación en este formulario."
- id: water-co
  name: Water Co
  sector: water
  countries: [ES]
  website: https://www.water.es
  domains: [water.es]
  timezone: Europe/Madrid
  channels:
    - type: email
      address: ayuda@water.es
      source: https://www.water.es/contacto
      source_kind: company
      checked: 2025-10-01
- id: shop
  name: Shop
  sector: retail
  countries: [ES]
  website: https://www.shop.es
  domains: [shop.es]
  timezone: Europe/Madrid
  channels:
    - type: webform
      address: https://www.shop.es/ayuda
      source: https://www.shop.es/ayuda
      source_kind: company
      checked: 2026-11-01
  complaints:
    answer_within: 1 month
    source: https://www.shop.es/condiciones
    source_kind: company
    checked: 2026-11-01
- id: perfect
  name: Perfect Bank
  sector: banking
  countries: [ES]
  website: https://www.perfect.es
  domains: [perfect.es]
  timezone: Europe/Madrid
  channels:
    - type: phone
      address: "+34 910 000 000"
      hours: "Mo-Fr 08:00-20:00"
      response_time: 2h
      source: https://www.perfect.es/contacto
      source_kind: company
      checked: 2026-11-30
      evidence: "Atención telefónica de 8 a 20 h; te respondemos en menos de dos horas."
  complaints:
    email: sac@perfect.es
    answer_within: 15 working days
    source: https://www.perfect.es/sac
    source_kind: company
    checked: 2026-11-30
    evidence: "Escribe a sac@perfect.es; respondemos en 15 días hábiles."
"""


def test_report_finds_the_known_gaps(write_yaml) -> None:
    report = quality_report(load_companies([write_yaml(GAPS)], today=DAY), DAY)
    assert (report.companies, report.channels) == (4, 5)
    assert report.evidence.model_dump() == {"channels": 2, "channels_pct": 40.0, "complaint_routes": 2,
                                  "complaint_routes_total": 3, "complaint_routes_pct": 66.7,
                                  "facts": 4, "facts_total": 8}
    assert report.coverage_pct["channel.evidence"] == 40.0
    # a route is somewhere to send the complaint: shop's deadline alone is not one
    assert report.coverage_pct["company.complaints"] == 50.0
    assert report.counts.model_dump() == {"channels_with_hours": 2, "channels_with_response_time": 1,
                                "companies_with_complaint_route": 2, "companies_with_answer_within": 2}
    assert report.directory_only_pct == 20.0
    assert report.not_checked_in_12_months == ["tele.x", "water-co.email"]
    assert report.basic_service_without_hours == ["water-co"]
    assert report.basic_service_without_complaint_route == ["water-co"]  # shop is retail, not a basic service


def test_worklist_puts_the_most_important_gaps_first(write_yaml) -> None:
    work = quality_report(load_companies([write_yaml(GAPS)], today=DAY), DAY).worklist
    # water-co: stale 5 + no route 3 + no hours 2 + no evidence 1 + no response time 1 = 12, doubled = 24
    # tele: stale 5 + directory 4 + no evidence 1 + no response time 1 = 11, doubled = 22
    # shop: no route 3 + no hours 2 + no evidence 1 + no response time 1 = 7, not a basic service
    assert [(item.company, item.score) for item in work] == [("water-co", 24), ("tele", 22), ("shop", 7)]
    assert work[1].gaps == {"stale": 1, "directory_only": 1, "no_evidence": 1, "no_response_time": 1}
    assert work[2].gaps["no_evidence"] == 2  # its channel and its complaints block
    assert "perfect" not in {item.company for item in work}


def test_worklist_a_year_later_ranks_stale_facts(write_yaml) -> None:
    later = date(2027, 12, 1)  # every fact is now older than 12 months
    work = quality_report(load_companies([write_yaml(GAPS)], today=DAY), later).worklist
    assert [(item.company, item.score) for item in work] == [
        ("water-co", 24), ("tele", 22), ("shop", 12), ("perfect", 10)]
    assert work[3].gaps == {"stale": 2}


def test_report_on_a_fixture_with_known_gaps() -> None:
    report = quality_report(load_companies([FIXTURE], today=TODAY), TODAY)
    assert (report.companies, report.sectors, report.channels) == (2, 2, 7)
    # hours: 5 of 7 channels (e-mail and web form have none); response time: 5 of 7.
    assert report.coverage_pct["channel.hours"] == 71.4
    assert report.coverage_pct["channel.response_time"] == 71.4
    assert report.coverage_pct["company.complaints"] == 50.0
    assert report.sources_by_kind == {"company": 6, "regulator": 0, "press": 1, "consumer-org": 0, "public-body": 0, "study": 0,
                                       "directory": 0}
    assert report.channels_without_source == 0
    assert report.premium_numbers == ["acme +34 902 10 01 00"]
    assert report.companies_without_free_channel == ["beta-bank"]
    assert report.only_old_sources == ["acme.x @AcmeAyuda"]  # the press source of 2020
    assert report.not_checked_in_12_months == []
    assert report.by_sector["banking"].model_dump() == {"companies": 1, "channels": 1, "hours_pct": 100.0, "response_time_pct": 0.0,
                                              "languages_pct": 0.0, "purpose_pct": 0.0, "notes_pct": 0.0,
                                              "evidence_pct": 0.0}


def test_report_a_year_later_finds_every_check_stale() -> None:
    later = date(2028, 1, 1)
    report = quality_report(load_companies([FIXTURE], today=TODAY), later)
    # 7 channels and acme's complaint route
    assert len(report.not_checked_in_12_months) == 8 and "acme.complaints" in report.not_checked_in_12_months


def test_report_on_the_real_data() -> None:
    companies = load_companies(REAL_DATA, today=date.today())
    report = quality_report(companies, date.today())
    assert report.companies >= 50 and report.sectors >= 10 and report.channels >= 150
    assert sum(report.sources_by_kind.values()) == report.channels
    assert report.channels_without_source == 0
    assert all(ch.source.startswith("https://") and ch.source_kind and ch.checked for c in companies for ch in c.channels)
    premium = sum(1 for c in companies for ch in c.channels if ch.type == "phone" and ch.cost == "premium")
    assert len(report.premium_numbers) == premium
    assert report.evidence.channels == sum(1 for c in companies for ch in c.channels if ch.evidence)
    assert len(report.worklist) <= report.companies
    scores = [item.score for item in report.worklist]
    assert scores == sorted(scores, reverse=True)


def test_report_cli_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--today", "2026-11-24", str(FIXTURE)]) == 0
    text = capsys.readouterr().out
    assert "2 companies, 2 sectors, 7 channels" in text and "Premium / shared-cost phone numbers: 1" in text
    assert "What to research next (2 companies with gaps" in text
    assert main(["report", "--json", "--today", "2026-11-24", str(FIXTURE)]) == 0
    assert json.loads(capsys.readouterr().out)["channels"] == 7


# --- how much is defensible ---------------------------------------------------------------

def test_defensible_figures_on_the_known_gaps(write_yaml) -> None:
    report = quality_report(load_companies([write_yaml(GAPS)], today=DAY), DAY)
    section = report.defensible
    # 5 channels and 3 complaint blocks; evidence on tele's phone and route, perfect's phone and route
    assert (section.facts, section.with_evidence, section.with_evidence_pct) == (8, 4, 50.0)
    assert section.evidence_by_source_kind["company"].model_dump() == {"facts": 7, "with_evidence": 4, "pct": 57.1}
    assert section.evidence_by_source_kind["directory"].model_dump() == {"facts": 1, "with_evidence": 0, "pct": 0.0}
    assert section.checked_over_12_months_ago == ["tele.x @TeleAyuda", "water-co.email ayuda@water.es"]
    assert section.press_or_directory_sources == ["tele.x @TeleAyuda (directory) https://www.guia.example.com/tele"]
    assert section.companies_without_direct_channel == []


DIRECT = """
- id: desk-only
  name: Desk Only
  sector: retail
  countries: [ES]
  website: https://www.desk.es
  domains: [desk.es]
  timezone: Europe/Madrid
  channels:
    - {type: post, address: "Calle Mayor 1, 28001 Madrid", source: https://www.desk.es/aviso-legal, source_kind: company, checked: 2026-11-01}
    - {type: app, address: "https://www.desk.es/app", source: https://www.desk.es/app, source_kind: company, checked: 2026-11-01}
- id: public-only
  name: Public Only
  sector: retail
  countries: [ES]
  website: https://www.public.es
  domains: [public.es]
  timezone: Europe/Madrid
  channels:
    - {type: x, address: "@PublicOnly", source: https://www.public.es/redes, source_kind: company, checked: 2026-11-01}
- id: private-dm
  name: Private DM
  sector: retail
  countries: [ES]
  website: https://www.dm.es
  domains: [dm.es]
  timezone: Europe/Madrid
  channels:
    - {type: instagram, address: "@privatedm", private: true, source: https://www.dm.es/ayuda, source_kind: company, checked: 2026-11-01}
- id: measured-co
  name: Measured Co
  sector: telecom
  countries: [ES]
  website: https://www.measured.es
  domains: [measured.es]
  timezone: Europe/Madrid
  channels:
    - {type: phone, address: "+34 900 100 300", source: https://www.measured.es/contacto, source_kind: company, checked: 2026-11-01}
  measured:
    - metric: complaint_resolution_days
      value: 4.23
      unit: days
      period: "2024-07-01/2024-09-30"
      study: Informe de calidad
      source: https://www.diario.example.es/calidad
      source_kind: press
      source_date: 2025-01-08
      checked: 2026-11-01
      evidence: "Measured Co tardó 4,23 días."
"""


def test_companies_without_a_direct_channel_and_measured_figures(write_yaml) -> None:
    report = quality_report(load_companies([write_yaml(DIRECT)], today=DAY), DAY)
    section = report.defensible
    # post and app are not direct, nor a public account; a social account's private messages are
    assert section.companies_without_direct_channel == ["desk-only", "public-only"]
    assert section.companies_with_measured_figures == ["measured-co"]
    assert (section.measured, section.evidence_by_source_kind["press"].model_dump()) == (1, {"facts": 1, "with_evidence": 1, "pct": 100.0})
    # a measured figure is a fact like the others: its source's own date counts for its age
    assert section.source_over_12_months_old == ["measured-co.measured.complaint_resolution_days 2024-07-01/2024-09-30"]
    assert section.checked_over_12_months_ago == []
    assert "social network's private messages" in section.direct_channel_definition


LEADS = """
- company: tele
  type: instagram
  address: "@tele_ayuda"
  lead_source: https://www.wikidata.org/wiki/Q1
  reason: name-suggestion-index lists it; no company page confirms it is for support
- company: tele
  type: x
  address: "@teleayuda"
  lead_source: https://2fa.directory/es/
  reason: already a channel (case and @ ignored)
- company: nobody
  type: x
  address: "@nobody"
  lead_source: https://www.example.org/nobody
  reason: unknown company
- company: tele
  type: x
  address: "@TeleMore"
  reason: no lead_source
- company: tele
  type: x
  address: "@TeleHttp"
  lead_source: http://www.example.org/tele
  reason: not https
- company: tele
  type: myspace
  address: "@TeleOld"
  lead_source: https://www.example.org/tele
  reason: not a channel type
- just text
"""


def test_to_research_lists_open_leads_and_what_is_wrong_with_the_rest(write_yaml, tmp_path) -> None:
    companies = load_companies([write_yaml(GAPS)], today=DAY)
    leads_file = tmp_path / "leads.yaml"
    leads_file.write_text(LEADS, encoding="utf-8")
    section = quality_report(companies, DAY, read_leads(leads_file, companies)).to_research
    assert section is not None
    assert section.present is True
    assert [(lead["company"], lead["type"], lead["address"]) for lead in section.leads] == [("tele", "instagram", "@tele_ayuda")]
    assert [lead["address"] for lead in section.already_in_the_data] == ["@teleayuda"]
    problems = "\n".join(section.problems)
    for expected in ("lead 3: no company 'nobody'", "lead 4 has no lead_source", "lead 5: lead_source is not an https:// link",
                     "lead 6: 'myspace' is not a channel type", "lead 7 is not a mapping"):
        assert expected in problems
    assert len(section.problems) == 5
    text = format_report(quality_report(companies, DAY, read_leads(leads_file, companies)))
    assert "To research (" in text and "  - tele instagram @tele_ayuda: name-suggestion-index lists it" in text


def test_to_research_without_a_leads_file_or_with_a_broken_one(write_yaml, tmp_path) -> None:
    companies = load_companies([write_yaml(GAPS)], today=DAY)
    missing = read_leads(tmp_path / "research" / "leads.yaml", companies)
    assert (missing.present, missing.open, missing.problems) == (False, [], [])
    assert "To research: no leads file" in format_report(quality_report(companies, DAY, missing))
    broken = tmp_path / "broken.yaml"
    broken.write_text("company: tele\n", encoding="utf-8")
    assert read_leads(broken, companies).problems[0].endswith("expected a list of leads — start each lead with '- company: <id>'")
    broken.write_text("- [unclosed\n", encoding="utf-8")
    assert "not readable YAML" in read_leads(broken, companies).problems[0]


def test_report_cli_reads_the_leads_file_it_is_given(write_yaml, tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_yaml(GAPS)
    leads_file = tmp_path / "leads.yaml"
    leads_file.write_text(LEADS, encoding="utf-8")
    assert main(["report", "--json", "--today", "2026-11-30", "--leads", str(leads_file), str(data)]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["to_research"]["leads"][0]["address"] == "@tele_ayuda"
    assert found["defensible"]["facts"] == 8
    assert main(["report", "--leads", str(tmp_path / "nope.yaml"), str(data)]) == 2
