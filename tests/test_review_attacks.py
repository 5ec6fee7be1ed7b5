"""Each way to pass for a company, replayed as a git change: the review summary marks it with "⚠".

A temporary repository holds a small data set and the real rule catalogues; each test commits
one change on top and runs `python -m generator review HEAD~1 HEAD` on it, as a maintainer
would.  Three innocent changes (an hours update, a new company on its own domain, a typo in a
note) must produce no "⚠" at all.  The last tests run scripts/review-pr, the pull-request
workflow's review step, against a change that edits the review code itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ("generator/data/legal/escalation.yaml", "generator/data/legal/deadlines.yaml")
TODAY = "2026-11-24"

DATA = """\
- id: bbva
  name: BBVA
  sector: banking
  countries: [ES]
  website: https://www.bbva.es
  domains: [bbva.es]
  timezone: Europe/Madrid
  channels:
    - type: email
      address: atencion@bbva.es
      source: https://www.bbva.es/general/contacto.html
      source_kind: company
      checked: 2026-11-01
    - type: webform
      address: https://www.bbva.es/Contacto/Formulario
      source: https://www.bbva.es/general/contacto.html
      source_kind: company
      checked: 2026-11-01
    - type: phone
      address: "+34 910 000 001"
      cost: standard
      source: https://www.bbva.es/general/contacto.html
      source_kind: company
      checked: 2026-11-01
- id: movistar
  name: Movistar
  sector: telecom
  countries: [ES]
  website: https://www.movistar.es
  domains: [movistar.es]
  timezone: Europe/Madrid
  notes: Atiende en castellano y catalan.
  channels:
    - type: x
      address: "@Movistar_es"
      hours: "Mo-Fr 09:00-18:00"
      source: https://www.movistar.es/contacto
      source_kind: company
      checked: 2026-11-01
    - type: phone
      address: "+34 910 000 002"
      cost: free
      source: https://www.movistar.es/contacto
      source_kind: company
      checked: 2026-11-01
"""

NEW_COMPANY = """\
- id: acme
  name: Acme Seguros
  sector: insurance
  countries: [ES]
  website: https://www.acmeseguros.es
  domains: [acmeseguros.es]
  timezone: Europe/Madrid
  channels:
    - type: email
      address: clientes@acmeseguros.es
      source: https://www.acmeseguros.es/contacto
      source_kind: company
      checked: 2026-11-20
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=repo,
                          check=True, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose one commit holds the data above and the real rule catalogues."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "companies.yaml").write_text(DATA, encoding="utf-8")
    for name in CATALOGUES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, root / name)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def change(repo: Path, **files: str | Callable[[str], str]) -> None:
    """Commit new contents (text, or a function of the old text) for paths given as keyword arguments."""
    for name, content in files.items():
        path = repo / name.replace("__", "/").replace("_DOT_", ".")
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content(old) if callable(content) else content, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")


def edit(*pairs: tuple[str, str]) -> Callable[[str], str]:
    def apply(text: str) -> str:
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new, 1)
        return text
    return apply


def summary(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.chdir(repo)
    capsys.readouterr()
    code = main(["review", "--today", TODAY, "HEAD~1", "HEAD"])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def warned(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("- ⚠")]


# --- innocent changes: no ⚠ ---------------------------------------------------------------------------


def test_an_hours_update_gets_no_warning(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, companies_DOT_yaml=edit(('hours: "Mo-Fr 09:00-18:00"', 'hours: "Mo-Fr 08:00-20:00"')))
    out = summary(repo, monkeypatch, capsys)
    assert warned(out) == []
    assert "- x `@Movistar_es`: hours: `Mo-Fr 09:00-18:00` → `Mo-Fr 08:00-20:00`" in out
    assert "No line marked ⚠." in out


def test_a_new_company_on_its_own_domain_gets_no_warning(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, companies_DOT_yaml=lambda text: text + NEW_COMPANY)
    out = summary(repo, monkeypatch, capsys)
    assert warned(out) == []
    assert "- new company `Acme Seguros`, sector `insurance`, domains `acmeseguros.es`" in out
    assert "- aliases `(none)`; legal name `(none)`; notes `(none)`" in out


def test_a_typo_fixed_in_a_note_gets_no_warning(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, companies_DOT_yaml=edit(("castellano y catalan.", "castellano y catalán.")))
    out = summary(repo, monkeypatch, capsys)
    assert warned(out) == []
    assert "- notes: `es: Atiende en castellano y catalan.` → `es: Atiende en castellano y catalán.`" in out


# --- attacks: each gets its ⚠ line ----------------------------------------------------------------------


def test_a_code_change_riding_with_a_swapped_e_mail_is_flagged(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, generator__tools__review_DOT_py="def flagged(): return False\n",
           companies_DOT_yaml=edit(("address: atencion@bbva.es", "address: atencion@bbva-clientes.com")))
    out = summary(repo, monkeypatch, capsys)
    assert warned(out)[0] == (
        "- ⚠ 1 file outside the data changed: `generator/tools/review.py` — this summary compares the data only and "
        "cannot vouch for code, workflows, scripts, dependencies or the rule catalogues: read each of these diffs line "
        "by line (CONTRIBUTING.md, \"Changes outside the data\")")
    assert "**⚠ This change also touches code or configuration**: this summary cannot vouch for it." in out
    [email] = [w for w in warned(out) if "email" in w]
    assert email.startswith("- ⚠ email `atencion@bbva.es` → `atencion@bbva-clientes.com` — the address changed;")
    assert "the e-mail's domain `bbva-clientes.com` is not among the company's domains (`bbva.es`)" in email


def test_a_phone_number_slipped_into_a_published_page_is_flagged(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, docs__index_DOT_md="Atención al cliente de todos los bancos: 806 123 456\n", README_DOT_md="Notes.\n")
    out = summary(repo, monkeypatch, capsys)
    assert warned(out) == [
        "- ⚠ 1 file of the site's own pages changed: `docs/index.md` — they are published as written: read them, and "
        "refuse any phone number, e-mail, handle or link there that is not a channel with its source"]
    assert "- 1 file outside the data changed (not published, not run by the site): `README.md`" in out
    assert "No change to the data." not in out


def test_a_retirement_pointing_readers_at_another_company_is_flagged(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    impostor = NEW_COMPANY.replace("id: acme", "id: bbva-clientes")
    change(repo, companies_DOT_yaml=lambda text: "- id: movistar" + text.split("- id: movistar")[1] + impostor,
           retired_DOT_yaml="- id: bbva\n  name: BBVA\n  reason: Fusionado con otra entidad.\n  removed: 2026-11-20\n"
                            "  replaced_by: bbva-clientes\n")
    out = summary(repo, monkeypatch, capsys)
    [line] = [w for w in warned(out) if "retired" in w]
    assert line == (
        "- ⚠ retired on 2026-11-20: `Fusionado con otra entidad.`; replaced by `bbva-clientes` — its page will say it is "
        "gone: check a public source states why (a company that still trades must stay listed); its page will send "
        "readers to `bbva-clientes` (`Acme Seguros`, `acmeseguros.es`): check a public source says that company took "
        "over its customers")


def test_a_new_company_named_like_a_bank_with_its_alias_is_flagged(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    fake = NEW_COMPANY.replace("name: Acme Seguros", "name: BBVA Atención al Cliente\n  aliases: [BBVA]")
    change(repo, companies_DOT_yaml=lambda text: text + fake)
    out = summary(repo, monkeypatch, capsys)
    [line] = [w for w in warned(out) if "new company" in w]
    assert line == (
        "- ⚠ new company `BBVA Atención al Cliente`, sector `insurance`, domains `acmeseguros.es` — "
        "`BBVA Atención al Cliente` contains that name `BBVA` of `bbva` (`bbva.es`): check this is not someone passing "
        "for that company; `BBVA` is the same name `BBVA` of `bbva` (`bbva.es`): check this is not someone passing for "
        "that company")
    assert "- aliases `BBVA`; legal name `(none)`; notes `(none)`" in out


def test_an_existing_company_taking_another_ones_name_as_alias_is_flagged(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, companies_DOT_yaml=edit(("  name: Movistar\n", "  name: Movistar\n  aliases: [B.B.V.A.]\n")))
    out = summary(repo, monkeypatch, capsys)
    assert warned(out) == [
        "- ⚠ aliases: `(none)` → `B.B.V.A.` — `B.B.V.A.` is the same name but for case, accents, spaces or lookalike "
        "characters `BBVA` of `bbva` (`bbva.es`): check this is not someone passing for that company"]


def test_contact_details_in_notes_are_refused(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, companies_DOT_yaml=edit(("castellano y catalan.", "se atienden solo en el +34 806 123 456 o en "
                                                                    "reclamaciones@movistar-soporte.com")))
    monkeypatch.chdir(repo)
    capsys.readouterr()
    assert main(["review", "--today", TODAY, "HEAD~1", "HEAD"]) == 2
    out, err = capsys.readouterr()
    assert "No summary: the data at `HEAD` does not validate (1 problem)" in out
    assert ("movistar.notes.es: a phone number ('+34 806 123 456') and an e-mail address "
            "('reclamaciones@movistar-soporte.com') in free text — put each in a channel with its source") in err


def test_code_changes_are_listed_even_when_the_data_does_not_validate(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, generator__tools__review_DOT_py="def flagged(): return False\n",
           companies_DOT_yaml=edit(("  sector: banking", "  sector: bank")))
    monkeypatch.chdir(repo)
    capsys.readouterr()
    assert main(["review", "--today", TODAY, "HEAD~1", "HEAD"]) == 2
    out = capsys.readouterr().out
    assert "No summary: the data at `HEAD` does not validate (1 problem)." in out
    assert "- ⚠ 1 file outside the data changed: `generator/tools/review.py` — this summary" in out


def test_an_escalation_body_moved_to_a_lookalike_site_is_flagged(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    old = "url: https://www.bde.es/wbe/es/para-ciudadano/gestiones/reclamaciones/"
    change(repo, **{"generator__data__legal__escalation_DOT_yaml": edit((old, "url: https://www.bde-es.eu/reclamaciones/"))})
    out = summary(repo, monkeypatch, capsys)
    assert "No change to the data." not in out
    assert "- ⚠ 1 file outside the data changed: `generator/data/legal/escalation.yaml`" in out
    [line] = [w for w in warned(out) if "bodies[bde].url" in w]
    assert line == (
        "- ⚠ escalation.yaml bodies[bde].url: `https://www.bde.es/wbe/es/para-ciudadano/gestiones/reclamaciones/` → "
        "`https://www.bde-es.eu/reclamaciones/` — the rule catalogues are shown on every page of a sector: check the "
        "change against its source; the web address now points at `bde-es.eu` (was `bde.es`): check that site belongs "
        "to the body or law it names")


def test_a_source_moved_to_another_site_for_the_same_address_is_flagged(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, companies_DOT_yaml=edit(("    - type: x\n      address: \"@Movistar_es\"\n      hours: \"Mo-Fr 09:00-18:00\"\n"
                                          "      source: https://www.movistar.es/contacto",
                                          "    - type: x\n      address: \"@Movistar_es\"\n      hours: \"Mo-Fr 09:00-18:00\"\n"
                                          "      source: https://movistar-ayuda.net/contacto\n      source_kind: directory"),
                                         ("      source_kind: company\n      checked: 2026-11-01\n    - type: phone\n"
                                          "      address: \"+34 910 000 002\"", "      checked: 2026-11-01\n    - type: phone\n"
                                          "      address: \"+34 910 000 002\"")))
    out = summary(repo, monkeypatch, capsys)
    assert warned(out) == [
        "- ⚠ x `@Movistar_es`: source: `https://www.movistar.es/contacto` → `https://movistar-ayuda.net/contacto`; "
        "source_kind: `company` → `directory` — "
        "the source moved from `movistar.es` to `movistar-ayuda.net`: check the new site is the company's or a "
        "regulator's and states this address"]


def test_a_new_e_mail_off_the_companys_domains_is_flagged(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    channel = ("    - type: email\n      address: ayuda@movistar-soporte.com\n      source: https://www.movistar.es/contacto\n"
               "      source_kind: company\n      checked: 2026-11-01\n")
    change(repo, companies_DOT_yaml=lambda text: text + channel)
    out = summary(repo, monkeypatch, capsys)
    [line] = warned(out)
    assert line.startswith("- ⚠ new email `ayuda@movistar-soporte.com` — a new contact address; ")
    assert "the e-mail's domain `movistar-soporte.com` is not among the company's domains (`movistar.es`)" in line


def test_a_web_form_moved_to_another_host_is_flagged(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, companies_DOT_yaml=edit(("https://www.bbva.es/Contacto/Formulario", "https://bbva.formularios-web.com/contacto")))
    out = summary(repo, monkeypatch, capsys)
    [line] = warned(out)
    assert line.startswith("- ⚠ webform `https://www.bbva.es/Contacto/Formulario` → `https://bbva.formularios-web.com/contacto` "
                           "— the address changed; ")
    assert "its host `bbva.formularios-web.com` is not among the company's domains (`bbva.es`)" in line


def test_a_renamed_company_taking_another_ones_name_is_flagged(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, companies_DOT_yaml=edit(("- id: movistar\n  name: Movistar\n",
                                          "- id: bbva-ayuda\n  name: BBVA Ayuda\n  renamed_from: [movistar]\n")))
    out = summary(repo, monkeypatch, capsys)
    assert "- id `movistar` → `bbva-ayuda` (renamed; the old address redirects)" in out
    assert warned(out) == [
        "- ⚠ name: `Movistar` → `BBVA Ayuda` — `BBVA Ayuda` contains that name `BBVA` of `bbva` (`bbva.es`): check this "
        "is not someone passing for that company"]


def test_a_url_changed_in_letter_case_only_is_listed_and_flagged(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, companies_DOT_yaml=edit(("https://www.bbva.es/Contacto/Formulario", "https://www.bbva.es/contacto/formulario")))
    out = summary(repo, monkeypatch, capsys)
    assert warned(out) == [
        "- ⚠ webform `https://www.bbva.es/contacto/formulario`: address: `https://www.bbva.es/Contacto/Formulario` → "
        "`https://www.bbva.es/contacto/formulario` — only the letter case changed, but a web path is case-sensitive: "
        "open both and check they are the same page"]


def test_a_company_left_with_premium_rate_phones_only_is_flagged(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, companies_DOT_yaml=edit(('address: "+34 910 000 002"\n      cost: free', 'address: "+34 910 000 002"\n      cost: premium')))
    out = summary(repo, monkeypatch, capsys)
    assert "- ⚠ phones: now premium-rate only — its only phone numbers are premium-rate: Ley 10/2025 (art. 10.2) asks " \
           "for an ordinary alternative, so check the company's pages for one and add it with its source if it exists" in out


# --- the workflow's review step: the base's code reviews the pull request --------------------------------


def project_repo(tmp_path: Path) -> Path:
    """A repository whose base commit holds this project's code (as in the work tree) and the small data set."""
    root = tmp_path / "project"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "generator", "scripts", "pyproject.toml"],
                            cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    for name in listed:
        if (ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, root / name)
    (root / "companies.yaml").write_text(DATA, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def test_the_review_step_runs_the_base_code_and_flags_a_pull_request_that_edits_the_review(tmp_path: Path) -> None:
    repo = project_repo(tmp_path)
    base = git(repo, "rev-parse", "HEAD")
    review_py = repo / "generator" / "tools" / "review.py"
    suppress = ("    @property\n    def flagged(self) -> bool:\n        return bool(self.warnings)\n",
                "    @property\n    def flagged(self) -> bool:\n        return False\n")
    change(repo, generator__tools__review_DOT_py=edit(suppress),
           companies_DOT_yaml=edit(("address: atencion@bbva.es", "address: atencion@bbva-clientes.com")))
    head = git(repo, "rev-parse", "HEAD")
    env = {**os.environ, "REVIEW_PYTHON": sys.executable}

    # The attack works when the pull request's own code writes the summary ...
    own = subprocess.run([sys.executable, "-m", "generator", "review", "--today", TODAY, base, head], cwd=repo,
                         capture_output=True, text=True, env={**env, "PYTHONPATH": str(repo)})
    assert "No line marked ⚠." in own.stdout, own.stdout + own.stderr
    assert review_py.read_text(encoding="utf-8").count("return False") == 1

    # ... and not when the workflow's step does: the base's code, the head read only as data.
    out = tmp_path / "summary.md"
    done = subprocess.run([str(repo / "scripts" / "review-pr"), base, head, str(out)], cwd=repo, capture_output=True,
                          text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "running the review of " in done.stderr and "/base/generator" in done.stderr
    text = out.read_text(encoding="utf-8")
    assert "- ⚠ 1 file outside the data changed: `generator/tools/review.py`" in text
    assert "- ⚠ email `atencion@bbva.es` → `atencion@bbva-clientes.com` — the address changed;" in text
    assert "No line marked ⚠." not in text
    assert git(repo, "worktree", "list").count("\n") == 0  # the base checkout was removed


def test_the_review_step_refuses_what_is_not_a_commit(tmp_path: Path) -> None:
    repo = project_repo(tmp_path)
    done = subprocess.run([str(repo / "scripts" / "review-pr"), "--upload-pack=evil", "HEAD"], cwd=repo,
                          capture_output=True, text=True)
    assert done.returncode == 2 and "is not a revision" in done.stderr
