"""Data-quality report: where the dataset is thin, stale or costly for consumers.

A pure function of the validated companies and today's date; the CLI
prints it as text or JSON (`python -m generator report [--json]`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from .catalog import ChannelType, Cost, SourceKind
from .derive import OLD_SOURCE_DAYS
from .models import Company

STALE_DAYS = 365
CHANNEL_FIELDS = ("hours", "response_time", "languages", "purpose", "notes")


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def quality_report(companies: list[Company], today: date) -> dict[str, Any]:
    channels = [(c, ch) for c in companies for ch in c.channels]
    stale_before = today - timedelta(days=STALE_DAYS)
    old_before = today - timedelta(days=OLD_SOURCE_DAYS)
    by_sector: dict[str, dict[str, Any]] = {}
    for sector in sorted({c.sector.value for c in companies}):
        members = [c for c in companies if c.sector.value == sector]
        sector_channels = [ch for c in members for ch in c.channels]
        by_sector[sector] = {
            "companies": len(members), "channels": len(sector_channels),
            **{f"{f}_pct": _share(sum(1 for ch in sector_channels if getattr(ch, f)), len(sector_channels))
               for f in CHANNEL_FIELDS}}
    return {
        "today": today.isoformat(),
        "companies": len(companies),
        "sectors": len(by_sector),
        "channels": len(channels),
        "coverage_pct": {
            **{f"channel.{f}": _share(sum(1 for _, ch in channels if getattr(ch, f)), len(channels)) for f in CHANNEL_FIELDS},
            "company.complaints": _share(sum(1 for c in companies if c.complaints), len(companies)),
            "company.complaints.answer_within": _share(
                sum(1 for c in companies if c.complaints and c.complaints.answer_within), len(companies)),
            "company.escalation": _share(sum(1 for c in companies if c.escalation), len(companies)),
        },
        "by_sector": by_sector,
        "sources_by_kind": {kind.value: sum(1 for _, ch in channels if ch.source_kind is kind) for kind in SourceKind},
        "channels_without_source": sum(1 for _, ch in channels if not ch.source),
        "companies_without_company_source": sorted(
            c.id for c in companies if not any(ch.source_kind is SourceKind.COMPANY for ch in c.channels)),
        "not_checked_in_12_months": sorted(
            f"{c.id}.{ch.type.value}" for c, ch in channels if ch.checked < stale_before),
        "only_old_sources": sorted(
            f"{c.id}.{ch.type.value} {ch.address}" for c, ch in channels if (ch.source_date or ch.checked) < old_before),
        "premium_numbers": sorted(
            f"{c.id} {ch.address}" for c, ch in channels if ch.type is ChannelType.PHONE and ch.cost is Cost.PREMIUM),
        "companies_without_free_channel": sorted(
            c.id for c in companies if not any(ch.cost is Cost.FREE for ch in c.channels)),
        "channel_types": dict(Counter(ch.type.value for _, ch in channels).most_common()),
    }


def format_report(report: dict[str, Any]) -> str:
    lines = [f"Data quality on {report['today']}: {report['companies']} companies, {report['sectors']} sectors, "
             f"{report['channels']} channels", "", "Coverage (share of channels / companies with the field):"]
    lines += [f"  {name:<36} {pct:5.1f} %" for name, pct in report["coverage_pct"].items()]
    lines += ["", "By sector (companies, channels, % with hours, % with response time):"]
    lines += [f"  {s:<16} {v['companies']:3d} {v['channels']:4d}  {v['hours_pct']:5.1f} %  {v['response_time_pct']:5.1f} %"
              for s, v in report["by_sector"].items()]
    lines += ["", "Sources by kind:"] + [f"  {k:<14} {n}" for k, n in report["sources_by_kind"].items()]
    lines.append(f"  channels without a source: {report['channels_without_source']}")
    for key, title in (("companies_without_company_source", "Companies with no source on their own site"),
                       ("not_checked_in_12_months", "Channels not checked in 12 months"),
                       ("only_old_sources", "Facts whose only source is over two years old"),
                       ("premium_numbers", "Premium / shared-cost phone numbers"),
                       ("companies_without_free_channel", "Companies with no free channel")):
        items = report[key]
        lines += ["", f"{title}: {len(items)}"] + [f"  - {item}" for item in items]
    return "\n".join(lines)
