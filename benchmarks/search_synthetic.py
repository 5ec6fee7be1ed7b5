"""Synthetic search records for the search benchmarks: names with accents, aliases, 1–5 contacts each.

Made up, never real: names are drawn from word lists (so a search for one has
one right answer, names and aliases are unique once folded), numbers sit in
Spanish ranges, handles and domains are derived from the name.  The same seed
gives the same records.  Only what the search index holds is generated: the
full benchmark of issue 16 (benchmarks/run.py) generates whole company entries.
"""

from __future__ import annotations

import random
from datetime import date

from generator.data.vocabulary import ChannelType, Sector
from generator.site.derive import ContactRecord, SearchRecord
from generator.site.search import fold, words

FIRST = ["Ferretería", "Óptica", "Seguros", "Energía", "Telecomunicaciones", "Transportes", "Librería", "Farmacia",
         "Viajes", "Banca", "Distribuciones", "Electrodomésticos", "Mudanzas", "Clínica", "Academia", "Autoescuela",
         "Muebles", "Gestoría", "Inmobiliaria", "Aguas", "Mensajería", "Supermercados", "Calzados", "Lavandería",
         "Cervecería", "Papelería", "Joyería", "Informática", "Telefonía", "Alquileres", "Seguros", "Banco", "Grupo"]
SECOND = ["Núñez", "Peñalver", "Ibáñez", "Muñoz", "Gómez", "Martínez", "Sánchez", "Ortúzar", "Cañete", "Ribó",
          "Giménez", "Alcántara", "Begoña", "Azcárate", "Olmedo", "Quiñones", "Velázquez", "Lázaro", "Echeverría",
          "Fernández", "Castañeda", "Íñiguez", "Araújo", "Moñino", "Solís", "Llorens", "Puigdomènech", "Vidal",
          "Ferrándiz", "Gutiérrez", "Bermúdez", "Zúñiga", "Montaña", "Carreño", "Ávila", "Úbeda", "Pérez", "León",
          "Garçon", "Mirò", "Xàtiva", "Yáñez", "Hernández", "Jiménez", "Kálmar", "Quintà", "Noguera", "Rovira"]
THIRD = ["", "", "", "y Asociados", "Hermanos", "del Norte", "del Sur", "de Levante", "Ibérica", "Express", "Hogar",
         "Global", "& Cía.", "Mediterráneo", "Atlántico", "24", "Plus", "Centro", "Canarias", "Galicia"]
KINDS = [ChannelType.PHONE, ChannelType.PHONE, ChannelType.EMAIL, ChannelType.WEBFORM, ChannelType.X, ChannelType.WHATSAPP,
         ChannelType.INSTAGRAM, ChannelType.FACEBOOK, ChannelType.CHAT, ChannelType.POST, ChannelType.TELEGRAM]
CHECKED = [date(2026, 3, 14), date(2026, 7, 1), date(2026, 10, 5), date(2026, 11, 20)]


def slug(text: str) -> str:
    return "-".join(words(text))


def records(count: int, seed: int = 16) -> list[SearchRecord]:
    """`count` records with unique ids, names and aliases (folded)."""
    rng = random.Random(seed)
    taken: set[str] = set()
    out: list[SearchRecord] = []
    sectors = list(Sector)
    number = 100_000
    for n in range(count):
        name = " ".join(p for p in (rng.choice(FIRST), rng.choice(SECOND), rng.choice(THIRD)) if p)
        if fold(name) in taken:
            name = f"{name} {n}"
        taken.add(fold(name))
        parts = name.split()
        aliases: list[str] = []
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            alias = rng.choice([f"{parts[0]} {parts[1]}", f"Grupo {parts[1]} {n}",
                                f"{''.join(w[0] for w in parts if w[0].isalpha()).upper()}{n}"])
            if fold(alias) not in taken:
                taken.add(fold(alias))
                aliases.append(alias)
        domain = f"{slug(name).replace('-', '')[:30]}{n}.es"
        handle = f"{slug(name).replace('-', '')[:10]}{n}"
        contacts: list[ContactRecord] = []
        for kind in rng.sample(KINDS, rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5])):
            if kind in (ChannelType.PHONE, ChannelType.WHATSAPP):
                number += 1
                digits = f"{rng.choice(['900', '910', '600', '655'])}{number:06d}"
                address = f"+34 {digits[:3]} {digits[3:6]} {digits[6:]}"
            elif kind in (ChannelType.X, ChannelType.INSTAGRAM, ChannelType.TELEGRAM):
                address = "@" + handle[:15]
            elif kind is ChannelType.EMAIL:
                address = f"atencion@{domain}"
            elif kind is ChannelType.FACEBOOK:
                address = f"https://www.facebook.com/{handle}"
            elif kind is ChannelType.POST:
                address = f"Calle {parts[1]}, {rng.randint(1, 200)}, Madrid"
            else:
                address = f"https://www.{domain}/contacto"
            source = f"https://www.{domain}/{rng.choice(['contacto', 'ayuda/contactar', 'atencion-cliente'])}"
            contacts.append(ContactRecord(kind, address, source, rng.choice(CHECKED)))
        out.append(SearchRecord(slug(name) + (f"-{n}" if name.endswith(str(n)) else ""), name, tuple(aliases),
                                rng.choice(sectors), tuple(dict.fromkeys(c.type for c in contacts)), tuple(contacts)))
    return out
