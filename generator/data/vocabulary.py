"""Fixed vocabularies of the data contract: sectors, channel types, costs, purposes, source kinds.

Adding a value here is a contract change: update CONTRIBUTING.md and
regenerate the JSON Schema (`python -m generator schema`).
"""

from __future__ import annotations

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
