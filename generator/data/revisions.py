"""The data of another version: a path as it is, or a git revision copied out into a temporary folder.

Review (`generator review BASE HEAD`) and the cross-version id check
(`generator validate --previous REV`) both compare the data with an earlier
version.  A version is named either by a path (a file or folder that exists)
or by anything `git rev-parse` understands (`origin/main`, `HEAD~1`, a commit).
Files are read with `git show`, so the working tree is never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DATA_FILES = ("companies.yaml", "companies")
"""What makes up the data at a revision: the list file and the one-company-per-file folder."""
RETIRED_FILE = "retired.yaml"


class RevisionError(Exception):
    """A version that cannot be read: not a path, not a revision, or no data in it."""


def run_git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """git in `repo`, its output captured; raises `RevisionError` when git is not installed."""
    try:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed") from None


def git_output(repo: Path, *args: str) -> str | None:
    """git's output as text, or None when git is missing or the command fails (no repository, unknown revision)."""
    try:
        done = run_git(repo, *args)
    except (RevisionError, NotADirectoryError):
        return None
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else None


def is_revision(spec: str, repo: Path) -> bool:
    """Whether `spec` names a commit in the git repository at `repo`."""
    if spec.startswith("-"):  # never let a name be read as an option
        return False
    try:
        return run_git(repo, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}").returncode == 0
    except RevisionError:
        return False


def data_files_at(spec: str, repo: Path) -> list[str]:
    """The data files (repository paths) at revision `spec`: companies.yaml, companies/*.yaml, retired.yaml."""
    listed = run_git(repo, "ls-tree", "-r", "--name-only", "--full-tree", spec, "--", *DATA_FILES, RETIRED_FILE)
    if listed.returncode != 0:
        raise RevisionError(f"cannot list the files of {spec}: {listed.stderr.decode(errors='replace').strip()}")
    names = listed.stdout.decode("utf-8", errors="replace").splitlines()
    return [n for n in names if n in (DATA_FILES[0], RETIRED_FILE)
            or (n.startswith(DATA_FILES[1] + "/") and n.endswith((".yaml", ".yml")) and n.count("/") == 1)]


@contextmanager
def checkout_data(spec: str, repo: Path) -> Iterator[Path]:
    """A temporary folder holding the data files of revision `spec`, removed afterwards."""
    names = data_files_at(spec, repo)
    if not any(n != RETIRED_FILE for n in names):
        raise RevisionError(f"{spec} has no companies.yaml and no companies/ folder")
    folder = Path(tempfile.mkdtemp(prefix="donde-reclamo-rev-"))
    try:
        for name in names:
            shown = run_git(repo, "show", f"{spec}:{name}")
            if shown.returncode != 0:
                raise RevisionError(f"cannot read {name} at {spec}: {shown.stderr.decode(errors='replace').strip()}")
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(shown.stdout)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def changed_files(base: str, head: str, repo: Path) -> list[str]:
    """The repository paths that differ between revisions `base` and `head` (renames as a deletion and an addition)."""
    listed = run_git(repo, "diff", "--name-only", "--no-renames", "-z", f"{base}^{{commit}}", f"{head}^{{commit}}", "--")
    if listed.returncode != 0:
        raise RevisionError(f"cannot compare {base} with {head}: {listed.stderr.decode(errors='replace').strip()}")
    return [n for n in listed.stdout.decode("utf-8", errors="replace").split("\0") if n]


def file_at(spec: str, name: str, repo: Path) -> bytes | None:
    """The bytes of repository file `name` at revision `spec`, or None when it does not exist there."""
    shown = run_git(repo, "show", f"{spec}:{name}")
    return shown.stdout if shown.returncode == 0 else None


def data_paths(root: Path) -> list[Path]:
    """The data files and folders present under `root` (a checked-out revision or a project folder)."""
    return [root / name for name in DATA_FILES if (root / name).exists()]


@contextmanager
def resolve(spec: str, repo: Path) -> Iterator[tuple[list[Path], str]]:
    """The data paths of a version and a label for messages.

    A path that exists wins over a revision of the same name: a folder is
    read as a project root when it holds companies.yaml or companies/,
    otherwise as a folder of company files.
    """
    path = Path(spec)
    if path.exists():
        found = data_paths(path) if path.is_dir() else []
        yield (found or [path]), spec
        return
    if not is_revision(spec, repo):
        raise RevisionError(f"'{spec}' is neither a file or folder nor a git revision of {repo}")
    with checkout_data(spec, repo) as folder:
        yield data_paths(folder), spec
