"""Review summary: what a change does to the data, with the dangerous edits made loud.

`compare(base, head)` pairs the companies of two versions and lists what was
added, removed and changed; `to_markdown` prints it for a pull request.  A
changed or new contact address (handle, number, e-mail, URL, postal address)
gets a line starting with "⚠" and the reasons to look twice: the new source is
not on the company's domains, `domains` changed too, the address looks like
the old one (or like another company's) with small edits, or another company
already lists it.  Hours, notes, response times and a new source on the same
site for the same address are listed without "⚠".

Also marked "⚠": a retirement (with the company readers are sent to), a name
or alias like another company's (normalised: case, accents, spaces,
confusables), an e-mail or web address off the company's domains, a source
moved to another site, a case-only change of a web address, a company left
with premium-rate phones only, a changed rule catalogue entry, and any changed
file outside the data (code, workflows, dependencies, the site's own pages):
the summary cannot vouch for those.  A pull request's summary is always made
by its base commit's code (scripts/review-pr), never by the code it brings.

Every value from the data is printed inside a Markdown code span, with
control and invisible characters spelled out, so a handle can neither
mention a GitHub user nor inject Markdown or HTML into the comment.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel

from generator.data.addresses import account_key
from generator.data.addresses import distance as edit_distance
from generator.data.fields import host_of, on_domains
from generator.data.models import Channel, Company, Measured, Retired
from generator.data.vocabulary import ChannelType
from generator.tools.lookalike import skeleton, unusual_characters, why_alike, why_alike_domain

WARN = "⚠"
HANDLE_TYPES = frozenset({ChannelType.X, ChannelType.INSTAGRAM, ChannelType.TIKTOK, ChannelType.TELEGRAM})
PHONE_TYPES = frozenset({ChannelType.PHONE, ChannelType.WHATSAPP})
MAX_MARKDOWN = 60_000  # GitHub refuses comments over 65,536 characters
# Fields compared for every fact; `address` and `type` identify a channel and are handled apart.
_CHANNEL_FIELDS = ("purpose", "languages", "hours", "timezone", "response_time", "cost", "private", "notes",
                   "source", "source_kind", "source_date", "checked", "evidence")
_COMPANY_FIELDS = ("name", "legal_name", "aliases", "sector", "countries", "region", "timezone", "escalation",
                   "notes", "renamed_from")
_COMPLAINT_FIELDS = ("answer_within", "notes", "source", "source_kind", "source_date", "checked", "evidence")


# --- addresses --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contact:
    """One way to reach a company, as compared across companies and versions."""

    label: str  # e.g. "x", "phone", "complaints.email", "website"
    value: str  # as written (normalised by validation)
    key: tuple[str, str]  # equal keys = the same destination (phone and WhatsApp share numbers)
    ident: str  # the part a lookalike imitates: handle without @, digits, host, e-mail, text
    source: str | None = None
    evidence: str | None = None


def address_key(kind: str, value: str) -> tuple[tuple[str, str], str]:
    """The comparison key and the imitable part of an address of channel type (or label) `kind`.

    Phones, handles and e-mails are keyed as the site's account check keys them (`addresses.account_key`).
    """
    if kind in PHONE_TYPES:
        found = account_key(value)
        digits = found.key if found else re.sub(r"\D", "", value)
        return ("tel", digits), digits
    if kind in HANDLE_TYPES:
        handle = value.removeprefix("@")
        found = account_key("@" + handle)
        return (kind, found.key[1:] if found else handle.lower()), handle
    if kind in (ChannelType.EMAIL, "complaints.email"):
        found = account_key(value)
        return ("email", found.key if found and found.network == "email" else value.lower()), value
    if value.lower().startswith("https://"):
        host = host_of(value).removeprefix("www.")
        rest = value.split("//", 1)[1].split("/", 1)[1] if "/" in value.split("//", 1)[1] else ""
        return ("url", f"{host}/{rest.rstrip('/')}".casefold()), host
    return ("text", " ".join(value.casefold().split())), value


def _address(label: str, kind: str, value: str, source: str | None, evidence: str | None) -> Contact:
    key, ident = address_key(kind, value)
    return Contact(label, value, key, ident, source, evidence)


def channel_address(channel: Channel) -> Contact:
    return _address(channel.type.value, channel.type, channel.address, channel.source, channel.evidence)


def company_addresses(company: Company) -> list[Contact]:
    """Every address of a company: channels, complaint route and website."""
    found = [channel_address(c) for c in company.channels]
    found.append(_address("website", "website", company.website, None, None))
    if company.complaints:
        c = company.complaints
        for name, value in (("url", c.url), ("email", c.email), ("postal_address", c.postal_address)):
            if value:
                found.append(_address(f"complaints.{name}", f"complaints.{name}", value, c.source, c.evidence))
    return found


# Numbers and postal addresses of different companies often differ by a digit or two by chance;
# for them only an exact match (the same number claimed twice) is a signal.
_NOT_IMITATED = frozenset({"tel", "text"})


class AddressBook:
    """Addresses of all companies of a version, to spot a claimed or imitated address."""

    def __init__(self, companies: Iterable[Company]) -> None:
        self.owners: dict[tuple[str, str], set[str]] = {}
        self.by_kind: dict[str, list[tuple[str, Contact]]] = {}
        for company in companies:
            for address in company_addresses(company):
                self.owners.setdefault(address.key, set()).add(company.id)
                if address.key[0] not in _NOT_IMITATED:
                    self.by_kind.setdefault(address.key[0], []).append((company.id, address))
            for domain in company.domains:
                self.by_kind.setdefault("domain", []).append((company.id, Contact("domain", domain, ("domain", domain), domain)))

    def claimed_by_others(self, address: Contact, company_id: str) -> list[str]:
        return sorted(self.owners.get(address.key, set()) - {company_id})

    def imitated(self, kind: str, ident: str, company_id: str) -> tuple[str, Contact, str] | None:
        """Another company's address that `ident` looks like: (company id, address, why)."""
        for owner, other in self.by_kind.get(kind, []):
            if owner == company_id or abs(len(other.ident) - len(ident)) > 8 or other.ident.casefold() == ident.casefold():
                continue
            reason = alike(kind, other.ident, ident)
            if reason:
                return owner, other, reason
        return None


def alike(kind: str, old: str, new: str) -> str | None:
    """Why address part `new` may imitate `old`, for addresses of comparison kind `kind`."""
    return why_alike_domain(old, new) if kind in ("url", "domain") else why_alike(old, new)


def imitates_own_name(address: Contact, company: Company) -> str | None:
    """The company name (a domain's first label) that a handle or host spells with lookalike characters, if any.

    `@lberia` for Iberia (iberia.com): the skeletons contain each other but
    the letters do not, which an honest handle (`@Iberia_es`) never does.
    """
    if address.key[0] in _NOT_IMITATED or address.key[0] == "email":
        return None
    ident = address.ident.casefold()
    for domain in company.domains:
        label = domain.split(".")[0].casefold()
        if len(label) >= 3 and skeleton(label) in skeleton(ident) and label not in ident:
            return label
    return None


# --- names ------------------------------------------------------------------------------------------


def name_words(text: str) -> tuple[str, ...]:
    """The words of a name in a form where lookalikes coincide: no accents, case, punctuation or confusables.

    Not `addresses.fold`: fold lowercases, and the confusables table maps some capitals only (Greek Μ → M, not μ),
    so «ΜΟVISTAR» would no longer meet Movistar.  Accents go first, case goes inside `skeleton`."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return tuple(skeleton(word) for word in re.findall(r"\w+", bare))


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    return 0 < len(inner) < len(outer) and any(outer[i:i + len(inner)] == inner for i in range(len(outer) - len(inner) + 1))


def why_name_alike(existing: str, new: str) -> str | None:
    """Why name or alias `new` may pass for `existing` (another company's), or None."""
    old_words, new_words = name_words(existing), name_words(new)
    old_joined, new_joined = "".join(old_words), "".join(new_words)
    if not old_joined or not new_joined:
        return None
    if old_joined == new_joined:
        same = existing.casefold() == new.casefold()
        return "is the same name" if same else "is the same name but for case, accents, spaces or lookalike characters"
    if _contains(new_words, old_words):
        return "contains that name"
    limit = 1 if len(old_joined) < 12 else 2
    if len(old_joined) >= 5 and abs(len(old_joined) - len(new_joined)) <= limit:
        distance = edit_distance(old_joined, new_joined)
        if 0 < distance <= limit:
            return f"differs from it by {distance} character{'s' if distance > 1 else ''}"
    return None


def company_names(company: Company) -> list[str]:
    """The names a reader may know a company by: name, legal name and aliases."""
    return [company.name, *([company.legal_name] if company.legal_name else []), *company.aliases]


def names_alike(company: Company, names: Sequence[str], others: Iterable[Company]) -> list[str]:
    """Warnings for each of `names` (of `company`) that equals or resembles another company's name or alias."""
    warnings: list[str] = []
    for other in others:
        if other.id == company.id or other.id in company.renamed_from:
            continue
        for mine in names:
            for theirs in company_names(other):
                why = why_name_alike(theirs, mine)
                if why:
                    warnings.append(f"{code(mine)} {why} {code(theirs)} of {code(other.id)} ({code(other.domains)}): "
                                    "check this is not someone passing for that company")
                    break
    return warnings


# --- the result ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One change, said plainly; `warnings` non-empty makes it a "⚠" line."""

    text: str
    warnings: tuple[str, ...] = ()
    evidence: str | None = None
    source: str | None = None
    details: str = ""  # what else changed with a flagged address, shown under it

    @property
    def flagged(self) -> bool:
        return bool(self.warnings)


@dataclass(slots=True)
class CompanyChange:
    company_id: str
    name: str
    lines: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Review:
    base_label: str
    head_label: str
    added: list[CompanyChange] = field(default_factory=list)
    removed: list[CompanyChange] = field(default_factory=list)
    changed: list[CompanyChange] = field(default_factory=list)
    outside_data: list[str] = field(default_factory=list)  # changed files this summary cannot vouch for
    published: list[str] = field(default_factory=list)  # changed pages of the site's own text (docs/)
    others: list[str] = field(default_factory=list)  # any other changed file that is not data
    catalogues: list[Line] = field(default_factory=list)  # changed entries of the rule catalogues

    def lines(self) -> Iterator[Line]:
        yield from self.file_lines()
        yield from self.catalogues
        for change in (*self.added, *self.removed, *self.changed):
            yield from change.lines

    def file_lines(self) -> list[Line]:
        """The lines about changed files that are not data: code, published pages, the rest."""
        found = [outside_data_line(self.outside_data)] if self.outside_data else []
        if self.published:
            found.append(Line(f"{_files(self.published)} of the site's own pages changed: {_listed(self.published)}",
                              ("they are published as written: read them, and refuse any phone number, e-mail, "
                               "handle or link there that is not a channel with its source",)))
        if self.others:
            found.append(Line(f"{_files(self.others)} outside the data changed (not published, not run by the "
                              f"site): {_listed(self.others)}"))
        return found

    @property
    def flagged(self) -> int:
        return sum(1 for line in self.lines() if line.flagged)


# --- comparing ----------------------------------------------------------------------------------------


def code(value: object) -> str:
    """`value` as a Markdown code span that shows exactly what was typed (and never mentions anyone)."""
    text = _shown(value)
    visible = "".join(_visible(ch) for ch in text)
    longest = max((len(run) for run in re.findall(r"`+", visible)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if visible.startswith("`") or visible.endswith("`") or not visible.strip() else ""
    return f"{fence}{pad}{visible}{pad}{fence}"


def _visible(ch: str) -> str:
    if ch == "\n":
        return "⏎"
    if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp"):  # controls, bidi overrides, zero-width
        return f"<U+{ord(ch):04X}>"
    return ch


def _shown(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown(v) for v in value) or "(none)"
    if isinstance(value, BaseModel):  # text given per language
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.model_dump(exclude_none=True).items())
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _differences(old: BaseModel, new: BaseModel, names: Sequence[str]) -> list[tuple[str, Any, Any]]:
    return [(n, getattr(old, n), getattr(new, n)) for n in names if getattr(old, n) != getattr(new, n)]


_URL_CHECKED = frozenset({"website", "complaints.url", ChannelType.WEBFORM.value, ChannelType.CHAT.value})
_EMAIL_CHECKED = frozenset({ChannelType.EMAIL.value, "complaints.email"})


def email_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].casefold()


def site_of(url: str, domains: Sequence[str]) -> str:
    """The company domain a URL sits on, else its host without `www.`: two URLs on one site give the same."""
    host = host_of(url).removeprefix("www.")
    return next((d for d in domains if host == d or host.endswith("." + d)), host)


def premium_only(company: Company) -> bool:
    """Whether the company's only phone numbers are premium-rate (Ley 10/2025 art. 10.2 asks for an ordinary one)."""
    return company.premium_only


PREMIUM_ONLY = ("its only phone numbers are premium-rate: Ley 10/2025 (art. 10.2) asks for an ordinary alternative, "
                "so check the company's pages for one and add it with its source if it exists")


class _Comparer:
    def __init__(self, base: Sequence[Company], head: Sequence[Company]) -> None:
        self.base = base
        self.base_book = AddressBook(base)
        self.head_book = AddressBook(head)

    def risks(self, address: Contact, company: Company, *, trusted_domains: Sequence[str], old: Contact | None,
              domains_changed: bool) -> list[str]:
        """Why a new or changed address deserves a second look (empty: nothing beyond it being new)."""
        reasons: list[str] = []
        if address.source and not on_domains(address.source, trusted_domains):
            reasons.append(f"its source {code(address.source)} is not on the company's domains ({code(list(trusted_domains))})")
        if address.label in _EMAIL_CHECKED and not on_domains("https://" + email_domain(address.value), trusted_domains):
            reasons.append(f"the e-mail's domain {code(email_domain(address.value))} is not among the company's domains "
                           f"({code(list(trusted_domains))})")
        if address.label in _URL_CHECKED and address.key[0] == "url" and not on_domains(address.value, trusted_domains):
            reasons.append(f"its host {code(host_of(address.value))} is not among the company's domains "
                           f"({code(list(trusted_domains))})")
        if old is not None and address.source and address.source == old.source:
            reasons.append("the source is the same as for the old address: check that it states the new one")
        if domains_changed:
            reasons.append("the company's `domains` changed in the same change")
        if old is not None:
            similar = alike(address.key[0], old.ident, address.ident)
            if similar:
                reasons.append(f"it looks like the old one: {similar}")
        elif unusual_characters(address.ident):
            reasons.append("it has characters from outside ASCII: " + ", ".join(unusual_characters(address.ident)))
        fake_name = imitates_own_name(address, company)
        if fake_name:
            reasons.append(f"it spells the company's name {code(fake_name)} with lookalike characters")
        claimed = sorted(set(self.head_book.claimed_by_others(address, company.id))
                         | set(self.base_book.claimed_by_others(address, company.id)))
        if claimed:
            reasons.append(f"it is already listed for {', '.join(code(c) for c in claimed)}")
        imitated = self.base_book.imitated(address.key[0], address.ident, company.id)
        if imitated:
            owner, other, why = imitated
            reasons.append(f"it looks like {code(other.value)} of {code(owner)}: {why}")
        return reasons

    def added(self, company: Company) -> CompanyChange:
        change = CompanyChange(company.id, company.name)
        change.lines.append(Line(f"new company {code(company.name)}, sector {code(company.sector)}, "
                                 f"domains {code(company.domains)}", tuple(names_alike(company, company_names(company), self.base))))
        change.lines.append(Line(f"aliases {code(company.aliases)}; legal name {code(company.legal_name)}; "
                                 f"notes {code(company.notes)}"))
        if premium_only(company):
            change.lines.append(Line("phones: premium-rate only", (PREMIUM_ONLY,)))
        for domain in company.domains:
            imitated = self.base_book.imitated("domain", domain, company.id)
            if imitated:
                change.lines.append(Line(f"domain {code(domain)}", (f"it looks like {code(imitated[1].value)} of "
                                                                     f"{code(imitated[0])}: {imitated[2]}",)))
        for address in company_addresses(company):
            risks = self.risks(address, company, trusted_domains=company.domains, old=None, domains_changed=False)
            change.lines.append(Line(f"{address.label} {code(address.value)}", tuple(risks), address.evidence, address.source))
        return change

    def changed(self, old: Company, new: Company) -> CompanyChange | None:
        change = CompanyChange(new.id, new.name)
        lines = change.lines
        if old.id != new.id:
            lines.append(Line(f"id {code(old.id)} → {code(new.id)} (renamed; the old address redirects)"))
        domains_changed = set(old.domains) != set(new.domains)
        if domains_changed:
            warnings = [f"sources on {code(sorted(set(new.domains) - set(old.domains)) or '(none added)')} now count "
                        "as the company's own: check the company owns them"]
            for domain in sorted(set(new.domains) - set(old.domains)):
                for was in old.domains:
                    similar = why_alike_domain(was, domain)
                    if similar:
                        warnings.append(f"{code(domain)} looks like {code(was)}: {similar}")
                imitated = self.base_book.imitated("domain", domain, new.id)
                if imitated:
                    warnings.append(f"{code(domain)} looks like {code(imitated[1].value)} of {code(imitated[0])}: {imitated[2]}")
            lines.append(Line(f"domains {code(old.domains)} → {code(new.domains)}", tuple(warnings)))
        fresh_names = [n for n in company_names(new) if n not in company_names(old)]
        alike_names = names_alike(new, fresh_names, self.base) if fresh_names else []
        for name, was, now in _differences(old, new, _COMPANY_FIELDS):
            flag = alike_names if name in ("name", "legal_name", "aliases") else []
            lines.append(Line(f"{name}: {code(was)} → {code(now)}", tuple(flag)))
            if flag:
                alike_names = []  # said once, on the first name field that changed
        if premium_only(new) and not premium_only(old):
            lines.append(Line("phones: now premium-rate only", (PREMIUM_ONLY,)))
        trusted = old.domains  # the domains before this change are the ones a reviewer already trusted
        for label, was_value, now_value in (("website", old.website, new.website),):
            if was_value != now_value:
                before, after = _address(label, label, was_value, None, None), _address(label, label, now_value, None, None)
                risks = self.risks(after, new, trusted_domains=trusted, old=before, domains_changed=domains_changed)
                lines.append(Line(f"website {code(was_value)} → {code(now_value)}", ("the address changed", *risks)))
        lines.extend(self._channels(old, new, trusted, domains_changed))
        lines.extend(self._complaints(old, new, trusted, domains_changed))
        lines.extend(_measured_changes(old, new))
        return change if lines else None

    def _channels(self, old: Company, new: Company, trusted: Sequence[str], domains_changed: bool) -> Iterator[Line]:
        remaining_old = list(old.channels)
        pairs: list[tuple[Channel | None, Channel | None]] = []
        unmatched_new: list[Channel] = []
        for channel in new.channels:  # the same type and address: the same channel
            key = channel_address(channel).key
            match = next((c for c in remaining_old if c.type == channel.type and channel_address(c).key == key), None)
            if match is not None:
                remaining_old.remove(match)
                pairs.append((match, channel))
            else:
                unmatched_new.append(channel)
        for channel in unmatched_new:  # the same type, another address: the address changed
            match = next((c for c in remaining_old if c.type == channel.type), None)
            if match is not None:
                remaining_old.remove(match)
            pairs.append((match, channel))
        pairs.extend((c, None) for c in remaining_old)
        for before, after in pairs:
            yield from self._channel(before, after, new, trusted, domains_changed)

    def _channel(self, before: Channel | None, after: Channel | None, company: Company, trusted: Sequence[str],
                 domains_changed: bool) -> Iterator[Line]:
        if after is None:
            assert before is not None
            yield Line(f"removed {before.type.value} {code(before.address)}")
            return
        now = channel_address(after)
        if before is None:
            risks = self.risks(now, company, trusted_domains=trusted, old=None, domains_changed=domains_changed)
            yield Line(f"new {after.type.value} {code(after.address)}", ("a new contact address", *risks),
                       after.evidence, after.source)
            return
        was = channel_address(before)
        changes = _differences(before, after, _CHANNEL_FIELDS)
        warnings: list[str] = []
        if before.address != after.address and was.key == now.key:  # the same destination but for letter case
            changes.insert(0, ("address", before.address, after.address))
            if now.key[0] == "url":
                warnings.append("only the letter case changed, but a web path is case-sensitive: open both and "
                                "check they are the same page")
        if before.source != after.source and site_of(before.source, trusted) != site_of(after.source, trusted):
            warnings.append(f"the source moved from {code(site_of(before.source, trusted))} to "
                            f"{code(site_of(after.source, trusted))}: check the new site is the company's or a "
                            "regulator's and states this address")
        said = "; ".join(f"{n}: {code(a)} → {code(b)}" for n, a, b in changes if n != "evidence")
        if not said and changes:
            said = "evidence changed"
        elif said and after.evidence and before.evidence == after.evidence:
            said += " (the evidence did not change: does it state the new value?)"
        if was.key != now.key:  # one line for the whole channel: the address change, what came with it below
            risks = self.risks(now, company, trusted_domains=trusted, old=was, domains_changed=domains_changed)
            yield Line(f"{after.type.value} {code(before.address)} → {code(after.address)}", ("the address changed", *risks),
                       after.evidence, after.source, said)
        elif changes:
            yield Line(f"{after.type.value} {code(after.address)}: {said}", tuple(warnings), after.evidence, after.source)

    def _complaints(self, old: Company, new: Company, trusted: Sequence[str], domains_changed: bool) -> Iterator[Line]:
        before, after = old.complaints, new.complaints
        if before == after:
            return
        if after is None:
            yield Line("removed the complaint route")
            return
        for name in ("url", "email", "postal_address"):
            was_value, now_value = getattr(before, name, None), getattr(after, name)
            if was_value == now_value or now_value is None:
                if was_value != now_value:
                    yield Line(f"complaints.{name}: removed {code(was_value)}")
                continue
            label = f"complaints.{name}"
            now = _address(label, label, now_value, after.source, after.evidence)
            was = _address(label, label, was_value, None, None) if was_value else None
            risks = self.risks(now, new, trusted_domains=trusted, old=was, domains_changed=domains_changed)
            text = f"{label} {code(was_value)} → {code(now_value)}" if was_value else f"new {label} {code(now_value)}"
            yield Line(text, ("the address changed" if was else "a new contact address", *risks), after.evidence, after.source)
        if before is None:
            return
        changes = _differences(before, after, _COMPLAINT_FIELDS)
        if changes:
            said = "; ".join(f"{n}: {code(a)} → {code(b)}" for n, a, b in changes if n != "evidence") or "evidence changed"
            moved = (before.source != after.source and site_of(before.source, trusted) != site_of(after.source, trusted))
            warnings = (f"the source moved from {code(site_of(before.source, trusted))} to "
                        f"{code(site_of(after.source, trusted))}: check the new site is the company's or a "
                        "regulator's and states the complaint route",) if moved else ()
            yield Line(f"complaints: {said}", warnings, after.evidence, after.source)


def _measured_changes(old: Company, new: Company) -> Iterator[Line]:
    """Measured figures added, changed or removed (no contact address: shown with their evidence and source to check)."""
    def key(figure: Measured) -> tuple[str, str, str]:
        return figure.metric.value, figure.period, figure.source

    before = {key(figure): figure for figure in old.measured}
    after = {key(figure): figure for figure in new.measured}
    for found, figure in after.items():
        was = before.get(found)
        if was == figure:
            continue
        label = f"measured {figure.metric.value} {figure.period}"
        said = f"{code(was.value)} → {code(figure.value)}" if was and was.value != figure.value else (
            "study, scope or evidence changed" if was else f"added {code(figure.value)} {figure.unit.value}")
        yield Line(f"{label}: {said}", (), figure.evidence, figure.source)
    for found, figure in before.items():
        if found not in after:
            yield Line(f"measured {figure.metric.value} {figure.period}: removed {code(figure.value)}")


def compare(base: Sequence[Company], head: Sequence[Company], *, head_retired: Sequence[Retired] = (),
            base_label: str = "base", head_label: str = "head", changed_files: Iterable[str] = (),
            catalogues: Iterable[tuple[str, Any, Any]] = ()) -> Review:
    """What changed from `base` to `head` (validated companies of two versions); pure.

    `changed_files` are the repository paths the change touches (code among them gets a ⚠ line);
    `catalogues` are (file name, parsed old, parsed new) of the rule catalogues.
    """
    changed_files = list(changed_files)
    code_files = outside_data(changed_files)
    rest = [p for p in changed_files if p not in code_files and not is_data_file(p)]
    review = Review(base_label, head_label, outside_data=code_files,
                    published=sorted(p for p in rest if p.startswith("docs/")),
                    others=sorted(p for p in rest if not p.startswith("docs/")))
    for name, old_catalogue, new_catalogue in catalogues:
        review.catalogues.extend(compare_catalogue(name, old_catalogue, new_catalogue))
    comparer = _Comparer(base, head)
    old_by_id = {c.id: c for c in base}
    new_ids = {c.id for c in head}
    renamed = {old: c for c in head for old in c.renamed_from if old in old_by_id and old not in new_ids}
    retired = {r.id: r for r in head_retired}
    for company in head:
        previous = old_by_id.get(company.id) or next((old_by_id[o] for o in company.renamed_from if renamed.get(o) is company), None)
        if previous is None:
            review.added.append(comparer.added(company))
        else:
            change = comparer.changed(previous, company)
            if change:
                review.changed.append(change)
    for company in base:
        if company.id in new_ids or company.id in renamed:
            continue
        gone = CompanyChange(company.id, company.name)
        if company.id in retired:
            entry = retired[company.id]
            warnings = ["its page will say it is gone: check a public source states why (a company that still trades "
                        "must stay listed)"]
            text = f"retired on {entry.removed.isoformat()}: {code(entry.reason)}"
            if entry.replaced_by:
                text += f"; replaced by {code(entry.replaced_by)}"
                target = next((c for c in head if c.id == entry.replaced_by), None)
                warnings.append(f"its page will send readers to {code(entry.replaced_by)}"
                                + (f" ({code(target.name)}, {code(target.domains)})" if target else "")
                                + ": check a public source says that company took over its customers")
            gone.lines.append(Line(text, tuple(warnings)))
        else:
            gone.lines.append(Line("removed without `renamed_from` or a retired.yaml entry",
                                   ("its page address would stop working: `validate --previous` refuses this",)))
        review.removed.append(gone)
    return review


# --- code and rule catalogues ---------------------------------------------------------------------------

# Files that change what the site does or what the review and the build run: a summary of the data
# cannot vouch for them (generator/ holds the review itself and the rule catalogues).
CODE_FOLDERS = ("generator/", ".github/", "docs/javascripts/", "overrides/", "scripts/", "requirements/", "schema/")
CODE_FILES = frozenset({"mkdocs.yml", "pyproject.toml", "package.json", "package-lock.json", "Makefile", "setup.py",
                        "setup.cfg", "eslint.config.mjs", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml"})
CATALOGUES = ("generator/data/legal/deadlines.yaml", "generator/data/legal/escalation.yaml")


def outside_data(paths: Iterable[str]) -> list[str]:
    """The changed files (repository paths) that are code, configuration or a rule catalogue, sorted."""
    return sorted({p for p in paths if p.startswith(CODE_FOLDERS) or p in CODE_FILES
                   or p.endswith((".lock", "-lock.json", "-lock.yaml"))})


def is_data_file(path: str) -> bool:
    """companies.yaml, companies/<id>.yaml and retired.yaml: what the summary compares entry by entry."""
    return path in ("companies.yaml", "retired.yaml") or (path.startswith("companies/") and path.count("/") == 1
                                                           and path.endswith((".yaml", ".yml")))


def _files(paths: Sequence[str]) -> str:
    return f"{len(paths)} file{'s' if len(paths) != 1 else ''}"


def _listed(paths: Sequence[str]) -> str:
    return ", ".join(code(p) for p in paths[:40]) + (f" and {len(paths) - 40} more" if len(paths) > 40 else "")


def outside_data_line(paths: Sequence[str]) -> Line:
    return Line(f"{_files(paths)} outside the data changed: {_listed(paths)}",
                ("this summary compares the data only and cannot vouch for code, workflows, scripts, "
                 "dependencies or the rule catalogues: read each of these diffs line by line (CONTRIBUTING.md, "
                 "\"Changes outside the data\")",))


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) and "key" in v for v in value):
        for item in value:
            _flatten({k: v for k, v in item.items() if k != "key"}, f"{prefix}[{item['key']}]", out)
    else:
        out[prefix] = value


def _urls(value: Any) -> list[str]:
    return [w for w in str(value).split() if w.lower().startswith(("https://", "http://"))]


def compare_catalogue(name: str, old: Any, new: Any) -> list[Line]:
    """One line per changed value of a rule catalogue (parsed YAML), ⚠ when a URL moves to another host."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    _flatten(old or {}, "", before)
    _flatten(new or {}, "", after)
    lines = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        warnings = ["the rule catalogues are shown on every page of a sector: check the change against its source"]
        old_hosts = {host_of(u).removeprefix("www.") for u in _urls(was)}
        for url in _urls(now):
            host = host_of(url).removeprefix("www.")
            if host not in old_hosts:
                warnings.append(f"the web address now points at {code(host)}"
                                + (f" (was {code(sorted(old_hosts))})" if old_hosts else "")
                                + ": check that site belongs to the body or law it names")
            elif url not in _urls(was) and url.casefold() in {u.casefold() for u in _urls(was)}:
                warnings.append("only the letter case of the web address changed: open both and check they are the same page")
        lines.append(Line(f"{name} {key}: {code(was)} → {code(now)}", tuple(warnings)))
    return lines


# --- printing -------------------------------------------------------------------------------------------


def _line_markdown(line: Line) -> list[str]:
    if line.flagged:
        out = [f"- {WARN} {line.text} — " + "; ".join(line.warnings)]
    else:
        out = [f"- {line.text}"]
    if line.details:
        out.append(f"  - also changed: {line.details}")
    if line.evidence:
        out.append(f"  - evidence: {code(line.evidence)}")
    if line.source and (line.flagged or line.evidence):
        out.append(f"  - source: {code(line.source)}")
    return out


def outside_section(review: Review) -> list[str]:
    """The "Outside the data" section (Markdown lines): changed files that are not data, rule catalogue entries."""
    if not (review.file_lines() or review.catalogues):
        return []
    out = ["", "### Outside the data", ""]
    for line in review.file_lines() + review.catalogues:
        out += _line_markdown(line)
    return out


def to_markdown(review: Review, *, limit: int = MAX_MARKDOWN) -> str:
    """The summary as GitHub-flavoured Markdown (user text only inside code spans)."""
    counts = (f"{len(review.added)} added, {len(review.removed)} removed, {len(review.changed)} changed")
    out = ["## Data review", "",
           f"Compared {code(review.base_label)} → {code(review.head_label)}: {counts}."]
    if review.outside_data:
        out.append(f"**{WARN} This change also touches code or configuration**: this summary cannot vouch for it.")
    if review.flagged:
        out.append(f"**{review.flagged} line{'s' if review.flagged != 1 else ''} marked {WARN}**: "
                   "open each source and check that it states the new address (CONTRIBUTING.md, \"Reviewing a pull request with the summary\").")
    elif not (review.added or review.removed or review.changed or review.catalogues or review.file_lines()):
        out.append("No change to the data.")
    else:
        out.append(f"No line marked {WARN}.")
    out += outside_section(review)
    for title, group in (("Added", review.added), ("Removed", review.removed), ("Changed", review.changed)):
        if not group:
            continue
        out += ["", f"### {title}"]
        for change in group:
            out += ["", f"#### {code(change.name)} ({code(change.company_id)})", ""]
            for line in change.lines:
                out += _line_markdown(line)
    text = "\n".join(out) + "\n"
    if len(text) > limit:
        cut = text.rfind("\n", 0, limit - 200)
        text = text[:cut] + f"\n\n… cut at {limit} characters: run `python -m generator review` locally for the rest.\n"
    return text
