"""Real headless Chromium (Debian's, never a downloaded one) and a built site served from 127.0.0.1, for the browser tests."""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(site: Path) -> Iterator[str]:
    """Serve a built site from 127.0.0.1 for as long as the generator is alive; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def launch() -> Iterator[Browser]:
    """Debian's Chromium, headless, for as long as the generator is alive (use it in a module-scoped fixture)."""
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: run scripts/ensure-chromium"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def spanish_page(browser: Browser, viewport: dict[str, int], *, no_dialogs: bool = False) -> Iterator[Page]:
    """A page in a new Spanish context on Madrid time; the test fails on any uncaught page error
    (and, with `no_dialogs`, on any alert or confirm the page opens)."""
    context = browser.new_context(viewport=viewport, locale="es-ES", timezone_id="Europe/Madrid")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if no_dialogs:
        page.on("dialog", lambda dialog: errors.append("dialog: " + dialog.message))
    yield page
    context.close()
    assert not errors
