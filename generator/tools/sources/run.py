"""One check: fetch each distinct page once (sources and websites), read it, judge the facts that cite it."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from .data import Fact, Site
from .extract import Document, read
from .fetch import Fetcher, Page, Settings
from .judge import Result, judge_fact
from .proposals import propose


@dataclass(frozen=True, slots=True)
class Outcome:
    results: list[Result]
    pages: int
    reached: int
    """Pages for which some server answered; 0 of many means no network."""


class Progress:
    """A one-line bar on stderr, only when it is a terminal."""

    def __init__(self, total: int, stream: TextIO = sys.stderr) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.shown = total > 0 and stream.isatty()

    def step(self, url: str) -> None:
        self.done += 1
        if not self.shown:
            return
        width = 30
        filled = width * self.done // self.total
        label = url if len(url) <= 50 else url[:49] + "…"
        self.stream.write(f"\r\x1b[K[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {label}")
        if self.done == self.total:
            self.stream.write("\r\x1b[K")
        self.stream.flush()


def check(facts: Sequence[Fact], sites: Sequence[Site], settings: Settings, *, proposals: bool = True,
          progress: Callable[[int], Progress] = Progress) -> Outcome:
    """Fetch, read and judge; the results in data order: each company's facts, then its website's."""
    return asyncio.run(_check(facts, sites if proposals else (), settings, progress))


async def _check(facts: Sequence[Fact], sites: Sequence[Site], settings: Settings,
                 progress: Callable[[int], Progress]) -> Outcome:
    urls = list(dict.fromkeys([f.source for f in facts] + [s.website for s in sites]))
    bar = progress(len(urls))
    fetcher = Fetcher(settings)
    try:
        read_pages = await asyncio.gather(*(_fetch_and_read(fetcher, url, bar) for url in urls))
    finally:
        await fetcher.aclose()
    pages = dict(zip(urls, read_pages, strict=True))
    by_company: dict[str, list[Result]] = {}
    for fact in facts:
        page, document = pages[fact.source]
        by_company.setdefault(fact.company, []).append(judge_fact(fact, page, document))
    for site in sites:
        page, document = pages[site.website]
        by_company.setdefault(site.company, []).extend(await asyncio.to_thread(_propose, site, page, document))
    results = [result for group in by_company.values() for result in group]
    return Outcome(results, len(urls), sum(1 for page, _ in pages.values() if page.reached))


async def _fetch_and_read(fetcher: Fetcher, url: str, bar: Progress) -> tuple[Page, Document | None]:
    try:
        page = await fetcher.fetch(url)
        # Parsing is CPU work: in a thread, so the other requests' deadlines keep running on time.
        document = await asyncio.to_thread(read, page) if page.outcome == "ok" else None
    except Exception as problem:  # a bug or a library failing on hostile input must cost one page, not the run
        page, document = Page(url, "error", f"unexpected failure: {type(problem).__name__}: {problem}", url), None
    bar.step(url)
    return page, document


def _propose(site: Site, page: Page, document: Document | None) -> list[Result]:
    try:
        return propose(site, page, document)
    except Exception as problem:  # hostile structured data must cost one company's proposals, not the run
        return [Result(site.company, "website", site.where, "error", site.website,
                       f"its structured data could not be read ({type(problem).__name__})", "website")]
