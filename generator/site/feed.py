"""An Atom feed of company changes (pure: change records, site URL and language strings in, XML text out).

One entry per company change (a commit that added, changed or removed it),
newest first.  Entry ids are tag URIs built from the commit and the company
id, so they never change when the feed is rebuilt.  When there is no history
(a build outside git, a shallow clone) the feed is valid and empty, and its
subtitle says why.  feedgen escapes every text it is given: names and commit
subjects arrive as typed, never as markup.  Commit subjects are not validated
data: their control characters (which XML cannot hold) and bidirectional
overrides and isolates (which would reorder the text a reader sees) are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from feedgen.feed import FeedGenerator

from generator.data.fields import UNSAFE_CHARACTERS
from generator.data.history import ChangeRecord, company_changes

# What XML 1.0 cannot hold besides the controls: surrogates and the two non-characters U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def clean_subject(text: str) -> str:
    """A commit subject fit for the feed: no control characters (line breaks included), no bidi overrides or isolates."""
    return " ".join(_NOT_XML.sub("", UNSAFE_CHARACTERS.sub(" ", text)).split())


@dataclass(frozen=True, slots=True)
class FeedText:
    """The feed's words in one language; `added`/`changed`/`removed` take {name}, `summary` takes {subject}."""

    lang: str
    title: str
    subtitle: str
    empty: str
    added: str
    changed: str
    removed: str
    summary: str
    company_path: str = "{id}/"
    """A company page's path relative to the site URL (the renderer's URL scheme, e.g. "en/{id}/")."""


def build_feed(records: Sequence[ChangeRecord], *, site_url: str, feed_path: str, text: FeedText,
               names: Mapping[str, str], updated: datetime, limit: int = 50) -> str:
    """The Atom XML.  `names` maps ids to display names (ids without one are shown as the id).

    `updated` is the feed's own timestamp when there are no entries (the
    build instant, passed in: nothing here reads the clock).
    """
    site = site_url if site_url.endswith("/") else site_url + "/"
    feed_url = urljoin(site, feed_path)
    changes = company_changes(records)[:limit]
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(text.title)
    feed.subtitle(text.subtitle if changes else text.empty)
    feed.author({"name": text.title, "uri": site})
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    feed.link(href=site, rel="alternate", type="text/html")
    feed.language(text.lang)
    feed.updated(changes[0][0].when if changes else updated)
    host = urlsplit(site).hostname or "localhost"
    for record, company_id, kind in changes:
        name = names.get(company_id, company_id)
        entry = feed.add_entry(order="append")
        entry.id(f"tag:{host},{record.when.date().isoformat()}:{record.commit[:12]}/{company_id}/{text.lang}")
        entry.title(getattr(text, kind).format(name=clean_subject(name)))
        if kind != "removed":
            entry.link(href=urljoin(site, text.company_path.format(id=company_id)), rel="alternate")
        else:
            entry.link(href=site, rel="alternate")
        entry.updated(record.when)
        entry.published(record.when)
        entry.summary(text.summary.format(subject=clean_subject(record.subject)))
    return str(feed.atom_str(pretty=True).decode("utf-8"))
