"""The text of a fetched page: HTML through selectolax (lexbor), PDFs through pypdf, plain text as it is.

Why selectolax and not lxml (measured on this machine, README "Source watch"): a 477 KB page's text
in 21 ms against 209 ms, and past 256 levels of nesting lxml's parser silently drops the rest of
the page, where lexbor keeps it.  Lexbor's tree building is quadratic in the depth of unclosed
elements (20,000 nested `<div>`s: 3.6 s), so `_depth` estimates the nesting first and a page deeper
than `MAX_DEPTH` is read by stripping its tags instead.

Charset: a byte-order mark, else the HTTP header's charset, else a `<meta>` one in the first
kilobytes; without any, UTF-8 when the bytes are valid UTF-8, else windows-1252 (what browsers do
for Spanish pages).  A declared charset is honoured even when the bytes disagree; the
replacement characters then show in the closest passage and the note says so.
"""

from __future__ import annotations

import codecs
import html
import io
import logging
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from .fetch import Page

MAX_DEPTH = 2000
MAX_PDF_PAGES = 300
MAX_LINKS = 5000
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# `[^<>]` and not `[^>]`: a tag without its `>` then fails at the next `<`, so a page of unclosed tags stays linear.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
_HIDDEN_START = re.compile(r"<(script|style|noscript|template|svg)\b", re.IGNORECASE)
_HREF = re.compile(r"""href\s*=\s*["']([^"']{1,2000})["']""", re.IGNORECASE)
# Elements that never nest (void) or whose end tag is implied by the next sibling: they add no depth.
_FLAT = frozenset("area base br col embed hr img input link meta source track wbr p li dt dd tr td th option".split())
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True, slots=True)
class Document:
    """A page's readable text and its links (absolute), or `problem` when it has no text we can read."""

    text: str = ""
    links: tuple[str, ...] = ()
    html: str | None = None
    note: str = ""
    problem: str = ""


def read(page: Page) -> Document:
    """The text of an `ok` page; a `Document` with `problem` set for what is not a text page."""
    kind = _kind(page)
    if kind == "pdf":
        return _pdf(page.body)
    if kind not in ("html", "text"):
        return Document(problem=kind)
    text, note = decode(page.body, page.charset, html=kind == "html")
    if kind == "text":
        return Document(text, note=note)
    return _html(text, page.final_url or page.url, note)


def _kind(page: Page) -> str:
    media = page.content_type
    if not page.body.strip():
        return "the page is empty"
    if media in PDF_TYPES or page.body.startswith(b"%PDF-"):
        return "pdf"
    if media in HTML_TYPES:
        return "html"
    if media in TEXT_TYPES:
        return "text"
    if not media and page.body.lstrip()[:1] == b"<":
        return "html"
    return f"not a text page ({media or 'no content type'})"


def decode(body: bytes, declared: str | None, *, html: bool) -> tuple[str, str]:
    """The body as text and a note on how it was decoded when that is worth saying."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, errors="replace"), ""
    if declared is None and html:
        found = _META_CHARSET.search(body[:4096])
        declared = found.group(1).decode("ascii") if found else None
    encoding = _codec(declared) if declared else None
    note = f"unknown charset {declared!r}; " if declared and encoding is None else ""
    if encoding is None:
        try:
            return body.decode("utf-8"), note.rstrip("; ")
        except UnicodeDecodeError:
            return body.decode("cp1252", errors="replace"), note + "no charset declared and not UTF-8: read as windows-1252"
    try:
        return body.decode(encoding), ""
    except UnicodeDecodeError:
        text = body.decode(encoding, errors="replace")
        return text, f"the page declares {declared} but is not valid {declared} ({text.count(chr(0xFFFD))} characters unreadable)"


def _codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    # WHATWG Encoding: these labels mean windows-1252 on the web.
    return "cp1252" if name in ("ascii", "iso8859-1", "latin-1") else name


def _html(text: str, base: str, note: str) -> Document:
    if _depth(text) > MAX_DEPTH:
        note = "; ".join(filter(None, [note, f"nested more than {MAX_DEPTH} levels deep: text read without an HTML parser"]))
        links = tuple(urljoin(base, html.unescape(h)) for h in _HREF.findall(text)[:MAX_LINKS])
        stripped = _TAG.sub(" ", _without_hidden(text))
        return Document(html.unescape(stripped), links, None, note)
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(text)
    found = []
    for node in tree.css("a[href], link[href]")[:MAX_LINKS]:
        href = node.attributes.get("href")
        if href:
            found.append(urljoin(base, href.strip()))
    for node in tree.css("script, style, noscript, template, svg"):
        node.decompose()
    root = tree.root
    return Document(root.text(separator=" ") if root is not None else "", tuple(found), text, note)


def _without_hidden(text: str) -> str:
    """The text without script, style, noscript, template and svg elements, in one pass (an unclosed one ends the text)."""
    kept, at = [], 0
    lowered = text.lower()
    while (start := _HIDDEN_START.search(text, at)) is not None:
        kept.append(text[at:start.start()])
        end = lowered.find(f"</{start.group(1).lower()}", start.end())
        if end < 0:
            return " ".join(kept)
        at = lowered.find(">", end)
        if at < 0:
            return " ".join(kept)
        at += 1
    kept.append(text[at:])
    return " ".join(kept)


def _depth(text: str) -> int:
    """How deep the elements nest at most, counting only tags that can hold others (an upper-bound estimate)."""
    depth = deepest = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _FLAT:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _pdf(body: bytes) -> Document:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged PDFs are reported as a status, not as log noise
    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            reader.decrypt("")
        parts = []
        for number, page in enumerate(reader.pages):
            if number >= MAX_PDF_PAGES:
                break
            parts.append(page.extract_text() or "")
    except Exception as problem:  # pypdf raises many kinds on damaged files; any of them means "not readable"
        return Document(problem=f"the PDF cannot be read ({type(problem).__name__})")
    text = "\n".join(parts)
    if not text.strip():
        return Document(problem="the PDF has no text (a scanned image?)")
    return Document(text)
