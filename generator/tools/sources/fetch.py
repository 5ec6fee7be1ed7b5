"""Read pages from the open web politely and without trusting them.

One `Fetcher` per run: an httpx client, redirects followed here (at most
five, so a move to another domain is seen), a total deadline per request
(a slow drip cannot outlast it), a cap on the bytes read *and* on the bytes
decoded (a gzip bomb stops at the cap), robots.txt read once per origin and
honoured, one request at a time per host with a pause between them, a limit
on requests in flight across hosts, conditional requests (ETag /
Last-Modified) against an on-disk cache, and a User-Agent that says who asks.

Every way a fetch can fail becomes a `Page` with an outcome and a reason;
nothing here raises for what a server does.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import socket
import ssl
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

PROJECT_URL = "https://github.com/donde-reclamo/donde-reclamo"
AGENT = "DondeReclamo-SourceWatch"
USER_AGENT = f"{AGENT}/1.0 (+{PROJECT_URL}; re-reads the sources the open data cites)"
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CONNECT_TO = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[^:\[\]]*):(\d*):(\[[0-9A-Fa-f:.]+\]|[^:\[\]]+):(\d+)")


@dataclass(frozen=True, slots=True)
class Route:
    """curl's --connect-to HOST1:PORT1:HOST2:PORT2: requests for HOST1:PORT1 go to HOST2:PORT2 (empty = any)."""

    host: str
    port: int | None
    to_host: str
    to_port: int

    @classmethod
    def parse(cls, spec: str) -> Route:
        found = _CONNECT_TO.fullmatch(spec)
        if found is None:
            raise ValueError(f"--connect-to expects HOST1:PORT1:HOST2:PORT2 (HOST1 and PORT1 may be empty; "
                             f"an IPv6 address in brackets), got {spec!r}")
        host, port, to_host, to_port = found.groups()
        return cls(host.strip("[]").lower(), int(port) if port else None, to_host.strip("[]"), int(to_port))

    def matches(self, host: str, port: int) -> bool:
        return (not self.host or self.host == host) and (self.port is None or self.port == port)


@dataclass(frozen=True, slots=True)
class Settings:
    timeout: float = 20.0
    """Seconds for one request, from connecting to the last byte."""
    delay: float = 1.0
    """Seconds between two requests to the same host."""
    max_bytes: int = 10_000_000
    """Bytes read from the wire, and bytes after decompression, per response."""
    concurrency: int = 8
    """Requests in flight across all hosts."""
    max_redirects: int = 5
    routes: tuple[Route, ...] = ()
    ca_bundle: Path | None = None
    cache: Path | None = None
    user_agent: str = USER_AGENT


@dataclass(frozen=True, slots=True)
class Page:
    """What became of one URL.  `outcome`: ok, dead, moved, blocked or error; `reason` says why in words."""

    url: str
    outcome: str
    reason: str = ""
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    charset: str | None = None
    body: bytes = b""
    redirects: tuple[str, ...] = ()
    cached: bool = False
    reached: bool = False
    """A server answered (any HTTP status): false when no connection could be made at all."""


class SetupError(Exception):
    """The client cannot be set up (CA bundle, cache folder): a usage error, not a finding."""


@dataclass(slots=True)
class _Host:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    ready_at: float = 0.0


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes = b""


class _TooLarge(Exception):
    pass


class _Unreadable(Exception):
    pass


def ssl_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """The default trust store, or only the given bundle's CAs (as curl's --cacert)."""
    if ca_bundle is None:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cafile=str(ca_bundle))
    except (OSError, ssl.SSLError) as problem:
        raise SetupError(f"--ca-bundle {ca_bundle}: cannot read certificates ({problem})") from None


def site_of(url: str) -> str:
    """The host without a leading www.: a redirect that changes it is a move to another domain."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


class Fetcher:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        if settings.cache is not None:
            try:
                settings.cache.mkdir(parents=True, exist_ok=True)
                probe = settings.cache / ".writable"
                probe.write_bytes(b"")
                probe.unlink()
            except OSError as problem:
                raise SetupError(f"--cache {settings.cache}: cannot write there ({problem})") from None
        # With --connect-to the environment's proxies must not take the request elsewhere.
        self._client = httpx.AsyncClient(
            verify=ssl_context(settings.ca_bundle), trust_env=not settings.routes, follow_redirects=False,
            timeout=httpx.Timeout(settings.timeout),
            # A connection to a --connect-to address was opened for one name (SNI); never reuse it for another.
            limits=httpx.Limits(max_connections=settings.concurrency * 2,
                                max_keepalive_connections=0 if settings.routes else settings.concurrency),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate",
                     "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.1",
                     "Accept-Language": "es-ES,es;q=0.9,en;q=0.5"})
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, asyncio.Task[RobotFileParser | Page]] = {}

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(self, url: str) -> Page:
        """GET `url`, following redirects on the same site; never raises for what the server does."""
        current, seen = url, {url}
        hops: list[str] = []
        for _ in range(self.settings.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return Page(url, "error", f"redirected to an address that is not a web page: {current}", current,
                            redirects=tuple(hops))
            robots = await self._robots_for(current)
            if isinstance(robots, Page):
                return replace(robots, url=url, reason=f"reading robots.txt: {robots.reason}", redirects=tuple(hops))
            if not robots.can_fetch(AGENT, current):
                return Page(url, "blocked", f"robots.txt of {parts.hostname} disallows {parts.path or '/'}", current,
                            redirects=tuple(hops), reached=True)
            answer = await self._get(current, self.settings.max_bytes, conditional=True)
            if isinstance(answer, Page):
                return replace(answer, url=url, redirects=tuple(hops))
            location = answer.headers.get("location")
            if answer.status in REDIRECTS and location:
                target = urljoin(current, location.strip())
                hops.append(target)
                if site_of(target) != site_of(url):
                    return Page(url, "moved", f"redirected ({answer.status}) to another domain: {target}", target,
                                answer.status, redirects=tuple(hops), reached=True)
                if target in seen:
                    return Page(url, "error", f"redirect loop ({len(hops)} redirects back to {target})", target,
                                answer.status, redirects=tuple(hops), reached=True)
                seen.add(target)
                current = target
                continue
            return self._page(url, current, answer, tuple(hops))
        return Page(url, "error", f"more than {self.settings.max_redirects} redirects", current,
                    redirects=tuple(hops), reached=True)

    def _page(self, url: str, final: str, answer: _Answer, hops: tuple[str, ...]) -> Page:
        cached = answer.status == 304
        if cached:
            hit = self._cache_read(final)
            if hit is None:
                return Page(url, "error", "304 Not Modified without a cached copy", final, 304, redirects=hops, reached=True)
            answer = hit
        if answer.status >= 400:
            why = f"HTTP {answer.status}" + (" (some sites refuse robots this way: check it in a browser)"
                                             if answer.status in (401, 403, 429) else "")
            return Page(url, "dead", why, final, answer.status, redirects=hops, reached=True)
        if not 200 <= answer.status < 300:
            return Page(url, "error", f"HTTP {answer.status} without a usable answer", final, answer.status,
                        redirects=hops, reached=True)
        media, charset = _content_type(answer.headers.get("content-type", ""))
        return Page(url, "ok", "read from cache (304 Not Modified)" if cached else "", final, 304 if cached else answer.status,
                    media, charset,
                    answer.body, hops, cached, reached=True)

    # -- robots.txt ------------------------------------------------------------------------------------------

    async def _robots_for(self, url: str) -> RobotFileParser | Page:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        task = self._robots.get(origin)
        if task is None:
            task = self._robots[origin] = asyncio.ensure_future(self._read_robots(origin))
        return await asyncio.shield(task)

    async def _read_robots(self, origin: str) -> RobotFileParser | Page:
        parser = RobotFileParser(origin + "/robots.txt")
        current = origin + "/robots.txt"
        for _ in range(self.settings.max_redirects + 1):
            answer = await self._get(current, ROBOTS_MAX_BYTES, conditional=False)
            if isinstance(answer, Page):
                if answer.reason.startswith("too large"):
                    parser.parse([])  # an oversized robots.txt says nothing we will read: all allowed
                    return parser
                return answer
            location = answer.headers.get("location")
            if answer.status in REDIRECTS and location:
                current = urljoin(current, location.strip())
                if urlsplit(current).scheme not in ("http", "https"):
                    break
                continue
            if 200 <= answer.status < 300:
                parser.parse(answer.body.decode("utf-8", errors="replace").splitlines())
            elif answer.status >= 500:
                parser.parse(["User-agent: *", "Disallow: /"])  # RFC 9309 2.3.1.4: unreachable means complete disallow
            else:
                parser.parse([])  # 4xx: no robots.txt, everything allowed
            return parser
        parser.parse([])
        return parser

    # -- one request -----------------------------------------------------------------------------------------

    async def _get(self, url: str, limit: int, *, conditional: bool) -> _Answer | Page:
        parts = urlsplit(url)
        host = self._hosts.setdefault(parts.netloc.lower(), _Host())
        loop = asyncio.get_running_loop()
        async with host.lock:  # one request at a time per host ...
            wait = host.ready_at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            async with self._slots:  # ... and a limit across hosts
                answered: list[int] = []  # the status, once the headers are in (a slow body still means a server answered)
                try:
                    async with asyncio.timeout(self.settings.timeout):
                        return await self._exchange(url, limit, conditional, answered)
                except TimeoutError:
                    return Page(url, "error", f"timed out after {self.settings.timeout:g} s", url,
                                answered[0] if answered else None, reached=bool(answered))
                except _TooLarge as too_large:
                    return Page(url, "error", f"too large: {too_large}", url, reached=True)
                except _Unreadable as unreadable:
                    return Page(url, "error", str(unreadable), url, reached=True)
                except httpx.HTTPError as problem:
                    return _network_problem(url, problem)
                except (OSError, ssl.SSLError, ValueError) as problem:
                    return Page(url, "error", f"{type(problem).__name__}: {problem}", url)
                finally:
                    host.ready_at = loop.time() + self.settings.delay

    async def _exchange(self, url: str, limit: int, conditional: bool, answered: list[int]) -> _Answer:
        target, headers, extensions = self._route(url)
        if conditional:
            headers.update(self._validators(url))
        request = self._client.build_request("GET", target, headers=headers, extensions=extensions)
        response = await self._client.send(request, stream=True)
        answered.append(response.status_code)
        try:
            if response.status_code in REDIRECTS or response.status_code == 304 or response.status_code >= 400:
                return _Answer(response.status_code, response.headers)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise _TooLarge(f"{int(declared):,} bytes declared, the limit is {limit:,}")
            body = await _read_capped(response.aiter_raw(), response.headers.get("content-encoding", ""), limit)
        finally:
            await response.aclose()
        answer = _Answer(response.status_code, response.headers, body)
        if conditional and 200 <= answer.status < 300:
            self._cache_write(url, answer)
        return answer

    def _route(self, url: str) -> tuple[str, dict[str, str], dict[str, object]]:
        """The URL to connect to and the headers and TLS name that keep the original host (curl's --connect-to)."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        for route in self.settings.routes:
            if route.matches(host, port):
                to_host = f"[{route.to_host}]" if ":" in route.to_host else route.to_host
                target = parts._replace(netloc=f"{to_host}:{route.to_port}").geturl()
                return target, {"Host": parts.netloc}, {"sni_hostname": host}
        return url, {}, {}

    # -- the conditional-request cache -----------------------------------------------------------------------

    def _cache_files(self, url: str) -> tuple[Path, Path] | None:
        if self.settings.cache is None:
            return None
        key = hashlib.sha256(url.encode()).hexdigest()[:40]
        return self.settings.cache / f"{key}.json", self.settings.cache / f"{key}.body"

    def _validators(self, url: str) -> dict[str, str]:
        meta = self._cache_meta(url)
        if meta is None:
            return {}
        found = {"If-None-Match": meta.get("etag"), "If-Modified-Since": meta.get("last_modified")}
        return {name: value for name, value in found.items() if isinstance(value, str) and value}

    def _cache_meta(self, url: str) -> dict[str, object] | None:
        files = self._cache_files(url)
        if files is None:
            return None
        try:
            meta = json.loads(files[0].read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) and meta.get("url") == url and files[1].exists() else None

    def _cache_read(self, url: str) -> _Answer | None:
        files, meta = self._cache_files(url), self._cache_meta(url)
        if files is None or meta is None:
            return None
        try:
            body = files[1].read_bytes()
        except OSError:
            return None
        return _Answer(200, httpx.Headers({"content-type": str(meta.get("content_type", ""))}), body)

    def _cache_write(self, url: str, answer: _Answer) -> None:
        files = self._cache_files(url)
        etag, modified = answer.headers.get("etag"), answer.headers.get("last-modified")
        if files is None or not (etag or modified):
            return
        meta = {"url": url, "etag": etag, "last_modified": modified, "content_type": answer.headers.get("content-type", "")}
        try:
            for path, data in ((files[1], answer.body), (files[0], json.dumps(meta).encode())):
                temporary = path.with_suffix(".tmp")
                temporary.write_bytes(data)
                os.replace(temporary, path)
        except OSError:
            pass  # the cache is a courtesy to servers; a full disk must not stop the check


def _content_type(value: str) -> tuple[str, str | None]:
    media, _, rest = value.partition(";")
    charset = None
    for parameter in rest.split(";"):
        name, _, given = parameter.partition("=")
        if name.strip().lower() == "charset" and given.strip().strip("\"'"):
            charset = given.strip().strip("\"'")
    return media.strip().lower(), charset


async def _read_capped(chunks: AsyncIterator[bytes], encoding: str, limit: int) -> bytes:
    """The body, decompressed as it arrives; stops past `limit` bytes read or decoded (gzip bombs, endless pages)."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        decoder = None
    elif encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    else:
        raise _Unreadable(f"content encoding {encoding!r} is not supported")
    body = bytearray()
    read = 0
    async for chunk in chunks:
        read += len(chunk)
        if read > limit:
            raise _TooLarge(f"more than {limit:,} bytes")
        if decoder is None:
            body += chunk
            continue
        try:
            data = decoder.decompress(chunk, limit - len(body) + 1)
            body += data
            while decoder.unconsumed_tail and len(body) <= limit:
                body += decoder.decompress(decoder.unconsumed_tail, limit - len(body) + 1)
        except zlib.error as problem:
            raise _Unreadable(f"the {encoding} data is damaged ({problem})") from None
        if len(body) > limit:
            raise _TooLarge(f"more than {limit:,} bytes once decompressed")
    return bytes(body)


def _network_problem(url: str, problem: httpx.HTTPError) -> Page:
    """A failed exchange in words: a name that does not exist is `dead`; the rest (no route, refused, TLS) `error`."""
    cause: BaseException | None = problem
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            if cause.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
                return Page(url, "dead", f"the domain does not exist ({urlsplit(url).hostname})", url)
            return Page(url, "error", f"name lookup failed ({cause.strerror}): no network or no DNS?", url)
        if isinstance(cause, ssl.SSLCertVerificationError):
            return Page(url, "error", f"TLS certificate not accepted: {cause.verify_message}", url)
        if isinstance(cause, ConnectionRefusedError):
            return Page(url, "error", "connection refused", url)
        cause = cause.__cause__ or cause.__context__
    if isinstance(problem, httpx.TimeoutException):
        return Page(url, "error", "timed out", url)
    if isinstance(problem, httpx.RemoteProtocolError):
        return Page(url, "error", f"the server broke HTTP ({problem})", url, reached=True)
    text = str(problem) or type(problem).__name__
    return Page(url, "error", f"{type(problem).__name__}: {text}", url)
