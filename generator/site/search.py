"""Company search: the compact index the home page's search field reads, and the normalisation it matches with.

The browser script (docs/javascripts/dr-search.js) answers two questions from
these files, without a server:

- *Which company is this?*  Names and aliases, sector and channel types, in
  small shards keyed by the first two letters of a word, so a visitor's
  search fetches one shard, not the whole list (a 10,000-company list is
  ~750 KB; a shard is a few KB).  A second set of shards keyed by other
  letter pairs is fetched only when a word of five letters or more finds
  nothing: it is how a typo in the first two letters is still found
  ("Bodafone").
- *Is this account really them?*  Every official address the data lists
  (handles, phone numbers, e-mails, WhatsApp and profile links), normalised
  to one key, with its company, source and checked date, in shards chosen by
  a hash of the key.

Everything the browser recomputes (`fold`, `words`, `shard_key`,
`account_key`, `key_hash`) is mirrored in the script line for line, and a test
runs both on the same inputs.  The files are language-neutral; the page that
holds the search field passes its own words and links (`SearchIndex.meta`).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from generator.data.vocabulary import ChannelType, Sector
from generator.site.derive import SearchRecord

SEARCH_DIR = "search/companies"
"""Where the index files live, relative to the site root (beside Material's own search/ folder)."""
SEARCH_SCRIPT = "javascripts/dr-search.js"
"""The browser side, in docs/; the search form loads it, so pages without a search field do not."""
TYPO_MIN = 5
"""Words this long tolerate one typo (shorter ones would match too much: "bbva" ~ "bbk")."""
ACCOUNT_SHARD_BYTES = 48 * 1024
"""Account shards are split until each holds about this much JSON."""
HEAVY_BYTES = 64 * 1024
"""A name shard this big (a word most names share, like "grupo") is fetched only once typing pauses."""
SECTORS = tuple(Sector)
CHANNELS = tuple(ChannelType)
HANDLE_TYPES = (ChannelType.X, ChannelType.INSTAGRAM, ChannelType.TIKTOK, ChannelType.TELEGRAM)

_WORD = re.compile(r"[^\W_]+")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")
_EMAIL = re.compile(r"^[^\s@/]+@[^\s@/]+\.[a-z]{2,63}$")
_HANDLE = re.compile(r"^[a-z0-9._]{1,64}$")
_URL = re.compile(r"^(?:https?://)?(?:www\.|m\.|mobile\.|es-es\.|es\.)?([a-z0-9.-]+\.[a-z]{2,})(/[^?#]*)?(\?[^#]*)?")
_HANDLE_HOSTS = {"x.com": "x", "twitter.com": "x", "instagram.com": "instagram", "tiktok.com": "tiktok",
                 "t.me": "telegram", "telegram.me": "telegram"}
_PROFILE_HOSTS = {"facebook.com": "facebook", "fb.com": "facebook", "youtube.com": "youtube", "linkedin.com": "linkedin"}


def fold(text: str) -> str:
    """Lower case without accents (Telefónica → telefonica, Çà → ca): what the visitor may type."""
    if text.isascii():
        return text.lower()
    # Marks are dropped by category (Mn), which the browser's /\p{Mn}/u can mirror exactly.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()


def words(text: str) -> list[str]:
    """The folded words of a name: runs of letters and digits ("H&M" → ["h", "m"])."""
    return _WORD.findall(fold(text))


def shard_letter(char: str) -> str:
    """The shard a word starting with `char` lives in: a–z, 0–9, or "_" for any other letter."""
    return char if ("a" <= char <= "z" or "0" <= char <= "9") else "_"


@dataclass(frozen=True, slots=True)
class AccountKey:
    """A pasted handle, number, e-mail or link, normalised: `key` is what the data is indexed by.

    `network` says where the visitor saw it when the text tells ("x" for an x.com link); a bare
    @handle or number does not.
    """

    key: str
    network: str | None


def account_key(text: str) -> AccountKey | None:
    """Normalise what a visitor pasted (or an address from the data); None when it is not a contact address.

    "@Movistar_ES", "https://x.com/movistar_es" → @movistar_es · "+34 638 10 10 04", "0034638101004",
    "638 101 004", "https://wa.me/34638101004" → 34638101004 · "mailto:Atencion@Acme.es?subject=x" →
    atencion@acme.es · "https://www.facebook.com/Movistar/" → facebook.com/movistar
    """
    raw = text.strip()
    lower = raw.lower()
    if lower.startswith("mailto:"):
        lower = lower[7:].split("?")[0]
    if not lower.startswith("@") and _EMAIL.match(lower):
        return AccountKey(lower, "email")
    if lower.startswith("@"):
        handle = lower[1:].strip()
        return AccountKey("@" + handle, None) if _HANDLE.match(handle) else None
    url = _URL.match(lower)
    if url and ("/" in lower or lower.startswith(("http:", "https:"))):
        return _url_key(url.group(1), (url.group(2) or "").strip("/"), url.group(3) or "")
    return _phone_key(lower)


def _url_key(host: str, path: str, query: str) -> AccountKey | None:
    first = path.split("/")[0]
    if host in _HANDLE_HOSTS:
        handle = first.removeprefix("@")
        return AccountKey("@" + handle, _HANDLE_HOSTS[host]) if _HANDLE.match(handle) else None
    if host in ("wa.me", "api.whatsapp.com", "whatsapp.com"):
        number = first if host == "wa.me" else parse_qs(query.lstrip("?")).get("phone", [""])[0]
        found = _phone_key("+" + number.lstrip("+")) if number else None
        return AccountKey(found.key, "whatsapp") if found else None
    if host in _PROFILE_HOSTS and path:
        network = _PROFILE_HOSTS[host]
        return AccountKey(f"{'facebook.com' if network == 'facebook' else host}/{path}", network)
    return None


def _phone_key(text: str) -> AccountKey | None:
    compact = _PHONE_SEPARATORS.sub("", text)
    if not re.fullmatch(r"\+?[0-9]{3,15}", compact):
        return None
    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("00"):
        digits = compact[2:]
    elif len(compact) == 9 and compact[0] in "6789":
        digits = "34" + compact  # a Spanish number written without the country code
    else:
        digits = compact  # an operator's short code (1004, 22123)
    return AccountKey(digits, None) if len(digits) >= 3 else None


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


def _accounts(records: Iterable[SearchRecord]) -> dict[str, list[list[str]]]:
    """Normalised key → [[company id, name, channel type, address as listed, source, checked], …]."""
    found: dict[str, list[list[str]]] = {}
    for record in records:
        for contact in record.contacts:
            if contact.type not in (*HANDLE_TYPES, ChannelType.PHONE, ChannelType.WHATSAPP, ChannelType.EMAIL,
                                    ChannelType.FACEBOOK, ChannelType.YOUTUBE, ChannelType.LINKEDIN):
                continue
            normal = account_key(contact.address)
            if normal is None:
                continue
            row = [record.id, record.name, contact.type.value, contact.address, contact.source, contact.checked.isoformat()]
            rows = found.setdefault(normal.key, [])
            if row not in rows:
                rows.append(row)
    return found


_last: tuple[tuple[SearchRecord, ...], SearchIndex] | None = None


def build_index(records: tuple[SearchRecord, ...]) -> SearchIndex:
    """The search files for these companies, and the meta a page passes to the script.

    The data files and each language's home page ask for the index of the same model: the last one is kept,
    recognised by its record objects (comparing 10,000 records by value would cost more than it saves).
    """
    global _last
    if _last is None or len(_last[0]) != len(records) or any(a is not b for a, b in zip(_last[0], records, strict=True)):
        _last = (records, _build(records))
    return _last[1]


def _build(records: tuple[SearchRecord, ...]) -> SearchIndex:
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
    digest = hashlib.sha256("".join(f"{path}\n{text}\n" for path, text in sorted(files.items())).encode()).hexdigest()[:12]
    # Name shards with their size in KB (the script reads the smallest one a query allows); typo shards by key only.
    meta = {"version": digest, "names": {key: -(-size // 1024) for key, size in sizes["n"].items()},
            "typos": " ".join(sizes["t"]), "accounts": count, "typo_min": TYPO_MIN, "heavy_kb": HEAVY_BYTES // 1024,
            "sectors": [s.value for s in SECTORS], "channels": [c.value for c in CHANNELS]}
    return SearchIndex(files=files, meta=meta)
