"""Data-quality report: where the dataset is thin, stale or costly for consumers.

A pure function of the validated companies and today's date; the CLI
prints it as text or JSON (`python -m generator report [--json]`).

Besides coverage per field and sector it lists what to research next
(`worklist`), company by company, most important first. The order is:

1. **Score**, highest first. Each gap a company has adds its weight, and a
   company in a basic-service sector (telecom, energy, water, banking,
   insurance, investment, airline, rail, bus, ferry, post) counts double,
   because people cannot simply walk away from those providers and the law
   gives them a formal complaint route. The weights rank what hurts a
   consumer most: a fact not checked in 12 months (5) may send people to a
   dead number; a channel whose only source is a directory (4) may be an
   impostor's; a missing complaint route (3) leaves nowhere to escalate; no
   hours on any channel (2) makes "open now" and "reply by" impossible;
   facts without an evidence quote (1) are slower to review; no stated
   response time on any channel (1) is common and the company's to publish.
2. **Company id**, alphabetically, so ties read in a stable order.

Each gap type counts once per company, however many channels it touches;
the count is shown beside it so the researcher sees the size of the task.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from generator.data.models import Company, Sourced
from generator.data.vocabulary import ChannelType, Cost, Sector, SourceKind
from generator.site.derive import OLD_SOURCE_DAYS
from generator.tools.defensible import OLD_DAYS, Defensibility, Leads, ResearchLeads, defensibility, format_defensibility, share

STALE_DAYS = OLD_DAYS
CHANNEL_FIELDS = ("hours", "response_time", "languages", "purpose", "notes", "evidence")
BASIC_SERVICE_SECTORS = frozenset({
    Sector.TELECOM, Sector.ENERGY, Sector.WATER, Sector.BANKING, Sector.INSURANCE, Sector.INVESTMENT,
    Sector.AIRLINE, Sector.RAIL, Sector.BUS, Sector.FERRY, Sector.POST})
"""Sectors whose providers consumers depend on: they need hours and a complaint route first."""
GAP_WEIGHTS = {"stale": 5, "directory_only": 4, "no_complaint_route": 3, "no_hours": 2,
               "no_evidence": 1, "no_response_time": 1}
"""Weight of each gap in the worklist score (see the module docstring for why)."""
GAP_LABELS = {"stale": "facts not checked in 12 months", "directory_only": "channels sourced only from a directory",
              "no_complaint_route": "no complaint route", "no_hours": "no hours on any channel",
              "no_evidence": "facts without evidence", "no_response_time": "no stated response time"}
BASIC_SERVICE_FACTOR = 2


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Counts(_Part):
    channels_with_hours: int
    channels_with_response_time: int
    companies_with_complaint_route: int
    companies_with_answer_within: int


class EvidenceCounts(_Part):
    """How many facts quote their source's sentence."""

    channels: int
    channels_pct: float
    complaint_routes: int
    complaint_routes_total: int
    complaint_routes_pct: float
    facts: int
    facts_total: int


class SectorCoverage(_Part):
    """One sector's companies and channels, and the share of its channels with each field."""

    companies: int
    channels: int
    hours_pct: float
    response_time_pct: float
    languages_pct: float
    purpose_pct: float
    notes_pct: float
    evidence_pct: float


class WorkItem(_Part):
    """A company with gaps, in the research worklist."""

    company: str
    sector: str
    basic_service: bool
    score: int
    gaps: dict[str, int]
    """Gap type → how many facts or channels it touches."""


class QualityReport(_Part):
    """The data-quality report (`python -m generator report`; `--json` prints it as this model's JSON)."""

    today: date
    companies: int
    sectors: int
    channels: int
    coverage_pct: dict[str, float]
    """Field (`channel.hours`, `company.complaints`…) → share of channels or companies that have it."""
    counts: Counts
    evidence: EvidenceCounts
    by_sector: dict[str, SectorCoverage]
    sources_by_kind: dict[str, int]
    directory_only_pct: float
    channels_without_source: int
    companies_without_company_source: list[str]
    not_checked_in_12_months: list[str]
    only_old_sources: list[str]
    basic_service_without_hours: list[str]
    basic_service_without_complaint_route: list[str]
    premium_numbers: list[str]
    companies_without_free_channel: list[str]
    channel_types: dict[str, int]
    worklist: list[WorkItem]
    defensible: Defensibility
    to_research: ResearchLeads | None


def _facts(company: Company) -> list[tuple[str, Sourced]]:
    """Every sourced fact of a company, labelled `id.type` (channels) or `id.complaints`."""
    facts: list[tuple[str, Sourced]] = [(f"{company.id}.{ch.type.value}", ch) for ch in company.channels]
    if company.complaints:
        facts.append((f"{company.id}.complaints", company.complaints))
    return facts


def _has_route(company: Company) -> bool:
    """A formal complaint route is somewhere to send it: a URL, an e-mail or a postal address."""
    route = company.complaints
    return bool(route and (route.url or route.email or route.postal_address))


def _gaps(company: Company, stale_before: date) -> dict[str, int]:
    """The gap types of one company with how many facts or channels each touches (0 = no gap)."""
    facts = _facts(company)
    return {
        "stale": sum(1 for _, fact in facts if fact.checked < stale_before),
        "directory_only": sum(1 for ch in company.channels if ch.source_kind is SourceKind.DIRECTORY),
        "no_complaint_route": 0 if _has_route(company) else 1,
        "no_hours": 0 if any(ch.hours for ch in company.channels) else 1,
        "no_evidence": sum(1 for _, fact in facts if not fact.evidence),
        "no_response_time": 0 if any(ch.response_time for ch in company.channels) else 1,
    }


def worklist(companies: list[Company], today: date) -> list[WorkItem]:
    """Companies with gaps, most important first (ordering explained in the module docstring)."""
    stale_before = today - timedelta(days=STALE_DAYS)
    items = []
    for company in companies:
        gaps = {kind: n for kind, n in _gaps(company, stale_before).items() if n}
        if not gaps:
            continue
        basic = company.sector in BASIC_SERVICE_SECTORS
        score = sum(GAP_WEIGHTS[kind] for kind in gaps) * (BASIC_SERVICE_FACTOR if basic else 1)
        items.append(WorkItem(company=company.id, sector=company.sector.value, basic_service=basic, score=score, gaps=gaps))
    return sorted(items, key=lambda item: (-item.score, item.company))


def quality_report(companies: list[Company], today: date, leads: Leads | None = None) -> QualityReport:
    channels = [(c, ch) for c in companies for ch in c.channels]
    routes = [c.complaints for c in companies if c.complaints]
    facts = [item for c in companies for item in _facts(c)]
    stale_before = today - timedelta(days=STALE_DAYS)
    old_before = today - timedelta(days=OLD_SOURCE_DAYS)
    basic = [c for c in companies if c.sector in BASIC_SERVICE_SECTORS]
    by_sector: dict[str, SectorCoverage] = {}
    for sector in sorted({c.sector.value for c in companies}):
        members = [c for c in companies if c.sector.value == sector]
        sector_channels = [ch for c in members for ch in c.channels]
        by_sector[sector] = SectorCoverage(
            companies=len(members), channels=len(sector_channels),
            **{f"{f}_pct": share(sum(1 for ch in sector_channels if getattr(ch, f)), len(sector_channels))
               for f in CHANNEL_FIELDS})
    evidenced_channels = sum(1 for _, ch in channels if ch.evidence)
    evidenced_routes = sum(1 for route in routes if route.evidence)
    return QualityReport(
        today=today,
        companies=len(companies),
        sectors=len(by_sector),
        channels=len(channels),
        coverage_pct={
            **{f"channel.{f}": share(sum(1 for _, ch in channels if getattr(ch, f)), len(channels)) for f in CHANNEL_FIELDS},
            "company.complaints": share(sum(1 for c in companies if _has_route(c)), len(companies)),
            "company.complaints.answer_within": share(
                sum(1 for c in companies if c.complaints and c.complaints.answer_within), len(companies)),
            "company.escalation": share(sum(1 for c in companies if c.escalation), len(companies)),
        },
        counts=Counts(
            channels_with_hours=sum(1 for _, ch in channels if ch.hours),
            channels_with_response_time=sum(1 for _, ch in channels if ch.response_time),
            companies_with_complaint_route=sum(1 for c in companies if _has_route(c)),
            companies_with_answer_within=sum(1 for c in companies if c.complaints and c.complaints.answer_within),
        ),
        evidence=EvidenceCounts(
            channels=evidenced_channels, channels_pct=share(evidenced_channels, len(channels)),
            complaint_routes=evidenced_routes, complaint_routes_total=len(routes),
            complaint_routes_pct=share(evidenced_routes, len(routes)),
            facts=evidenced_channels + evidenced_routes, facts_total=len(facts),
        ),
        by_sector=by_sector,
        sources_by_kind={kind.value: sum(1 for _, ch in channels if ch.source_kind is kind) for kind in SourceKind},
        directory_only_pct=share(sum(1 for _, ch in channels if ch.source_kind is SourceKind.DIRECTORY), len(channels)),
        channels_without_source=sum(1 for _, ch in channels if not ch.source),
        companies_without_company_source=sorted(
            c.id for c in companies if not any(ch.source_kind is SourceKind.COMPANY for ch in c.channels)),
        not_checked_in_12_months=sorted(label for label, fact in facts if fact.checked < stale_before),
        only_old_sources=sorted(
            f"{c.id}.{ch.type.value} {ch.address}" for c, ch in channels if (ch.source_date or ch.checked) < old_before),
        basic_service_without_hours=sorted(c.id for c in basic if not any(ch.hours for ch in c.channels)),
        basic_service_without_complaint_route=sorted(c.id for c in basic if not _has_route(c)),
        premium_numbers=sorted(
            f"{c.id} {ch.address}" for c, ch in channels if ch.type is ChannelType.PHONE and ch.cost is Cost.PREMIUM),
        companies_without_free_channel=sorted(
            c.id for c in companies if not any(ch.cost is Cost.FREE for ch in c.channels)),
        channel_types=dict(Counter(ch.type.value for _, ch in channels).most_common()),
        worklist=worklist(companies, today),
        defensible=defensibility(companies, today),
        to_research=leads.to_model() if leads is not None else None,
    )


WORKLIST_SHOWN = 25


def format_report(report: QualityReport) -> str:
    lines = [f"Data quality on {report.today}: {report.companies} companies, {report.sectors} sectors, "
             f"{report.channels} channels", "", "Coverage (share of channels / companies with the field):"]
    lines += [f"  {name:<36} {pct:5.1f} %" for name, pct in report.coverage_pct.items()]
    ev = report.evidence
    lines += ["", "Evidence quotes:",
              f"  channels          {ev.channels:4d} of {report.channels:4d}  {ev.channels_pct:5.1f} %",
              f"  complaint routes  {ev.complaint_routes:4d} of {ev.complaint_routes_total:4d}  "
              f"{ev.complaint_routes_pct:5.1f} %"]
    lines += ["", "By sector (companies, channels, % with hours, % with response time, % with evidence):"]
    lines += [f"  {s:<16} {v.companies:3d} {v.channels:4d}  {v.hours_pct:5.1f} %  {v.response_time_pct:5.1f} %"
              f"  {v.evidence_pct:5.1f} %" for s, v in report.by_sector.items()]
    lines += ["", "Sources by kind:"] + [f"  {k:<14} {n}" for k, n in report.sources_by_kind.items()]
    lines.append(f"  directory-only channels: {report.directory_only_pct:.1f} %")
    lines.append(f"  channels without a source: {report.channels_without_source}")
    for key, title in (("companies_without_company_source", "Companies with no source on their own site"),
                       ("not_checked_in_12_months", "Facts (channels, complaint routes) not checked in 12 months"),
                       ("only_old_sources", "Facts whose only source is over two years old"),
                       ("basic_service_without_hours", "Basic-service companies with no hours on any channel"),
                       ("basic_service_without_complaint_route", "Basic-service companies with no complaint route"),
                       ("premium_numbers", "Premium / shared-cost phone numbers"),
                       ("companies_without_free_channel", "Companies with no free channel")):
        items: list[str] = getattr(report, key)
        lines += ["", f"{title}: {len(items)}"] + [f"  - {item}" for item in items]
        if key == "not_checked_in_12_months" and items:
            lines.append("  (python -m generator sources check re-reads every source; CONTRIBUTING.md, "
                         "\"Acting on the source watch\", says how to act on each status)")
    lines += format_defensibility(report.defensible, report.to_research)
    work = report.worklist
    lines += ["", f"What to research next ({len(work)} companies with gaps; top {min(len(work), WORKLIST_SHOWN)}, "
                  "most important first; --json lists all):"]
    for item in work[:WORKLIST_SHOWN]:
        gaps = ", ".join(GAP_LABELS[kind] + (f" ({n})" if n > 1 else "") for kind, n in item.gaps.items())
        basic = ", basic service" if item.basic_service else ""
        lines.append(f"  {item.score:3d}  {item.company} ({item.sector}{basic}): {gaps}")
    return "\n".join(lines)
