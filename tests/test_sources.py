"""`python -m generator sources check` against a real local HTTPS server (tests/sources_server.py).

Every host of the fixture data is sent to 127.0.0.1 with --connect-to and trusted with --ca-bundle,
exactly as a maintainer checks against a staging server; nothing leaves this machine.
"""

from __future__ import annotations

import io
import itertools
import json
import socket
import time
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from generator.cli import main
from generator.tools.sources.fetch import PROJECT_URL, Route, _network_problem
from generator.tools.sources.judge import closest_passage, quote_found
from generator.tools.sources.run import Progress

from .sources_server import QUOTE, Server, serve

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-12-03"
# A generous deadline, so a loaded machine does not turn a fixture into a timeout; the slow drip has its own test.
FAST = ["--today", TODAY, "--delay", "0", "--timeout", "8", "--max-bytes", "1000000"]


def _channel(url: str, evidence: str | None = QUOTE, kind: str = "webform", address: str | None = None) -> dict[str, Any]:
    channel: dict[str, Any] = {"type": kind, "address": address or url, "source": url, "source_kind": "press",
                               "checked": date(2026, 12, 1) if evidence else date(2026, 11, 1)}  # evidence is due from 11-30
    if evidence is not None:
        channel["evidence"] = evidence
    return channel


def _company(company_id: str, website: str, channels: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"id": company_id, "name": company_id.title(), "sector": "other", "countries": ["ES"], "website": website,
            "domains": ["example.es"], "timezone": "Europe/Madrid", "channels": channels, **extra}


P = "https://pages.example"
FIXTURES = [
    _company("ejemplo", "https://web.example/", [
        _channel(f"{P}/ok", kind="phone", address="+34 900 123 456"),
        _channel(f"{P}/ok", "Escríbanos a [...] ayuda@pages.example", kind="email", address="ayuda@pages.example"),
        _channel(f"{P}/ok", "«Atención al cliente»: llame […] de LUNES a viernes", kind="x", address="@EjemploAyuda"),
        _channel(f"{P}/drift", kind="phone", address="+34 900 760 033"),
    ], complaints={"email": "reclamaciones@pages.example", "source": f"{P}/ok", "source_kind": "press",
                   "checked": date(2026, 12, 1), "evidence": "Atención al cliente"}),
    _company("estados", f"{P}/plain", [
        _channel(f"{P}/gone"), _channel(f"{P}/broken"), _channel(f"{P}/redirect"), _channel(f"{P}/loop-a"),
        _channel(f"{P}/moved"), _channel(f"{P}/image"), _channel(f"{P}/pdf", "Atención al cliente: llame al 900 123 456."),
        _channel("https://robots.example/private"), _channel("https://www.pages.example/ok"),
        _channel("https://untrusted.example/"),
    ]),
    _company("hostil", "https://brokenld.example/", [
        _channel(f"{P}/wrong-charset"), _channel(f"{P}/no-charset"), _channel(f"{P}/meta-charset"),
        _channel(f"{P}/invalid-html"), _channel(f"{P}/deep"), _channel(f"{P}/empty"),
        _channel("https://big.example/"), _channel("https://big.example/undeclared"), _channel("https://endless.example/"),
        _channel("https://bomb.example/"),
    ]),
    _company("anidado", "https://deepld.example/", [_channel(f"{P}/etag", evidence=None)]),
]


def _write(folder: Path, companies: list[dict[str, Any]]) -> Path:
    path = folder / "companies.yaml"
    path.write_text(yaml.safe_dump(companies, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["sources", "check", *args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(tmp_path_factory.mktemp("tls")) as running:
        yield running


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("data"), FIXTURES)


@pytest.fixture(scope="module")
def report(server: Server, data: Path) -> dict[str, Any]:
    started = time.perf_counter()
    code, out, err = _run(str(data), "--format", "json", *FAST, *server.args())
    report: dict[str, Any] = json.loads(out)
    report["_exit"], report["_stderr"], report["_wall"] = code, err, time.perf_counter() - started
    return report


def _by_fact(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["company"], r["field"]): r for r in report["results"] if r["status"] != "proposal"}


def test_each_status_and_each_hostile_page(report: dict[str, Any]) -> None:
    results = _by_fact(report)
    expected = {
        ("ejemplo", "channels[0]"): "ok", ("ejemplo", "channels[1]"): "ok", ("ejemplo", "channels[2]"): "ok",
        ("ejemplo", "channels[3]"): "drift", ("ejemplo", "complaints"): "ok",
        ("estados", "channels[0]"): "dead", ("estados", "channels[1]"): "dead", ("estados", "channels[2]"): "ok",
        ("estados", "channels[3]"): "error", ("estados", "channels[4]"): "moved", ("estados", "channels[5]"): "error",
        ("estados", "channels[6]"): "ok", ("estados", "channels[7]"): "blocked", ("estados", "channels[8]"): "ok",
        ("estados", "channels[9]"): "error", ("estados", "website"): "ok",
        ("hostil", "channels[0]"): "drift", ("hostil", "channels[1]"): "ok", ("hostil", "channels[2]"): "ok",
        ("hostil", "channels[3]"): "ok", ("hostil", "channels[4]"): "ok", ("hostil", "channels[5]"): "error",
        ("hostil", "channels[6]"): "error", ("hostil", "channels[7]"): "error", ("hostil", "channels[8]"): "error",
        ("hostil", "channels[9]"): "error", ("hostil", "website"): "error",
        ("anidado", "channels[0]"): "ok", ("anidado", "website"): "error",
    }
    assert {key: r["status"] for key, r in results.items()} == expected
    assert report["_exit"] == 1 and report["_stderr"] == ""
    detail = {key: r["detail"] for key, r in results.items()}
    assert detail[("estados", "channels[0]")] == "HTTP 404" and detail[("estados", "channels[1]")] == "HTTP 500"
    assert "redirect loop" in detail[("estados", "channels[3]")]
    assert results[("estados", "channels[4]")]["final_url"] == "https://other.example/new-home"
    assert "not a text page (image/png)" in detail[("estados", "channels[5]")]
    assert "robots.txt" in detail[("estados", "channels[7]")]
    assert "certificate" in detail[("estados", "channels[9]")]
    assert results[("estados", "channels[2]")]["final_url"] == f"{P}/ok"
    assert detail[("hostil", "channels[5]")] == "the page is empty"
    assert "52,428,800 bytes declared" in detail[("hostil", "channels[6]")]
    assert "too large" in detail[("hostil", "channels[7]")] and "too large" in detail[("hostil", "channels[8]")]
    assert "decompressed" in detail[("hostil", "channels[9]")]
    assert "not valid utf-8" in results[("hostil", "channels[0]")]["note"]
    assert "windows-1252" in results[("hostil", "channels[1]")]["note"]
    assert "nested more than" in results[("hostil", "channels[4]")]["note"]
    assert "structured data cannot be read" in detail[("hostil", "website")]


def test_drift_shows_the_closest_passage_and_whether_the_address_is_there(report: dict[str, Any]) -> None:
    results = _by_fact(report)
    drift = results[("ejemplo", "channels[3]")]
    assert drift["closest"].startswith("Atención al cliente: llame al 900 123 999")
    assert 0.5 < drift["similarity"] < 1 and drift["address_found"] is False
    assert results[("ejemplo", "channels[0]")]["address_found"] is True  # "900 123 456" written with spaces
    assert results[("ejemplo", "channels[1]")]["address_found"] is True
    assert results[("ejemplo", "channels[2]")]["address_found"] is True  # the handle, in a link to x.com
    assert results[("ejemplo", "complaints")]["address_found"] is False
    assert results[("anidado", "channels[0]")]["detail"].startswith("no evidence quote to compare")


def test_proposals_come_from_the_companys_structured_data(report: dict[str, Any], data: Path) -> None:
    proposals = [r for r in report["results"] if r["status"] == "proposal"]
    assert sorted((r["company"], r["kind"], r["address"]) for r in proposals) == [
        ("ejemplo", "instagram", "@ejemplo.es"), ("ejemplo", "phone", "+34 910 000 111")]
    phone = next(r for r in proposals if r["kind"] == "phone")
    assert phone["proposal"] == {"type": "phone", "address": "+34 910 000 111", "source": "https://web.example/",
                                 "contact_type": "customer service", "hours": "Mo-Fr 09:00-18:00", "languages": ["es", "en"]}
    assert '"telephone": "+34 910 000 111"' in phone["evidence"]
    website_line = next(n for n, line in enumerate(data.read_text(encoding="utf-8").splitlines(), 1) if "web.example/" in line)
    assert all(r["where"].endswith(f"companies.yaml:{website_line}:12") for r in proposals)  # the company's `website:`


def test_the_json_validates_against_its_schema(report: dict[str, Any]) -> None:
    schema = json.loads((ROOT / "schema" / "sources-check.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    published = {key: value for key, value in report.items() if not key.startswith("_")}
    jsonschema.validate(published, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert sum(published["counts"].values()) == len(published["results"])


def test_requests_name_the_project_and_take_turns_per_host(server: Server, tmp_path: Path) -> None:
    companies = [_company("pausa", "https://delay.example/one", [
        _channel("https://delay.example/one"), _channel("https://delay.example/two"), _channel("https://delay.example/three")])]
    before = len(server.log.requests)
    code, out, _ = _run(str(_write(tmp_path, companies)), "--today", TODAY, "--delay", "0.3", "--no-proposals", *server.args())
    assert code == 0, out
    mine = [r for r in server.log.requests[before:] if r[0] == "delay.example"]
    assert mine[0][1] == "/robots.txt" and len(mine) == 4
    assert all(PROJECT_URL in agent for _, _, agent, _, _ in mine)
    gaps = [later[4] - earlier[4] for earlier, later in itertools.pairwise(mine)]
    assert min(gaps) >= 0.29, gaps


def test_a_slow_drip_ends_at_the_deadline(server: Server, tmp_path: Path) -> None:
    path = _write(tmp_path, [_company("goteo", "https://slow.example/", [_channel("https://slow.example/")])])
    started = time.perf_counter()
    code, out, _ = _run(str(path), "--format", "json", "--today", TODAY, "--timeout", "1", "--no-proposals", *server.args())
    [result] = json.loads(out)["results"]
    assert code == 1 and result["status"] == "error" and "timed out after 1 s" in result["detail"]
    assert time.perf_counter() - started < 30


def test_conditional_requests_use_the_cache(server: Server, tmp_path: Path) -> None:
    path = _write(tmp_path, [_company("cache", f"{P}/etag", [_channel(f"{P}/etag")])])
    args = [str(path), "--format", "json", "--cache", str(tmp_path / "cache"), "--no-proposals", *FAST, *server.args()]
    first = json.loads(_run(*args)[1])
    before = len(server.log.requests)
    code, out, _ = _run(*args)
    second = json.loads(out)
    assert code == 0 and first["results"][0]["status"] == second["results"][0]["status"] == "ok"
    assert second["results"][0]["detail"] == "the evidence quote is on the page"
    assert [r[3] for r in server.log.requests[before:] if r[1] == "/etag"] == [True]  # asked with If-None-Match
    assert second["results"][0]["http_status"] == 304


def test_text_and_github_formats(server: Server, data: Path) -> None:
    code, text, _ = _run(str(data), "--company", "ejemplo", *FAST, *server.args())
    assert code == 1
    assert "ejemplo.channels[3] (phone +34 900 760 033): drift: the evidence quote is not on the page" in text
    assert 'closest: "Atención al cliente: llame al 900 123 999' in text
    assert "proposal" in text and text.splitlines()[-1].startswith("5 facts and 1 websites")
    code, markdown, _ = _run(str(data), "--company", "ejemplo", "--format", "github", *FAST, *server.args())
    assert code == 1
    assert "| status | fact | where | source | what was found |" in markdown
    assert "| drift | ejemplo.channels[3] (phone +34 900 760 033) |" in markdown


def test_all_ok_exits_0(server: Server, tmp_path: Path) -> None:
    path = _write(tmp_path, [_company("bien", f"{P}/plain", [_channel(f"{P}/ok"), _channel(f"{P}/meta-charset")])])
    code, out, _ = _run(str(path), *FAST, *server.args())
    assert code == 0, out
    assert out.strip().endswith("ok 3")


@pytest.mark.parametrize(("args", "message"), [
    (["--connect-to", "nonsense"], "--connect-to expects HOST1:PORT1:HOST2:PORT2"),
    (["--ca-bundle", "/no/such/ca.pem"], "no such file"),
    (["--company", "nadie"], "no company with id nadie"),
    (["--timeout", "0"], "--timeout must be a positive"),
])
def test_usage_errors_exit_2(data: Path, tmp_path: Path, args: list[str], message: str) -> None:
    code, out, err = _run(str(data), "--today", TODAY, *args)
    assert code == 2 and message in err and out == ""


def test_a_ca_bundle_that_is_not_pem_is_a_setup_error(data: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate", encoding="utf-8")
    code, _, err = _run(str(data), "--today", TODAY, "--ca-bundle", str(bundle), "--connect-to", "::127.0.0.1:9")
    assert code == 2 and "cannot read certificates" in err


def test_the_bundled_data_without_network_is_error_for_every_source_quickly() -> None:
    # A port bound but not listening refuses connections: every host goes there, nothing leaves 127.0.0.1.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        paths = [str(p) for p in (ROOT / "companies.yaml", ROOT / "companies") if p.exists()]
        started = time.perf_counter()
        code, out, err = _run(*paths, "--format", "json", "--delay", "0", "--connect-to", f"::127.0.0.1:{port}")
        seconds = time.perf_counter() - started
    report = json.loads(out)
    assert code == 2 and "no server answered" in err
    assert report["facts"] > 200 and {r["status"] for r in report["results"]} == {"error"}
    assert all("connection refused" in r["detail"] for r in report["results"])
    assert seconds < 30, seconds


def test_quote_matching_folds_case_accents_quotes_and_whitespace() -> None:
    page = "Horario : <24 horas>, 7 días.\n“Gratuito” desde España — en numeración corta."
    assert quote_found('horario: 24 horas [...] "gratuito" desde espana - en numeracion corta', page.replace("<", "").replace(">", ""))
    assert not quote_found("gratuito desde España [...] Horario", page)  # fragments must come in order
    assert not quote_found("Horario: 25 horas", page)
    assert quote_found("numeración corta", "nume\u00adra\u200bción\u00a0corta")  # soft hyphen, zero-width and no-break spaces
    passage = closest_passage("Gratuito desde Portugal en numeración corta", page)
    assert passage is not None and passage[0].startswith("“Gratuito” desde España") and passage[1] == 0.83


def test_a_domain_that_does_not_exist_is_dead_and_no_dns_is_error() -> None:
    def failure(code: int) -> httpx.ConnectError:
        problem = httpx.ConnectError("lookup failed")
        problem.__cause__ = socket.gaierror(code, "lookup failed")
        return problem
    assert _network_problem("https://nx.example/", failure(socket.EAI_NONAME)).outcome == "dead"
    assert _network_problem("https://nx.example/", failure(socket.EAI_AGAIN)).outcome == "error"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_drawn_only_on_a_terminal() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = Progress(2, stream)
        bar.step("https://a.example/")
        bar.step("https://b.example/")
    assert "[###############...............] 1/2 https://a.example/" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\x1b[K") and pipe.getvalue() == ""


def test_connect_to_reads_as_curl_does() -> None:
    assert Route.parse("::127.0.0.1:8443") == Route("", None, "127.0.0.1", 8443)
    assert Route.parse("a.example:443:[::1]:8443") == Route("a.example", 443, "::1", 8443)
    assert Route.parse("a.example:443:[::1]:8443").matches("a.example", 443)
    assert not Route.parse("a.example:443:[::1]:8443").matches("a.example", 80)
    with pytest.raises(ValueError, match="HOST1:PORT1:HOST2:PORT2"):
        Route.parse("a.example:443:b.example")
