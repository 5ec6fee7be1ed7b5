"""Review summary over crafted pairs of versions: each asserts exactly which lines carry "⚠" and why."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.data.loader import parse_text, split_entries
from generator.data.models import Company
from generator.data.validate import validate
from generator.tools.lookalike import skeleton, why_alike
from generator.tools.review import Review, code, compare, name_words, to_markdown, why_name_alike

from .conftest import TODAY

BASE = """\
- id: iberia
  name: Iberia
  sector: airline
  countries: [ES]
  website: https://www.iberia.com
  domains: [iberia.com]
  timezone: Europe/Madrid
  channels:
    - type: x
      address: "@Iberia"
      hours: "Mo-Fr 09:00-18:00"
      source: https://www.iberia.com/es/contacto/
      source_kind: company
      checked: 2026-11-01
    - type: phone
      address: "+34 901 111 500"
      cost: premium
      source: https://www.iberia.com/es/contacto/
      source_kind: company
      checked: 2026-11-01
- id: movistar
  name: Movistar
  sector: telecom
  countries: [ES]
  website: https://www.movistar.es
  domains: [movistar.es]
  timezone: Europe/Madrid
  channels:
    - type: x
      address: "@Movistar_es"
      source: https://www.movistar.es/contacto
      source_kind: company
      checked: 2026-11-01
    - type: phone
      address: "+34 900 100 100"
      source: https://www.movistar.es/contacto
      source_kind: company
      checked: 2026-11-01
"""

NEW_COMPANY = """\
- id: acme
  name: Acme
  sector: telecom
  countries: [ES]
  website: https://www.acme.es
  domains: [acme.es]
  timezone: Europe/Madrid
  channels:
    - type: email
      address: atencion@acme.es
      source: https://www.acme.es/contacto
      source_kind: company
      checked: 2026-11-20
"""


def load(text: str) -> list[Company]:
    return validate(split_entries(parse_text(text, "companies.yaml")), today=TODAY)


def edited(*replacements: tuple[str, str]) -> str:
    text = BASE
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def review_of(head: str, base: str = BASE) -> Review:
    return compare(load(base), load(head))


def flags(review: Review) -> dict[str, tuple[str, ...]]:
    """Each line's text → its warnings, for the lines of every company."""
    return {line.text: line.warnings for line in review.lines()}


def flagged(review: Review) -> list[str]:
    return [line.text for line in review.lines() if line.flagged]


def test_unchanged_data_says_so() -> None:
    review = review_of(BASE)
    assert (review.added, review.removed, review.changed) == ([], [], [])
    assert "No change to the data." in to_markdown(review)


def test_new_company_is_listed_without_warning_when_its_addresses_are_on_its_domains() -> None:
    review = review_of(BASE + NEW_COMPANY)
    assert [c.company_id for c in review.added] == ["acme"]
    assert flagged(review) == []
    assert "email `atencion@acme.es`" in flags(review)


def test_new_company_reusing_another_companys_number_is_flagged() -> None:
    review = review_of(BASE + NEW_COMPANY.replace("""    - type: email
      address: atencion@acme.es""", """    - type: phone
      address: "900 100 100\""""))
    [line] = flagged(review)
    assert line == "phone `+34 900 100 100`"  # as normalised by validation
    assert any("already listed for `movistar`" in w for w in flags(review)[line])


def test_hours_changed_only_gets_no_warning() -> None:
    review = review_of(edited(('hours: "Mo-Fr 09:00-18:00"', 'hours: "Mo-Sa 08:00-20:00"')))
    assert flagged(review) == []
    assert flags(review) == {"x `@Iberia`: hours: `Mo-Fr 09:00-18:00` → `Mo-Sa 08:00-20:00`": ()}


def test_new_source_on_the_companys_domain_for_the_same_address_gets_no_warning() -> None:
    review = review_of(edited(("address: \"@Iberia\"\n      hours: \"Mo-Fr 09:00-18:00\"\n      source: https://www.iberia.com/es/contacto/",
                               "address: \"@Iberia\"\n      hours: \"Mo-Fr 09:00-18:00\"\n      source: https://www.iberia.com/es/ayuda/")))
    assert flagged(review) == []


def test_handle_changed_with_source_on_the_companys_domain_is_flagged_only_as_a_change() -> None:
    review = review_of(edited(("address: \"@Iberia\"\n      hours: \"Mo-Fr 09:00-18:00\"\n      source: https://www.iberia.com/es/contacto/",
                               "address: \"@Iberia_ayuda\"\n      hours: \"Mo-Fr 09:00-18:00\"\n      source: https://www.iberia.com/es/redes/")))
    [line] = flagged(review)
    assert line == "x `@Iberia` → `@Iberia_ayuda`"
    assert "  - also changed: source: `https://www.iberia.com/es/contacto/` → `https://www.iberia.com/es/redes/`" in to_markdown(review)
    warnings = flags(review)[line]
    assert warnings[0] == "the address changed"
    assert not any("not on the company's domains" in w for w in warnings)
    assert not any("lookalike characters" in w for w in warnings)


def test_handle_changed_with_an_off_domain_source_says_so() -> None:
    review = review_of(edited(("address: \"@Iberia\"\n      hours: \"Mo-Fr 09:00-18:00\"\n      source: https://www.iberia.com/es/contacto/\n"
                               "      source_kind: company",
                               "address: \"@IberiaHelp\"\n      hours: \"Mo-Fr 09:00-18:00\"\n      source: https://iberia-soporte.com/x\n"
                               "      source_kind: press")))
    [line] = flagged(review)
    assert any(w.startswith("its source `https://iberia-soporte.com/x` is not on the company's domains (`iberia.com`)")
               for w in flags(review)[line])


@pytest.mark.parametrize(("old", "new", "reason"), [
    ("@Iberia", "@lberia", "differs only in characters that look alike"),
    ("@Movistar_es", "@Movistar_es_", "adds a leading or trailing '_', '-' or '.'"),
    ("@Movistar_es", "@M0vistar_es", "differs only in characters that look alike"),
    ("@Movistar_es", "@Movistar_es_24h", "contains the old name"),
    ("@Movistar_es", "@Movistares", "adds or moves a hyphen or underscore"),
])
def test_lookalike_handles_are_flagged(old: str, new: str, reason: str) -> None:
    review = review_of(edited((f'address: "{old}"', f'address: "{new}"')))
    [line] = flagged(review)
    assert line == f"x `{old}` → `{new}`"
    assert any(w.startswith("it looks like the old one: " + reason) for w in flags(review)[line]), flags(review)[line]


def test_unicode_confusables_are_named() -> None:
    assert skeleton("Іberia") == skeleton("Iberia")  # Cyrillic І
    reason = why_alike("iberia.com", "іberia.com")
    assert reason is not None and "U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I" in reason
    assert why_alike("Iberia", "IBERIA") is None  # the same handle
    assert why_alike("Iberia", "Vueling") is None


def test_an_honest_new_handle_does_not_look_like_the_company_name() -> None:
    review = review_of(edited(('address: "@Iberia"', 'address: "@Iberia_es"')))
    [line] = flagged(review)
    assert not any("lookalike characters" in w for w in flags(review)[line])


def test_a_new_handle_spelling_the_company_name_with_lookalikes_is_flagged() -> None:
    review = review_of(edited(("    - type: phone\n      address: \"+34 901 111 500\"",
                               "    - type: instagram\n      address: \"@lberia.es\"\n      source: https://www.iberia.com/es/contacto/\n"
                               "      source_kind: company\n      checked: 2026-11-01\n"
                               "    - type: phone\n      address: \"+34 901 111 500\"")))
    [line] = flagged(review)
    assert line == "new instagram `@lberia.es`"
    assert "it spells the company's name `iberia` with lookalike characters" in flags(review)[line]


def test_changed_domains_are_flagged_with_every_address_change_that_rides_on_them() -> None:
    review = review_of(edited(("domains: [iberia.com]", "domains: [iberia.com, iberia-es.com]"),
                              ('address: "+34 901 111 500"\n      cost: premium\n      source: https://www.iberia.com/es/contacto/',
                               'address: "+34 910 000 001"\n      source: https://iberia-es.com/contacto')))
    lines = flagged(review)
    assert lines == ["domains `iberia.com` → `iberia.com, iberia-es.com`",
                     "phone `+34 901 11 15 00` → `+34 910 00 00 01`"]
    domain_warnings = flags(review)[lines[0]]
    assert "`iberia-es.com` looks like `iberia.com`: contains the old name with '…-es' around it" in domain_warnings
    phone_warnings = flags(review)[lines[1]]
    assert "the company's `domains` changed in the same change" in phone_warnings
    # The added domain is not trusted yet: the source is judged against the domains before the change.
    assert any("is not on the company's domains (`iberia.com`)" in w for w in phone_warnings)


def test_a_number_already_used_by_another_company_is_flagged() -> None:
    review = review_of(edited(('address: "+34 901 111 500"\n      cost: premium', 'address: "+34 900 100 100"\n      cost: free')))
    [line] = flagged(review)
    assert line == "phone `+34 901 11 15 00` → `+34 900 100 100`"
    assert "it is already listed for `movistar`" in flags(review)[line]


def test_removed_company_without_a_rename_or_retired_entry_is_flagged() -> None:
    review = review_of(BASE.split("- id: movistar")[0])
    assert [c.company_id for c in review.removed] == ["movistar"]
    assert len(flagged(review)) == 1


def test_renamed_company_is_a_change_not_a_removal() -> None:
    review = review_of(edited(("- id: movistar\n", "- id: movistar-es\n  renamed_from: [movistar]\n")))
    assert review.removed == [] and review.added == []
    assert flags(review) == {"id `movistar` → `movistar-es` (renamed; the old address redirects)": (),
                             "renamed_from: `(none)` → `movistar`": ()}


def test_values_are_shown_as_typed_and_cannot_mention_or_inject() -> None:
    assert code("@Iberia") == "`@Iberia`"
    assert code("a`b") == "``a`b``"
    assert code("x\u202ey") == "`x<U+202E>y`"  # a right-to-left override is spelled out, not obeyed
    assert code("line\nbreak") == "`line⏎break`"
    markdown = to_markdown(review_of(edited(('hours: "Mo-Fr 09:00-18:00"', 'hours: "Mo-Sa 08:00-20:00"'))))
    assert "@Iberia" in markdown and " @Iberia" not in markdown.replace("`@Iberia`", "")


def test_evidence_is_shown_beside_the_changed_fact() -> None:
    review = review_of(edited(('address: "@Iberia"\n      hours: "Mo-Fr 09:00-18:00"',
                               'address: "@Iberia"\n      hours: "Mo-Su 08:00-22:00"'),
                              ("checked: 2026-11-01\n    - type: phone", "checked: 2026-11-24\n      evidence: \"Te atendemos todos los días de 8 a 22 h.\"\n"
                               "    - type: phone")))
    assert "  - evidence: `Te atendemos todos los días de 8 a 22 h.`" in to_markdown(review)
    # A changed fact whose quoted evidence stayed the same is pointed out (without ⚠).
    quoted = ("checked: 2026-11-01\n    - type: phone", "checked: 2026-11-24\n      evidence: \"De lunes a viernes.\"\n    - type: phone")
    stale = review_of(edited(('hours: "Mo-Fr 09:00-18:00"', 'hours: "Mo-Su 08:00-22:00"'), quoted), base=edited(quoted))
    [(text, warnings)] = flags(stale).items()
    assert text.endswith("(the evidence did not change: does it state the new value?)") and warnings == ()


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=repo, check=True,
                   capture_output=True)


def test_two_git_revisions_of_a_temporary_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "companies.yaml").write_text(BASE, encoding="utf-8")
    git(tmp_path, "add", "companies.yaml")
    git(tmp_path, "commit", "-q", "-m", "base")
    # The change moves Movistar into the companies/ folder and swaps its handle: both files must be read.
    (tmp_path / "companies.yaml").write_text(BASE.split("- id: movistar")[0], encoding="utf-8")
    (tmp_path / "companies").mkdir()
    (tmp_path / "companies" / "movistar.yaml").write_text(
        "- id: movistar" + BASE.split("- id: movistar")[1].replace("@Movistar_es", "@Movistar_es_"), encoding="utf-8")
    git(tmp_path, "add", "companies.yaml", "companies")
    git(tmp_path, "commit", "-q", "-m", "head")
    (tmp_path / "companies.yaml").write_text("not: [valid", encoding="utf-8")  # the work tree is never read
    monkeypatch.chdir(tmp_path)
    assert main(["review", "HEAD~1", "HEAD", "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "Compared `HEAD~1` → `HEAD`: 0 added, 0 removed, 1 changed." in out
    assert "- ⚠ x `@Movistar_es` → `@Movistar_es_` — the address changed" in out
    assert out.count("⚠") == 2  # the count line and the one flagged line


def test_unreadable_inputs_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(BASE, encoding="utf-8")
    bad.write_text(BASE.replace("sector: airline", "sector: airlines"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["review", str(good), str(bad), "--today", TODAY.isoformat()]) == 2
    captured = capsys.readouterr()
    assert "does not validate (1 problem)" in captured.out
    assert "bad.yaml:3:11: iberia.sector" in captured.err
    assert main(["review", str(good), "no-such-revision", "--today", TODAY.isoformat()]) == 2
    assert "neither a file or folder nor a git revision" in capsys.readouterr().err


def test_notes_changed_only_gets_no_warning_and_shows_each_language() -> None:
    review = review_of(edited(('address: "@Iberia"\n', 'address: "@Iberia"\n      notes: "Responde por mensaje directo."\n')),
                       base=edited(('address: "@Iberia"\n', 'address: "@Iberia"\n      notes: {es: "Responde.", en: "Replies."}\n')))
    assert flags(review) == {"x `@Iberia`: notes: `es: Responde.; en: Replies.` → `es: Responde por mensaje directo.`": ()}


def test_a_new_company_imitating_an_existing_one_is_flagged() -> None:
    fake = (NEW_COMPANY.replace("acme", "iberia-atencion").replace("Acme", "Iberia Atención")
            .replace("atencion@iberia-atencion.es", "ayuda@iberia-atencion.es"))
    review = review_of(BASE + fake)
    assert flagged(review) == ["new company `Iberia Atención`, sector `telecom`, domains `iberia-atencion.es`",
                               "domain `iberia-atencion.es`", "website `https://www.iberia-atencion.es`"]
    assert flags(review)["domain `iberia-atencion.es`"] == \
        ("it looks like `iberia.com` of `iberia`: contains the old name with '…-atencion' around it",)
    assert flags(review)["website `https://www.iberia-atencion.es`"] == \
        ("it looks like `https://www.iberia.com` of `iberia`: contains the old name with '…-atencion' around it",)


MEASURED = """  measured:
    - metric: complaint_resolution_days
      value: {value}
      unit: days
      period: "2024-07-01/2024-09-30"
      study: Informe de calidad de la CNMC
      source: https://www.diario.example.es/cnmc
      source_kind: press
      checked: 2026-11-20
      evidence: "Movistar tardó {value} días."
"""


def test_measured_figures_added_changed_and_removed_are_listed_with_their_evidence() -> None:
    with_figure = BASE + MEASURED.format(value="12.27")
    added = review_of(with_figure)
    assert flags(added) == {"measured complaint_resolution_days 2024-07-01/2024-09-30: added `12.27` days": ()}
    assert "  - evidence: `Movistar tardó 12.27 días.`" in to_markdown(added)
    changed = review_of(BASE + MEASURED.format(value="8.16"), base=with_figure)
    assert list(flags(changed)) == ["measured complaint_resolution_days 2024-07-01/2024-09-30: `12.27` → `8.16`"]
    removed = review_of(BASE, base=with_figure)
    assert list(flags(removed)) == ["measured complaint_resolution_days 2024-07-01/2024-09-30: removed `12.27`"]


def test_a_name_in_greek_capitals_still_meets_the_company_it_imitates() -> None:
    """Accents go before case: the confusables table maps Greek capital Μ to M but not small μ (name_words' docstring)."""
    assert name_words("ΜΟVISTAR") == name_words("Movistar") == ("movlstar",)
    assert why_name_alike("Movistar", "ΜΟVISTAR") is not None
    assert name_words("Telefónica España") == name_words("TELEFONICA espana")
