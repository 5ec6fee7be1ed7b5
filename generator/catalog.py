"""Fixed catalogues of the data contract: sectors, channel types; escalation bodies by key.

Adding a value here is a contract change: update CONTRIBUTING.md and
regenerate the JSON Schema (`python -m generator schema`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

LANGUAGES = ("es", "en")
"""The site's languages; the first is the default (served at the root, the others under /<lang>/)."""


class Sector(StrEnum):
    TELECOM = "telecom"
    ENERGY = "energy"
    WATER = "water"
    BANKING = "banking"
    INSURANCE = "insurance"
    INVESTMENT = "investment"
    AIRLINE = "airline"
    RAIL = "rail"
    BUS = "bus"
    FERRY = "ferry"
    POST = "post"
    PARCEL = "parcel"
    RETAIL = "retail"
    SUPERMARKET = "supermarket"
    ECOMMERCE = "ecommerce"
    FOOD_DELIVERY = "food-delivery"
    STREAMING = "streaming"
    TRAVEL = "travel"
    OTHER = "other"


class ChannelType(StrEnum):
    X = "x"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    LINKEDIN = "linkedin"
    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    PHONE = "phone"
    EMAIL = "email"
    WEBFORM = "webform"
    CHAT = "chat"
    APP = "app"
    POST = "post"
    IN_PERSON = "in_person"


# Channels where what you write is public by default (replies, comments).
PUBLIC_BY_DEFAULT = frozenset({ChannelType.X, ChannelType.FACEBOOK, ChannelType.INSTAGRAM,
                               ChannelType.TIKTOK, ChannelType.YOUTUBE, ChannelType.LINKEDIN})


class Purpose(StrEnum):
    GENERAL = "general"
    SUPPORT = "support"
    COMPLAINTS = "complaints"
    SALES = "sales"
    BILLING = "billing"
    OUTAGES = "outages"
    TECHNICAL = "technical"
    CLAIMS = "claims"
    ACCESSIBILITY = "accessibility"


class Cost(StrEnum):
    FREE = "free"
    STANDARD = "standard"
    PREMIUM = "premium"
    UNKNOWN = "unknown"


class SourceKind(StrEnum):
    COMPANY = "company"
    REGULATOR = "regulator"
    PRESS = "press"
    CONSUMER_ORG = "consumer-org"
    DIRECTORY = "directory"
    STUDY = "study"


class Metric(StrEnum):
    """What a third party measured about a company's customer service (a `measured` entry's `metric`)."""

    PHONE_WAIT_MINUTES = "phone_wait_minutes"
    SOCIAL_REPLY_MINUTES = "social_reply_minutes"
    FORUM_REPLY_MINUTES = "forum_reply_minutes"
    COMPLAINTS_PER_10K_LINES = "complaints_per_10k_lines"
    COMPLAINTS_UPHELD_SHARE = "complaints_upheld_share"
    COMPLAINT_RESOLUTION_DAYS = "complaint_resolution_days"


class Unit(StrEnum):
    MINUTES = "minutes"
    DAYS = "days"
    PER_10000 = "per_10000"
    PERCENT = "percent"


METRIC_UNITS: Mapping[Metric, Unit] = {
    Metric.PHONE_WAIT_MINUTES: Unit.MINUTES,
    Metric.SOCIAL_REPLY_MINUTES: Unit.MINUTES,
    Metric.FORUM_REPLY_MINUTES: Unit.MINUTES,
    Metric.COMPLAINTS_PER_10K_LINES: Unit.PER_10000,
    Metric.COMPLAINTS_UPHELD_SHARE: Unit.PERCENT,
    Metric.COMPLAINT_RESOLUTION_DAYS: Unit.DAYS,
}
"""The one unit each metric is given in (a `measured` entry's `unit` must match): for every metric, lower is better."""

MEASURED_SOURCE_KINDS = frozenset({SourceKind.STUDY, SourceKind.REGULATOR, SourceKind.PRESS})
"""Where a measured figure may be read: the study or the regulator's report itself, or a press article that reports
it (then `study` must name the report)."""


class _Authorities(Mapping[str, "Authority"]):
    """The escalation bodies of `generator/rules/escalation.yaml`, by key, read on first use.

    Lazy so that importing the models does not read the rule files (a mistake
    there is then reported where the bodies are needed, as positioned errors).
    """

    def _bodies(self) -> Mapping[str, Authority]:
        from .rules import load_rules  # here, not at the top: rules imports this module

        return load_rules().bodies

    def __getitem__(self, key: str) -> Authority:
        return self._bodies()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._bodies())

    def __len__(self) -> int:
        return len(self._bodies())


AUTHORITIES: Mapping[str, Authority] = _Authorities()
"""Escalation bodies by key; the data lives in generator/rules/escalation.yaml."""

if TYPE_CHECKING:
    from .rules import EscalationBody

    Authority = EscalationBody
else:
    def __getattr__(name: str) -> object:
        """`Authority` is the rules module's `EscalationBody`, imported when first asked for (import cycle)."""
        if name == "Authority":
            from .rules import EscalationBody

            return EscalationBody
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
