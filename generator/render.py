"""Render stage: derived views → Markdown pages (raw HTML inside), JSON API and schema.

Every string from the data is escaped for the context it lands in: Jinja2
autoescape for HTML text and attributes, JSON with `<`, `>` and `&`
escaped inside <script> blocks, and pages that are one raw HTML block so
Markdown never interprets data.  Front matter values are JSON strings
(valid YAML) holding HTML-escaped text, because the theme prints
`page.meta.title` without escaping.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from . import schema
from .catalog import ChannelType, Sector
from .derive import ChannelView, CompanyView, fold
from .fields import Duration
from .models import Company

COMPANY_DIR = "empresas"
INDEX_DIR = "indices"
API_DIR = "api/v1"


@dataclass(frozen=True, slots=True)
class SiteOptions:
    built: datetime
    edit_base: str | None = None  # e.g. https://github.com/org/repo/blob/main/ ; the entry's line is appended
    origins: dict[str, tuple[str, int]] = field(default_factory=dict)  # company id → (data file, line of its entry)
    timing: Any = None  # callable(CompanyView, ChannelView) -> dict | None, from the schedule module
    legal_date: Any = None  # callable(Company, date) -> date | None


@dataclass(frozen=True, slots=True)
class RenderedSite:
    pages: dict[str, str]  # docs-relative path of a Markdown page → its text
    files: dict[str, str]  # site-relative path of a static file (JSON) → its text


@cache
def strings(lang: str = "es") -> dict[str, Any]:
    text = resources.files("generator").joinpath("i18n", f"{lang}.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("generator", "templates"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.globals.update(host=lambda url: (urlsplit(url).hostname or "").removeprefix("www."), inf=math.inf)
    return env


def script_json(value: object) -> str:
    """JSON that is safe inside an HTML <script> element (no `</script>`, no `<!--`)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def front_matter(**values: object) -> str:
    lines = ["---"]
    for key, value in values.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n---\n\n"


def _html_block(text: str) -> str:
    # One raw HTML block for Markdown: no blank lines inside.
    return "\n".join(line for line in text.splitlines() if line.strip()) + "\n"


def duration_text(duration: Duration) -> str:
    one, many = strings()["response_units"][duration.unit]
    return f"{duration.amount} {one if duration.amount == 1 else many}"


def company_url(company: Company, *, from_depth: int = 2) -> str:
    return "../" * from_depth + f"{COMPANY_DIR}/{company.id}/"


def json_ld(company: Company, url_path: str) -> dict[str, Any]:
    """schema.org Organization with a ContactPoint per phone/e-mail/web channel."""
    points = []
    for ch in company.channels:
        point: dict[str, Any] = {"@type": "ContactPoint", "contactType": "customer service"}
        if ch.type is ChannelType.PHONE or ch.type is ChannelType.WHATSAPP:
            point["telephone"] = ch.address
        elif ch.type is ChannelType.EMAIL:
            point["email"] = ch.address
        elif ch.address.startswith("https://"):
            point["url"] = ch.address
        else:
            continue
        if ch.languages:
            point["availableLanguage"] = ch.languages
        if ch.hours:
            point["hoursAvailable"] = ch.hours
        points.append(point)
    same_as = [ch.address for ch in company.channels if ch.type in (ChannelType.FACEBOOK, ChannelType.YOUTUBE, ChannelType.LINKEDIN)]
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Organization", "name": company.name,
                            "url": company.website, "contactPoint": points}
    if company.legal_name:
        data["legalName"] = company.legal_name
    if company.aliases:
        data["alternateName"] = company.aliases
    if same_as:
        data["sameAs"] = same_as
    return data


def render_company(view: CompanyView, options: SiteOptions) -> str:
    company = view.company
    t = strings()
    origin = options.origins.get(company.id)
    edit_url = f"{options.edit_base}{origin[0]}#L{origin[1]}" if options.edit_base and origin else None
    legal = options.legal_date(company, options.built.date()) if options.legal_date else None

    def timing(channel_view: ChannelView) -> str | None:
        data = options.timing(view, channel_view) if options.timing else None
        return script_json(data) if data else None

    body = environment().get_template("company.html").render(
        c=company, view=view, t=t, duration=duration_text, timing=timing, edit_url=edit_url,
        json_ld=script_json(json_ld(company, f"{COMPANY_DIR}/{company.id}/")),
        sector_url=lambda s: f"../../{INDEX_DIR}/sectores/#{s}",
        legal_date=_long_date(legal) if legal else None, built_date=_long_date(options.built.date()))
    description = f"Cómo contactar con el servicio de atención al cliente de {company.name}: canales, horarios y reclamaciones."
    return front_matter(title=html.escape(company.name), description=html.escape(description),
                        search={"boost": 2}) + _html_block(body)


def _long_date(day: date) -> str:
    t = strings()
    months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre"]
    return f"{t['weekdays'][day.weekday()]} {day.day} de {months[day.month - 1]} de {day.year}"


def _row(view: CompanyView, extra: str = "") -> dict[str, str]:
    return {"url": company_url(view.company), "name": view.company.name, "extra": extra}


def _index(title: str, intro: str, sections: list[dict[str, Any]], table: dict[str, Any] | None = None) -> str:
    body = environment().get_template("index.html").render(title=title, intro=intro, sections=sections, table=table,
                                                           empty="Todavía no hay empresas en esta lista.")
    return front_matter(title=html.escape(title)) + _html_block(body)


def _letter(name: str) -> str:
    first = re.sub(r"[^a-z0-9]", "", fold(name))[:1]
    return first.upper() if first.isalpha() else "#"


def render_indexes(views: list[CompanyView]) -> dict[str, str]:
    t = strings()
    pages: dict[str, str] = {}
    letters: dict[str, list[CompanyView]] = {}
    for v in views:
        letters.setdefault(_letter(v.company.name), []).append(v)
    pages[f"{INDEX_DIR}/a-z.md"] = _index(
        "Empresas de la A a la Z", f"{len(views)} empresas. Entra en una para ver cómo contactar y reclamar.",
        [{"anchor": f"letra-{k.lower()}", "title": k, "rows": [_row(v, t['sectors'][v.company.sector]) for v in rows]}
         for k, rows in sorted(letters.items())])
    pages[f"{INDEX_DIR}/sectores.md"] = _index(
        "Empresas por sector", "Elige el sector de la empresa con la que tienes el problema.",
        [{"anchor": s.value, "title": t["sectors"][s.value], "rows": [_row(v) for v in views if v.company.sector is s]}
         for s in Sector if any(v.company.sector is s for v in views)])
    by_type = []
    for kind in ChannelType:
        rows = [_row(v, ", ".join(cv.channel.address for cv in v.channels if cv.channel.type is kind))
                for v in views if any(cv.channel.type is kind for cv in v.channels)]
        if rows:
            by_type.append({"anchor": kind.value.replace("_", "-"), "title": t["channel_types"][kind.value], "rows": rows})
    pages[f"{INDEX_DIR}/canales.md"] = _index(
        "Empresas por canal", "Quién atiende por WhatsApp, por X, por teléfono gratuito… Cada canal enlaza a la ficha de la empresa.", by_type)
    timed = sorted(((cv.stated_minutes, v, cv) for v in views for cv in v.channels if cv.channel.response_time),
                   key=lambda item: (item[0], fold(item[1].company.name)))
    table = {"headers": ["Empresa", "Sector", "Canal", "Respuesta declarada"],
             "rows": [{"url": company_url(v.company), "name": v.company.name, "sector": t["sectors"][v.company.sector],
                       "channel": t["channel_types"][cv.channel.type], "minutes": int(m),
                       "response": duration_text(cv.channel.response_time)}  # type: ignore[arg-type]
                      for m, v, cv in timed]}
    pages[f"{INDEX_DIR}/respuesta.md"] = _index(
        "Por tiempo de respuesta", "El plazo que cada empresa dice cumplir en cada canal, del más rápido al más lento. "
        "Pulsa una cabecera para ordenar. Es lo que la empresa declara, no una medición.", [], table if timed else None)
    pages[f"{INDEX_DIR}/24-7.md"] = _index(
        "Abiertas 24 horas", "Empresas con al menos un canal atendido las 24 horas, todos los días.",
        [{"anchor": "24-7", "title": "24/7", "rows": [
            _row(v, ", ".join(f"{t['channel_types'][cv.channel.type]} {cv.channel.address}" for cv in v.channels if cv.always_open))
            for v in views if v.open_24_7]}] if any(v.open_24_7 for v in views) else [])
    return pages


def api_files(views: list[CompanyView]) -> dict[str, str]:
    summary = [{"id": v.company.id, "name": v.company.name, "aliases": v.company.aliases, "sector": v.company.sector.value,
                "countries": v.company.countries, "url": f"{COMPANY_DIR}/{v.company.id}/",
                "api": f"{API_DIR}/companies/{v.company.id}.json",
                "channel_types": sorted({cv.channel.type.value for cv in v.channels})} for v in views]
    files = {f"{API_DIR}/companies.json": json.dumps({"count": len(summary), "companies": summary}, ensure_ascii=False, indent=1)}
    for v in views:
        files[f"{API_DIR}/companies/{v.company.id}.json"] = json.dumps(v.company.model_dump(mode="json"), ensure_ascii=False, indent=1)
    files["schema/company.schema.json"] = schema.dumps(schema.company_schema())
    files["schema/companies.schema.json"] = schema.dumps(schema.companies_file_schema())
    return files


def render_site(views: list[CompanyView], options: SiteOptions) -> RenderedSite:
    pages = {f"{COMPANY_DIR}/{v.company.id}.md": render_company(v, options) for v in views}
    pages.update(render_indexes(views))
    return RenderedSite(pages=pages, files=api_files(views))
