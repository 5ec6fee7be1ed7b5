"""Forge files: workflows pass actionlint, every `run:` calls something that exists, forms and hooks are well formed."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import _parser
from generator.data.vocabulary import Sector

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
# Tools a GitHub-hosted runner (or the Debian image) provides; anything else must be the project's own.
RUNNER_TOOLS = {"git", "gh", "echo", "cat", "mkdir", "printf", "grep", "head", "exit", "test", "true", "cp", "chmod", "["}
SHELL_WORDS = {"if", "then", "else", "elif", "fi", "!", "do", "done", "case", "esac", "in", "{", "}"}


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(BIN)) or shutil.which("actionlint")
    assert found, "actionlint is missing: install the test extras (pip install -e '.[test]')"
    return found


def test_there_are_workflows_for_pull_requests_publishing_and_comments() -> None:
    assert [p.name for p in WORKFLOWS] == ["publish.yml", "pull-request.yml", "review-comment.yml", "source-watch.yml"]


def test_workflows_pass_actionlint() -> None:
    done = subprocess.run([actionlint(), "-no-color", *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_does_catch_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n",
                      encoding="utf-8")
    done = subprocess.run([actionlint(), "-no-color", str(broken)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1 and "nope" in done.stdout


def run_steps() -> list[tuple[str, str]]:
    found = []
    for path in WORKFLOWS:
        document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, job in document["jobs"].items():
            for step in job.get("steps", []):
                if "run" in step:
                    found.append((f"{path.name}:{name}:{step.get('name', step['run'][:30])}", step["run"]))
    return found


def simple_commands(script: str) -> list[list[str]]:
    """The simple commands of a shell script, split at ; && || | and newlines, without keywords or assignments."""
    commands: list[list[str]] = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        current: list[str] = []
        tokens = iter(lexer)
        for token in tokens:
            if re.fullmatch(r"\d*(>>?|<)", token):  # a redirection: drop it and its target
                next(tokens, None)
            elif set(token) <= set(";&|()"):
                commands.append(current)
                current = []
            else:
                current.append(token)
        commands.append(current)
    cleaned = []
    for words in commands:
        while words and (words[0] in SHELL_WORDS or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0])):
            words = words[1:]
        if words:
            cleaned.append(words)
    return cleaned


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^([A-Za-z][\w.-]*)\s*:", text, re.MULTILINE)}


def generator_problem(args: list[str]) -> str | None:
    """Why `python -m generator ARGS` would fail to parse, or None.  Shell variables stand for any value."""
    concrete = [re.sub(r"\$\{?\w+\}?", "x", a) for a in args if not a.startswith(">")]
    try:
        _parser().parse_args(concrete)
    except SystemExit:
        return f"argparse refuses {concrete}"
    return None


def check_command(words: list[str]) -> str | None:
    name = words[0]
    if name == "python" and words[1:3] == ["-m", "generator"]:
        return generator_problem(words[3:])
    if name == "python" and words[1:3] == ["-m", "pip"]:
        return None if words[3] == "install" else f"unexpected pip use {words}"
    if name == "mkdocs":
        return None if words[1] == "build" and "--strict" in words else "mkdocs must build with --strict"
    if name == "make":
        missing = [t for t in words[1:] if not t.startswith("-") and t not in make_targets()]
        return f"no make target {missing}" if missing else None
    if name.startswith("$RUNNER_TEMP/"):  # a copy of one of our scripts (the base commit's, in pull-request.yml)
        return None if (ROOT / "scripts" / name.rsplit("/", 1)[1]).is_file() else f"no script {name}"
    if "/" in name:
        return None if (ROOT / name).is_file() else f"no script {name}"
    return None if name in RUNNER_TOOLS else f"unknown command {name!r}"


@pytest.mark.parametrize(("where", "script"), run_steps(), ids=[w for w, _ in run_steps()])
def test_each_run_step_calls_a_command_that_exists(where: str, script: str) -> None:
    problems = [f"{' '.join(words)}: {why}" for words in simple_commands(script) if (why := check_command(words))]
    assert problems == []


def test_the_command_check_can_fail() -> None:
    assert check_command(["python", "-m", "generator", "reviw", "a", "b"]) is not None
    assert check_command(["python", "-m", "generator", "validate", "--previus", "x"]) is not None
    assert check_command(["make", "deploy"]) == "no make target ['deploy']"
    assert check_command(["scripts/nope"]) == "no script scripts/nope"
    assert check_command(["npm", "ci"]) == "unknown command 'npm'"
    assert simple_commands('x="$(cat f)"\nif ! echo "$x" | grep -q y; then exit 1; fi\npython -m generator review a b > out.md') == \
        [["echo", "$x"], ["grep", "-q", "y"], ["exit", "1"], ["python", "-m", "generator", "review", "a", "b"]]


def test_chromium_is_installed_only_by_the_job_that_runs_the_browser_tests() -> None:
    for path in WORKFLOWS:
        document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, job in document["jobs"].items():
            runs = "\n".join(step.get("run", "") for step in job.get("steps", []))
            runs_tests = "make test" in runs
            assert ("chromium" in runs or "playwright install" in runs) is False, f"{path.name}:{name}"
            # make test installs Debian's chromium through scripts/ensure-chromium: only in a Debian image.
            assert (job.get("container") == "python:3.11-bookworm") == runs_tests, f"{path.name}:{name}"


def test_issue_forms() -> None:
    forms = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml")}
    assert set(forms) == {"add-company.yml", "report-wrong-data.yml", "config.yml"}
    for name in ("add-company.yml", "report-wrong-data.yml"):
        form = forms[name]
        assert form["name"] and form["description"] and form["body"]
        ids = [item["id"] for item in form["body"] if "id" in item]
        assert len(ids) == len(set(ids)), name
        assert {item["type"] for item in form["body"]} <= {"markdown", "input", "textarea", "dropdown", "checkboxes"}
    sector = next(i for i in forms["add-company.yml"]["body"] if i.get("id") == "sector")
    assert sector["attributes"]["options"] == [s.value for s in Sector]
    page = next(i for i in forms["report-wrong-data.yml"]["body"] if i.get("id") == "page")
    assert page["type"] == "input" and page["validations"]["required"] is True


def test_pre_commit_files_are_valid_and_run_the_validator() -> None:
    pre_commit = shutil.which("pre-commit", path=str(BIN)) or "pre-commit"
    for command, name in (("validate-config", ".pre-commit-config.yaml"), ("validate-manifest", ".pre-commit-hooks.yaml")):
        done = subprocess.run([pre_commit, command, name], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["entry"] == "donde-reclamo validate"  # the console script of pyproject.toml
    [local] = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert local["entry"] == ".venv/bin/python -m generator validate"
    assert re.match(local["files"], "companies.yaml") and re.match(local["files"], "companies/acme.yaml")
    assert not re.match(local["files"], "docs/index.md")
