"""The safe HTTP client for feeds and article pages.

Every limit is a refusal with a reason a person can act on (`FetchError.reason`):
- http and https only; at most `max_redirects` redirects, each hop checked like the first;
- the host name is resolved once per hop, every address it resolves to is checked, and the
  connection goes to the checked address (then the peer address is checked again), so DNS
  rebinding cannot swap in a private address between the check and the connection;
- loopback, private, link-local (cloud metadata 169.254.169.254), shared, reserved and
  multicast addresses are refused unless `allow_private_addresses`;
- a connect timeout and a total timeout for the whole exchange (every read of the status
  line, headers, chunk sizes and body waits at most for what is left of it, so a server
  sending one byte at a time cannot stretch it);
- a body shorter than its Content-Length, a chunked body cut before its last chunk, or a
  compressed body cut before its end is a failed fetch, never a complete article;
- the size cap is enforced while streaming, on the decoded (decompressed) bytes too, so a
  gzip bomb stops at the cap;
- content types checked against what the caller expects (feed or page).

Politeness: one request at a time per host, with `host_delay` seconds between the end of one
request and the start of the next (`HostGate`, shared by everything using one `Fetcher`)."""

from __future__ import annotations

import email.utils
import http.client
import io
import ipaddress
import math
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import idna

from bot.feeds.errors import FeedProblem
from bot.feeds.parse import BODY_DECIDES
from bot.feeds.urls import URL_EDGES, shown_url
from bot.reply import clip_echo

DEFAULT_CONTACT = "https://github.com/briefbot/briefbot"

FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/x-rss+xml", "application/xml", "text/xml", "application/feed+json",
    "application/json", "text/html", "application/xhtml+xml", "text/plain",
})
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024

Resolver = Callable[[str, int], list[str]]


_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_REQUEST_SAFE = "!$&'()*+,/:;=?@[]~%"  # kept as they are (and letters, digits, "-._")


def _encoded(part: str) -> str:
    """A URL's path or query as a request line can carry it, as a browser sends it: every
    other character (non-ASCII: "/news/café", an IRI; a space; a control) percent-encoded
    as UTF-8, escapes already there kept, a stray "%" encoded."""
    return quote(_STRAY_PERCENT.sub("%25", part), safe=_REQUEST_SAFE)


def _header_text(raw: bytes) -> str:
    """A Location header's bytes as a browser reads them: UTF-8 ("/news/café" sent raw),
    else Latin-1 (http.client's reading of every header); without the white space and
    controls around it (`Location: /feed.xml `, a script's: the space was requested as
    "%20", a 404)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.strip(URL_EDGES)


class FetchError(FeedProblem):
    """A refused or failed fetch. `reason` is shown to the user as is; `retry_after` (seconds)
    comes from a 429/503 answer's Retry-After."""

    def __init__(self, reason: str, *, status: int | None = None,
                 retry_after: float | None = None, deferred: bool = False,
                 timed_out: bool = False) -> None:
        super().__init__(reason)
        self.status = status
        self.retry_after = retry_after
        self.deferred = deferred  # not requested: the host asked to wait (`Fetcher.held`)
        self.timed_out = timed_out  # the server did not answer in time (connect or total)


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str = f"briefbot/0.1 (+{DEFAULT_CONTACT})"
    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_private: bool = False
    host_delay: float = 1.0


@dataclass
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 for a conditional GET that found nothing new
    headers: dict[str, str]  # lower-case names
    body: bytes  # decoded (decompressed); empty for a 304
    content_type: str  # media type, lower-case, without parameters ("" when absent)
    charset: str | None
    redirects: list[str] = field(default_factory=list)
    peer: str = ""  # the address connected to

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r} ({exc.strerror})") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# IPv6 prefixes that carry an IPv4 address in their last 32 bits, which a translator on the
# way (NAT64 with DNS64, on IPv6-only hosts and clouds) connects to: 64:ff9b::10.0.0.5 reaches
# 10.0.0.5. Python calls the well-known NAT64 prefix global, so a name resolving to it passed.
HOST_HOLD_MAX = 3600.0  # the longest a Retry-After holds a whole host (seconds)
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"),)
# The local-use NAT64 prefix (RFC 8215) may carry the IPv4 address at any of RFC 6052's prefix
# lengths (/48 … /96), in bits that depend on the translator: it is refused whole (read as
# /96 only, 64:ff9b:1:a00:0:500:808:808 passed as 8.8.8.8, and a /48 translator reaches
# 10.0.0.5).
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for: IPv4-mapped (::ffff:a.b.c.d), NAT64
    (64:ff9b::a.b.c.d) or 6to4 (2002:AABB:CCDD::). (The deprecated IPv4-compatible
    ::a.b.c.d is refused as reserved.)"""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(ip_text: str) -> str | None:
    """Why an address may not be fetched from (None: a public address)."""
    try:
        ip = ipaddress.ip_address(ip_text.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64_LOCAL:
            return "a local-use NAT64 address (64:ff9b:1::/48), which may stand for any IPv4 one"
        inner = _embedded_ipv4(ip)
        if inner is not None and ip.ipv4_mapped is None:
            problem = address_problem(str(inner))
            return f"{problem} ({ip} stands for {inner})" if problem else None
        if inner is not None:
            ip = inner
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address (cloud metadata lives there)"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "a reserved or shared address"
    return None


def parse_retry_after(value: str | None, now: datetime | None = None,
                      cap: float | None = None) -> float | None:
    """Seconds from a Retry-After header: a number (delta-seconds; Slack's may have a
    fraction) or an HTTP date (RFC 9110: a proxy's), at most `cap`; None when it says neither
    (or a negative, infinite or NaN wait). Feeds cap it at a day; the chat adapters judge a
    long wait themselves."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds if cap is None else min(seconds, cap)


def wait_text(seconds: float) -> str:
    """A wait as it is shown: whole seconds, rounded up ("300 s", "7,200 s"). A Retry-After
    date is whole seconds from a clock that is not: it was shown "299.589 s"."""
    return f"{math.ceil(seconds):,} s"


class HostGate:
    """One request at a time per host, `delay` seconds apart."""

    def __init__(self, delay: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.delay = delay
        self.clock = clock
        self.sleep = sleep
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            last = self._last.get(host)
            if last is not None and self.delay > 0:
                wait = last + self.delay - self.clock()
                if wait > 0:
                    self.sleep(wait)
            try:
                yield
            finally:
                self._last[host] = self.clock()


class _HTTP(http.client.HTTPConnection):
    """Connects to a given (checked) address; the Host header keeps the name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _HTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _DeadlineReader(socket.SocketIO):
    """The socket's reads, each waiting at most until `deadline` (http.client reads the
    status line, headers and chunk sizes line by line through this). Like the file of
    `socket.makefile`, it keeps the socket open until it is closed itself."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__(sock, "rb")
        sock._io_refs += 1  # type: ignore[attr-defined]  # as socket.makefile does
        self._deadline = deadline

    def readinto(self, buffer: Any) -> int | None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("total timeout")
        self._sock.settimeout(remaining)  # type: ignore[attr-defined]
        return super().readinto(buffer)


class _DeadlineSocket:
    """A connected socket whose sends and reads (through `makefile`) end at `deadline`."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str = "r", *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def sendall(self, data: Any) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("total timeout")
        self._sock.settimeout(remaining)
        self._sock.sendall(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


GZIP_MAGIC = b"\x1f\x8b"


class _Decoder:
    """Content-Encoding decoding with the output capped (a decompression bomb stops at the
    cap, having inflated at most cap + 1 bytes). A gzip body of several members (`cat a.gz
    b.gz`) is read whole, as `gzip -d`, urllib3 and requests read it; bytes after the last
    member that do not start another are ignored."""

    def __init__(self, encoding: str, cap: int) -> None:
        self.cap = cap
        self.size = 0
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self.z: Any = None
        elif encoding in ("gzip", "x-gzip"):
            self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.z = zlib.decompressobj()
        else:
            raise FetchError(f"unsupported content encoding {encoding!r}")
        self.parts: list[bytes] = []
        self.members = encoding in ("gzip", "x-gzip")
        # "deflate" is meant zlib-wrapped, but some servers send the raw DEFLATE stream, which
        # browsers, curl and requests read too: its first bytes are kept (at most 64 KiB,
        # until output comes) to be read again that way when the zlib header check fails.
        self.raw_retry = encoding == "deflate"
        self.head = b""

    def feed(self, data: bytes) -> None:
        if self.z is None:
            self._add(data)
            return
        if self.raw_retry:
            self.head += data
        try:
            self._inflate(data)
            # A finished gzip member followed by another: a new one starts on what is left
            # (once a member has ended, the decompressor keeps the bytes it is given after it
            # in unused_data, so a lone b"\x1f" at the end of a chunk waits there for the
            # next chunk's first byte).
            while self.members and self.z.eof and self.z.unused_data[:2] == GZIP_MAGIC:
                rest = self.z.unused_data
                self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._inflate(rest)
        except zlib.error as exc:
            if self.raw_retry and self.size == 0:
                self.raw_retry = False
                self.z = zlib.decompressobj(-zlib.MAX_WBITS)
                head, self.head = self.head, b""
                self.feed(head)
                return
            raise FetchError(f"corrupt compressed body ({exc})") from exc
        if self.raw_retry and (self.size or len(self.head) > 65_536):
            self.raw_retry, self.head = False, b""

    def _inflate(self, data: bytes) -> None:
        out = self.z.decompress(data, self.cap - self.size + 1)
        self._add(out)
        while self.z.unconsumed_tail:
            out = self.z.decompress(self.z.unconsumed_tail, self.cap - self.size + 1)
            if not out:
                break
            self._add(out)

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            raise FetchError(f"over the size cap (more than {self.cap:,} bytes once decompressed;"
                             " setting ingest.max_file_bytes)")
        self.parts.append(data)

    def finish(self) -> bytes:
        """The decoded body; the compressed stream must be complete (its last output added)."""
        if self.z is not None:
            try:
                self._add(self.z.flush())
            except zlib.error as exc:
                raise FetchError(f"corrupt compressed body ({exc})") from exc
            if not self.z.eof:
                raise FetchError("incomplete body: the compressed body ends before its end "
                                 "(connection closed early)")
        return b"".join(self.parts)


def _gunzip_file(body: bytes, mime: str, cap: int, encoding: str = "") -> bytes:
    """A feed served as an untyped file (`UNTYPED`) that is a gzip file (feed.xml.gz on S3,
    sent without Content-Encoding, or left so by one), or as a gzip file (`GZIP_FILE`):
    decompressed within the same size cap, every member of it (`gzip -d` reads a file of
    several concatenated members as their concatenation; bytes after the last are ignored,
    as they were). `encoding`: the response's Content-Encoding, already decoded."""
    decoder = _Decoder("gzip", cap)
    try:
        decoder.feed(body)
        return decoder.finish()
    except FetchError as exc:
        if exc.reason.startswith("over the size cap"):
            raise
        why = ("the file is cut short (its compressed data ends early)"
               if exc.reason.startswith("incomplete body") else exc.reason)
        how = (f"inside its Content-Encoding {encoding}"
               if encoding.strip().lower() not in ("", "identity") else "no Content-Encoding")
        raise FetchError(f"the server sent {mime} holding a gzip file ({how}) "
                         f"that could not be decompressed: {why}") from exc


def origin_name(scheme: str, host: str, port: int | None) -> str:
    """A server as a Retry-After hold names it: its host, and its port where it is not the
    scheme's own ("127.0.0.1:8765")."""
    return f"{host}:{port}" if port and port != (443 if scheme == "https" else 80) else host


class Fetcher:
    """GETs with every limit of the module docstring. Thread-safe; share one per process so
    that the per-host politeness holds across feeds."""

    def __init__(self, policy: FetchPolicy, resolver: Resolver | None = None,
                 gate: HostGate | None = None) -> None:
        self.policy = policy
        self.resolver = resolver or system_resolver
        self.gate = gate or HostGate(policy.host_delay)
        # host -> (time.monotonic() until which it is not asked again, its answer): a 429 or
        # 503 with Retry-After holds every request to that host, feeds' and pages' alike.
        self._held: dict[str, tuple[float, str]] = {}
        self._held_lock = threading.Lock()

    def held(self, host: str) -> FetchError | None:
        """The refusal of a request to `host` while it asked to wait (a 429 or 503 with
        Retry-After): a poll fetching 100 pages of a site that answered the first "429, retry
        after 600 s" sent it the 99 others all the same, and the next poll as many again,
        each one an item retry spent (the pages were never read once the retries ran out)."""
        with self._held_lock:
            until, answer = self._held.get(host, (0.0, ""))
            left = until - time.monotonic()
            if left <= 0:
                self._held.pop(host, None)
                return None
        return FetchError(f"not requested: {host} answered {answer}, {wait_text(left)} left",
                          retry_after=left, deferred=True)

    def _hold(self, host: str, seconds: float, answer: str) -> None:
        """Hold `host` for `seconds`, at most `HOST_HOLD_MAX` (one page's "Retry-After: 86400"
        held every feed and page of its site for a day; the request that got it keeps its
        own wait through its `FetchError`). Expired holds are dropped here (a host never
        asked again kept its entry for the life of the process)."""
        with self._held_lock:
            now = time.monotonic()
            for other in [h for h, (t, _) in self._held.items() if t <= now]:
                del self._held[other]
            until = now + min(seconds, HOST_HOLD_MAX)
            if until > self._held.get(host, (0.0, ""))[0]:
                self._held[host] = (until, answer)

    def address_problem(self, ip: str) -> str | None:
        """Overridable in tests (to call one loopback address public)."""
        return address_problem(ip)

    def get(self, url: str, *, kind: str = "page", etag: str | None = None,
            last_modified: str | None = None) -> Response:
        """GET `url` (kind "feed" or "page" decides the accepted content types)."""
        deadline = time.monotonic() + self.policy.total_timeout
        redirects: list[str] = []
        current = url
        while True:
            status, headers, body_or_location, peer = self._one(
                current, deadline, kind, etag, last_modified)
            if status in REDIRECTS:
                location = _header_text(body_or_location) if isinstance(
                    body_or_location, bytes) else ""
                if not location:
                    raise FetchError(f"redirect ({status}) without a Location", status=status)
                if len(redirects) >= self.policy.max_redirects:
                    raise FetchError(f"too many redirects (more than {self.policy.max_redirects})"
                                     f", last to {clip_echo(location, 200)}", status=status)
                redirects.append(current)
                try:
                    current = urljoin(current, location)
                except ValueError as exc:  # an unclosed IPv6 bracket, say
                    raise FetchError(f"redirect ({status}) to an invalid URL "
                                     f"{clip_echo(location, 200)!r} ({exc})", status=status) from exc
                continue
            if status == 304 and not (etag or last_modified):
                # "Not modified" since nothing: the request named no version to compare with.
                # Taken as a feed's not-modified, it was an `ok` poll that never read an item.
                raise FetchError("HTTP 304 Not Modified to a request that was not conditional "
                                 "(it sent no ETag or Last-Modified): the server sent no "
                                 "content", status=status)
            mime, _, params = headers.get("content-type", "").partition(";")
            charset = None
            for p in params.split(";"):
                k, _, v = p.strip().partition("=")
                if k.lower() == "charset" and v:
                    charset = v.strip().strip('"\'') or None
            return Response(current, status, headers,
                            body_or_location if status != 304 else b"",
                            mime.strip().lower(), charset, redirects, peer)

    # ------------------------------------------------------------------ one hop
    def _check_url(self, url: str) -> tuple[str, str, int, str]:
        shown = clip_echo(shown_url(url), 200)  # in a reason: shown and stored as last_error
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise FetchError(f"invalid URL {shown!r} ({str(exc).replace(url, shown)})") from exc
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"only http and https URLs are fetched, not {scheme or 'no scheme'!r}"
                             f" ({shown})")
        host = parts.hostname or ""
        if not host:
            raise FetchError(f"no host in URL {shown!r}")
        if parts.username or parts.password:
            raise FetchError("URLs with a user name or password are not fetched")
        if not host.isascii():  # as browsers resolve it (UTS #46, IDNA 2008), as reply.link
            try:
                host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
            except UnicodeError as exc:  # idna.IDNAError too
                raise FetchError(f"invalid host name {clip_echo(host, 200)!r} in {shown!r}") from exc
        port = port or (443 if scheme == "https" else 80)
        path = _encoded(parts.path or "/")
        if parts.query:
            path += "?" + _encoded(parts.query)
        return scheme, host, port, path

    def _address(self, host: str, port: int) -> str:
        addresses = self.resolver(host, port)
        if not addresses:
            raise FetchError(f"cannot resolve host {host!r}")
        if not self.policy.allow_private:
            for ip in addresses:
                problem = self.address_problem(ip)
                if problem:
                    raise FetchError(
                        f"refused: {host} resolves to {ip}, {problem} (set [feeds] "
                        "allow_private_addresses = true to allow)")
        return addresses[0]

    def _one(self, url: str, deadline: float, kind: str, etag: str | None,
             last_modified: str | None) -> tuple[int, dict[str, str], bytes, str]:
        scheme, host, port, path = self._check_url(url)
        # What a Retry-After holds: the server that sent it, its host and port ("127.0.0.1"
        # held another server's feeds on another port of the same machine).
        origin = origin_name(scheme, host, port)
        # A held host is refused before its slot: the slot's pacing (`host_delay`) is for
        # requests sent, and 100 deferred pages slept 100 s of it sending none.
        held = self.held(origin)
        if held is not None:
            raise held
        with self.gate.slot(host):
            held = self.held(origin)
            if held is not None:
                raise held
            address = self._address(host, port)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(self._total_timeout_reason(), timed_out=True)
            cls = _HTTPS if scheme == "https" else _HTTP
            conn = cls(host, port, address, min(self.policy.connect_timeout, remaining))
            try:
                try:
                    conn.connect()
                except TimeoutError as exc:
                    raise FetchError(f"connect timeout ({self.policy.connect_timeout:g} s) to "
                                     f"{host}", timed_out=True) from exc
                except ssl.SSLError as exc:
                    raise FetchError(f"TLS error with {host}: {exc.reason or exc}") from exc
                except OSError as exc:
                    raise FetchError(f"cannot connect to {host}: "
                                     f"{exc.strerror or exc}") from exc
                peer = str(conn.sock.getpeername()[0]) if conn.sock else ""
                if not self.policy.allow_private and peer and self.address_problem(peer):
                    raise FetchError(f"refused: connected to {peer}, "
                                     f"{self.address_problem(peer)}")
                if conn.sock is not None:
                    conn.sock = _DeadlineSocket(conn.sock, deadline)  # type: ignore[assignment]
                # (`host` there is the origin: what a Retry-After holds, how errors name it)
                return self._exchange(conn, origin, path, deadline, kind, etag, last_modified,
                                      peer)
            finally:
                conn.close()

    def _total_timeout_reason(self) -> str:
        return f"timed out (total timeout {self.policy.total_timeout:g} s)"

    def _exchange(self, conn: http.client.HTTPConnection, host: str, path: str,
                  deadline: float, kind: str, etag: str | None, last_modified: str | None,
                  peer: str) -> tuple[int, dict[str, str], bytes, str]:
        headers = {
            "User-Agent": self.policy.user_agent,
            "Accept-Encoding": "gzip, deflate",
            "Accept": ("application/rss+xml, application/atom+xml, application/feed+json, "
                       "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.1")
            if kind == "feed" else "text/html, application/xhtml+xml;q=0.9, */*;q=0.1",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            self._set_timeout(conn, deadline)
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            status = resp.status
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
            if status in REDIRECTS:
                return status, hdrs, hdrs.get("location", "").encode("latin-1", "replace"), peer
            if status == 304:
                return status, hdrs, b"", peer
            if status != 200:
                retry = (parse_retry_after(hdrs.get("retry-after"), cap=86400.0)
                         if status in (429, 503) else None)
                if retry:
                    self._hold(host, retry, f"HTTP {status} with Retry-After {wait_text(retry)}")
                raise FetchError(f"HTTP {status} {resp.reason}".strip()
                                 + (f" (retry after {wait_text(retry)})" if retry else ""),
                                 status=status, retry_after=retry)
            self._check_type(hdrs.get("content-type", ""), kind)
            cap = self.policy.max_bytes
            length = hdrs.get("content-length", "")
            if length.strip().isdigit() and int(length) > cap:
                raise FetchError(f"over the size cap ({int(length):,} bytes > {cap:,};"
                                 " setting ingest.max_file_bytes)")
            decoder = _Decoder(hdrs.get("content-encoding", ""), cap)
            raw = 0
            while True:
                self._set_timeout(conn, deadline)
                chunk = resp.read1(CHUNK) if hasattr(resp, "read1") else resp.read(CHUNK)
                if not chunk:
                    break
                raw += len(chunk)
                if raw > cap:
                    raise FetchError(f"over the size cap (more than {cap:,} bytes;"
                                     " setting ingest.max_file_bytes)")
                decoder.feed(chunk)
                if time.monotonic() > deadline:
                    raise FetchError(self._total_timeout_reason(), timed_out=True)
            if resp.length:  # http.client counts down a Content-Length; left over: cut short
                raise FetchError(f"incomplete body: {raw:,} of {raw + resp.length:,} bytes "
                                 "(connection closed early)")
            body = decoder.finish()
            mime = hdrs.get("content-type", "").partition(";")[0].strip().lower()
            if kind == "feed" and mime in BODY_DECIDES and body[:2] == GZIP_MAGIC:
                body = _gunzip_file(body, mime, cap, hdrs.get("content-encoding", ""))
            return status, hdrs, body, peer
        except http.client.IncompleteRead as exc:
            raise FetchError(f"incomplete body: the connection to {host} closed before the "
                             f"end of the body ({len(exc.partial):,} bytes of the last "
                             "chunk)") from exc
        except FetchError:
            raise
        except TimeoutError as exc:
            raise FetchError(self._total_timeout_reason() if time.monotonic() >= deadline - 0.01
                             else f"timed out waiting for {host}", timed_out=True) from exc
        except (http.client.HTTPException, OSError) as exc:
            raise FetchError(f"connection to {host} failed: {type(exc).__name__}"
                             f"{': ' + str(exc) if str(exc) else ''}") from exc
        except ValueError as exc:  # what http.client refuses to send (a header value, ...)
            raise FetchError(f"cannot request {clip_echo(path, 200)!r} from {host}: {exc}") from exc

    def _set_timeout(self, conn: http.client.HTTPConnection, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(self._total_timeout_reason(), timed_out=True)
        if conn.sock is not None:
            conn.sock.settimeout(remaining)

    @staticmethod
    def _check_type(content_type: str, kind: str) -> None:
        mime = content_type.partition(";")[0].strip().lower()
        if not mime:
            return  # sniffed by the parser
        if kind == "feed" and mime in BODY_DECIDES:
            return  # "any file" or a gzip file: the body decides (parse_feed)
        allowed = FEED_TYPES if kind == "feed" else PAGE_TYPES
        if mime not in allowed and not mime.endswith(("+xml", "+json") if kind == "feed"
                                                       else ("+html",)):
            expected = "a feed (RSS, Atom or JSON Feed)" if kind == "feed" else "an HTML page"
            raise FetchError(f"unsupported content type {mime} (expected {expected})")
