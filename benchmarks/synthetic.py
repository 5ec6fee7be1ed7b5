"""Realistic synthetic companies for the benchmark: valid, varied and reproducible.

Not test fixtures and never real data: every company, number and address is
made up (numbers sit in ranges phonenumbers accepts, domains end in .es).
What varies is what costs time and bytes in the real pipeline: names with
accents and aliases, 1–5 channels of mixed types, hours that are plain,
split, overnight, 24/7 or with public holidays, response times, notes and
complaint routes.  The same seed gives the same data.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

FIRST = ["Ferretería", "Óptica", "Seguros", "Energía", "Telecomunicaciones", "Transportes", "Librería", "Farmacia",
         "Viajes", "Banca", "Distribuciones", "Electrodomésticos", "Mudanzas", "Clínica", "Academia", "Autoescuela",
         "Muebles", "Gestoría", "Inmobiliaria", "Aguas", "Mensajería", "Supermercados", "Calzados", "Lavandería",
         "Cervecería", "Papelería", "Joyería", "Informática", "Telefonía", "Alquileres"]
SECOND = ["Núñez", "Peñalver", "Ibáñez", "Muñoz", "Gómez", "Martínez", "Sánchez", "Ortúzar", "Cañete", "Ribó",
          "Giménez", "Alcántara", "Begoña", "Azcárate", "Olmedo", "Quiñones", "Velázquez", "Lázaro", "Echeverría",
          "Fernández", "Castañeda", "Íñiguez", "Araújo", "Moñino", "Solís", "Llorens", "Puigdomènech", "Vidal",
          "Ferrándiz", "Gutiérrez", "Bermúdez", "Zúñiga", "Montaña", "Carreño", "Ávila", "Úbeda", "Pérez", "León"]
THIRD = ["", "", "", "y Asociados", "Hermanos", "del Norte", "del Sur", "de Levante", "Ibérica", "Express", "Hogar",
         "Global", "& Cía.", "Mediterráneo", "Atlántico", "24", "Plus", "Centro", "Canarias", "Galicia"]
SECTORS = ["telecom", "energy", "water", "banking", "insurance", "investment", "airline", "rail", "bus", "ferry",
           "post", "parcel", "retail", "supermarket", "ecommerce", "food-delivery", "streaming", "travel", "other"]
ESCALATION = ["arbitraje-consumo", "oatu", "bde", "dgsfp", "cnmv", "aesa", "omic"]

# Hours as contributors write them: plain, split, overnight, 24/7, PH rules, seasonal.
HOURS = [
    "Mo-Fr 09:00-18:00", "Mo-Fr 09:00-21:00; Sa 10:00-14:00; PH off", "Mo-Fr 08:00-15:00", "24/7",
    "Mo-Su 00:00-24:00", "Mo-Fr 09:00-14:00,16:00-19:00", "Mo-Th 09:00-18:00; Fr 08:00-15:00",
    "Mo-Sa 10:00-22:00; Su,PH 11:00-20:00", "Mo-Fr 22:00-06:00", "Mo-Su 20:00-02:00",
    "Mo-Fr 08:00-20:00; Sa 09:00-14:00", "Mo-Fr 09:00-19:00; PH off", "Mo-Su 08:00-22:00",
    "Mo-Fr 09:30-13:30", "Tu-Sa 10:00-20:00", "Mo-Fr 08:30-17:30; Jul-Aug Mo-Fr 08:00-15:00",
    "Mo-Fr 07:00-23:00; Sa,Su 09:00-21:00", "Mo-Fr 09:00-18:00; Sa 09:00-13:00; Su off; PH off",
    "Mo-We,Fr 09:00-17:00; Th 09:00-20:00", "Mo-Su 09:00-21:00; Dec 25 off; Jan 01 off",
]
RESPONSE = ["30m", "1h", "2h", "4h", "24h", "1 day", "2 days", "3 days", "3 working days", "5 working days",
            "10 working days", "15 working days", "1 month"]
ANSWER = ["15 working days", "1 month", "30 days", "10 working days", "2 months"]
NOTES = [
    "Atienden en castellano y catalán; pide siempre un número de incidencia.",
    "Responde más rápido por mensaje privado que en publicaciones abiertas.",
    "Para reclamaciones de facturación, ten a mano el número de contrato y el DNI.",
    "Fuera de horario puedes dejar un mensaje; lo contestan al día siguiente laborable.",
    "El formulario pide adjuntar la factura en PDF (máximo 5 MB).",
    "Solo para clientes particulares; las empresas tienen otra línea.",
    "La llamada tiene locución previa de unos 30 s antes de pasar con un agente.",
    "Cita previa obligatoria en oficinas: pídela en la web o por teléfono.",
    "Notes with <angle brackets>, *asterisks*, _underscores_ & [brackets](x) are shown as typed.",
    "Atención en inglés los fines de semana; en agosto el horario se reduce.",
]
PURPOSES = ["general", "support", "complaints", "billing", "outages", "technical", "claims", "sales"]
CHECKED = ["2025-06-02", "2025-11-20", "2026-03-14", "2026-07-01", "2026-10-05", "2026-11-01", "2026-11-20"]
KINDS = ["phone", "phone", "email", "webform", "x", "whatsapp", "instagram", "facebook", "chat", "post", "telegram",
         "app", "in_person", "tiktok", "linkedin", "youtube"]


def fold(text: str) -> str:
    """Lowercase without accents: how a user types a name without them."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").lower()


def slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in fold(text))
    return "-".join(part for part in out.split("-") if part)


class _Numbers:
    """Unique numbers in Spanish ranges phonenumbers accepts: 900 (free), 902 (shared cost), 91x (fixed), 6xx (mobile)."""

    def __init__(self) -> None:
        self.next = 100_000

    def take(self, prefix: str) -> str:
        self.next += 1
        digits = f"{prefix}{self.next:06d}"
        return f"+34 {digits[:3]} {digits[3:6]} {digits[6:]}"


def _channel(rng: random.Random, kind: str, base: str, domain: str, handle: str, numbers: _Numbers) -> dict[str, Any]:
    site = f"https://www.{domain}"
    channel: dict[str, Any] = {"type": kind}
    if kind == "phone":
        channel["address"] = numbers.take(rng.choice(["900", "900", "902", "910", "931", "954"]))
    elif kind == "whatsapp":
        channel["address"] = numbers.take(rng.choice(["600", "611", "622", "644", "655"]))
    elif kind in ("x", "instagram", "telegram"):
        channel["address"] = "@" + handle[:15]
    elif kind == "tiktok":
        channel["address"] = "@" + handle[:24]
    elif kind == "facebook":
        channel["address"] = f"https://www.facebook.com/{handle}"
    elif kind == "linkedin":
        channel["address"] = f"https://www.linkedin.com/company/{handle}"
    elif kind == "youtube":
        channel["address"] = f"https://www.youtube.com/@{handle}"
    elif kind == "email":
        channel["address"] = f"{rng.choice(['atencion', 'clientes', 'ayuda', 'hola'])}@{domain}"
    elif kind in ("webform", "chat", "app"):
        channel["address"] = f"{site}/{rng.choice(['contacto', 'ayuda', 'atencion-al-cliente', 'soporte'])}"
    else:  # post, in_person
        city = rng.choice(["Madrid", "Sevilla", "Málaga", "A Coruña", "València", "Cáceres"])
        channel["address"] = f"Calle {base}, {rng.randint(1, 200)}, {rng.randint(10000, 52999):05d} {city}"
    if rng.random() < 0.7:
        channel["purpose"] = rng.sample(PURPOSES, rng.randint(1, 3))
    if rng.random() < 0.5:
        channel["languages"] = rng.choice([["es"], ["es", "en"], ["es", "ca"], ["es", "eu", "gl"]])
    if kind not in ("post",) and rng.random() < 0.8:
        channel["hours"] = rng.choice(HOURS)
    if rng.random() < 0.1:
        channel["timezone"] = "Atlantic/Canary"
    if rng.random() < 0.7:
        channel["response_time"] = rng.choice(RESPONSE)
    if rng.random() < 0.4:
        channel["notes"] = rng.choice(NOTES)
    source_kind = rng.choice(["company", "company", "company", "directory", "press"])
    channel["source"] = f"{site}/{rng.choice(['contacto', 'ayuda/contactar', 'atencion-cliente'])}" if source_kind == "company" \
        else f"https://www.{rng.choice(['guiacontactos', 'directorio-atencion', 'noticiasconsumo'])}.es/{handle}"
    channel["source_kind"] = source_kind
    channel["checked"] = rng.choice(CHECKED)
    if rng.random() < 0.3:
        channel["evidence"] = "Puedes contactar con nuestro servicio de atención al cliente en este canal."
    return channel


def companies(count: int, seed: int = 16) -> Iterator[dict[str, Any]]:
    """`count` valid company entries with unique ids, names and aliases."""
    rng = random.Random(seed)
    numbers = _Numbers()
    taken: set[str] = set()  # folded names and aliases, so a search for one has one right answer
    ids: set[str] = set()
    for n in range(count):
        while True:
            name = " ".join(p for p in (rng.choice(FIRST), rng.choice(SECOND), rng.choice(THIRD)) if p)
            if fold(name) not in taken:
                break
            name = f"{name} {n}"
            if fold(name) not in taken:
                break
        taken.add(fold(name))
        base = slug(name)
        company_id = base if base not in ids else f"{base}-{n}"
        ids.add(company_id)
        domain = f"{base.replace('-', '')[:40]}{n}.es"
        handle = (base.replace("-", "")[:10] + str(n))
        aliases = []
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            alias = rng.choice([f"{name.split()[0]} {name.split()[1]}", f"Grupo {name.split()[1]} {n}",
                                f"{''.join(w[0] for w in name.split() if w[0].isalpha()).upper()}{n}",
                                f"{name.split()[1]} {rng.choice(SECOND)} {n}"])
            if fold(alias) not in taken:
                taken.add(fold(alias))
                aliases.append(alias)
        entry: dict[str, Any] = {"id": company_id, "name": name}
        if aliases:
            entry["aliases"] = aliases
        if rng.random() < 0.3:
            entry["legal_name"] = f"{name} S.L."
        entry.update({"sector": rng.choice(SECTORS), "countries": ["ES"], "website": f"https://www.{domain}",
                      "domains": [domain], "timezone": "Europe/Madrid"})
        if rng.random() < 0.1:
            entry["region"] = rng.choice(["ES-CT", "ES-MD", "ES-AN", "ES-PV", "ES-GA"])
        kinds = rng.sample(KINDS, rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5]))
        entry["channels"] = [_channel(rng, kind, name.split()[1], domain, handle, numbers) for kind in kinds]
        if rng.random() < 0.8:
            complaints: dict[str, Any] = {}
            if rng.random() < 0.7:
                complaints["url"] = f"https://www.{domain}/reclamaciones"
            if rng.random() < 0.4:
                complaints["email"] = f"reclamaciones@{domain}"
            if rng.random() < 0.3:
                complaints["postal_address"] = f"Servicio de Atención al Cliente, Apartado de Correos {rng.randint(100, 9999)}, Madrid"
            if rng.random() < 0.8:
                complaints["answer_within"] = rng.choice(ANSWER)
            if rng.random() < 0.3:
                complaints["notes"] = rng.choice(NOTES)
            complaints.update({"source": f"https://www.{domain}/reclamaciones", "source_kind": "company",
                               "checked": rng.choice(CHECKED)})
            entry["complaints"] = complaints
        entry["escalation"] = rng.sample(ESCALATION, rng.randint(0, 2)) or ["arbitraje-consumo"]
        if rng.random() < 0.2:
            entry["notes"] = rng.choice(NOTES)
        yield entry


def dump(entries: list[dict[str, Any]]) -> str:
    """YAML text as a contributor would write it (quoted where YAML would otherwise reinterpret)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(entries, Dumper=dumper, allow_unicode=True, sort_keys=False, width=200, default_flow_style=None)


def write_file(entries: list[dict[str, Any]], path: Path) -> Path:
    """All entries in one list file (the `companies.yaml` layout)."""
    path.write_text("# Synthetic benchmark data: made-up companies, not real facts.\n" + dump(entries), encoding="utf-8")
    return path


def write_folder(entries: list[dict[str, Any]], folder: Path) -> Path:
    """One file per company (the `companies/` layout)."""
    folder.mkdir(parents=True, exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for entry in entries:
        text = yaml.dump(entry, Dumper=dumper, allow_unicode=True, sort_keys=False, width=200, default_flow_style=None)
        (folder / f"{entry['id']}.yaml").write_text(text, encoding="utf-8")
    return folder
