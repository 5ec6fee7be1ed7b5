"""Unit tests of load + validate on small inputs: values as typed, normalisation, positions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.data._parallel import check
from generator.data.errors import DataErrors
from generator.data.fields import Duration
from generator.data.loader import FilePart, file_parts, load_part, load_paths
from generator.data.validate import Checked, validate
from generator.data.vocabulary import ChannelType, Cost

from .conftest import CASES, TODAY

ENTRY = """\
- id: acme
  name: Acme
  sector: telecom
  countries: [ES]
  website: https://www.acme.es
  domains: [acme.es]
  timezone: Europe/Madrid
  channels:
{channels}
"""

PHONE = """\
    - type: phone
      address: "{address}"
      source: https://www.acme.es/contacto
      source_kind: company
      checked: 2026-11-01
"""


def test_yaml_11_traps_are_read_as_typed() -> None:
    [company] = validate(load_paths([CASES / "valid" / "yaml-traps-read-as-typed.yaml"]), today=TODAY)
    assert company.name == "NO"
    assert company.countries == ["ES", "NO"]
    assert company.aliases == ["null-company", "yes", "1e3", "0x1F"]
    phone, whatsapp = company.channels
    assert phone.address == "+34 910 00 00 00"
    assert phone.hours == "Mo-Fr 08:00-21:00"
    assert phone.checked == date(2026, 11, 1)
    assert whatsapp.languages == ["no", "es"]
    assert whatsapp.response_time == Duration(2, "hours")


@pytest.mark.parametrize(("address", "normalised", "cost"), [
    ("+34 900 100 100", "+34 900 100 100", Cost.FREE),
    ("900100100", "+34 900 100 100", Cost.FREE),
    ("+34 902 100 100", "+34 902 10 01 00", Cost.PREMIUM),
    ("915 197 197", "+34 915 19 71 97", Cost.STANDARD),
    ("1004", "1004", Cost.UNKNOWN),
])
def test_phone_numbers_are_normalised_and_costed(write_yaml, address: str, normalised: str, cost: Cost) -> None:
    path = write_yaml(ENTRY.format(channels=PHONE.format(address=address)))
    [company] = validate(load_paths([path]), today=TODAY)
    assert company.channels[0].address == normalised
    assert company.channels[0].cost is cost


@pytest.mark.parametrize(("kind", "written", "normalised", "private"), [
    ("x", "https://twitter.com/Renfe", "@Renfe", False),
    ("x", "Renfe", "@Renfe", False),
    ("instagram", "@acme.es", "@acme.es", False),
    ("whatsapp", "https://wa.me/34600000000", "+34 600 00 00 00", True),
    ("email", "mailto:atencion@acme.es", "atencion@acme.es", True),
])
def test_addresses_are_normalised_per_type(write_yaml, kind: str, written: str, normalised: str, private: bool) -> None:
    channel = PHONE.format(address=written).replace("type: phone", f"type: {kind}")
    [company] = validate(load_paths([write_yaml(ENTRY.format(channels=channel))]), today=TODAY)
    assert company.channels[0].type is ChannelType(kind)
    assert company.channels[0].address == normalised
    assert company.channels[0].private is private


def test_every_problem_of_every_entry_is_reported_at_once(write_yaml) -> None:
    bad_phone = PHONE.format(address="nope")
    text = ENTRY.format(channels=bad_phone) + ENTRY.format(channels=bad_phone).replace("id: acme", "id: other")
    text = text.replace("sector: telecom", "sector: telco")
    with pytest.raises(DataErrors) as failure:
        validate(load_paths([write_yaml(text)]), today=TODAY)
    fields = [e.field for e in failure.value.errors]
    assert fields == ["acme.sector", "acme.channels[0].address", "other.sector", "other.channels[0].address"]


def test_folder_of_files_one_company_each(tmp_path) -> None:
    one = ENTRY.format(channels=PHONE.format(address="+34 900 100 100"))
    for slug in ("beta", "alpha"):
        # a folder file holds one mapping: strip the list dash and dedent
        body = one.replace("id: acme", f"id: {slug}")
        (tmp_path / f"{slug}.yaml").write_text("\n".join(line[2:] for line in body.splitlines()) + "\n")
    companies = validate(load_paths([tmp_path]), today=TODAY)
    assert [c.id for c in companies] == ["alpha", "beta"]


def test_duplicate_id_across_files_is_reported_at_both_places(tmp_path) -> None:
    one = ENTRY.format(channels=PHONE.format(address="+34 900 100 100"))
    (tmp_path / "a.yaml").write_text(one)
    (tmp_path / "b.yaml").write_text(one)
    with pytest.raises(DataErrors) as failure:
        validate(load_paths([tmp_path]), today=TODAY)
    first, second = failure.value.errors  # the new file may sort first: each place names the other
    assert first.mark.file.endswith("a.yaml") and "b.yaml:1:7" in first.message
    assert second.mark.file.endswith("b.yaml") and second.mark.line == 1 and "a.yaml:1:7" in second.message


def test_evidence_is_required_for_facts_checked_from_the_day_it_landed(write_yaml) -> None:  # type: ignore[no-untyped-def]
    new_phone = PHONE.format(address="+34 900 100 100").replace("2026-11-01", "2026-11-30")
    with pytest.raises(DataErrors) as failure:
        validate(load_paths([write_yaml(ENTRY.format(channels=new_phone))]), today=date(2026, 12, 1))
    [error] = failure.value.errors
    assert error.field == "acme.channels[0].evidence" and "need `evidence`" in error.message
    quoted = new_phone + '      evidence: "Llámanos gratis al 900 100 100"\n'
    [company] = validate(load_paths([write_yaml(ENTRY.format(channels=quoted))]), today=date(2026, 12, 1))
    assert company.channels[0].evidence == "Llámanos gratis al 900 100 100"
    # facts checked before the field landed stay valid without it
    validate(load_paths([write_yaml(ENTRY.format(channels=PHONE.format(address="+34 900 100 100")))]), today=date(2026, 12, 1))


def _problems(run: Callable[[], object]) -> list[str]:
    with pytest.raises(DataErrors) as failure:
        run()
    return [str(error) for error in failure.value.errors]


def _broken_entries(*, without_id: bool) -> list[dict[str, Any]]:
    from benchmarks import synthetic

    entries = list(synthetic.companies(40, seed=5))
    entries[3]["nam"] = entries[3].pop("name")  # a problem in the first share
    entries[35]["channels"][0]["checked"] = "yesterday"  # a problem in the last share
    if without_id:
        del entries[20]["id"]  # named by its place in its file
    else:
        entries[20]["sector"] = "no-such-sector"
    return entries


def test_checking_in_several_processes_finds_exactly_what_one_process_finds(tmp_path: Path) -> None:
    """`generator validate` shares large data between processes, each reading runs of one file or its own files of
    a folder: the same problems, in the same order, at the same lines, and the same summary."""
    from benchmarks import synthetic

    data = synthetic.write_file(_broken_entries(without_id=True), tmp_path / "companies.yaml")
    assert len(file_parts([data], 3, split_from=1)) == 3  # the file is read in three runs
    serial = _problems(lambda: validate(load_paths([data]), today=TODAY))
    assert _problems(lambda: check([data], today=TODAY, processes=3, parallel_from=1)) == serial
    assert len(serial) >= 3 and any("companies.yaml:" in line and "[20]" in line for line in serial)

    folder = synthetic.write_folder(_broken_entries(without_id=False), tmp_path / "companies")
    serial = _problems(lambda: validate(load_paths([folder]), today=TODAY))
    assert _problems(lambda: check([folder], today=TODAY, processes=3, parallel_from=1)) == serial

    unreadable = synthetic.write_folder(list(synthetic.companies(40, seed=5)), tmp_path / "unreadable")
    for broken in sorted(unreadable.iterdir())[5::30]:  # a YAML syntax error in each share
        broken.write_text(broken.read_text(encoding="utf-8") + "channels: [unclosed\n", encoding="utf-8")
    serial = _problems(lambda: validate(load_paths([unreadable]), today=TODAY))
    assert _problems(lambda: check([unreadable], today=TODAY, processes=2, parallel_from=1)) == serial
    assert len(serial) == 2 and all("YAML" in line for line in serial)

    entries = list(synthetic.companies(40, seed=5))
    entries[30]["id"] = entries[2]["id"]  # a duplicate across the shares: the message points at the first use
    duplicated = synthetic.write_file(entries, tmp_path / "duplicated.yaml")
    serial = _problems(lambda: validate(load_paths([duplicated]), today=TODAY))
    assert _problems(lambda: check([duplicated], today=TODAY, processes=2, parallel_from=1)) == serial
    assert any("duplicate id" in line for line in serial)

    valid = synthetic.write_file(list(synthetic.companies(40, seed=5)), tmp_path / "valid.yaml")
    summaries = check([valid], today=TODAY, processes=2, parallel_from=1)
    assert summaries == [Checked(c.id, tuple(c.renamed_from), c.origin, len(c.channels))  # type: ignore[arg-type]
                         for c in validate(load_paths([valid]), today=TODAY)]


def test_a_run_cut_in_the_wrong_place_is_read_again_in_one_piece(tmp_path: Path) -> None:
    """A line that looks like a new entry inside quoted text: the run before it does not read clean, so the file
    is read whole, and the result is what one process finds."""
    others = "".join(ENTRY.format(channels=PHONE.format(address=f"+34 900 100 10{n}")).replace("acme", f"acme-{n}")
                     for n in range(1))
    padding = "      y sigue\n" * (len(others) // 14 + 40)  # puts the look-alike line just past the middle: the cut
    first = ENTRY.format(channels=PHONE.format(address="+34 900 100 100")).replace(
        "  name: Acme\n", f'  name: Acme\n  notes:\n    es: "Primera línea\n{padding}- que parece una entrada"\n')
    data = tmp_path / "companies.yaml"
    data.write_text(first + others, encoding="utf-8")
    runs = [run for run in file_parts([data], 2, split_from=1) if isinstance(run, FilePart)]
    assert any(run.text and run.text.startswith("- que parece") for run in runs)
    assert any(load_part(run) is None for run in runs)
    expected = validate(load_paths([data]), today=TODAY)
    assert "- que parece" in str(expected[0].notes)
    assert [c.id for c in check([data], today=TODAY, processes=2, parallel_from=1)] == [c.id for c in expected]


@pytest.mark.parametrize(("source", "accepted"), [
    ("https://www.bde.es/wbe/es/para-ciudadano/", True),  # an escalation body's domain
    ("https://usuariosteleco.digital.gob.es/reclamaciones/", True),  # a body's url host
    ("https://www.usuariosteleco.gob.es/te-interesa/", True),  # listed in regulator_domains
    ("https://www.seguridadaerea.gob.es/es/", True),  # listed; the body's own url is on sede.
    ("https://www.gavaciutat.cat/es/reclamar-tall-llum", False),  # a town council
    ("https://bde.es.example.com/", False),  # a look-alike host
    ("https://notbde.es/", False),  # a suffix match is not a subdomain
    ("https://www.ocu.org/reclamar/informacion-consumidores", False),  # a body, but a consumers' association
])
def test_regulator_sources_must_sit_on_a_regulator_domain(write_yaml, source: str, accepted: bool) -> None:
    channel = PHONE.format(address="+34 900 100 100").replace(
        "source: https://www.acme.es/contacto\n      source_kind: company",
        f"source: {source}\n      source_kind: regulator")
    path = write_yaml(ENTRY.format(channels=channel))
    if accepted:
        [company] = validate(load_paths([path]), today=TODAY)
        assert company.channels[0].source == source
        return
    with pytest.raises(DataErrors) as failure:
        validate(load_paths([path]), today=TODAY)
    [error] = failure.value.errors
    assert error.field == "acme.channels[0].source_kind"
    assert error.message == f"source is claimed as 'regulator' but {source} is not on a regulator's domain " \
        "(the escalation bodies' or regulator_domains in generator/data/legal/escalation.yaml)"
    assert error.hint.startswith("use public-body, or add the domain with a reason to regulator_domains")


@pytest.mark.parametrize("kind", ["public-body", "study"])
def test_public_bodies_and_studies_are_source_kinds_on_any_domain(write_yaml, kind: str) -> None:
    channel = PHONE.format(address="+34 900 100 100").replace(
        "source: https://www.acme.es/contacto\n      source_kind: company",
        f"source: https://www.gavaciutat.cat/es/reclamar-tall-llum\n      source_kind: {kind}")
    [company] = validate(load_paths([write_yaml(ENTRY.format(channels=channel))]), today=TODAY)
    assert company.channels[0].source_kind == kind
