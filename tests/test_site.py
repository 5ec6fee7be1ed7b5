"""Build the real site with `mkdocs build --strict` and read the HTML it wrote."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.pipeline import load_companies

from .conftest import CASES, ROOT
from .sitebuild import mkdocs_build, write_config

pytestmark = pytest.mark.site
FIXTURE = CASES / "site" / "companies.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fixture-site")
    data = folder / "companies.yaml"
    shutil.copy(FIXTURE, data)
    result = mkdocs_build(write_config(folder, data), folder)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return folder / "site"


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_one_page_per_company_with_its_channels(built: Path) -> None:
    acme = page(built, "empresas/acme")
    hooks = [card["data-channel"] for card in acme.select("[data-channel]")]
    assert sorted(hooks) == ["email", "phone", "phone-2", "webform", "whatsapp", "x"]
    assert len(page(built, "empresas/beta-bank").select("[data-channel]")) == 1


def test_channels_are_ranked_by_stated_time_then_cost(built: Path) -> None:
    hooks = [card["data-channel"] for card in page(built, "empresas/acme").select("[data-channel]")]
    # 30m, 2h, then the two 2-day phones (free 900 before premium 902), 3 working days, no stated time.
    assert hooks == ["whatsapp", "x", "phone", "phone-2", "email", "webform"]
    assert "900" in page(built, "empresas/acme").select_one('[data-channel="phone"] .dr-address').text


def test_each_channel_type_links_the_right_way(built: Path) -> None:
    acme = page(built, "empresas/acme")
    link = {hook: acme.select_one(f'[data-channel="{hook}"] .dr-address a')["href"]
            for hook in ("phone", "phone-2", "whatsapp", "x", "email", "webform")}
    assert link["phone"] == "tel:+34900100100"
    assert link["phone-2"] == "tel:+34902100100"
    assert link["whatsapp"] == "https://wa.me/34600000000"
    assert link["x"] == "https://x.com/AcmeAyuda"
    assert link["email"] == "mailto:atencion@acme.es"
    assert link["webform"] == 'https://www.acme.es/formulario?a=1&b="2"'


def test_premium_number_public_channel_and_old_source_are_called_out(built: Path) -> None:
    acme = page(built, "empresas/acme")
    premium = acme.select_one('[data-channel="phone-2"]')
    assert premium["data-cost"] == "premium" and "tarifa especial" in premium.text.lower()
    x = acme.select_one('[data-channel="x"]')
    assert x["data-private"] == "false" and "nunca publiques tu DNI" in x.text
    assert "prensa, 2020" in x.select_one(".dr-source").text and x.select_one(".dr-old")


def test_text_from_the_data_is_shown_as_typed(built: Path) -> None:
    raw = (built / "empresas/acme/index.html").read_text(encoding="utf-8")
    acme = BeautifulSoup(raw, "html.parser")
    name = 'Acme <script>alert(1)</script> "Q" *bold* [x](https://evil.example)'
    assert acme.select_one("h1").text == name
    assert acme.select_one("title").text.startswith(name)
    assert "<script>alert(" not in raw and "</script><script>" not in raw
    assert not acme.select('a[href="https://evil.example"]') and not acme.select("em, strong:-soup-contains('bold')")
    assert acme.select_one(".dr-notes").text == "<img src=x onerror=alert(2)> **not bold** {{ jinja }} {% raw %}"
    assert not acme.select("img[onerror]")
    whatsapp_notes = acme.select_one('[data-channel="whatsapp"] .dr-channel-notes').text
    assert whatsapp_notes == "</script><script>alert(3)</script>"


def test_external_links_are_nofollow(built: Path) -> None:
    acme = page(built, "empresas/acme")
    external = [a for a in acme.select(".dr-company a[href^='https://']")]
    assert external and all({"nofollow", "noopener"} <= set(a.get("rel", [])) for a in external)
    assert all("ugc" in a["rel"] for a in acme.select(".dr-card a[href^='https://']"))


def test_json_ld_parses_and_describes_the_company(built: Path) -> None:
    acme = page(built, "empresas/acme")
    data = json.loads(acme.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Organization" and data["name"].startswith("Acme <script>")
    assert {"telephone": "+34 900 100 100"}.items() <= next(p for p in data["contactPoint"] if p.get("telephone") == "+34 900 100 100").items()


def test_api_equals_the_validated_models(built: Path) -> None:
    companies = load_companies([FIXTURE], today=date(2026, 11, 24))
    summary = json.loads((built / "api/v1/companies.json").read_text(encoding="utf-8"))
    assert summary["count"] == len(companies) == 2
    for company in companies:
        full = json.loads((built / f"api/v1/companies/{company.id}.json").read_text(encoding="utf-8"))
        assert full == company.model_dump(mode="json")
    assert json.loads((built / "schema/company.schema.json").read_text())["title"] == "Company"


def test_indexes_reach_every_company(built: Path) -> None:
    for index in ("a-z", "sectores", "canales", "respuesta", "24-7"):
        assert (built / "indices" / index / "index.html").exists()
    az = page(built, "indices/a-z")
    assert {a["href"] for a in az.select(".dr-list a")} == {"../../empresas/acme/", "../../empresas/beta-bank/"}
    whatsapp = page(built, "indices/canales").select_one("#whatsapp + ul")
    assert whatsapp and "Acme" in whatsapp.text and "Beta" not in whatsapp.text
    rows = page(built, "indices/respuesta").select("table.dr-sortable tbody tr")
    assert [r.select("td")[3]["data-sort-value"] for r in rows] == ["30", "120", "2880", "2880", "6048"]
    assert "Acme" in page(built, "indices/24-7").text and "Beta" not in page(built, "indices/24-7").select_one(".dr-index").text


def test_alias_search_lands_on_the_company(built: Path) -> None:
    index = json.loads((built / "search/search_index.json").read_text(encoding="utf-8"))
    hits = [doc["location"] for doc in index["docs"] if "AcmeAliasUnique" in doc["text"]]
    assert hits and all(loc.startswith("empresas/acme/") for loc in hits)
    assert index["config"]["lang"] == ["es", "en"]


def test_company_pages_are_not_in_the_sidebar(built: Path) -> None:
    home = page(built, "")
    assert not home.select('nav a[href*="empresas/"]')


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_invalid_data_stops_the_build_and_leaves_the_previous_site(tmp_path: Path) -> None:
    data = tmp_path / "companies.yaml"
    shutil.copy(FIXTURE, data)
    config = write_config(tmp_path, data)
    assert mkdocs_build(config, tmp_path).returncode == 0
    before = tree_digest(tmp_path / "site")
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace('hours: "Mo-Su 08:00-22:00"', 'hours: "Lu-Do 8-22"'), encoding="utf-8")
    line = text.splitlines().index('      hours: "Mo-Su 08:00-22:00"') + 1
    result = mkdocs_build(config, tmp_path)
    assert result.returncode != 0
    assert f"companies.yaml:{line}:14: acme.channels[1].hours" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(tmp_path / "site") == before


def test_bundled_data_builds_strict_with_no_warnings(tmp_path: Path) -> None:
    result = mkdocs_build(write_config(tmp_path, ROOT / "companies.yaml"), ROOT)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    companies = load_companies([ROOT / "companies.yaml"], today=date(2026, 11, 24))
    for company in companies:
        html = (tmp_path / "site/empresas" / company.id / "index.html").read_text(encoding="utf-8")
        assert html.count("data-channel=") == len(company.channels)
        assert (tmp_path / "site/api/v1/companies" / f"{company.id}.json").exists()
        json.loads(BeautifulSoup(html, "html.parser").select_one('script[type="application/ld+json"]').string)
