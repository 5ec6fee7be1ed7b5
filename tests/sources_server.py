"""A real HTTPS server on 127.0.0.1 for the source watch: fixture pages for each status and each hostile case.

Certificates come from `trustme`; the tool reaches the fake hosts (`pages.example`, ...) with
`--connect-to ::127.0.0.1:PORT --ca-bundle CA`, as a maintainer would reach a staging server.
`python tests/sources_server.py` serves it until interrupted (for measuring a run by hand).
"""

from __future__ import annotations

import json
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import trustme

HOSTS = ["pages.example", "www.pages.example", "robots.example", "other.example", "web.example", "brokenld.example",
         "deepld.example", "slow.example", "big.example", "endless.example", "bomb.example", "delay.example"]
"""Names in the server's certificate; `untrusted.example` is left out on purpose."""

QUOTE = "Atención al cliente: llame al 900 123 456 de lunes a viernes, de 9:00 a 18:00."
ORGANIZATION = {
    "@context": "https://schema.org", "@type": "Organization", "name": "Ejemplo", "url": "https://web.example/",
    "sameAs": ["https://x.com/EjemploAyuda", "https://www.instagram.com/ejemplo.es/", "https://es.wikipedia.org/wiki/Ejemplo"],
    "contactPoint": [{"@type": "ContactPoint", "telephone": "+34 900 123 456", "contactType": "customer service"},
                     {"@type": "ContactPoint", "telephone": "+34 910 000 111", "contactType": "customer service",
                      "availableLanguage": ["es", "en"], "hoursAvailable": "Mo-Fr 09:00-18:00"}],
}


def html(body: str, head: str = "", charset: str = "utf-8") -> bytes:
    return f"<!doctype html><html><head><meta charset={charset}>{head}<title>t</title></head><body>{body}</body></html>".encode(charset)


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer is `text` (Helvetica), with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def gzip_bomb(decoded_bytes: int) -> bytes:
    """Gzip of `decoded_bytes` zeros, made a megabyte at a time (never held decoded)."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # level 1: 128 MiB in a third of a second
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(decoded_bytes >> 20)]
    return b"".join([*parts, packer.flush()])


@dataclass
class Log:
    """What the server saw: (host, path, user agent, conditional, time) per request."""

    requests: list[tuple[str, str, str, bool, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, host: str, path: str, agent: str, conditional: bool) -> None:
        with self.lock:
            self.requests.append((host, path, agent, conditional, time.monotonic()))


Responder = Callable[["Handler"], None]


def _send(status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", **headers: str) -> Responder:
    def respond(handler: Handler) -> None:
        handler.send_response(status)
        if content_type:
            handler.send_header("Content-Type", content_type)
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return respond


def _endless(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.end_headers()  # no length: the body ends when the connection does, i.e. never
    chunk = b"<p>" + b"sin fin " * 8000 + b"</p>\n"
    while True:
        handler.wfile.write(chunk)


def _big(declared: bool) -> Responder:
    size = 50 * 1024 * 1024

    def respond(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if declared:
            handler.send_header("Content-Length", str(size))
        handler.end_headers()
        chunk = b"x" * (1 << 20)
        for _ in range(size >> 20):
            handler.wfile.write(chunk)
    return respond


def _drip(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.end_headers()
    handler.wfile.write(b"<html><body><p>")
    while True:
        handler.wfile.write(b"a")
        handler.wfile.flush()
        time.sleep(0.1)


def _etag(handler: Handler) -> None:
    if handler.headers.get("If-None-Match") == '"v1"':
        handler.send_response(304)
        handler.send_header("ETag", '"v1"')
        handler.end_headers()
        return
    _send(200, html(f"<p>{QUOTE}</p>"), ETag='"v1"')(handler)


def routes() -> dict[tuple[str, str], Responder]:
    deep = "<div>" * 100_000 + f"<p>{QUOTE}</p>"
    nested_ld = '{"@type": "Organization", "x": ' * 5000 + "1" + "}" * 5000
    page = html(f"<main><h1>Contacto</h1><p>{QUOTE}</p><p>Escríbanos a <a href='mailto:ayuda@pages.example'>ayuda@pages.example</a>"
                " o en <a href='https://x.com/EjemploAyuda'>X</a>.</p></main>")
    return {
        ("pages.example", "/robots.txt"): _send(404, b"not found", "text/plain"),
        ("pages.example", "/ok"): _send(200, page),
        ("pages.example", "/drift"): _send(200, html("<p>Atención al cliente: llame al 900 123 999 de lunes a viernes, de 9:00 a 14:00.</p>")),
        ("pages.example", "/gone"): _send(404, html("<p>No existe</p>")),
        ("pages.example", "/broken"): _send(500, html("<p>Error</p>")),
        ("pages.example", "/redirect"): _send(302, b"", Location="/ok"),
        ("pages.example", "/loop-a"): _send(302, b"", Location="/loop-b"),
        ("pages.example", "/loop-b"): _send(302, b"", Location="/loop-a"),
        ("pages.example", "/moved"): _send(301, b"", Location="https://other.example/new-home"),
        ("pages.example", "/image"): _send(200, b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png"),
        ("pages.example", "/pdf"): _send(200, minimal_pdf("Atencion al cliente: llame al 900 123 456."), "application/pdf"),
        ("pages.example", "/wrong-charset"): _send(200, f"<html><body><p>{QUOTE}</p></body></html>".encode("latin-1")),
        ("pages.example", "/no-charset"): _send(200, f"<html><body><p>{QUOTE}</p></body></html>".encode("latin-1"), "text/html"),
        ("pages.example", "/meta-charset"): _send(200, html(f"<p>{QUOTE}</p>", charset="iso-8859-1"), "text/html"),
        ("pages.example", "/invalid-html"): _send(200, ("<html><p>Atención<b> al <i>cliente: llame</p></b> al 900 123 456 "
                                                        "de lunes a viernes, de 9:00 a 18:00.<<<>>>&#xZZ;<table><td><tr>").encode()),
        ("pages.example", "/deep"): _send(200, html(deep)),
        ("pages.example", "/etag"): _etag,
        ("pages.example", "/plain"): _send(200, html("<p>Inicio</p>")),
        ("pages.example", "/empty"): _send(200, b""),
        ("www.pages.example", "/robots.txt"): _send(404, b"", "text/plain"),
        ("www.pages.example", "/ok"): _send(301, b"", Location="https://pages.example/ok"),
        ("robots.example", "/robots.txt"): _send(200, b"User-agent: *\nDisallow: /private\n", "text/plain"),
        ("robots.example", "/private"): _send(200, html(f"<p>{QUOTE}</p>")),
        ("web.example", "/"): _send(200, html("<p>Bienvenido</p>", head=f'<script type="application/ld+json">{json.dumps(ORGANIZATION)}</script>')),
        ("brokenld.example", "/"): _send(200, html("<p>Hola</p>", head='<script type="application/ld+json">{"@type": "Organization", sameAs: [</script>')),
        ("deepld.example", "/"): _send(200, html("<p>Hola</p>", head=f'<script type="application/ld+json">{nested_ld}</script>')),
        ("slow.example", "/"): _drip,
        ("big.example", "/"): _big(declared=True),
        ("big.example", "/undeclared"): _big(declared=False),
        ("endless.example", "/"): _endless,
        ("bomb.example", "/"): _send(200, gzip_bomb(128 << 20), Content_Encoding="gzip"),
        ("delay.example", "/one"): _send(200, html(f"<p>{QUOTE}</p>")),
        ("delay.example", "/two"): _send(200, html(f"<p>{QUOTE}</p>")),
        ("delay.example", "/three"): _send(200, html(f"<p>{QUOTE}</p>")),
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection; an unsized body ends with the connection
    table: ClassVar[dict[tuple[str, str], Responder]] = {}
    log: Log

    def setup(self) -> None:
        # The TLS handshake here, in this connection's thread: in the accepting thread, one slow client would stall all.
        self.shaken = False
        try:
            self.request.do_handshake()
            self.shaken = True
        except (OSError, ssl.SSLError):
            pass  # e.g. the client refused our certificate (untrusted.example): nothing to serve
        super().setup()

    def handle(self) -> None:
        if self.shaken:
            super().handle()

    def do_GET(self) -> None:  # the name http.server calls
        host = (self.headers.get("Host") or "").split(":")[0]
        self.log.add(host, self.path, self.headers.get("User-Agent", ""),
                     bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")))
        responder = self.table.get((host, self.path))
        if responder is None:
            responder = _send(404, b"", "text/plain") if self.path == "/robots.txt" else _send(404, b"no such fixture", "text/plain")
        try:
            responder(self)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass  # the client stopped reading: what a capped client does

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@dataclass(frozen=True)
class Server:
    port: int
    ca_bundle: Path
    log: Log

    def args(self) -> list[str]:
        """The options that send every host to this server and trust its certificates."""
        return ["--connect-to", f"::127.0.0.1:{self.port}", "--ca-bundle", str(self.ca_bundle)]


@contextmanager
def serve(folder: Path) -> Iterator[Server]:
    ca = trustme.CA()
    certificate = ca.issue_cert(*HOSTS)
    bundle = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(context)
    log = Log()
    handler = type("FixtureHandler", (Handler,), {"table": routes(), "log": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(server.server_address[1], bundle, log)
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder, serve(Path(folder)) as running:
        print(" ".join(running.args()), flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
