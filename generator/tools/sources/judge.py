"""A status for each fact from its page: does the evidence quote still stand there, and the address?

Statuses: ok (the quote is on the page), drift (the page was read, the quote is not: the closest
passage is shown), dead (4xx, 5xx, a domain that does not exist), moved (redirected to another
domain), blocked (robots.txt), error (timeout, too large, not a text page, no connection), and
proposal (from `proposals`: something the company publishes that the data lacks).

Matching folds case, accents, quote marks and dashes, and ignores whitespace altogether (page
markup splits and joins words unpredictably: `<b>Horario</b>:` reads as "Horario :"); each
`[...]`-separated fragment of the quote must be found, in order.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import phonenumbers

from .data import Fact
from .extract import Document
from .fetch import Page

STATUSES = ("ok", "drift", "dead", "moved", "blocked", "error", "proposal")
HINTS = {
    "ok": "",
    "drift": "read the page: if the fact changed, correct it; if only the wording did, update evidence and checked",
    "dead": "find where the fact is stated now (the company's own site first) and update source, evidence and checked, "
            "or remove the fact if nothing states it any more",
    "moved": "open the new address: if it states the fact, update source (and evidence, checked) to it",
    "blocked": "the site asks robots not to read this page: check it by hand",
    "error": "try again later; if it persists, check the page by hand",
    "proposal": "the company publishes this itself: check it on the page and add it with that page as its source",
}
PASSAGE_CHARS = 300
_QUOTES = dict.fromkeys(map(ord, "\"'`´‘’‚‛“”„‟«»‹›′″"), None)
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-") | dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_ELISION = re.compile(r"\[\s*(?:\.\.\.|…)\s*\]")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Result:
    """One line of the report: a fact, a company's website, or a proposal, with its status."""

    company: str
    field: str
    where: str
    status: str
    source: str
    detail: str
    kind: str = ""
    address: str | None = None
    address_found: bool | None = None
    evidence: str | None = None
    closest: str | None = None
    similarity: float | None = None
    final_url: str | None = None
    http_status: int | None = None
    note: str = ""
    proposal: dict[str, Any] | None = None

    @property
    def hint(self) -> str:
        return HINTS[self.status]


def quote_form(text: str) -> str:
    """Case, accents, quote marks, dashes, whitespace and invisible characters (soft hyphens, zero-width spaces) folded
    away, for comparing a quote with a page.  Looser than `addresses.fold` (what a visitor types), hence its own name."""
    text = unicodedata.normalize("NFKD", text.replace("…", "..."))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(text.casefold().translate(_QUOTES).translate(_DASHES).split())


def quote_found(evidence: str, page_text: str) -> bool:
    """Each `[...]`-separated fragment of `evidence` on the page, in order."""
    return _fragments_in_order([quote_form(part) for part in _ELISION.split(evidence)], quote_form(page_text))


def _fragments_in_order(fragments: list[str], haystack: str) -> bool:
    at = 0
    for fragment in fragments:
        if not fragment:
            continue
        found = haystack.find(fragment, at)
        if found < 0:
            return False
        at = found + len(fragment)
    return True


def _word_key(token: str) -> str:
    return re.sub(r"[^\w]", "", quote_form(token))


def closest_passage(evidence: str, page_text: str) -> tuple[str, float] | None:
    """The run of page words sharing most words with the quote, and the share of the quote's words it holds."""
    wanted = [key for key in (_word_key(t) for t in _WORD.findall(_ELISION.sub(" ", evidence))) if key]
    spans = [(m.start(), m.end(), key) for m in _WORD.finditer(page_text) if (key := _word_key(m.group()))]
    if not wanted or not spans:
        return None
    need = Counter(wanted)
    width = min(len(wanted) + 10 * len(_ELISION.findall(evidence)), 80)
    have: Counter[str] = Counter()
    overlap = best = best_end = 0
    for end, (_, _, key) in enumerate(spans):
        if have[key] < need[key]:
            overlap += 1
        have[key] += 1
        if end >= width:
            old = spans[end - width][2]
            have[old] -= 1
            if have[old] < need[old]:
                overlap -= 1
        if overlap > best:
            best, best_end = overlap, end
    if best == 0:
        return None
    first = max(best_end - width + 1, 0)
    # Trim the window to the words that are in the quote, so the passage starts and ends on them.
    while first < best_end and spans[first][2] not in need:
        first += 1
    passage = " ".join(page_text[spans[first][0]:spans[best_end][1]].split())
    if len(passage) > PASSAGE_CHARS:
        passage = passage[:PASSAGE_CHARS - 1] + "…"
    return passage, round(best / len(wanted), 2)


def phone_digits(address: str, region: str) -> tuple[str, str]:
    """(country code, national digits) of a phone or WhatsApp address; short codes have no country code."""
    if "wa.me/" in address or "whatsapp.com" in address:
        address = "+" + "".join(re.findall(r"\d", urlsplit(address).path + urlsplit(address).query))
    try:
        number = phonenumbers.parse(address, region)
    except phonenumbers.NumberParseException:
        return "", "".join(re.findall(r"\d", address))
    national = str(number.national_number)
    if len(national) <= 5:
        return "", national
    return str(number.country_code), national


def address_on_page(kind: str, address: str | None, document: Document, source: str, region: str) -> bool | None:
    """Whether the fact's own address (digits, handle, e-mail, link, postcode) is on the page; None when not checkable."""
    if not address:
        return None
    haystack = document.text + "\n" + "\n".join(document.links)
    lowered = haystack.lower()
    if kind in ("phone", "whatsapp") and not address.startswith("http"):
        country, national = phone_digits(address, region)
        digits = re.sub(r"(?<=\d)[\s.\-()/\u00a0]+(?=\d)", "", haystack)
        prefix = rf"(?:(?:\+|00)?{country})?" if country else ""
        return re.search(rf"(?<!\d){prefix}{national}(?!\d)", digits) is not None
    if "@" in address and not address.startswith(("@", "http")):  # an e-mail address
        return address.lower() in lowered
    if address.startswith("@"):
        handle = re.escape(address[1:].lower())
        return re.search(rf"(?<![\w.]){'@?'}{handle}(?![\w])", lowered) is not None
    if address.startswith("https://"):
        if _bare(address) == _bare(source):
            return True
        return _bare(address) in {_bare(link) for link in document.links} or _bare(address) in lowered
    postcode = re.search(r"(?<!\d)\d{5}(?!\d)", address)
    return postcode.group() in haystack if postcode else None


def _bare(url: str) -> str:
    parts = urlsplit(url.strip().lower())
    return (parts.netloc.removeprefix("www.") + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else ""))


def judge_fact(fact: Fact, page: Page, document: Document | None) -> Result:
    """The status of one fact, from its fetched page and (for an `ok` fetch) the page's text."""
    base = Result(fact.company, fact.field, fact.where, "ok", fact.source, "", fact.kind, fact.address, None,
                  fact.evidence, final_url=page.final_url or None, http_status=page.status)
    if page.outcome != "ok":
        return replace(base, status=page.outcome, detail=page.reason)
    if document is None or document.problem:
        return replace(base, status="error", detail=document.problem if document else "not read")
    found = address_on_page(fact.kind, fact.address, document, fact.source, fact.region)
    base = replace(base, address_found=found, note=document.note)
    where = "" if page.final_url in ("", fact.source) else f" (at {page.final_url})"
    if fact.evidence is None:
        if found is False:
            return replace(base, status="drift", detail="no evidence quote to compare, and the address is not on the page" + where)
        return replace(base, detail="no evidence quote to compare" + ("; the address is on the page" if found else "") + where)
    if quote_found(fact.evidence, document.text):
        return replace(base, detail="the evidence quote is on the page" + where)
    closest = closest_passage(fact.evidence, document.text)
    if closest is None:
        return replace(base, status="drift", detail="the evidence quote is not on the page, nor any of its words" + where)
    passage, share = closest
    return replace(base, status="drift", closest=passage, similarity=share,
                    detail=f"the evidence quote is not on the page; the closest passage has {share:.0%} of its words" + where)
