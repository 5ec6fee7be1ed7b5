"""Fixed vocabularies of the data contract: sectors, channel types, costs, purposes, source kinds.

Adding a value here is a contract change: update CONTRIBUTING.md and
regenerate the JSON Schema (`python -m generator schema`).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

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
    PUBLIC_BODY = "public-body"
    STUDY = "study"
    DIRECTORY = "directory"


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
