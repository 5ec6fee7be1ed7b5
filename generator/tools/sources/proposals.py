"""Proposals from the company itself: the schema.org data of its website, against what the data lists.

A company's home page often carries JSON-LD or microdata for its `Organization` (or `Corporation`):
`sameAs` names its official profiles, `contactPoint` its phones and e-mails, with `contactType`,
`hoursAvailable` and `availableLanguage`.  That is the most direct evidence of an official channel
there is.  What the data lacks becomes a `proposal` result carrying the snippet as evidence;
nothing is written to the data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from .data import Site
from .extract import Document
from .fetch import Page
from .judge import Result, phone_digits

ORGANIZATION_TYPES = frozenset({"Organization", "Corporation", "LocalBusiness", "OnlineBusiness", "OnlineStore", "Airline",
                                "BankOrCreditUnion", "InsuranceAgency", "TravelAgency", "Store"})
MAX_NODES = 10_000
MAX_DEPTH = 32
SNIPPET_CHARS = 300
# Profile hosts → channel type; the handle types are stored as "@handle" in the data.
_PROFILE_HOSTS = {"x.com": "x", "twitter.com": "x", "instagram.com": "instagram", "tiktok.com": "tiktok",
                  "t.me": "telegram", "telegram.me": "telegram", "facebook.com": "facebook", "fb.com": "facebook",
                  "youtube.com": "youtube", "linkedin.com": "linkedin", "wa.me": "whatsapp"}
_HANDLE_TYPES = frozenset({"x", "instagram", "tiktok", "telegram"})
_NOT_HANDLES = frozenset({"intent", "share", "home", "i", "p", "reel", "explore", "hashtag", "search", "joinchat"})


def propose(site: Site, page: Page, document: Document | None) -> list[Result]:
    """Proposals for one company, or one result saying why its website could not be read for them."""
    base = Result(site.company, "website", site.where, "ok", site.website, "", "website",
                  final_url=page.final_url or None, http_status=page.status)
    if page.outcome != "ok":
        return [replace(base, status=page.outcome, detail=page.reason)]
    if document is None or document.problem or document.html is None:
        why = document.problem if document and document.problem else "not an HTML page we can read structured data from"
        return [replace(base, status="error", detail=why)]
    items, broken = _structured_data(document.html, page.final_url or page.url)
    if broken and not items:
        return [replace(base, status="error", detail=f"its structured data cannot be read ({broken})")]
    proposals = [_proposal(base, kind, address, snippet, extra) for kind, address, snippet, extra in _offers(items, site)
                 if not _listed(site, kind, address)]
    unique = list({(p.kind, p.address): p for p in proposals}.values())
    if unique:
        return unique
    organizations = sum(1 for _ in _organizations(items))
    what = (f"{organizations} Organization entr{'y' if organizations == 1 else 'ies'} in its structured data, nothing the data lacks"
            if organizations else "no Organization in its structured data")
    return [replace(base, detail=what, note=f"some structured data was not readable ({broken})" if broken else "")]


def _structured_data(html: str, base_url: str) -> tuple[list[Any], str]:
    """JSON-LD and microdata items (extruct), and what went wrong if a block could not be read."""
    import extruct

    options = {"base_url": base_url, "syntaxes": ["json-ld", "microdata"], "uniform": True}
    try:
        found = extruct.extract(html, errors="strict", **options)
        broken = ""
    except Exception as problem:  # not JSON, too deeply nested (RecursionError), or markup extruct rejects
        broken = f"{type(problem).__name__}"
        try:
            found = extruct.extract(html, errors="ignore", **options)
        except Exception:
            return [], broken
    if not isinstance(found, dict):
        return [], broken
    return [item for syntax in ("json-ld", "microdata") for item in found.get(syntax) or []], broken


def _walk(items: list[Any]) -> Iterator[dict[str, Any]]:
    """Every mapping in the items, breadth first, bounded in depth and count (nested @graph, hostile nesting)."""
    queue: list[tuple[Any, int]] = [(item, 0) for item in items]
    seen = 0
    while queue and seen < MAX_NODES:
        node, depth = queue.pop(0)
        seen += 1
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, dict):
            yield node
            queue.extend((value, depth + 1) for value in node.values() if isinstance(value, (dict, list)))
        elif isinstance(node, list):
            queue.extend((value, depth + 1) for value in node[:1000] if isinstance(value, (dict, list)))


def _types(node: dict[str, Any]) -> set[str]:
    given = node.get("@type")
    names = given if isinstance(given, list) else [given]
    return {name.rsplit("/", 1)[-1] for name in names if isinstance(name, str)}


def _organizations(items: list[Any]) -> Iterator[dict[str, Any]]:
    return (node for node in _walk(items) if _types(node) & ORGANIZATION_TYPES)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def _snippet(value: dict[str, Any]) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS - 1] + "…"


def _offers(items: list[Any], site: Site) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(channel type, address as the data would write it, snippet, extra fields) for each profile and contact point."""
    for organization in _organizations(items):
        kind_of_type = sorted(_types(organization) & ORGANIZATION_TYPES)[0]
        for link in _as_list(organization.get("sameAs"))[:100]:
            if isinstance(link, str) and (profile := profile_address(link)):
                yield *profile, _snippet({"@type": kind_of_type, "sameAs": link}), {}
        for point in _as_list(organization.get("contactPoint"))[:100]:
            if not isinstance(point, dict):
                continue
            extra = {key: point[key] for key in ("contactType", "hoursAvailable", "availableLanguage", "areaServed")
                     if point.get(key) not in (None, "", [])}
            for key, kind in (("telephone", "phone"), ("email", "email")):
                value = point.get(key)
                if isinstance(value, str) and value.strip():
                    address = value.strip().removeprefix("mailto:").removeprefix("tel:")
                    yield kind, address, _snippet({"@type": "ContactPoint", **{k: v for k, v in point.items() if k != "@context"}}), extra


def profile_address(link: str) -> tuple[str, str] | None:
    """(channel type, address) for a profile link on a known network, in the data's form; None for other links."""
    parts = urlsplit(link.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.").removeprefix("es.")
    kind = _PROFILE_HOSTS.get(host)
    segments = [s for s in parts.path.split("/") if s]
    if kind is None or not segments or parts.scheme not in ("http", "https"):
        return None
    if kind in _HANDLE_TYPES:
        handle = segments[0].removeprefix("@")
        if handle.lower() in _NOT_HANDLES or not re.fullmatch(r"[A-Za-z0-9_.]{1,32}", handle):
            return None
        return kind, "@" + handle
    if kind == "whatsapp":
        digits = re.sub(r"\D", "", segments[0])
        return (kind, "+" + digits) if digits else None
    return kind, f"https://www.{host}/" + "/".join(segments)


def _listed(site: Site, kind: str, address: str) -> bool:
    """Whether the data already lists this address (for phones: as any phone or WhatsApp number)."""
    if kind in ("phone", "whatsapp"):
        wanted = phone_digits(address, site.region)[1]
        known = site.addresses.get("phone", frozenset()) | site.addresses.get("whatsapp", frozenset())
        return any(phone_digits(other, site.region)[1] == wanted for other in known)
    known = site.addresses.get(kind, frozenset())
    if kind in _HANDLE_TYPES or kind == "email":
        return address.lower() in {other.lower() for other in known}
    bare = _bare_url(address)
    return any(_bare_url(other) == bare for other in known)


def _bare_url(url: str) -> str:
    parts = urlsplit(url.lower())
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.").removeprefix("es.")
    return host + parts.path.rstrip("/")


def _proposal(base: Result, kind: str, address: str, snippet: str, extra: dict[str, Any]) -> Result:
    where = base.final_url or base.source
    return replace(base, status="proposal", kind=kind, address=address, evidence=snippet,
                 detail=f"the company's structured data lists {kind} {address}, which the data lacks",
                 proposal={"type": kind, "address": address, "source": where, **{
                     name: value for name, value in (("contact_type", extra.get("contactType")),
                                                     ("hours", extra.get("hoursAvailable")),
                                                     ("languages", extra.get("availableLanguage")),
                                                     ("area_served", extra.get("areaServed"))) if value is not None}})
