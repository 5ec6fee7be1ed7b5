"""A static file server for the search benchmark that compresses text as static hosts do (GitHub Pages, Netlify).

    python benchmarks/static_server.py FOLDER      prints "Serving HTTP on 127.0.0.1 port N", then serves

HTML, CSS, JavaScript, JSON and XML go out gzip-compressed when the browser asks for it (every browser does);
other files as they are.  The benchmark reports the bytes as transferred and the bytes once decoded.
"""

from __future__ import annotations

import gzip
import http.server
import io
import sys
from functools import partial
from pathlib import Path

COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()  # directories redirect, files not found get 404, images go as they are
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def main() -> None:
    folder = sys.argv[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=folder))
    print(f"Serving HTTP on 127.0.0.1 port {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
