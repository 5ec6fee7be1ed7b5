"""Folder adapter: the rendered pages and data files written to a folder, with no site engine.

Each page becomes `<url>/index.html`, a small standalone HTML document around
the body the engine-neutral render produced.  The folder is written beside
its final place and swapped in, so a failure never leaves it half-written.
"""

from __future__ import annotations

import html
import shutil
import tempfile
from collections.abc import Callable, Iterable
from functools import partial
from itertools import chain
from pathlib import Path

from generator.pipeline import RenderedSite
from generator.site.render import Page
from generator.site.urls import relative

_DOCUMENT = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
{alternates}
</head>
<body>
{body}
</body>
</html>
"""


def document(page: Page) -> str:
    """A standalone HTML document for one page."""
    alternates = "\n".join(f'<link rel="alternate" hreflang="{lang}" href="{html.escape(relative(page.url, url))}">'
                           for lang, url in page.alternates.items() if lang != page.lang)
    return _DOCUMENT.format(lang=page.lang, title=html.escape(page.title), description=html.escape(page.description),
                            alternates=alternates, body=page.body)


def write_site(site: RenderedSite, out: Path) -> int:
    """Write every page and data file under `out`, replacing it whole; returns the number of files written."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        written: set[str] = set()
        documents: Iterable[tuple[str, Callable[[], str]]] = (
            (f"{page.url}index.html", partial(document, page)) for pages in site.pages.values() for page in pages)
        for path, text in chain(documents, site.files.makers()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text(), encoding="utf-8")  # made one at a time: the site is never held whole
            written.add(path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    return len(written)
