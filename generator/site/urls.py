"""Where pages live and how one page links to another: every link is relative to the page that holds it.

Page URLs are directory URLs relative to the site root ("empresas/acme/",
"en/empresas/acme/", "" for the home page), so the site works at a domain
root and under a subpath alike.  The default language lives at the root,
the others under "/<lang>/".
"""

from __future__ import annotations

import posixpath

from generator.data.vocabulary import LANGUAGES

DEFAULT_LANGUAGE = LANGUAGES[0]
COMPANY_DIR = "empresas"
INDEX_DIR = "indices"
API_DIR = "api/v1"
CHANGES_DIR = "cambios"
FEED_FILE = "feed.xml"
INDEX_NAMES = ("a-z", "sectores", "canales", "respuesta", "medido", "24-7")


def language_root(lang: str) -> str:
    """"" for the default language, "en/" for English."""
    return "" if lang == DEFAULT_LANGUAGE else f"{lang}/"


def company_url(company_id: str, lang: str) -> str:
    return f"{language_root(lang)}{COMPANY_DIR}/{company_id}/"


def index_url(name: str, lang: str) -> str:
    return f"{language_root(lang)}{INDEX_DIR}/{name}/"


def twin(url: str, lang: str) -> str:
    """The same page in `lang`: the path with the language prefix swapped."""
    for other in LANGUAGES[1:]:
        if url.startswith(f"{other}/"):
            url = url[len(other) + 1:]
            break
    return language_root(lang) + url


def relative(from_url: str, to: str) -> str:
    """A link from the page at `from_url` (a directory URL) to the site-relative `to` (a page, a file, an #anchor)."""
    path, hash_, fragment = to.partition("#")
    if not path:
        return f"#{fragment}" if hash_ else "./"
    link = _relpath(path, from_url)
    if path.endswith("/"):
        link = "./" if link == "." else link + "/"
    return link + (f"#{fragment}" if hash_ else "")


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for site-relative paths, by comparing segments (relpath makes both absolute from the working
    folder first: slow where index pages link every company; benchmarks/README.md)."""
    steps = [part for part in path.split("/") if part and part != "."]
    base = [part for part in start.split("/") if part and part != "."]
    if ".." in steps or ".." in base:
        return posixpath.relpath(path, start or ".")
    shared = 0
    while shared < min(len(steps), len(base)) and steps[shared] == base[shared]:
        shared += 1
    return "/".join([".."] * (len(base) - shared) + steps[shared:]) or "."
