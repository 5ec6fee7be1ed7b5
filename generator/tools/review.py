"""Review summary: what a change does to the data, with the dangerous edits made loud.

`compare(base, head)` pairs the companies of two versions and lists what was
added, removed and changed; `to_markdown` prints it for a pull request.  A
changed or new contact address (handle, number, e-mail, URL, postal address)
gets a line starting with "⚠" and the reasons to look twice: the new source is
not on the company's domains, `domains` changed too, the address looks like
the old one (or like another company's) with small edits, or another company
already lists it.  Hours, notes, response times and a new source for the same
address are listed without "⚠".

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
from generator.data.fields import host_of, on_domains
from generator.data.models import Channel, Company, Retired
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
class Address:
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


def _address(label: str, kind: str, value: str, source: str | None, evidence: str | None) -> Address:
    key, ident = address_key(kind, value)
    return Address(label, value, key, ident, source, evidence)


def channel_address(channel: Channel) -> Address:
    return _address(channel.type.value, channel.type, channel.address, channel.source, channel.evidence)


def company_addresses(company: Company) -> list[Address]:
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
        self.by_kind: dict[str, list[tuple[str, Address]]] = {}
        for company in companies:
            for address in company_addresses(company):
                self.owners.setdefault(address.key, set()).add(company.id)
                if address.key[0] not in _NOT_IMITATED:
                    self.by_kind.setdefault(address.key[0], []).append((company.id, address))
            for domain in company.domains:
                self.by_kind.setdefault("domain", []).append((company.id, Address("domain", domain, ("domain", domain), domain)))

    def claimed_by_others(self, address: Address, company_id: str) -> list[str]:
        return sorted(self.owners.get(address.key, set()) - {company_id})

    def imitated(self, kind: str, ident: str, company_id: str) -> tuple[str, Address, str] | None:
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


def imitates_own_name(address: Address, company: Company) -> str | None:
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

    def lines(self) -> Iterator[Line]:
        for change in (*self.added, *self.removed, *self.changed):
            yield from change.lines

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


class _Comparer:
    def __init__(self, base: Sequence[Company], head: Sequence[Company]) -> None:
        self.base_book = AddressBook(base)
        self.head_book = AddressBook(head)

    def risks(self, address: Address, company: Company, *, trusted_domains: Sequence[str], old: Address | None,
              domains_changed: bool) -> list[str]:
        """Why a new or changed address deserves a second look (empty: nothing beyond it being new)."""
        reasons: list[str] = []
        if address.source and not on_domains(address.source, trusted_domains):
            reasons.append(f"its source {code(address.source)} is not on the company's domains ({code(list(trusted_domains))})")
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
                                 f"domains {code(company.domains)}"))
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
        for name, was, now in _differences(old, new, _COMPANY_FIELDS):
            lines.append(Line(f"{name}: {code(was)} → {code(now)}"))
        trusted = old.domains  # the domains before this change are the ones a reviewer already trusted
        for label, was_value, now_value in (("website", old.website, new.website),):
            if was_value != now_value:
                before, after = _address(label, label, was_value, None, None), _address(label, label, now_value, None, None)
                risks = self.risks(after, new, trusted_domains=trusted, old=before, domains_changed=domains_changed)
                lines.append(Line(f"website {code(was_value)} → {code(now_value)}", ("the address changed", *risks)))
        lines.extend(self._channels(old, new, trusted, domains_changed))
        lines.extend(self._complaints(old, new, trusted, domains_changed))
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
            yield Line(f"{after.type.value} {code(after.address)}: {said}", (), after.evidence, after.source)

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
            yield Line(f"complaints: {said}", (), after.evidence, after.source)


def compare(base: Sequence[Company], head: Sequence[Company], *, head_retired: Sequence[Retired] = (),
            base_label: str = "base", head_label: str = "head") -> Review:
    """What changed from `base` to `head` (validated companies of two versions); pure."""
    review = Review(base_label, head_label)
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
            gone.lines.append(Line(f"retired on {entry.removed.isoformat()}: {code(entry.reason)}"))
        else:
            gone.lines.append(Line("removed without `renamed_from` or a retired.yaml entry",
                                   ("its page address would stop working: `validate --previous` refuses this",)))
        review.removed.append(gone)
    return review


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


def to_markdown(review: Review, *, limit: int = MAX_MARKDOWN) -> str:
    """The summary as GitHub-flavoured Markdown (user text only inside code spans)."""
    counts = (f"{len(review.added)} added, {len(review.removed)} removed, {len(review.changed)} changed")
    out = ["## Data review", "",
           f"Compared {code(review.base_label)} → {code(review.head_label)}: {counts}."]
    if review.flagged:
        out.append(f"**{review.flagged} line{'s' if review.flagged != 1 else ''} marked {WARN}**: "
                   "open each source and check that it states the new address (CONTRIBUTING.md, \"Reviewing a pull request with the summary\").")
    elif not (review.added or review.removed or review.changed):
        out.append("No change to the data.")
    else:
        out.append(f"No line marked {WARN}.")
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
