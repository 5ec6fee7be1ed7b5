"""Interface strings: one catalogue per language in `i18n/<lang>.yaml`, with the same keys in each.

Every word the site shows that is not data comes from here: templates, page
titles, dates and what the browser script says (handed to it as data).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from generator.data.fields import Duration
from generator.data.vocabulary import LANGUAGES


@cache
def messages(lang: str) -> dict[str, Any]:
    """The interface strings of `lang` (one of `vocabulary.LANGUAGES`)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no interface strings for language {lang!r}; known: {', '.join(LANGUAGES)}")
    text = resources.files(__name__).joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def key_paths(tree: object, prefix: str = "") -> set[str]:
    """Every key path of a catalogue ("browser.cities.Europe/Madrid"); lists count as one leaf."""
    if not isinstance(tree, dict):
        return {prefix}
    paths: set[str] = set()
    for key, value in tree.items():
        paths |= key_paths(value, f"{prefix}.{key}" if prefix else str(key))
    return paths


def duration_text(duration: Duration, lang: str) -> str:
    """"2 horas", "1 working day"."""
    one, many = messages(lang)["response_units"][duration.unit]
    return f"{duration.amount} {one if duration.amount == 1 else many}"


def long_date(day: date, lang: str) -> str:
    """"martes 22 de diciembre de 2026", "Tuesday 22 December 2026"."""
    t = messages(lang)
    return str(t["long_date"]).format(weekday=t["weekdays"][day.weekday()], day=day.day,
                                      month=t["months"][day.month - 1], year=day.year)


def short_date(day: date, lang: str) -> str:
    """"30 de noviembre de 2026", "30 November 2026": the date a fact was checked."""
    t = messages(lang)
    return str(t["short_date"]).format(day=day.day, month=t["months"][day.month - 1], year=day.year)


def language_name(code: str, lang: str) -> str:
    """A language code in words ("inglés" on a Spanish page); the code itself when it has no name here."""
    names: dict[str, str] = messages(lang)["language_names"]
    return names.get(code, code)
