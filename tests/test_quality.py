"""The data-quality report, on a fixture with known gaps and on the real data."""

from __future__ import annotations

import json
from datetime import date

import pytest

from generator.cli import main
from generator.pipeline import load_companies
from generator.quality import quality_report

from .conftest import CASES, REAL_DATA, TODAY

FIXTURE = CASES / "site" / "companies.yaml"  # 2 companies, 7 channels, gaps listed below


def test_report_on_a_fixture_with_known_gaps() -> None:
    report = quality_report(load_companies([FIXTURE], today=TODAY), TODAY)
    assert (report["companies"], report["sectors"], report["channels"]) == (2, 2, 7)
    # hours: 5 of 7 channels (e-mail and web form have none); response time: 5 of 7.
    assert report["coverage_pct"]["channel.hours"] == 71.4
    assert report["coverage_pct"]["channel.response_time"] == 71.4
    assert report["coverage_pct"]["company.complaints"] == 50.0
    assert report["sources_by_kind"] == {"company": 6, "regulator": 0, "press": 1, "consumer-org": 0, "directory": 0}
    assert report["channels_without_source"] == 0
    assert report["premium_numbers"] == ["acme +34 902 10 01 00"]
    assert report["companies_without_free_channel"] == ["beta-bank"]
    assert report["only_old_sources"] == ["acme.x @AcmeAyuda"]  # the press source of 2020
    assert report["not_checked_in_12_months"] == []
    assert report["by_sector"]["banking"] == {"companies": 1, "channels": 1, "hours_pct": 100.0, "response_time_pct": 0.0,
                                              "languages_pct": 0.0, "purpose_pct": 0.0, "notes_pct": 0.0}


def test_report_a_year_later_finds_every_check_stale() -> None:
    later = date(2028, 1, 1)
    report = quality_report(load_companies([FIXTURE], today=TODAY), later)
    assert len(report["not_checked_in_12_months"]) == 7


def test_report_on_the_real_data() -> None:
    companies = load_companies(REAL_DATA, today=date.today())
    report = quality_report(companies, date.today())
    assert report["companies"] >= 50 and report["sectors"] >= 10 and report["channels"] >= 150
    assert sum(report["sources_by_kind"].values()) == report["channels"]
    assert report["channels_without_source"] == 0
    assert all(ch.source.startswith("https://") and ch.source_kind and ch.checked for c in companies for ch in c.channels)
    premium = sum(1 for c in companies for ch in c.channels if ch.type == "phone" and ch.cost == "premium")
    assert len(report["premium_numbers"]) == premium


def test_report_cli_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--today", "2026-11-24", str(FIXTURE)]) == 0
    text = capsys.readouterr().out
    assert "2 companies, 2 sectors, 7 channels" in text and "Premium / shared-cost phone numbers: 1" in text
    assert main(["report", "--json", "--today", "2026-11-24", str(FIXTURE)]) == 0
    assert json.loads(capsys.readouterr().out)["channels"] == 7
