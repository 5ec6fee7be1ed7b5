"""Company search in headless Chromium, measured against the issue-11 contract.

The contract: the home page has an `<input type="search">`; results appear in
an element with `data-search-results`, as links to company pages
(`.../empresas/<id>/`); the query is reflected as `?q=` in the URL.

Measured on the built site served from 127.0.0.1 by benchmarks/static_server.py,
which gzips text as static hosts (GitHub Pages, Netlify) do:
- bytes fetched (as transferred, headers included) from opening the home page
  in a fresh browser context until the first result link appears, and the same
  bytes once decoded (what an uncompressing server would send);
- ms from the last keystroke (its `input` event) to the last change of the
  results, once they settle, for each of the queries (median printed): names,
  aliases, names typed without accents, names with one typo;
- whether the exact company comes first for its name and for its alias.
"""

from __future__ import annotations

import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from benchmarks.synthetic import fold

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
TARGET_KB, TARGET_MS = 300, 100
RESULTS = "[data-search-results]"
LINK = f"{RESULTS} a[href*='empresas/'], {RESULTS} a[href*='companies/']"
SETTLE_MS = 800  # results unchanged this long after the last keystroke count as final
TIMEOUT_MS = 30_000

# Records the time of each `input` event and of each change inside the results, on the page's own clock.
WATCH = """() => {
  const state = window.__bench = {input: 0, change: 0};
  document.addEventListener('input', () => { state.input = performance.now(); }, true);
  new MutationObserver((records) => {
    for (const r of records) {
      const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (node && node.closest('[data-search-results]')) { state.change = performance.now(); return; }
    }
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def has_search(site: Path) -> bool:
    home = (site / "index.html").read_text(encoding="utf-8", errors="replace")
    return "data-search-results" in home and re.search(r"<input[^>]*type=[\"']?search", home) is not None


def pick_queries(entries: list[dict[str, Any]], count: int, seed: int = 11) -> list[tuple[str, str, str]]:
    """(kind, query, expected id): a quarter each of names, aliases, accent-less names and one-typo names."""
    rng = random.Random(seed)
    per = max(1, count // 4)
    with_alias = [e for e in entries if e.get("aliases")]
    accented = [e for e in entries if fold(e["name"]) != e["name"].lower()]
    chosen: list[tuple[str, str, str]] = []
    for entry in rng.sample(entries, min(per, len(entries))):
        chosen.append(("name", entry["name"], entry["id"]))
    for entry in rng.sample(with_alias, min(per, len(with_alias))):
        chosen.append(("alias", rng.choice(entry["aliases"]), entry["id"]))
    for entry in rng.sample(accented, min(per, len(accented))):
        chosen.append(("accent-less", fold(entry["name"]), entry["id"]))
    for entry in rng.sample(entries, min(count - len(chosen), len(entries))):
        chosen.append(("one typo", _typo(entry["name"], rng), entry["id"]))
    return chosen


def _typo(name: str, rng: random.Random) -> str:
    """One letter of the longest word replaced by its neighbour on the keyboard row (never the first letter)."""
    words = name.split()
    index = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[index]
    at = rng.randrange(1, len(word)) if len(word) > 1 else 0
    row = "qwertyuiopasdfghjklzxcvbnm"
    letter = word[at].lower()
    swap = row[(row.index(letter) + 1) % len(row)] if letter in row else "e"
    words[index] = word[:at] + swap + word[at + 1:]
    return " ".join(words)


def _company_id(href: str) -> str | None:
    match = re.search(r"(?:empresas|companies)/([^/?#]+)", href)
    return match.group(1) if match else None


class _Server:
    """benchmarks/static_server.py on 127.0.0.1 and a free port, for the duration of a `with`."""

    def __init__(self, site: Path) -> None:
        self.site = site

    def __enter__(self) -> str:
        self.process = subprocess.Popen([sys.executable, "-u", str(Path(__file__).with_name("static_server.py")), str(self.site)],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
        match = re.search(r"port (\d+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"http.server did not start: {line!r}")
        return f"http://127.0.0.1:{match.group(1)}/"

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _cold_bytes(browser: Any, base: str, query: str) -> tuple[int, int, float]:
    """Bytes transferred and bytes decoded from opening the home page to the first result, in a fresh context."""
    context = browser.new_context()
    page = context.new_page()
    session = context.new_cdp_session(page)
    total, decoded = [0], [0]
    session.on("Network.loadingFinished", lambda event: total.__setitem__(0, total[0] + int(event["encodedDataLength"])))
    session.on("Network.dataReceived", lambda event: decoded.__setitem__(0, decoded[0] + int(event["dataLength"])))
    session.send("Network.enable")
    start = time.perf_counter()
    page.goto(base)
    page.locator("input[type=search]").first.type(query, delay=30)
    page.wait_for_selector(LINK, timeout=TIMEOUT_MS)
    seconds = time.perf_counter() - start
    fetched = total[0]
    context.close()
    return fetched, decoded[0], seconds


def _latency(page: Any, query: str) -> tuple[float | None, list[str]]:
    """ms from the last keystroke to the settled results (None if they did not change), and the result ids in order."""
    box = page.locator("input[type=search]").first
    box.fill("")
    page.wait_for_timeout(300)
    page.evaluate("() => { window.__bench.input = 0; window.__bench.change = 0; }")
    box.type(query, delay=40)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        last_input, last_change, now = page.evaluate("() => [window.__bench.input, window.__bench.change, performance.now()]")
        if last_input and now - max(last_input, last_change) > SETTLE_MS:
            break
        if time.monotonic() > deadline:  # results still changing after 30 s
            return None, []
        page.wait_for_timeout(50)
    hrefs = page.eval_on_selector_all(LINK, "links => links.map(a => a.getAttribute('href'))")
    ids = [i for i in (_company_id(h) for h in hrefs) if i]
    # No change after the last keystroke: the results of the query before it stood (e.g. still none).
    return (last_change - last_input if last_change > last_input else None), ids


def report(site: Path, entries: list[dict[str, Any]], *, queries: int = 20) -> list[str]:
    """Print the search figures; returns problems only when the browser itself could not run."""
    if not has_search(site):
        print("search: not measured — the site has no company search yet")
        return []
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return ["search: Playwright is not installed (pip install -e '.[test]')"]
    chosen = pick_queries(entries, queries)
    with _Server(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            fetched, decoded, first_s = _cold_bytes(browser, base, chosen[0][1])
            context = browser.new_context()
            page = context.new_page()
            page.goto(base)
            page.evaluate(WATCH)
            results = [(kind, query, expected, *_latency(page, query)) for kind, query, expected in chosen]
            reflected = parse_qs(urlsplit(page.url).query).get("q", [""])[0] == chosen[-1][1]
            context.close()
        finally:
            browser.close()
    times = [r[3] for r in results if r[3] is not None]
    median = statistics.median(times) if times else float("nan")
    print(f"\nsearch in headless Chromium ({len(results)} queries, site served from 127.0.0.1)")
    print(f"  bytes fetched before the first result  {fetched / 1024:8.1f} KB  (first result after {first_s:.1f} s)"
          f"  target ≤ {TARGET_KB} KB  {'ok' if fetched <= TARGET_KB * 1024 else 'OVER'}")
    print(f"    the same once decoded (no compression) {decoded / 1024:8.1f} KB")
    print(f"  last keystroke → results, median       {median:8.0f} ms  (max {max(times, default=float('nan')):.0f} ms,"
          f" {len(results) - len(times)} without a change after the last keystroke)  target ≤ {TARGET_MS} ms  {'ok' if median <= TARGET_MS else 'OVER'}")
    for kind in ("name", "alias", "accent-less", "one typo"):
        rows = [r for r in results if r[0] == kind]
        first = sum(1 for r in rows if r[4][:1] == [r[2]])
        top5 = sum(1 for r in rows if r[2] in r[4][:5])
        misses = [f"{r[1]!r} → {r[4][0] if r[4] else 'nothing'}" for r in rows if r[4][:1] != [r[2]]]
        print(f"  exact company first for its {kind:<12} {first}/{len(rows)}  (in the top 5: {top5}/{len(rows)})"
              + (f"  misses: {'; '.join(misses[:3])}" if misses else ""))
    print(f"  query reflected as ?q= in the URL      {'yes' if reflected else 'no'}")
    return []
