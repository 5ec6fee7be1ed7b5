"""The complaint kit on a company page: what its template and docs/javascripts/dr-kit.js need (issue 23).

Pure functions of the company's view and the rule catalogue: the cases a complaint letter offers (one per rule
that binds the company, each with its citation and period), the public channels a post can go to, the escalation
bodies a follow-up letter can be addressed to, and what Ley 10/2025 requires of the company (basic-service sector
or a sourced `large_company`), with the instant it applies from (00:00 in Madrid).  The browser works the dates out
at the visitor's instant with dr-time.js; nothing here reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from generator.data.legal import DeadlineRule, EscalationBody, Localized, Obligation, Rules, load_rules
from generator.data.vocabulary import PUBLIC_BY_DEFAULT, ChannelType, Cost
from generator.site.derive import ChannelView, CompanyView, LegalDeadline

MADRID = ZoneInfo("Europe/Madrid")
SHARE_PAGES = {ChannelType.X: "https://x.com/intent/post?text="}
"""Networks whose own share page takes a text (the handle and the post are appended, URL-encoded); on the others
the composer copies the text and opens the company's page there."""


@dataclass(frozen=True, slots=True)
class KitCase:
    """One choice of the letter: a rule that binds the company, worked out for the build day."""

    deadline: LegalDeadline

    @property
    def rule(self) -> DeadlineRule:
        return self.deadline.rule

    @property
    def cited(self) -> str:
        """What the letter cites: the law and article (the catalogue requires both)."""
        return self.rule.citation

    @property
    def cited_url(self) -> str:
        return str(self.rule.citation_url or self.rule.source)


@dataclass(frozen=True, slots=True)
class KitLaw:
    """What Ley 10/2025 requires of the company, and why it applies."""

    basic: bool  # a basic-service sector (else a sourced large company)
    obligations: tuple[Obligation, ...]
    applies_from: datetime  # 00:00 in Madrid on the day companies must comply
    article: str
    applies_from_article: str
    source: str
    premium_breach: ChannelView | None  # a premium-rate phone line with no ordinary phone line beside it
    premium_article: str  # where the law forbids it
    large: Localized  # who counts as a large company


@dataclass(frozen=True, slots=True)
class Kit:
    cases: tuple[KitCase, ...]
    social: tuple[ChannelView, ...]  # public channels a post can go to
    private: ChannelView | None  # the first private written channel, for anything personal
    bodies: tuple[EscalationBody, ...]
    law: KitLaw | None


def premium_without_alternative(view: CompanyView) -> ChannelView | None:
    """The first premium-rate phone line when the company lists no free or ordinary-rate phone line (art. 10.2)."""
    phones = [v for v in view.channels if v.channel.type is ChannelType.PHONE]
    if any(v.channel.cost in (Cost.FREE, Cost.STANDARD) for v in phones):
        return None
    return next((v for v in phones if v.channel.cost is Cost.PREMIUM), None)


def law_for(view: CompanyView, rules: Rules | None = None) -> KitLaw | None:
    """Ley 10/2025's duties for this company, or None when the law does not cover it (or it serves no one in Spain)."""
    scope = (rules or load_rules()).scope
    company = view.company
    if scope is None or "ES" not in company.countries:
        return None
    basic = company.sector in scope.basic_sectors
    if not basic and company.large_company is None:
        return None
    return KitLaw(basic=basic, obligations=tuple(o for o in scope.obligations if basic or not o.basic_only),
                  applies_from=datetime.combine(scope.applies_from, time(0, 0), MADRID),
                  article=scope.article, applies_from_article=scope.applies_from_article, source=str(scope.source),
                  premium_breach=premium_without_alternative(view),
                  premium_article=next((o.article for o in scope.obligations if o.key == "no-premium"), scope.article),
                  large=scope.large)


def kit_for(view: CompanyView, rules: Rules | None = None) -> Kit:
    d = view.deadlines
    cases = tuple(KitCase(x) for x in (*d.rules, *d.special)) if d else ()
    social = tuple(v for v in view.channels if v.channel.type in PUBLIC_BY_DEFAULT and not v.channel.private)
    private = next((v for v in view.channels if v.channel.private and v.channel.type in (
        ChannelType.X, ChannelType.FACEBOOK, ChannelType.INSTAGRAM, ChannelType.WHATSAPP, ChannelType.TELEGRAM,
        ChannelType.EMAIL, ChannelType.WEBFORM, ChannelType.CHAT)), None)
    return Kit(cases=cases, social=social, private=private, bodies=view.authorities, law=law_for(view, rules))
