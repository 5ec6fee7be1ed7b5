"""Search: the compact index the header search (every page) and the home page's search field read.

The browser script (docs/javascripts/dr-search.js, with dr-check.js) answers from these files, without a server:

- *Which company is this?*  Names and aliases, sector and channel types, in
  small shards keyed by the first two letters of a word, so a visitor's
  search fetches one shard, not the whole list (a 10,000-company list is
  ~750 KB; a shard is a few KB).  A second set of shards keyed by other
  letter pairs is fetched only when a word of five letters or more finds
  nothing: it is how a typo in the first two letters is still found
  ("Bodafone").  A need query ("luz", i18n/needs.yaml) reads the sector's
  shard (`s-<sector>.json`: its first companies and how many there are).
- *Is this account really them?*  Every official address the data lists
  (handles, phone numbers, e-mails, WhatsApp and profile links) and every
  company's website and domains, normalised to one key by the address spec
  (`generator.data.addresses.account_key`), with its company, source, checked
  date and source kind, in shards chosen by a hash of the key; and every listed
  handle and domain in lookalike shards (`l-<key>.json`) keyed by the first three
  letters of its skeleton, for "looks like @Iberia".
- *Which page?*  The plugin writes each language's hand-written pages by
  section (`guides-<lang>.json`, `guide_sections`), without code, tables or
  the field reference.

`meta.json` says which shards exist and carries the address spec's tables (`addresses.browser_tables`), so the
script runs the same rules; `words-<lang>.json` (render.language_files) carries a language's words and links.
`words`, `shard_key` and `key_hash` are mirrored in the script, and a test runs both on the same inputs.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from generator.data.addresses import (
    LOOKALIKE_KEY,
    LOOKALIKE_KEY_MAX,
    AccountKey,
    account_key,
    alike,
    alike_domain,
    browser_tables,
    domain_keys,
    email_domain,
    fold,
    lookalike_probes,
    lookalike_shard,
    lookalike_stem,
)
from generator.data.vocabulary import ChannelType, Sector
from generator.site.derive import SearchRecord

__all__ = ["SEARCH_DIR", "SEARCH_SCRIPT", "TYPO_MIN", "AccountKey", "SearchIndex", "account_key", "alike", "alike_domain",
           "build_index", "domain_keys", "fold", "key_hash", "lookalike_probes", "shard_key", "words"]

SEARCH_DIR = "search/companies"
"""Where the index files live, relative to the site root (beside Material's own search/ folder)."""
SEARCH_SCRIPT = "javascripts/dr-search.js"
"""The browser side, in docs/; the search form loads it, so pages without a search field do not."""
TYPO_MIN = 5
"""Words this long tolerate one typo (shorter ones would match too much: "bbva" ~ "bbk")."""
ACCOUNT_SHARD_BYTES = 48 * 1024
"""Account shards are split until each holds about this much JSON."""
HEAVY_BYTES = 64 * 1024
SECTOR_SHOWN = 8
"""A need query ("luz") shows this many of the sector's companies, then a link to the sector's index."""
LOOKALIKE_SHARD_BYTES = 16 * 1024
"""A lookalike shard over this is split by one more letter."""
META_FILE = f"{SEARCH_DIR}/meta.json"
"""What the script reads first (shard sizes, version, the address spec's tables): fetched when a visitor types."""
"""A name shard this big (a word most names share, like "grupo") is fetched only once typing pauses."""
SECTORS = tuple(Sector)
CHANNELS = tuple(ChannelType)
HANDLE_TYPES = (ChannelType.X, ChannelType.INSTAGRAM, ChannelType.TIKTOK, ChannelType.TELEGRAM)
LOOKALIKE_KINDS = ("handle", "domain")

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The folded words of a name: runs of letters and digits ("H&M" → ["h", "m"])."""
    return _WORD.findall(fold(text))


def shard_letter(char: str) -> str:
    """The shard a word starting with `char` lives in: a–z, 0–9, or "_" for any other letter."""
    return char if ("a" <= char <= "z" or "0" <= char <= "9") else "_"


def key_hash(key: str) -> int:
    """FNV-1a (32 bits) over the key's UTF-16 code units: the account shard is `key_hash(key) % shards`."""
    value = 0x811C9DC5
    encoded = key.encode("utf-16-le")
    for i in range(0, len(encoded), 2):
        value ^= encoded[i] | (encoded[i + 1] << 8)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """The files (site-relative path → JSON text) and what a page needs to read them (`meta`)."""

    files: dict[str, str]
    meta: dict[str, Any]


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _row(record: SearchRecord) -> list[Any]:
    """[id, name, sector, channel mask, alias, alias…]: the sector and each channel type by their catalogue position."""
    mask = sum(1 << CHANNELS.index(kind) for kind in record.channel_types)
    return [record.id, record.name, SECTORS.index(record.sector), mask, *record.aliases]


def name_keys(names: list[list[str]]) -> set[str]:
    """The name shards of a company, from the words of its name and aliases: the first two letters of each word,
    and of each name with its words run together.

    The run-together form finds "H&M" for "hm" and "easyJet" for "easy jet"; a one-letter word has a one-letter key.
    """
    found = set()
    for parts in names:
        for word in [*parts, "".join(parts)]:
            if word:
                found.add(shard_key(word))
    return found


def typo_keys(names: list[list[str]]) -> set[str]:
    """The typo shards of a company: for each word of five letters or more, its letters 2–3 and its letters 1 and 3.

    A query word of five letters or more whose one typo falls in its first two letters misses its name shard;
    the script then also reads the name shards of its letters 2–3 and 1+3 and these shards for its letters
    2–3, 1+3 and 1–2, which between them hold every word one substitution, deletion, insertion or swap away.
    """
    found = set()
    for parts in names:
        for word in parts:
            if len(word) >= TYPO_MIN:  # a typo in a word of five letters or more leaves a word of five or more
                found.add(shard_key(word[1:3]))
                found.add(shard_key(word[0] + word[2]))
    return found


def shard_key(word: str) -> str:
    """The shard of a word: its first two characters, each a–z or 0–9 (any other letter counts as "_")."""
    key = word[:2]
    return key if key.isascii() and key.isalnum() else "".join(shard_letter(ch) for ch in key)


CHECKABLE = (*HANDLE_TYPES, ChannelType.PHONE, ChannelType.WHATSAPP, ChannelType.EMAIL,
             ChannelType.FACEBOOK, ChannelType.YOUTUBE, ChannelType.LINKEDIN)
"""Channel types whose address names an account a visitor can paste and check."""
WEB = "web"
"""The channel type the account rows give a company's website and domains (not a channel of the data)."""


def _accounts(records: Iterable[SearchRecord]) -> dict[str, list[list[str]]]:
    """Normalised key → [[company id, name, channel type, address as listed, source, checked, source kind], …].

    A company's website and each of its domains are keyed too (channel type "web", the website as source, no
    date): a pasted link or e-mail on them is the company's own.
    """
    found: dict[str, list[list[str]]] = {}

    def add(key: str, row: list[str]) -> None:
        rows = found.setdefault(key, [])
        if row not in rows:
            rows.append(row)

    for record in records:
        for contact in record.contacts:
            normal = account_key(contact.address) if contact.type in CHECKABLE else None
            if normal is not None:
                add(normal.key, [record.id, record.name, contact.type.value, contact.address, contact.source,
                                 contact.checked.isoformat(), contact.source_kind.value])
        for domain in _domains(record):
            add(domain, [record.id, record.name, WEB, domain, record.website, "", "company"])
    return found


def _domains(record: SearchRecord) -> list[str]:
    """The company's own hosts: its website's (without www.) and its domains."""
    host = (urlsplit(record.website).hostname or "").lower() if record.website else ""
    website = account_key(host) if host else None
    return list(dict.fromkeys([*([website.key] if website else []), *(d.lower() for d in record.domains)]))


def _lookalike_rows(records: Iterable[SearchRecord]) -> dict[str, list[list[str]]]:
    """Lookalike shard key → [[company id, name, kind ("handle" or "domain"), the listed handle or domain], …].

    What a pasted handle or domain is compared with (`addresses.alike`): every listed handle, the website and
    domains, and the domains of listed e-mail addresses, filed by the first letters of their stem
    (`addresses.lookalike_stem`): three, or more where that many letters would make a shard over
    `LOOKALIKE_SHARD_BYTES` (stems no longer than the letters used stay in the shorter key).
    """
    entries: list[tuple[str, list[str]]] = []
    for record in records:
        idents: list[tuple[str, str]] = [("domain", d) for d in _domains(record)]
        for contact in record.contacts:
            normal = account_key(contact.address) if contact.type in CHECKABLE else None
            if normal is None:
                continue
            if normal.key.startswith("@"):
                idents.append(("handle", normal.key))
            elif normal.network == "email":
                idents.append(("domain", email_domain(normal.key)))
        for kind, ident in dict.fromkeys(idents):
            stem = lookalike_stem(ident)
            if len(stem) >= LOOKALIKE_KEY:
                entries.append((stem, [record.id, record.name, kind, ident]))
    found: dict[str, list[list[str]]] = {}

    def place(group: list[tuple[str, list[str]]], letters: int) -> None:
        by_key: dict[str, list[tuple[str, list[str]]]] = {}
        for stem, row in group:
            by_key.setdefault(lookalike_shard(stem, letters), []).append((stem, row))
        for key, members in by_key.items():
            longer = [(stem, row) for stem, row in members if len(stem) > letters]
            if letters < LOOKALIKE_KEY_MAX and longer and len(_dumps([row for _, row in members])) > LOOKALIKE_SHARD_BYTES:
                short = [row for stem, row in members if len(stem) <= letters]
                if short:
                    found[key] = short
                place(longer, letters + 1)
            else:
                found[key] = [row for _, row in members]

    place(entries, LOOKALIKE_KEY)
    return found


def build_index(records: tuple[SearchRecord, ...]) -> SearchIndex:
    """The search files for these companies: name, typo, account, lookalike and sector shards, and meta.json."""
    files: dict[str, str] = {}
    grouped: dict[str, dict[str, list[str]]] = {"n": {}, "t": {}}
    for record in records:
        names = [words(text) for text in (record.name, *record.aliases)]
        row = _dumps(_row(record))
        for kind, keys in (("n", name_keys(names)), ("t", typo_keys(names))):
            for key in keys:
                grouped[kind].setdefault(key, []).append(row)
    sizes: dict[str, dict[str, int]] = {}
    for kind, shards in grouped.items():
        sizes[kind] = {}
        for key, rows in sorted(shards.items()):
            text = f"[{','.join(rows)}]"
            files[f"{SEARCH_DIR}/{kind}-{key}.json"] = text
            sizes[kind][key] = len(text.encode())
    entries = {key: f"{_dumps(key)}:{_dumps(rows)}" for key, rows in sorted(_accounts(records).items())}
    total = sum(len(entry.encode()) + 1 for entry in entries.values())
    count = 1
    while total / count > ACCOUNT_SHARD_BYTES:
        count *= 2
    buckets: list[list[str]] = [[] for _ in range(count)]
    for key, entry in entries.items():
        buckets[key_hash(key) % count].append(entry)
    for i, bucket in enumerate(buckets):
        files[f"{SEARCH_DIR}/a-{i}.json"] = "{" + ",".join(bucket) + "}"
    lookalikes = _lookalike_rows(records)
    for key, similar in sorted(lookalikes.items()):
        files[f"{SEARCH_DIR}/l-{key}.json"] = _dumps(similar)
    by_sector: dict[Sector, list[SearchRecord]] = {}
    for record in records:
        by_sector.setdefault(record.sector, []).append(record)
    for sector, members in by_sector.items():
        # The first companies of a sector, for a need query ("luz" → energy); the sector's index has them all.
        files[f"{SEARCH_DIR}/s-{sector.value}.json"] = _dumps({"count": len(members), "rows": [
            _row(r) for r in sorted(members, key=lambda r: fold(r.name))[:SECTOR_SHOWN]]})
    digest = hashlib.sha256("".join(f"{path}\n{text}\n" for path, text in sorted(files.items())).encode()).hexdigest()[:12]
    # Name shards with their size in KB (the script reads the smallest one a query allows); typo shards by key only.
    meta = {"version": digest, "names": {key: -(-size // 1024) for key, size in sizes["n"].items()},
            "typos": " ".join(sizes["t"]), "accounts": count, "typo_min": TYPO_MIN, "heavy_kb": HEAVY_BYTES // 1024,
            "sectors": [s.value for s in SECTORS], "channels": [c.value for c in CHANNELS],
            "lookalikes": " ".join(sorted(lookalikes)), "with_sector": sorted(s.value for s in by_sector),
            "normalise": browser_tables()}
    files[META_FILE] = _dumps(meta)
    return SearchIndex(files=files, meta=meta)


NOT_SEARCHED = ("<!-- dr:not-searched -->", "<!-- /dr:not-searched -->")
"""Marks around what a page shows but search should not find (the open-data field reference)."""
GUIDE_TEXT_CHARS = 1200
"""Each section's text is cut to this many characters in the guides index (enough to match on, small to fetch)."""
_SKIPPED = re.compile(r"<(pre|script|style|table|form|nav)\b.*?</\1>|<!-- dr:not-searched -->.*?<!-- /dr:not-searched -->",
                      re.S | re.I)
_HEADING = re.compile(r"<h([1-3])\b([^>]*)>(.*?)</h\1>", re.S | re.I)
_ID = re.compile(r'\bid="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|code|em|i|kbd|span|strong)\b[^>]*>", re.I)
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)


def _plain(html_text: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", _INLINE_TAG.sub("", _PERMALINK.sub("", html_text)))).split())


def guide_sections(title: str, url: str, content: str) -> list[list[str]]:
    """A hand-written page as [title, link, text] per section (its top, then each heading with an id), for the
    header search: code blocks, tables, forms and the marked field reference left out, so they are never results
    (a word in inline code stays part of its sentence)."""
    body = _SKIPPED.sub(" ", content)
    found: list[list[str]] = []
    at, heading, anchor = 0, title, ""
    for match in [*_HEADING.finditer(body), None]:
        end = match.start() if match else len(body)
        text = _plain(body[at:end])[:GUIDE_TEXT_CHARS]
        if text or anchor:
            found.append([heading if heading == title else f"{title} · {heading}", url + (f"#{anchor}" if anchor else ""), text])
        if match:
            found_id = _ID.search(match.group(2))
            at, heading, anchor = match.end(), _plain(match.group(3)), found_id.group(1) if found_id else ""
            if match.group(1) == "1":
                heading, anchor = title, ""
    return found
