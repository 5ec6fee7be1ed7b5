"""Lookalikes, worded for a reviewer: does a new handle, number, e-mail or domain imitate an old one?

Fake customer-service accounts copy a real one with small edits that a
reader skims past: `@lberia` for `@Iberia` (l/I/1), `0`/`O`, a trailing
`_`, an added hyphen or word (`@Iberia_help`, `iberia-es.com`), or letters
from another script that look Latin (Cyrillic `а` for `a`).  The rule and its
tables are the address spec's (`generator.data.addresses.alike`, which the
site's account check also ships to the browser); `why_alike` says which trick
in words a reviewer can check, or None.  Any character outside ASCII is
reported on its own, so nothing unusual passes unseen.
"""

from __future__ import annotations

import unicodedata

from generator.data.addresses import alike, alike_domain, domain_name, skeleton

__all__ = ["domain_name", "skeleton", "unusual_characters", "why_alike", "why_alike_domain"]

REVIEW_CONTAINED_MIN = 3
"""A reviewer is shown more than a visitor: an old name of three letters inside a new one is already worth a look."""


def unusual_characters(text: str) -> list[str]:
    """Characters outside ASCII, named, e.g. 'а' (U+0430 CYRILLIC SMALL LETTER A)."""
    return [f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')})" for ch in dict.fromkeys(text) if ord(ch) > 127]


def _worded(code: str | None, old: str, new: str) -> str | None:
    if code is None:
        return None
    if code == "script":
        return "uses characters from outside ASCII that may look like Latin letters: " + ", ".join(unusual_characters(new))
    if code == "contains":
        old_bare, new_bare = (s.lower().strip("_-.") for s in (old, new))
        return f"contains the old name with '{new_bare.replace(old_bare, '…', 1)}' around it"
    if code.startswith("distance-"):
        n = int(code.split("-")[1])
        return f"differs from the old one by {n} character{'s' if n > 1 else ''}"
    return {"confusable": "differs only in characters that look alike (l/I/1, 0/O, rn/m or another script)",
            "edge": "adds a leading or trailing '_', '-' or '.'",
            "separator": "adds or moves a hyphen or underscore",
            "shortened": "is a shortened form of the old name",
            "same-name": f"has the same name '{domain_name(new)}' under another ending"}[code]


def why_alike(old: str, new: str) -> str | None:
    """Why `new` may imitate `old` (both handles without '@', domains, or e-mail parts), or None."""
    return _worded(alike(old, new, REVIEW_CONTAINED_MIN), old, new)


def why_alike_domain(old: str, new: str) -> str | None:
    """Like `why_alike`, for hosts: also compares the owner names, so `iberia-es.com` imitates `iberia.com`."""
    code = alike_domain(old, new, REVIEW_CONTAINED_MIN)
    if code is None or alike(old, new, REVIEW_CONTAINED_MIN) == code:
        return _worded(code, old, new)
    return _worded(code, domain_name(old), domain_name(new)) if code != "same-name" else _worded(code, old, new)
