"""20 real queries in the header search of a built site (default /tmp/search-site), in Chromium: the first result of each.

Build first: .venv/bin/mkdocs build --strict -d /tmp/search-site ; then .venv/bin/python scripts/search_queries.py [SITE]
Prints a Markdown table (page, query, kind, first result, and the account check verdict when there is one).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browsing import launch, serve

QUERIES = [  # (page, query, kind)
    ("empresas/movistar/", "vodafone", "name"),
    ("empresas/movistar/", "movistar", "name"),
    ("empresas/movistar/", "telefonica", "alias, no accent"),
    ("empresas/movistar/", "bodafone", "typo, first letter"),
    ("empresas/movistar/", "iberdola", "typo, letter missing"),
    ("empresas/movistar/", "la caixa", "alias, two words"),
    ("empresas/movistar/", "hacendado", "brand"),
    ("empresas/movistar/", "@movistar_es", "handle"),
    ("empresas/movistar/", "luz", "need"),
    ("empresas/movistar/", "seguro coche", "need, two words"),
    ("empresas/movistar/", "banco", "need / names"),
    ("empresas/movistar/", "tren", "need"),
    ("empresas/movistar/", "vuelo", "need"),
    ("empresas/movistar/", "paquete", "need"),
    ("empresas/movistar/", "plazo", "guide word"),
    ("en/empresas/bbva/", "santander", "alias (EN page)"),
    ("en/empresas/bbva/", "ryanar", "typo (EN page)"),
    ("en/empresas/bbva/", "electricity", "need (EN)"),
    ("en/empresas/bbva/", "train", "need (EN)"),
    ("en/empresas/bbva/", "deadline", "guide word (EN)"),
]
site = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/search-site")
_server = serve(site)
base = next(_server)
_chromium = launch()
browser = next(_chromium)
page = browser.new_page(viewport={"width": 1280, "height": 900})
errors = []
page.on("pageerror", lambda e: errors.append(str(e)))
current = None
print("| # | Page | Query | Kind | First result |")
print("|---|---|---|---|---|")
for i, (path, q, kind) in enumerate(QUERIES, 1):
    if path != current:
        page.goto(base + path)
        current = path
        page.click("[data-md-component=search-query]")
    page.fill("[data-md-component=search-query]", q)
    page.wait_for_function("q => document.querySelector('[data-header-search]').getAttribute('data-search-done') === q", arg=q, timeout=15000)
    first = page.evaluate("""() => {
      const row = document.querySelector('[data-header-check] .dr-account__row a, [data-header-results] a');
      if (!row) return 'nothing';
      const name = row.querySelector('.dr-search__name');
      return (name ? name.innerText : row.innerText) + ' → ' + new URL(row.href).pathname + new URL(row.href).hash;
    }""")
    verdict = page.get_attribute("[data-header-check]", "data-verdict")
    print(f"| {i} | /{path} | `{q}` | {kind} | {first}{' (verdict: ' + verdict + ')' if verdict else ''} |")
print("errors:", errors)
