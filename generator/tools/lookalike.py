"""Lookalikes: does a new handle, number, e-mail or domain imitate an old one?

Fake customer-service accounts copy a real one with small edits that a
reader skims past: `@lberia` for `@Iberia` (l/I/1), `0`/`O`, a trailing
`_`, an added hyphen or word (`@Iberia_help`, `iberia-es.com`), or letters
from another script that look Latin (Cyrillic `а` for `a`).  `why_alike`
says which trick, in words a reviewer can check, or None.

The confusables table is deliberately small: the letters of Cyrillic and
Greek that render like Latin ones in common fonts (after Unicode TR39's
confusables.txt), plus NFKC for full-width and styled forms.  Any other
character outside ASCII is reported on its own, so nothing unusual passes
unseen.
"""

from __future__ import annotations

import unicodedata

# Characters that look like a Latin letter in common fonts → that letter (lowercase).
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
# After the table and lowercasing: groups that read alike, folded to one representative.
_FOLDS = (("rn", "m"), ("vv", "w"), ("1", "l"), ("i", "l"), ("|", "l"), ("0", "o"), ("5", "s"))
_SEPARATORS = "_-."


def skeleton(text: str) -> str:
    """A form in which lookalike strings coincide: NFKC, confusables mapped, lowercased, l/I/1 and 0/O folded."""
    folded = "".join(CONFUSABLES.get(ch, ch) for ch in unicodedata.normalize("NFKC", text)).lower()
    for group, representative in _FOLDS:
        folded = folded.replace(group, representative)
    return folded


def unusual_characters(text: str) -> list[str]:
    """Characters outside ASCII, named, e.g. 'а' (U+0430 CYRILLIC SMALL LETTER A)."""
    return [f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')})" for ch in dict.fromkeys(text) if ord(ch) > 127]


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (small strings only: handles and domain labels)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def why_alike(old: str, new: str) -> str | None:
    """Why `new` may imitate `old` (both handles without '@', domains, or e-mail parts), or None.

    Identical strings, or ones that differ only in letter case, are the same
    address and not lookalikes.
    """
    if old.casefold() == new.casefold():
        return None
    strange = unusual_characters(new)
    if strange and not unusual_characters(old):
        return "uses characters from outside ASCII that may look like Latin letters: " + ", ".join(strange)
    if skeleton(old) == skeleton(new):
        return "differs only in characters that look alike (l/I/1, 0/O, rn/m or another script)"
    old_bare, new_bare = old.casefold().strip(_SEPARATORS), new.casefold().strip(_SEPARATORS)
    if old_bare == new_bare:
        return "adds a leading or trailing '_', '-' or '.'"
    if old_bare.replace("-", "").replace("_", "") == new_bare.replace("-", "").replace("_", ""):
        return "adds or moves a hyphen or underscore"
    if len(old_bare) >= 3 and old_bare in new_bare:
        return f"contains the old name with '{new_bare.replace(old_bare, '…', 1)}' around it"
    if len(new_bare) >= 3 and new_bare in old_bare:
        return "is a shortened form of the old name"
    limit = 1 if len(old_bare) < 6 else 2
    distance = _distance(skeleton(old_bare), skeleton(new_bare))
    if 0 < distance <= limit:
        return f"differs from the old one by {distance} character{'s' if distance > 1 else ''}"
    return None


_SECOND_LEVEL = frozenset({"com", "co", "org", "net", "gob", "gov", "edu", "nom"})


def domain_name(host: str) -> str:
    """The part of a host that names the owner: `iberia` for www.iberia.com, `bbc` for bbc.co.uk (roughly)."""
    labels = host.casefold().removeprefix("www.").split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        labels = labels[:-2]
    elif len(labels) >= 2:
        labels = labels[:-1]
    return labels[-1] if labels else host


def why_alike_domain(old: str, new: str) -> str | None:
    """Like `why_alike`, for hosts: also compares the owner names, so `iberia-es.com` imitates `iberia.com`."""
    if old.casefold() == new.casefold():
        return None
    whole = why_alike(old, new)
    if whole:
        return whole
    old_name, new_name = domain_name(old), domain_name(new)
    if old_name == new_name:
        return f"has the same name '{new_name}' under another ending"
    return why_alike(old_name, new_name)
