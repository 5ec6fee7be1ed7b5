"""Measured figures: what studies and regulators measured about companies' customer service, in past periods.

Not what a company promises (`response_time`, `answer_within`) nor what the law
allows: a third party's figure for a past period.  This module holds what the
site needs of them beyond the data model: the ranking index (per metric, period
and study, lowest first: for every metric lower is better for consumers) and
the words and numbers a page shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from generator.data.fields import period_bounds
from generator.data.models import Company, Measured
from generator.data.vocabulary import Metric
from generator.site.i18n import messages, short_date

_METRIC_ORDER = {metric: place for place, metric in enumerate(Metric)}


@dataclass(frozen=True, slots=True)
class MeasuredGroup:
    """One ranking: the figures of one metric, measured in one period by one study, lowest first."""

    metric: Metric
    period: str
    study: str  # the study's name, or its source's host when the data names none
    rows: tuple[tuple[Any, Measured], ...]  # (company view, figure), lowest value first, then by company id

    @property
    def key(self) -> str:
        return group_key(self.metric, self.period, self.study)


def group_key(metric: Metric, period: str, study: str) -> str:
    """A ranking's anchor on the index page: metric, period and a short form of the study."""
    return f"{metric.value.replace('_', '-')}-{period.replace('/', '-')}-{_slug(study)}"


def figure_key(figure: Measured) -> str:
    """The anchor of the ranking a figure is listed in."""
    return group_key(figure.metric, figure.period, study_name(figure))


def _slug(text: str) -> str:
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in text).split()
    return "-".join(words[:6]) or "estudio"


def study_name(figure: Measured) -> str:
    """Who measured it: the study the data names, else the host of its source."""
    return figure.study or (urlsplit(figure.source).hostname or figure.source).removeprefix("www.")


def measured_groups(views: Iterable[Any], company_of: Any = lambda view: view) -> tuple[MeasuredGroup, ...]:
    """Rankings per metric, period and study: metrics in catalogue order, newest period first, each lowest first.

    `views` are whatever the index lists (company views); `company_of` gives a view's `Company`.
    """
    groups: dict[tuple[Metric, str, str], list[tuple[Any, Measured]]] = {}
    for view in views:
        company: Company = company_of(view)
        for figure in company.measured:
            groups.setdefault((figure.metric, figure.period, study_name(figure)), []).append((view, figure))
    ordered = sorted(groups.items(), key=lambda item: (_METRIC_ORDER[item[0][0]], -period_bounds(item[0][1])[1].toordinal(),
                                                       item[0][2]))
    return tuple(MeasuredGroup(metric, period, study, tuple(sorted(rows, key=lambda row: (row[1].value, company_of(row[0]).id))))
                 for (metric, period, study), rows in ordered)


def figure_text(figure: Measured, lang: str) -> str:
    """"12,27 días", "11.26 per 10,000", "13 min": the value in the page's number style, with its unit."""
    t = messages(lang)["measured"]
    value = f"{figure.value:,.2f}".rstrip("0").rstrip(".")
    if lang == "es":
        value = value.replace(",", " ").replace(".", ",").replace(" ", ".")
    return str(t["units"][figure.unit.value]).format(value=value)


def period_text(period: str, lang: str) -> str:
    """"2021", or "1 de julio de 2024 – 30 de septiembre de 2024" for a range."""
    first, last = period_bounds(period)
    if len(period) == 4:
        return period
    t = messages(lang)["measured"]
    return str(t["period_range"]).format(first=short_date(first, lang), last=short_date(last, lang))


def measured_line(figure: Measured, lang: str) -> str:
    """"Medido por ⟨study⟩ (⟨period⟩): ⟨metric⟩" as plain text (escaped where it is printed); the value follows it."""
    t = messages(lang)["measured"]
    return str(t["line"]).format(study=study_name(figure), period=period_text(figure.period, lang),
                                 metric=t["metrics"][figure.metric.value])


def period_end(period: str) -> date:
    return period_bounds(period)[1]
