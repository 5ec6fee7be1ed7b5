"""Channel addresses, the one spec: how an address is checked, normalised, keyed, folded and compared.

- `check_address`: what a contributor wrote, checked per channel type (validation).  Phone numbers go through
  `phonenumbers` (which also knows that a Spanish 902 number is shared-cost and a 900 number is free); handles,
  e-mails and links are checked against the shape each network allows.
- `account_key`: what a visitor pastes (a handle, number, e-mail, profile or WhatsApp link, a website or a bare
  domain), normalised to the one key the data is indexed by (search, the account check, review).
- `fold`: text as a visitor may type it (case and accents ignored), for matching and sorting.
- `alike`: whether a handle or domain imitates a listed one (confusable characters, an added word or hyphen,
  one or two letters changed), as a reason code (review words it; the account check warns).

The browser (docs/javascripts/dr-search.js) does not repeat these tables: the build ships them
(`browser_tables()`, in search/companies/meta.json) and the script reads them.  The few lines of logic both
sides run are checked against one case file, tests/cases/normalise.json, in Python and in Node
(tests/test_normalise_parity.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from generator.data.fields import check_https_url, fail, host_of
from generator.data.vocabulary import ChannelType, Cost

# --- the tables (shipped to the browser by `browser_tables`) ---------------------------------------------------

NETWORK_HOSTS: dict[str, str] = {
    "x.com": "x", "twitter.com": "x", "instagram.com": "instagram", "tiktok.com": "tiktok",
    "t.me": "telegram", "telegram.me": "telegram",
    "facebook.com": "facebook", "fb.com": "facebook", "youtube.com": "youtube", "linkedin.com": "linkedin",
}
"""Hosts of the networks whose links name an account → the channel type."""
HANDLE_NETWORKS = ("x", "instagram", "tiktok", "telegram")
"""Networks whose accounts are @handles (the others are profile links)."""
WHATSAPP_HOSTS = ("wa.me", "api.whatsapp.com", "whatsapp.com")
HOST_PREFIXES = ("www.", "m.", "mobile.", "es-es.", "es.")
"""Prefixes a link's host may carry that do not change whose page it is."""
COUNTRY_CODE = "34"
NATIONAL_DIGITS = 9
NATIONAL_LEADS = "6789"
"""A number of nine digits starting with one of these is Spanish, written without the country code."""
SECOND_LEVEL = ("com", "co", "org", "net", "gob", "gov", "edu", "nom")
"""Labels under a country ending that do not name the owner (bbc.co.uk is bbc's)."""

# What a visitor may paste, as regular expressions; JS_PATTERNS says the same in the browser's syntax (the
# parity test runs both over tests/cases/normalise.json).
_EMAIL_KEY = re.compile(r"^[^\s@/]+@[^\s@/]+\.[a-z]{2,63}$")
_HANDLE_KEY = re.compile(r"^[\w.]{1,64}$")
_URL_KEY = re.compile(r"^(?:https?://)?((?:[\w-]+\.)+[a-z]{2,63})(?::[0-9]+)?(/[^?#]*)?(\?[^#]*)?")
_DOMAIN_KEY = re.compile(r"^(?:[\w-]+\.)+[a-z]{2,63}$")
_PHONE_KEY = re.compile(r"^\+?[0-9]{3,15}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")
JS_PATTERNS = {
    "email": r"^[^\s@/]+@[^\s@/]+\.[a-z]{2,63}$",
    "handle": r"^[\p{L}\p{N}_.]{1,64}$",
    "url": r"^(?:https?:\/\/)?((?:[\p{L}\p{N}_-]+\.)+[a-z]{2,63})(?::[0-9]+)?(\/[^?#]*)?(\?[^#]*)?",
    "domain": r"^(?:[\p{L}\p{N}_-]+\.)+[a-z]{2,63}$",
    "phone": r"^\+?[0-9]{3,15}$",
    "separators": r"[\s.\-()/]",
}
"""The patterns above in JavaScript's syntax (flag u): \\w is [\\p{L}\\p{N}_] in both."""

_HANDLE = {
    ChannelType.X: (re.compile(r"^[A-Za-z0-9_]{1,15}$"), "1–15 letters, digits or _"),
    ChannelType.INSTAGRAM: (re.compile(r"^[A-Za-z0-9._]{1,30}$"), "1–30 letters, digits, . or _"),
    ChannelType.TIKTOK: (re.compile(r"^[A-Za-z0-9._]{2,24}$"), "2–24 letters, digits, . or _"),
    ChannelType.TELEGRAM: (re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$"), "4–32 letters, digits or _"),
}
"""What each network allows in a handle (stricter than what a visitor may paste: a fake may break the rule)."""


def hosts_of(kind: ChannelType) -> tuple[str, ...]:
    """The hosts whose links are accounts of network `kind`."""
    return tuple(host for host, network in NETWORK_HOSTS.items() if network == kind.value)

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")

_PHONE_COST = {
    PhoneNumberType.TOLL_FREE: Cost.FREE,
    PhoneNumberType.PREMIUM_RATE: Cost.PREMIUM,
    PhoneNumberType.SHARED_COST: Cost.PREMIUM,
    PhoneNumberType.FIXED_LINE: Cost.STANDARD,
    PhoneNumberType.MOBILE: Cost.STANDARD,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: Cost.STANDARD,
}
_OPERATOR_CODE = re.compile(r"^[0-9]{3,5}$")


@dataclass(frozen=True, slots=True)
class CheckedAddress:
    """A checked address: the normalised form, and the cost the number itself implies."""

    value: str
    implied_cost: Cost | None = None


def check_address(kind: ChannelType, value: str, region: str) -> CheckedAddress:
    """Check `value` for a channel of type `kind`; `region` is the company's country for local numbers."""
    if kind in (ChannelType.PHONE, ChannelType.WHATSAPP):
        if kind is ChannelType.WHATSAPP and value.lower().startswith("https://"):
            value = _wa_me_number(value)
        return check_phone(value, region, mobile_only=kind is ChannelType.WHATSAPP)
    if kind in _HANDLE:
        return CheckedAddress(_handle(kind, value))
    if kind.value in NETWORK_HOSTS.values():
        return CheckedAddress(_profile(kind, value))
    if kind is ChannelType.EMAIL:
        address = value.removeprefix("mailto:")
        if not _EMAIL.match(address):
            raise fail("email", f"'{value}' is not an e-mail address — write it like atencion@example.es")
        return CheckedAddress(address)
    if kind in (ChannelType.WEBFORM, ChannelType.CHAT, ChannelType.APP):
        return CheckedAddress(check_https_url(value))
    if kind is ChannelType.IN_PERSON and value.lower().startswith(("http:", "https:")):
        return CheckedAddress(check_https_url(value))
    if kind in (ChannelType.POST, ChannelType.IN_PERSON):
        if re.search(r"^\s*(javascript|data|vbscript):", value, re.IGNORECASE):
            raise fail("address", "a postal address cannot be a script link — write the street address")
        return CheckedAddress(value)
    raise AssertionError(f"no address rule for {kind}")  # pragma: no cover - every type has a rule


def check_phone(value: str, region: str, *, mobile_only: bool = False) -> CheckedAddress:
    """A phone number in international format, with the cost its range implies.

    Each number is checked for its address and again, in its normalised form, for its cost.  The cache is keyed
    by the number without its spaces and punctuation (which `phonenumbers` ignores too), so "+34 900-123-456" and
    its normalised form "+34 900 123 456" are one entry and one parse.
    """
    try:
        return _check_phone(_PHONE_SEPARATORS.sub("", value), region, mobile_only)
    except _NotANumber as failure:
        raise fail(failure.kind, failure.message.format(value=value)) from None


class _NotANumber(Exception):
    """Raised inside the cached check (so failures are not cached) and reworded with the number as written."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind, self.message = kind, message


@lru_cache(maxsize=65_536)
def _check_phone(value: str, region: str, mobile_only: bool) -> CheckedAddress:
    if not mobile_only and _OPERATOR_CODE.match(value):
        # Operators' own short codes (1004, 22123, 470) work only from their lines in the
        # country; phonenumbers does not know them all and cannot tell their cost.
        return CheckedAddress(value, None)
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise _NotANumber("phone", "'{value}' is not a phone number — write it with the country code, e.g. +34 900 123 456") from None
    # number_type is UNKNOWN exactly when the number is not valid (is_valid_number runs the same
    # match against the region's ranges), so one call answers both questions.
    number_type = phonenumbers.number_type(number)
    if number_type != PhoneNumberType.UNKNOWN:
        if mobile_only and number_type not in (
                PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.FIXED_LINE):
            raise _NotANumber("whatsapp", "'{value}' is not a number WhatsApp can use — check the number the company publishes")
        formatted = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        return CheckedAddress(formatted, _PHONE_COST.get(number_type, Cost.UNKNOWN))
    raise _NotANumber("phone", f"'{{value}}' is not a valid {region} phone number — check the digits; write it like +34 900 123 456")


def _wa_me_number(url: str) -> str:
    parts = urlsplit(url)
    if host_of(url) not in ("wa.me", "api.whatsapp.com"):
        raise fail("whatsapp", f"'{url}' is not a WhatsApp link — write the phone number, e.g. +34 600 000 000")
    digits = parts.path.strip("/") or dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p).get("phone", "")
    return "+" + digits.lstrip("+")


def _handle(kind: ChannelType, value: str) -> str:
    pattern, rule = _HANDLE[kind]
    handle = value
    if value.lower().startswith(("https://", "http://")):
        host = host_of(value).removeprefix("www.")
        if host not in hosts_of(kind):
            raise fail("handle", f"'{value}' is not a {kind.value} profile link — write the handle, e.g. @Example")
        handle = urlsplit(value).path.strip("/").split("/")[0]
    handle = handle.removeprefix("@")
    if not pattern.match(handle):
        raise fail("handle", f"'{value}' is not a valid {kind.value} handle ({rule}) — write it like @Example")
    return "@" + handle


def _profile(kind: ChannelType, value: str) -> str:
    check_https_url(value)
    host = _bare_host(host_of(value))
    if not any(host == h or host.endswith("." + h) for h in hosts_of(kind)):
        raise fail("profile", f"'{value}' is not a {kind.value} page — write the https link to the company's {kind.value} page")
    return value


def handle_url(kind: ChannelType, handle: str) -> str:
    """The public profile URL of a normalised handle."""
    name = handle.removeprefix("@")
    return {ChannelType.X: f"https://x.com/{name}", ChannelType.INSTAGRAM: f"https://www.instagram.com/{name}/",
            ChannelType.TIKTOK: f"https://www.tiktok.com/@{name}", ChannelType.TELEGRAM: f"https://t.me/{name}"}[kind]


def _bare_host(host: str) -> str:
    """A host without the prefixes that do not change whose page it is (www., m., es-es.…)."""
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix):]
    return host


# --- what a visitor types or pastes ------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents (Telefónica → telefonica, Çà → ca, Straße → straße): what a visitor may type.

    Compatibility forms are decomposed (ﬁ → fi, ½ → 1⁄2) and combining marks (category Mn) dropped, then the
    text is lowercased: the browser's normalize("NFKD"), /\\p{Mn}/gu and toLowerCase() give the same.
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()


@dataclass(frozen=True, slots=True)
class AccountKey:
    """A pasted handle, number, e-mail, link or domain, normalised: `key` is what the data is indexed by.

    `network` says where the visitor saw it when the text tells: a channel type ("x" for an x.com link,
    "email", "whatsapp") or "web" for a website or bare domain; a bare @handle or number does not.
    """

    key: str
    network: str | None


def account_key(text: str) -> AccountKey | None:
    """Normalise what a visitor pasted (or an address from the data); None when it is not a contact address.

    "@Movistar_ES", "https://x.com/movistar_es" → @movistar_es · "+34 638 10 10 04", "0034638101004",
    "638 101 004", "https://wa.me/34638101004" → 34638101004 · "mailto:Atencion@Acme.es?subject=x" →
    atencion@acme.es · "https://www.facebook.com/Movistar/" → facebook.com/movistar ·
    "https://www.movistar.es/contacto", "movistar.es" → movistar.es (web)
    """
    lower = text.strip().lower()
    if lower.startswith("mailto:"):
        lower = lower[7:].split("?")[0]
    if not lower.startswith("@") and _EMAIL_KEY.match(lower):
        return AccountKey(lower, "email")
    if lower.startswith("@"):
        handle = lower[1:].strip()
        return AccountKey("@" + handle, None) if _HANDLE_KEY.match(handle) else None
    url = _URL_KEY.match(lower)
    if url and ("/" in lower or lower.startswith(("http:", "https:")) or _DOMAIN_KEY.match(lower)):
        return _url_key(_bare_host(url.group(1)), (url.group(2) or "").strip("/"), url.group(3) or "")
    return _phone_key(lower)


def _url_key(host: str, path: str, query: str) -> AccountKey | None:
    first = path.split("/")[0]
    network = NETWORK_HOSTS.get(host)
    if network in HANDLE_NETWORKS:
        handle = first.removeprefix("@")
        return AccountKey("@" + handle, network) if handle and _HANDLE_KEY.match(handle) else None
    if host in WHATSAPP_HOSTS:
        number = first if host == "wa.me" else parse_qs(query.lstrip("?")).get("phone", [""])[0]
        found = _phone_key("+" + number.lstrip("+")) if number else None
        return AccountKey(found.key, "whatsapp") if found else None
    if network is not None:
        return AccountKey(f"{'facebook.com' if network == 'facebook' else host}/{path}", network) if path else None
    return AccountKey(host, "web")


def _phone_key(text: str) -> AccountKey | None:
    compact = _PHONE_SEPARATORS.sub("", text)
    if not _PHONE_KEY.match(compact):
        return None
    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("00"):
        digits = compact[2:]
    elif len(compact) == NATIONAL_DIGITS and compact[0] in NATIONAL_LEADS:
        digits = COUNTRY_CODE + compact  # a Spanish number written without the country code
    else:
        digits = compact  # an operator's short code (1004, 22123)
    return AccountKey(digits, None) if len(digits) >= 3 else None


def domain_keys(host: str) -> list[str]:
    """A host and the domains above it, down to the owner's (ayuda.movistar.es → ayuda.movistar.es, movistar.es)."""
    labels = host.split(".")
    floor = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return [".".join(labels[i:]) for i in range(0, max(1, len(labels) - floor + 1))]


def email_domain(key: str) -> str:
    """The domain of a normalised e-mail address."""
    return key.rsplit("@", 1)[1]


# --- lookalikes --------------------------------------------------------------------------------------------------

CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i", "ј": "j", "к": "k", "ӏ": "l",
    "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s", "т": "t", "ս": "u", "ԝ": "w", "х": "x", "у": "y",
    "А": "a", "В": "b", "С": "c", "Е": "e", "Н": "h", "І": "i", "Ј": "j", "К": "k", "М": "m", "О": "o",
    "Р": "p", "Ѕ": "s", "Т": "t", "Х": "x", "У": "y",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u", "χ": "x", "ε": "e",
    "Α": "a", "Β": "b", "Ε": "e", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o", "Ρ": "p",
    "Τ": "t", "Υ": "y", "Χ": "x", "Ζ": "z",
    # Latin look-alikes of Latin letters
    "ı": "i", "ɩ": "i", "ℓ": "l",
}
"""Characters that look like a Latin letter in common fonts → that letter (lowercase), after Unicode TR39's
confusables.txt: the Cyrillic and Greek letters that render like Latin ones, plus NFKC for full-width forms."""
SKELETON_FOLDS = (("rn", "m"), ("vv", "w"), ("1", "l"), ("i", "l"), ("|", "l"), ("0", "o"), ("5", "s"))
"""After the table and lowercasing: groups that read alike, folded to one representative."""
SEPARATORS = "_-."
CONTAINED_MIN = 4
"""A listed name this long found inside a new one ("movistar" in "movistar-es") makes it a lookalike."""
LOOKALIKE_KEY = 3
"""Listed handles and domains are filed by at least this many first letters of their stem (`lookalike_stem`);
the index adds letters where a shard would be large."""
LOOKALIKE_KEY_MAX = 8


def skeleton(text: str) -> str:
    """A form in which lookalike strings coincide: NFKC, confusables mapped, lowercased, l/I/1 and 0/O folded."""
    folded = "".join(CONFUSABLES.get(ch, ch) for ch in unicodedata.normalize("NFKC", text)).lower()
    for group, representative in SKELETON_FOLDS:
        folded = folded.replace(group, representative)
    return folded


def distance(a: str, b: str) -> int:
    """Levenshtein distance (small strings only: handles and domain labels)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def alike(old: str, new: str, contained_min: int = CONTAINED_MIN) -> str | None:
    """Why `new` may imitate `old` (handles without '@', domains or their owner names), as a code, or None.

    script: letters from outside ASCII where the old has none · confusable: only characters that look alike
    differ · edge: a leading or trailing separator added · separator: a hyphen or underscore added or moved ·
    contains: the old one with more around it · shortened: a part of the old one · distance-1, distance-2:
    letters changed.  Strings that differ only in letter case are the same address, not lookalikes.
    """
    if old.lower() == new.lower():
        return None
    if not new.isascii() and old.isascii():
        return "script"
    if skeleton(old) == skeleton(new):
        return "confusable"
    old_bare, new_bare = old.lower().strip(SEPARATORS), new.lower().strip(SEPARATORS)
    if old_bare == new_bare:
        return "edge"
    if old_bare.replace("-", "").replace("_", "") == new_bare.replace("-", "").replace("_", ""):
        return "separator"
    if len(old_bare) >= contained_min and old_bare in new_bare:
        return "contains"
    if len(new_bare) >= contained_min and new_bare in old_bare:
        return "shortened"
    limit = 1 if len(old_bare) < 6 else 2
    apart = distance(skeleton(old_bare), skeleton(new_bare))
    return f"distance-{apart}" if 0 < apart <= limit else None


def domain_name(host: str) -> str:
    """The part of a host that names the owner: `iberia` for www.iberia.com, `bbc` for bbc.co.uk (roughly)."""
    labels = host.lower().removeprefix("www.").split(".")
    if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2:
        labels = labels[:-2]
    elif len(labels) >= 2:
        labels = labels[:-1]
    return labels[-1] if labels else host


def alike_domain(old: str, new: str, contained_min: int = CONTAINED_MIN) -> str | None:
    """Like `alike`, for hosts: also compares the owner names, so `iberia-es.com` imitates `iberia.com` ("same-name"
    when only the ending differs)."""
    if old.lower() == new.lower():
        return None
    whole = alike(old, new, contained_min)
    if whole:
        return whole
    old_name, new_name = domain_name(old), domain_name(new)
    if old_name == new_name:
        return "same-name"
    return alike(old_name, new_name, contained_min)


def lookalike_stem(ident: str) -> str:
    """What a handle or domain is compared by: its owner name's skeleton, without edge separators
    (iberia.com → "lberla", @lberia → "lberla": l, I and 1 read alike)."""
    name = ident.removeprefix("@")
    if "." in name and not name.startswith("."):
        name = domain_name(name)
    return skeleton(name).strip(SEPARATORS)


def lookalike_probes(ident: str) -> list[str]:
    """The stems a pasted handle or domain looks under: its own, and each word's (soporte-movistar → its stem,
    "soporte", "movistar"); the index files listed ones by their first letters (`shard_key`)."""
    bare = lookalike_stem(ident)
    parts = [bare, *re.split(r"[-_.0-9]+", bare)]
    return list(dict.fromkeys(part for part in parts if len(part) >= LOOKALIKE_KEY))


def lookalike_shard(stem: str, letters: int = LOOKALIKE_KEY) -> str:
    """The shard of a stem: its first `letters` letters, each a–z or 0–9 (any other counts as "_")."""
    return "".join(ch if ("a" <= ch <= "z" or "0" <= ch <= "9") else "_" for ch in stem[:letters])


def browser_tables() -> dict[str, Any]:
    """What docs/javascripts/dr-search.js needs to normalise and compare as this module does."""
    return {"network_hosts": NETWORK_HOSTS, "handle_networks": list(HANDLE_NETWORKS),
            "whatsapp_hosts": list(WHATSAPP_HOSTS), "host_prefixes": list(HOST_PREFIXES),
            "country_code": COUNTRY_CODE, "national_digits": NATIONAL_DIGITS, "national_leads": NATIONAL_LEADS,
            "second_level": list(SECOND_LEVEL), "patterns": JS_PATTERNS, "confusables": CONFUSABLES,
            "skeleton_folds": [list(pair) for pair in SKELETON_FOLDS], "separators": SEPARATORS,
            "contained_min": CONTAINED_MIN, "lookalike_key": LOOKALIKE_KEY,
            "lookalike_key_max": LOOKALIKE_KEY_MAX}
