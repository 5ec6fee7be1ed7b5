"""Which engine for company search?  The same synthetic records searched three ways in headless Chromium.

    .venv/bin/python benchmarks/search_engines.py 100 10000

- own:        the project's index (generator/site/search.py: shards by two letters) and docs/javascripts/dr-search.js
- minisearch: MiniSearch 7 (UMD build) over one file of all records, indexed in the browser on the first keystroke
- pagefind:   Pagefind (PyPI `pagefind[bin]`, its CLI) over one tiny page per company, with filters

For each: bytes fetched (as transferred, from opening the page) before the first result shows, ms from each
keystroke to its results (median and 95th percentile over every keystroke of 20 queries typed one letter at a
time), and how often the expected company comes first (names, aliases, accent-less names, one typo, and a typo in
the first letter).  Pages are served by `python -m http.server` on 127.0.0.1.  Figures are printed, never
asserted: this is a benchmark, not a test.  MiniSearch comes from the npm registry (`npm pack`) unless
MINISEARCH_JS names its UMD file; Pagefind is skipped when the package is not installed.  Not a site build:
the full benchmark of issue 16 (benchmarks/run.py) builds whole sites.
"""

from __future__ import annotations

import html
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.search_synthetic import records
from generator.site.derive import SearchRecord
from generator.site.i18n import messages
from generator.site.render import environment, script_json
from generator.site.search import build_index, fold, words

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
RESULTS = "[data-search-results]"

# Every harness page records, for each keystroke, [query, ms from the input event to its results, first id].
TIMING = """
window.__times = [];
function drTime(query, start, ids) { window.__times.push([query, performance.now() - start, ids[0] || null]); }
"""


def own_harness(folder: Path, recs: list[SearchRecord]) -> None:
    index = build_index(tuple(recs))
    for path, text in index.files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    es = messages("es")
    data = {"index": "search/companies/", "companies": "empresas/", "sector_index": "#", "channel_index": "#", "a_z": "#",
            "meta": index.meta, "words": es["search"]["browser"], "sectors": es["sectors"], "channels": es["channel_types"]}
    form = environment().get_template("search.html").render(s=es["search"], a_z="#", sectors=[], channels=[], data=script_json(data),
                                                            script="dr-search.js")
    shutil.copy(ROOT / "docs/javascripts/dr-search.js", folder / "dr-search.js")
    # The real script answers; the harness only watches: input event → `data-search-done` equal to that query.
    watch = TIMING + """
    const starts = {};
    document.addEventListener('input', e => { starts[e.target.value.trim()] = performance.now(); }, true);
    new MutationObserver(() => {
      const root = document.querySelector('[data-search]'), q = root.getAttribute('data-search-done');
      if (q && starts[q] !== undefined) {
        const ids = [...document.querySelectorAll('[data-search-results] a')].map(a => a.getAttribute('href').split('/')[1]);
        drTime(q, starts[q], ids); delete starts[q];
      }
    }).observe(document.documentElement, {subtree: true, attributes: true, attributeFilter: ['data-search-done']});
    """
    page = f"<!doctype html><meta charset=utf-8><title>own</title><script>{watch}</script>{form}"
    (folder / "index.html").write_text(page, encoding="utf-8")


def minisearch_harness(folder: Path, recs: list[SearchRecord], library: Path) -> None:
    rows = [[r.id, r.name, *r.aliases] for r in recs]
    (folder / "records.json").write_text(json.dumps(rows, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    shutil.copy(library, folder / "minisearch.js")
    script = TIMING + """
    const fold = t => t.normalize('NFKD').replace(/\\p{Mn}/gu, '').toLowerCase();
    let engine = null;
    function load() {
      if (!engine) engine = fetch('records.json').then(r => r.json()).then(rows => {
        const ms = new MiniSearch({fields: ['name', 'aliases'], storeFields: ['name'], processTerm: fold});
        ms.addAll(rows.map(r => ({id: r[0], name: r[1], aliases: r.slice(2).join(' | ')})));
        return ms;
      });
      return engine;
    }
    const box = document.querySelector('input');
    box.addEventListener('focus', load);
    box.addEventListener('input', () => {
      const q = box.value.trim(), start = performance.now();
      load().then(ms => {
        const hits = q.length < 2 ? [] : ms.search(q, {prefix: true, combineWith: 'AND', boost: {name: 2},
                                                       fuzzy: term => term.length >= 5 ? 1 : 0});
        const ul = document.querySelector('[data-search-results]');
        ul.textContent = '';
        hits.slice(0, 10).forEach(h => { const a = document.createElement('a'); a.href = 'empresas/' + h.id + '/';
                                         a.textContent = h.name; const li = document.createElement('li'); li.append(a); ul.append(li); });
        drTime(q, start, hits.map(h => h.id));
      });
    });
    """
    page = ("<!doctype html><meta charset=utf-8><title>minisearch</title><input type=search>"
            f"<ul data-search-results></ul><script src='minisearch.js'></script><script>{script}</script>")
    (folder / "index.html").write_text(page, encoding="utf-8")


def pagefind_harness(folder: Path, recs: list[SearchRecord]) -> None:
    # One tiny page per company (name and aliases only, sector and channel types as filters), indexed by the
    # Pagefind CLI from the PyPI package: its Python API's per-record calls stalled at 10,000 records here.
    for r in recs:
        page = folder / "empresas" / r.id / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        filters = "".join(f'<span data-pagefind-filter="channel">{k.value}</span>' for k in r.channel_types)
        page.write_text(f"<!doctype html><html lang=es><meta charset=utf-8><title>{html.escape(r.name)}</title><body data-pagefind-body>"
                        f"<h1 data-pagefind-meta=title>{html.escape(r.name)}</h1><p>{html.escape(' · '.join(r.aliases))}</p>"
                        f'<p hidden data-pagefind-filter="sector">{r.sector.value}</p><div hidden>{filters}</div></body></html>',
                        encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(folder), "--force-language", "es", "--quiet"], check=True)
    script = TIMING + """
    let engine = null;
    const load = () => engine || (engine = import('./pagefind/pagefind.js').then(async pf => { await pf.init(); return pf; }));
    const box = document.querySelector('input');
    box.addEventListener('focus', load);
    box.addEventListener('input', async () => {
      const q = box.value.trim(), start = performance.now();
      const pf = await load();
      const found = q.length < 2 ? {results: []} : await pf.search(q);
      const data = await Promise.all(found.results.slice(0, 10).map(r => r.data()));
      const ul = document.querySelector('[data-search-results]');
      ul.textContent = '';
      data.forEach(d => { const a = document.createElement('a'); a.href = d.url.slice(1); a.textContent = d.meta.title;
                          const li = document.createElement('li'); li.append(a); ul.append(li); });
      drTime(q, start, data.map(d => d.url.split('/')[2]));
    });
    """
    page = ("<!doctype html><meta charset=utf-8><title>pagefind</title><input type=search>"
            f"<ul data-search-results></ul><script type=module>{script}</script>")
    (folder / "index.html").write_text(page, encoding="utf-8")


def queries(recs: list[SearchRecord], seed: int = 11) -> list[tuple[str, str, str]]:
    """(kind, query, expected id): four each of names, aliases, accent-less names, one typo per long word (in its
    fourth letter, then in its first)."""
    rng = random.Random(seed)
    out: list[tuple[str, str, str]] = []
    for r in rng.sample(recs, 4):
        out.append(("name", r.name, r.id))
    for r in rng.sample([r for r in recs if r.aliases], 4):
        out.append(("alias", rng.choice(r.aliases), r.id))
    for r in rng.sample([r for r in recs if fold(r.name) != r.name.lower()], 4):
        out.append(("accent-less", " ".join(words(r.name)), r.id))
    # A typo in every word of five letters or more, so the other words cannot carry the query alone.
    for kind, position in (("one typo", 3), ("first-letter typo", 0)):
        for r in rng.sample(recs, 4):
            parts = [w if len(fold(w)) < 5 else w[:position] + ("x" if w[position].lower() != "x" else "z") + w[position + 1:]
                     for w in r.name.split()]
            out.append((kind, " ".join(parts), r.id))
    return out


def measure(folder: Path, qs: list[tuple[str, str, str]]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen([sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(folder)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        port = server.stdout.readline().split("port ")[1].split()[0]
        base = f"http://127.0.0.1:{port}/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            # cold: bytes transferred from opening the page to the first result of the first query
            context = browser.new_context()
            page = context.new_page()
            session = context.new_cdp_session(page)
            fetched = [0]
            session.on("Network.loadingFinished", lambda e: fetched.__setitem__(0, fetched[0] + int(e["encodedDataLength"])))
            session.send("Network.enable")
            page.goto(base)
            page.locator("input[type=search]").type(qs[0][1], delay=30)
            page.wait_for_selector(f"{RESULTS} a", timeout=60_000)
            cold = fetched[0]
            context.close()
            # warm: every keystroke of every query, one letter at a time
            context = browser.new_context()
            page = context.new_page()
            page.goto(base)
            box = page.locator("input[type=search]")
            firsts = []
            for _, query, _ in qs:
                box.fill("")
                page.wait_for_timeout(150)
                page.evaluate("() => { window.__times = []; }")
                box.type(query, delay=60)
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    last = page.evaluate("q => window.__times.filter(t => t[0] === q).pop() || null", query.strip())
                    if last:
                        break
                    page.wait_for_timeout(20)
                times = page.evaluate("() => window.__times")
                firsts.append((query, last[2] if last else None, [t[1] for t in times]))
            context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    keystrokes = [ms for _, _, row in firsts for ms in row]
    last_ms = [row[-1] for _, _, row in firsts if row]
    right = {}
    for (kind, _, expected), (_, first, _) in zip(qs, firsts, strict=True):
        right.setdefault(kind, [0, 0])
        right[kind][0] += first == expected
        right[kind][1] += 1
    return {"cold_kb": cold / 1024, "median_ms": statistics.median(keystrokes),
            "p95_ms": sorted(keystrokes)[int(len(keystrokes) * 0.95)], "last_median_ms": statistics.median(last_ms),
            "max_ms": max(keystrokes), "right": right}


def minisearch_library() -> Path | None:
    if os.environ.get("MINISEARCH_JS"):
        return Path(os.environ["MINISEARCH_JS"])
    cache = Path(tempfile.gettempdir()) / "dr-minisearch"
    umd = cache / "package" / "dist" / "umd" / "index.js"
    if not umd.exists() and shutil.which("npm"):
        cache.mkdir(exist_ok=True)
        done = subprocess.run(["npm", "pack", "minisearch@7", "--silent"], cwd=cache, capture_output=True, text=True)
        if done.returncode == 0:
            with tarfile.open(cache / done.stdout.strip().splitlines()[-1]) as tar:
                tar.extractall(cache, filter="data")
    return umd if umd.exists() else None


def main(sizes: list[int]) -> None:
    library = minisearch_library()
    engines: list[tuple[str, Callable[[Path, list[SearchRecord]], None] | None]] = [
        ("own", own_harness),
        ("minisearch", (lambda f, r: minisearch_harness(f, r, library)) if library else None),
    ]
    try:
        import pagefind  # noqa: F401
        engines.append(("pagefind", pagefind_harness))
    except ImportError:
        engines.append(("pagefind", None))
    for count in sizes:
        recs = records(count)
        qs = queries(recs)
        print(f"\n{count} companies, {len(qs)} queries typed one letter at a time")
        print(f"  {'engine':<11} {'KB before 1st result':>21} {'ms/keystroke median':>20} {'p95':>6} {'max':>6} {'last key→results':>17}"
              "  right company first (name, alias, accent-less, one typo, first-letter typo)")
        for name, make in engines:
            if make is None:
                print(f"  {name:<11} not measured (not installed)")
                continue
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                started = time.perf_counter()
                make(folder, recs)
                built = time.perf_counter() - started
                m = measure(folder, qs)
            right = "  ".join(f"{ok}/{n}" for ok, n in m["right"].values())
            print(f"  {name:<11} {m['cold_kb']:>21.1f} {m['median_ms']:>20.1f} {m['p95_ms']:>6.0f} {m['max_ms']:>6.0f}"
                  f" {m['last_median_ms']:>17.1f}  {right}   (index built in {built:.1f} s)")


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [100, 10_000])
