"""What the source watch reads of the data: the one module that imports the project's loader and models.

The data is loaded and validated exactly as `validate` does; each fact (a channel, a complaints
block or a measured figure) becomes a plain `Fact` with the position of its `source:` line, and each company a `Site`
with its website and the addresses it already lists (to tell what a proposal would add).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.data.errors import DataError, DataErrors, format_errors
from generator.data.loader import default_paths, load_paths, locate
from generator.data.validate import validate

__all__ = ["DataErrors", "Fact", "Site", "default_paths", "describe_errors", "load"]


@dataclass(frozen=True, slots=True)
class Fact:
    company: str
    field: str
    """Where in the company: channels[2], complaints or measured[0]."""
    where: str
    """file:line:col of its `source:`."""
    kind: str
    """The channel type, "complaints" or "measured"."""
    address: str | None
    source: str
    evidence: str | None
    checked: date
    region: str


@dataclass(frozen=True, slots=True)
class Site:
    company: str
    where: str
    """file:line:col of the company's `website:`."""
    website: str
    region: str
    addresses: dict[str, frozenset[str]] = field(default_factory=dict)
    """Channel type → the addresses the data lists for it, as written after validation."""


def load(paths: Sequence[Path], today: date) -> tuple[list[Fact], list[Site]]:
    """Every fact and company in `paths`; raises `DataErrors` as `validate` would."""
    entries = load_paths(paths)
    companies = validate(entries, today=today)  # in input order: the nth company is the nth entry
    facts: list[Fact] = []
    sites: list[Site] = []
    for entry, company in zip(entries, companies, strict=True):
        region = company.countries[0]
        for number, channel in enumerate(company.channels):
            facts.append(Fact(company.id, f"channels[{number}]", str(locate(entry, ["channels", number, "source"])),
                              str(channel.type), channel.address, str(channel.source), channel.evidence, channel.checked, region))
        complaints = company.complaints
        if complaints is not None:
            address = complaints.email or (str(complaints.url) if complaints.url else None) or complaints.postal_address
            facts.append(Fact(company.id, "complaints", str(locate(entry, ["complaints", "source"])), "complaints", address,
                              str(complaints.source), complaints.evidence, complaints.checked, region))
        for number, figure in enumerate(company.measured):
            facts.append(Fact(company.id, f"measured[{number}]", str(locate(entry, ["measured", number, "source"])),
                              "measured", None, str(figure.source), figure.evidence, figure.checked, region))
        addresses: dict[str, set[str]] = {}
        for channel in company.channels:
            addresses.setdefault(str(channel.type), set()).add(channel.address)
        if complaints is not None and complaints.email:
            addresses.setdefault("email", set()).add(complaints.email)
        sites.append(Site(company.id, str(locate(entry, ["website"])), str(company.website), region,
                          {kind: frozenset(found) for kind, found in addresses.items()}))
    return facts, sites


def describe_errors(errors: Sequence[DataError]) -> str:
    return format_errors(errors, "text")
