"""How much of the data can be defended: the quality report's evidence, age and source-kind figures, and its
"to research" list of unconfirmed leads.

A fact is a channel, a complaint route or a measured figure: each cites a
source, a kind of source, the day it was checked and, ideally, the source's own
sentence (`evidence`).  The report says, by source kind, how many facts quote
their evidence; how many were checked, or rest on a source dated, more than 12
months ago; which rest on the press or on a directory (weaker than the
company's own page or a regulator); and which companies offer no direct channel.

**Direct channel**: one where the consumer reaches the company and only the
company reads it: phone, e-mail, chat, WhatsApp, web form, or a social
network's private messages (an x, facebook, instagram, tiktok, youtube,
linkedin or telegram channel marked `private: true`).  Not direct: an app (it
holds a form or chat the data cannot point to), post, a desk in person, or a
public post on a social network.

Leads (`research/leads.yaml`, written by whoever researches social handles)
are candidates nobody could confirm at a source the company controls: they
stay off the site and are listed here, so the next researcher starts from them.
The file is a YAML list of mappings `{company, type, address, lead_source,
reason}`; a missing file is no leads, and a malformed entry is reported, not fatal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from generator.data.models import Channel, Company, Sourced
from generator.data.vocabulary import PUBLIC_BY_DEFAULT, ChannelType, SourceKind

LEADS_FILE = Path("research") / "leads.yaml"
OLD_DAYS = 365
"""A fact checked, or a source dated, more than this many days ago counts as over 12 months old."""
WEAK_KINDS = frozenset({SourceKind.PRESS, SourceKind.DIRECTORY})
DIRECT_TYPES = frozenset({ChannelType.PHONE, ChannelType.EMAIL, ChannelType.CHAT, ChannelType.WHATSAPP, ChannelType.WEBFORM})
SOCIAL_TYPES = frozenset({*PUBLIC_BY_DEFAULT, ChannelType.TELEGRAM})
DIRECT_DEFINITION = ("direct: phone, e-mail, chat, WhatsApp, web form, or a social network's private messages "
                     "(a social channel marked private); not direct: app, post, in person, public posts")
LEAD_FIELDS = ("company", "type", "address", "lead_source", "reason")


def facts(company: Company) -> list[tuple[str, Sourced]]:
    """Every sourced fact of a company, labelled `id.type address`, `id.complaints` or `id.measured.metric period`."""
    found: list[tuple[str, Sourced]] = [(f"{company.id}.{ch.type.value} {ch.address}", ch) for ch in company.channels]
    if company.complaints:
        found.append((f"{company.id}.complaints", company.complaints))
    found.extend((f"{company.id}.measured.{m.metric.value} {m.period}", m) for m in company.measured)
    return found


def is_direct(channel: Channel) -> bool:
    """See the module docstring: the definition the report prints."""
    return channel.type in DIRECT_TYPES or (channel.type in SOCIAL_TYPES and bool(channel.private))


def share(part: int, whole: int) -> float:
    """`part` as a percentage of `whole`, one decimal (0 when there is nothing to count)."""
    return round(100 * part / whole, 1) if whole else 0.0


class KindEvidence(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    facts: int
    with_evidence: int
    pct: float


class Defensibility(BaseModel):
    """How much of the data a maintainer can stand behind: evidence by source kind, age, weak sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    facts: int
    channels: int
    complaint_routes: int
    measured: int
    with_evidence: int
    with_evidence_pct: float
    evidence_by_source_kind: dict[str, KindEvidence]
    checked_over_12_months_ago: list[str]
    source_over_12_months_old: list[str]
    press_or_directory_sources: list[str]
    direct_channel_definition: str
    companies_without_direct_channel: list[str]
    companies_with_measured_figures: list[str]


class ResearchLeads(BaseModel):
    """The report's "to research" section: `research/leads.yaml`, checked against the data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str
    present: bool
    leads: list[dict[str, str]]
    already_in_the_data: list[dict[str, str]]
    problems: list[str]


def defensibility(companies: Iterable[Company], today: date) -> Defensibility:
    """The figures of "how much is defensible"."""
    companies = list(companies)
    every = [(label, fact) for company in companies for label, fact in facts(company)]
    old_before = today - timedelta(days=OLD_DAYS)
    by_kind: dict[str, KindEvidence] = {}
    for kind in SourceKind:
        of_kind = [fact for _, fact in every if fact.source_kind is kind]
        with_evidence = sum(1 for fact in of_kind if fact.evidence)
        by_kind[kind.value] = KindEvidence(facts=len(of_kind), with_evidence=with_evidence, pct=share(with_evidence, len(of_kind)))
    with_evidence = sum(1 for _, fact in every if fact.evidence)
    return Defensibility(
        facts=len(every),
        channels=sum(len(c.channels) for c in companies),
        complaint_routes=sum(1 for c in companies if c.complaints),
        measured=sum(len(c.measured) for c in companies),
        with_evidence=with_evidence,
        with_evidence_pct=share(with_evidence, len(every)),
        evidence_by_source_kind=by_kind,
        checked_over_12_months_ago=sorted(label for label, fact in every if fact.checked < old_before),
        source_over_12_months_old=sorted(label for label, fact in every if (fact.source_date or fact.checked) < old_before),
        press_or_directory_sources=sorted(f"{label} ({fact.source_kind.value}) {fact.source}" for label, fact in every
                                             if fact.source_kind in WEAK_KINDS),
        direct_channel_definition=DIRECT_DEFINITION,
        companies_without_direct_channel=sorted(c.id for c in companies if not any(is_direct(ch) for ch in c.channels)),
        companies_with_measured_figures=sorted(c.id for c in companies if c.measured),
    )


@dataclass(frozen=True, slots=True)
class Leads:
    """What `research/leads.yaml` holds: the leads still to confirm, the ones already in the data, and what is wrong."""

    file: str
    present: bool
    open: list[dict[str, str]] = field(default_factory=list)
    already_listed: list[dict[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_model(self) -> ResearchLeads:
        return ResearchLeads(file=self.file, present=self.present, leads=self.open, already_in_the_data=self.already_listed,
                             problems=self.problems)


def _same_address(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return text.strip().lower().removeprefix("@").rstrip("/")
    return norm(a) == norm(b)


def read_leads(path: Path, companies: Iterable[Company]) -> Leads:
    """The leads of `path`, checked against the data; a missing file is no leads."""
    shown = str(path)
    if not path.is_file():
        return Leads(shown, present=False)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as problem:
        return Leads(shown, present=True, problems=[f"{shown}: not readable YAML ({problem.__class__.__name__}) — fix the file"])
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        return Leads(shown, present=True, problems=[f"{shown}: expected a list of leads — start each lead with '- company: <id>'"])
    by_id = {c.id: c for c in companies}
    types = {t.value for t in ChannelType}
    leads, listed, problems = [], [], []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(f"{shown}: lead {number} is not a mapping — write its fields: {', '.join(LEAD_FIELDS)}")
            continue
        lead = {key: str(item[key]).strip() for key in LEAD_FIELDS if item.get(key) not in (None, "")}
        missing = [key for key in LEAD_FIELDS if key not in lead]
        if missing:
            problems.append(f"{shown}: lead {number} has no {', '.join(missing)} — add the missing fields")
            continue
        if lead["company"] not in by_id:
            problems.append(f"{shown}: lead {number}: no company '{lead['company']}' in the data — use the company's id")
            continue
        if lead["type"] not in types:
            problems.append(f"{shown}: lead {number}: '{lead['type']}' is not a channel type — use one of {', '.join(sorted(types))}")
            continue
        if not lead["lead_source"].startswith("https://"):
            problems.append(f"{shown}: lead {number}: lead_source is not an https:// link — write where the lead was seen")
            continue
        company = by_id[lead["company"]]
        if any(ch.type.value == lead["type"] and _same_address(ch.address, lead["address"]) for ch in company.channels):
            listed.append(lead)
        else:
            leads.append(lead)
    leads.sort(key=lambda lead: (lead["company"], lead["type"], lead["address"].lower()))
    return Leads(shown, present=True, open=leads, already_listed=listed, problems=problems)


def format_defensibility(section: Defensibility, leads: ResearchLeads | None) -> list[str]:
    """The report's text lines for the figures above and the leads."""
    lines = ["", f"Defensible facts ({section.facts}: {section.channels} channels, {section.complaint_routes} "
                 f"complaint routes, {section.measured} measured figures):",
             f"  with an evidence quote       {section.with_evidence:4d} of {section.facts:4d}  {section.with_evidence_pct:5.1f} %",
             "  by source kind (facts, with evidence, share):"]
    lines += [f"    {kind:<14} {v.facts:4d} {v.with_evidence:4d}  {v.pct:5.1f} %"
              for kind, v in section.evidence_by_source_kind.items() if v.facts]
    for key, title in (("checked_over_12_months_ago", "Facts checked more than 12 months ago"),
                       ("source_over_12_months_old", "Facts whose source is dated more than 12 months ago (its date, else the checked day)"),
                       ("press_or_directory_sources", "Facts whose source is the press or a directory"),
                       ("companies_without_direct_channel",
                        f"Companies with no direct channel ({section.direct_channel_definition})"),
                       ("companies_with_measured_figures", "Companies with a measured figure")):
        items: list[str] = getattr(section, key)
        lines += ["", f"{title}: {len(items)}"] + [f"  - {item}" for item in items]
    if leads is not None:
        if not leads.present:
            lines += ["", f"To research: no leads file ({leads.file})"]
        else:
            lines += ["", f"To research ({leads.file}: unconfirmed leads, kept off the site until a source the company "
                          f"controls confirms them): {len(leads.leads)}"]
            lines += [f"  - {lead['company']} {lead['type']} {lead['address']}: {lead['reason']} (lead: {lead['lead_source']})"
                      for lead in leads.leads]
            if leads.already_in_the_data:
                lines.append(f"  ({len(leads.already_in_the_data)} more leads are already channels in the data)")
            lines += [f"  ! {problem}" for problem in leads.problems]
    return lines
