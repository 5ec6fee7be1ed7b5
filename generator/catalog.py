"""Fixed catalogues of the data contract: sectors, channel types, escalation bodies.

Adding a value here is a contract change: update CONTRIBUTING.md and
regenerate the JSON Schema (`python -m generator schema`).
"""

from __future__ import annotations

from dataclasses import dataclass
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
    DIRECTORY = "directory"


@dataclass(frozen=True, slots=True)
class Authority:
    """A body a consumer can escalate to when the company does not answer."""

    key: str
    name: str
    url: str
    what_es: str
    what_en: str


AUTHORITIES: dict[str, Authority] = {a.key: a for a in (
    Authority("oatu", "Oficina de Atención al Usuario de Telecomunicaciones",
              "https://www.usuariosteleco.gob.es",
              "Reclamaciones contra operadoras de telecomunicaciones, si no te responden en un mes "
              "o no estás de acuerdo; tienes tres meses para acudir.",
              "Complaints against telecom operators when they do not answer within a month or you "
              "disagree; you have three months to file."),
    Authority("bde", "Banco de España — Departamento de Conducta de Entidades",
              "https://www.bde.es/wbe/es/para-ciudadano/gestiones/reclamaciones/",
              "Reclamaciones contra bancos, después de reclamar al servicio de atención al cliente "
              "de la entidad.",
              "Complaints against banks, after complaining to the bank's customer service department."),
    Authority("cnmv", "Comisión Nacional del Mercado de Valores (CNMV)",
              "https://www.cnmv.es/Portal/inversor/Como-Reclamar.aspx",
              "Reclamaciones sobre inversiones, después de reclamar a la entidad.",
              "Complaints about investments, after complaining to the firm."),
    Authority("dgsfp", "Dirección General de Seguros y Fondos de Pensiones",
              "https://www.dgsfp.mineco.es",
              "Reclamaciones contra aseguradoras, después de reclamar al servicio de atención al "
              "cliente o al defensor del asegurado.",
              "Complaints against insurers, after complaining to their customer service or ombudsman."),
    Authority("aesa", "Agencia Estatal de Seguridad Aérea (AESA)",
              "https://www.seguridadaerea.gob.es/es/preguntas-frecuentes-derechos-pasajeros",
              "Derechos de los pasajeros aéreos; reclama antes a la aerolínea y dale al menos un mes.",
              "Air passenger rights; complain to the airline first and give it at least a month."),
    Authority("arbitraje-consumo", "Juntas Arbitrales de Consumo",
              "https://www.consumo.gob.es",
              "Arbitraje de consumo gratuito y voluntario, si la empresa está adherida o acepta.",
              "Free, voluntary consumer arbitration, if the company has joined or agrees."),
    Authority("omic", "Oficina Municipal de Información al Consumidor (OMIC)",
              "https://www.consumo.gob.es",
              "La oficina de consumo de tu ayuntamiento te orienta y tramita hojas de reclamaciones.",
              "Your town hall's consumer office advises you and handles complaint forms."),
)}
