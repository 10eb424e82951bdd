"""The one network entry point for scraping: fetch(url) -> FetchResult.

Everything that makes a scraper a good citizen and safe to point at user-supplied URLs lives here,
so no parser or command can forget it:

- an identifying User-Agent with a contact address;
- robots.txt read, cached per host (on disk, so every process shares it) and obeyed;
- a minimum interval between requests to one host that holds across processes (fcntl-locked
  timestamp files), because a user may run a scrape command while the web admin scrapes too;
- bounded retries with exponential backoff on 429 and 5xx, honouring Retry-After;
- connect and read timeouts, a deadline for the whole response (a server that trickles a byte a
  second, headers included, is cut off), and a size limit enforced while streaming;
- only http/https, and every address a host resolves to is checked: a URL pasted by a user must not
  reach the cloud metadata service or the admin port of a machine on the local network. We connect
  to the address we checked (not a second DNS answer), and redirects are followed by hand so each
  hop is checked the same way.

Built on http.client rather than requests because we need the socket to go to the checked address
while TLS still verifies the real host name.
"""

from __future__ import annotations

import contextlib
import email.utils
import fcntl
import hashlib
import http.client
import ipaddress
import os
import re
import socket
import ssl
import threading
import time
import urllib.robotparser
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from .errors import (
    BadScheme,
    Blocked,
    DisallowedByRobots,
    FetchError,
    FetchTimeout,
    NotFound,
    RefusedAddress,
    TooLarge,
)

__all__ = [
    "BadScheme",
    "Blocked",
    "DisallowedByRobots",
    "FetchError",
    "FetchResult",
    "FetchTimeout",
    "NotFound",
    "RefusedAddress",
    "TooLarge",
    "fetch",
]

DEFAULT_ACCEPT = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"
REDIRECT_CODES = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchResult:
    """A successful (2xx) response, fully read."""

    url: str  # what was asked for
    final_url: str  # after redirects: the URL to resolve relative links against
    status: int
    content: bytes
    content_type: str  # media type only, lower case ("text/html")
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names

    @cached_property
    def text(self) -> str:
        """The body decoded with the declared charset (header, then <meta>), else UTF-8 with replacement."""
        return self.content.decode(_charset(self.headers.get("content-type", ""), self.content), "replace")


# --- settings -------------------------------------------------------------------------------------
# Read at call time with defaults, so tests can override them and the lead can add them to settings.


def _setting(name: str, default):
    return getattr(settings, name, default)


def _user_agent() -> str:
    contact = _setting("COINSTACK_SCRAPER_CONTACT", "coinstack@localhost")
    agent = _setting("COINSTACK_SCRAPER_USER_AGENT", None) or "CoinStack/0.1"
    # Sites need a way to reach the operator: the contact is always in the header.
    return agent if contact in agent else f"{agent} (+mailto:{contact})"


def _robots_token() -> str:
    """The product token robots.txt groups are matched against ("CoinStack")."""
    return _user_agent().split("/", 1)[0].split()[0]


def _timeouts() -> tuple[float, float]:
    value = _setting("COINSTACK_SCRAPER_TIMEOUT", (5, 20))
    if isinstance(value, int | float):
        return float(value), float(value)
    connect, read = value
    return float(connect), float(read)


def _deadline() -> float:
    """Seconds one response may take from the first byte sent to the last byte read, whatever the
    server does: per-read timeouts alone let a server trickle a byte at a time for ever."""
    return float(_setting("COINSTACK_SCRAPER_DEADLINE", 60.0))


def _state_dir() -> Path:
    configured = _setting("COINSTACK_SCRAPER_STATE_DIR", None)
    if configured:
        path = Path(configured)
    else:
        path = Path(_setting("BASE_DIR", Path.cwd())) / "data" / "scraper-state"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- addresses ------------------------------------------------------------------------------------


def _allowed_networks() -> bool | list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """True (all allowed), False, or the explicit list of networks a test or an intranet allows."""
    value = _setting("COINSTACK_SCRAPER_ALLOW_PRIVATE", False)
    if isinstance(value, bool) or not isinstance(value, Iterable) or isinstance(value, str):
        return bool(value)
    return [ipaddress.ip_network(item, strict=False) for item in value]


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback in disguise
    bad = (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )
    # is_global also rules out shared address space (100.64/10) and other non-routable ranges.
    return not bad and ip.is_global


def _resolve(url: str, host: str, port: int) -> list[str]:
    """Every address the host resolves to, each checked; refuse the URL if any one is not public.

    Refusing when *any* answer is private (not just the first) closes the trick of a name that
    resolves to a public and a private address at once.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(url, f"{url}: cannot resolve host {host!r} ({exc.strerror}).") from exc
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        address = str(sockaddr[0]).split("%", 1)[0]
        if address not in addresses:
            addresses.append(address)
    allowed = _allowed_networks()
    for address in addresses:
        ip = ipaddress.ip_address(address)
        if _is_public(ip) or allowed is True:
            continue
        if allowed and any(ip in network for network in allowed):
            continue
        raise RefusedAddress(
            url,
            f"{url}: refused: {host} resolves to {address}, a private or reserved address "
            "(set COINSTACK_SCRAPER_ALLOW_PRIVATE to allow it).",
        )
    return addresses


# --- connections pinned to a checked address ------------------------------------------------------


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, connect_timeout: float, read_timeout: float):
        super().__init__(host, port, timeout=connect_timeout)
        self._address = address
        self._read_timeout = read_timeout

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.settimeout(self._read_timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, connect_timeout: float, read_timeout: float):
        super().__init__(host, port, timeout=connect_timeout, context=ssl.create_default_context())
        self._address = address
        self._read_timeout = read_timeout

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is verified against the real host name, not the address we dialled.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
        self.sock.settimeout(self._read_timeout)


# --- per-host interval, across processes ----------------------------------------------------------


def _host_key(host: str, port: int) -> str:
    safe = re.sub(r"[^a-z0-9.-]", "_", host.lower())[:80]
    digest = hashlib.sha256(f"{host}:{port}".encode()).hexdigest()[:10]
    return f"{safe}-{port}-{digest}"


def _wait_for_host_slot(host: str, port: int) -> None:
    """Sleep until COINSTACK_SCRAPER_MIN_INTERVAL has passed since this host's last request.

    The timestamp lives in a file under the state dir and is read and written under an exclusive
    flock, held while sleeping: other processes queue on the lock, so two commands and a web worker
    together still send at most one request per interval to one site.
    """
    interval = float(_setting("COINSTACK_SCRAPER_MIN_INTERVAL", 2.0))
    if interval <= 0:
        return
    path = _state_dir() / "hosts" / f"{_host_key(host, port)}.last"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.seek(0)
            try:
                last = float(handle.read().decode() or 0)
            except ValueError:
                last = 0.0
            wait = last + interval - time.time()
            if wait > 0:
                time.sleep(min(wait, interval))
            handle.seek(0)
            handle.truncate()
            handle.write(repr(time.time()).encode())
            handle.flush()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- one HTTP exchange ----------------------------------------------------------------------------


@dataclass
class _Response:
    status: int
    headers: dict[str, str]
    content: bytes


def _check_scheme(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BadScheme(url, f"{url}: only http and https URLs can be fetched (got {scheme or 'none'!r}).")
    host = parts.hostname
    if not host:
        raise BadScheme(url, f"{url}: the URL has no host name.")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise BadScheme(url, f"{url}: invalid port.") from exc
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise BadScheme(url, f"{url}: invalid host name.") from exc
    return scheme, host, port


class _Watchdog:
    """Cuts a connection off when its deadline passes, wherever the reader is blocked.

    A per-read timeout restarts with every byte, so a server sending one byte a second (in the
    headers, which http.client reads line by line with no overall limit, or in the body) would hold
    a worker for hours. A timer shuts the socket down at the deadline: the blocked read returns at
    once, and `fired` tells the reader that what it got is not a whole response.
    """

    def __init__(self, sock: socket.socket, seconds: float) -> None:
        self.fired = False
        self._sock = sock
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        # The plain socket's shutdown, also for TLS: it only closes the file descriptor's
        # directions, leaving the TLS object to the reading thread. OSError: already closed.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(self._sock, socket.SHUT_RDWR)

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()


def _exchange(url: str, *, accept: str, max_bytes: int) -> _Response:
    """One GET, no redirects, no retries: addresses checked, host interval respected, size and time
    bounded."""
    scheme, host, port = _check_scheme(url)
    addresses = _resolve(url, host, port)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connect_timeout, read_timeout = _timeouts()
    deadline = _deadline()
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    _wait_for_host_slot(host, port)
    last_error: OSError | None = None
    too_slow = FetchTimeout(url, f"{url}: the response took longer than {deadline:g} s to arrive; gave up.")
    for address in addresses:
        connection = connection_class(host, port, address, connect_timeout, read_timeout)
        watchdog = None
        try:
            connection.connect()  # bounded by the connect timeout; the deadline starts here
            with _Watchdog(connection.sock, deadline) as watchdog:
                connection.putrequest("GET", target, skip_accept_encoding=True)
                connection.putheader("User-Agent", _user_agent())
                connection.putheader("Accept", accept)
                # identity: we count the bytes we read, and a small gzip bomb cannot blow up memory.
                connection.putheader("Accept-Encoding", "identity")
                connection.putheader("Connection", "close")
                connection.endheaders()
                response = connection.getresponse()
                headers = {name.lower(): value for name, value in response.getheaders()}
                content = _read_bounded(url, response, headers, max_bytes)
            if watchdog.fired:
                raise too_slow  # the body we hold was cut short
            return _Response(response.status, headers, content)
        except TimeoutError as exc:
            raise FetchTimeout(
                url,
                f"{url}: no answer within the timeout "
                f"({connect_timeout:g} s to connect, {read_timeout:g} s to read).",
            ) from exc
        except ConnectionRefusedError as exc:
            if watchdog is not None and watchdog.fired:
                raise too_slow from exc
            last_error = exc  # try the host's next address
        except (OSError, http.client.HTTPException) as exc:
            if watchdog is not None and watchdog.fired:
                raise too_slow from exc
            raise FetchError(url, f"{url}: connection failed ({exc}).") from exc
        finally:
            connection.close()
    raise FetchError(url, f"{url}: connection refused ({last_error}).")


def _read_bounded(url: str, response, headers: dict[str, str], max_bytes: int) -> bytes:
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(url, f"{url}: response is {int(declared)} bytes, over the {max_bytes}-byte limit.")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(url, f"{url}: response exceeded the {max_bytes}-byte limit; download stopped.")
        chunks.append(chunk)
    return b"".join(chunks)


# --- redirects, retries, status handling ----------------------------------------------------------


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


# Markers of the challenge page itself. Not "challenge-platform": Cloudflare injects that script into
# ordinary pages too, and a real lot page must never be reported as blocked.
_CHALLENGE_MARKERS = (
    b"cf_chl_opt",
    b"<title>just a moment",
    b"<title>attention required! | cloudflare",
    b"captcha-delivery.com",  # DataDome
    b"px-captcha",  # PerimeterX / HUMAN
    b"_incapsula_resource",
)


def _bot_wall(headers: dict[str, str], content: bytes) -> str | None:
    """Name the bot wall when a response is a challenge page instead of content."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare challenge"
    head = content[:20000].lower()
    if any(marker in head for marker in _CHALLENGE_MARKERS):
        return "Cloudflare challenge" if b"cloudflare" in head or b"cf_chl" in head else "bot check page"
    return None


def _follow(url: str, *, accept: str, max_bytes: int, check_robots: bool) -> tuple[str, _Response]:
    """GET with redirects followed by hand, each hop checked (scheme, address, robots)."""
    max_redirects = int(_setting("COINSTACK_SCRAPER_MAX_REDIRECTS", 5))
    current = url
    for _hop in range(max_redirects + 1):
        _scheme, host, port = _check_scheme(current)
        # Refuse a private address before anything is sent, robots.txt included, naming the page.
        _resolve(current, host, port)
        if check_robots:
            _check_robots(current)
        response = _exchange(current, accept=accept, max_bytes=max_bytes)
        location = response.headers.get("location")
        if response.status in REDIRECT_CODES and location:
            current = urljoin(current, location)
            continue
        return current, response
    raise FetchError(url, f"{url}: more than {max_redirects} redirects.")


def fetch(url: str, *, accept: str | None = None, max_bytes: int | None = None) -> FetchResult:
    """GET one URL politely and safely, or raise a FetchError subclass whose message names the URL.

    429 and 5xx answers are retried with exponential backoff (Retry-After honoured, bounded);
    401/403 and bot-wall pages raise Blocked; 404/410 raise NotFound.
    """
    accept = accept or DEFAULT_ACCEPT
    limit = max_bytes or int(_setting("COINSTACK_SCRAPER_MAX_BYTES", 10 * 1024 * 1024))
    retries = int(_setting("COINSTACK_SCRAPER_MAX_RETRIES", 3))
    backoff = float(_setting("COINSTACK_SCRAPER_BACKOFF", 1.0))
    max_wait = float(_setting("COINSTACK_SCRAPER_MAX_RETRY_AFTER", 120))
    for attempt in range(retries + 1):
        final_url, response = _follow(url, accept=accept, max_bytes=limit, check_robots=True)
        status = response.status
        wall = _bot_wall(response.headers, response.content) if status in (200, 403, 429, 503) else None
        if wall or status in (401, 403):
            raise Blocked(url, wall or f"HTTP {status}")
        if status in (404, 410):
            raise NotFound(url, f"{url}: not found (HTTP {status}); the lot may have been removed.")
        if status == 429 or status >= 500:
            if attempt == retries:
                raise FetchError(url, f"{url}: HTTP {status} after {retries + 1} attempts; try again later.")
            wait = _retry_after_seconds(response.headers.get("retry-after"))
            if wait is None:
                wait = backoff * (2**attempt)
            if wait > max_wait:
                raise FetchError(url, f"{url}: HTTP {status}; the site asks us to wait {wait:.0f} s.")
            time.sleep(wait)
            continue
        if not 200 <= status < 300:
            raise FetchError(url, f"{url}: unexpected HTTP {status}.")
        content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        return FetchResult(url, final_url, status, response.content, content_type, response.headers)
    raise AssertionError("unreachable")  # pragma: no cover


# --- robots.txt -----------------------------------------------------------------------------------


def _robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def _robots_cache_path(robots_url: str) -> Path:
    digest = hashlib.sha256(robots_url.encode()).hexdigest()[:24]
    return _state_dir() / "robots" / f"{digest}.txt"


def _load_robots(url: str) -> urllib.robotparser.RobotFileParser:
    """robots.txt for the URL's origin, from the shared disk cache while fresh, else fetched.

    RFC 9309: a 4xx robots.txt means no rules (allow); an unreachable one or a 5xx means assume
    everything is disallowed for now (and that answer is not cached).
    """
    robots_url = _robots_url(url)
    ttl = float(_setting("COINSTACK_SCRAPER_ROBOTS_TTL", 24 * 3600))
    cache = _robots_cache_path(robots_url)
    parser = urllib.robotparser.RobotFileParser(robots_url)
    if cache.exists() and time.time() - cache.stat().st_mtime < ttl:
        parser.parse(cache.read_text(encoding="utf-8", errors="replace").splitlines())
        return parser
    try:
        _final, response = _follow(robots_url, accept="text/plain", max_bytes=512 * 1024, check_robots=False)
    except (RefusedAddress, BadScheme):
        raise
    except FetchTimeout as exc:
        raise FetchTimeout(url, f"{url}: the site did not answer in time (reading robots.txt).") from exc
    except FetchError as exc:
        raise DisallowedByRobots(url, f"{url}: robots.txt could not be read ({exc}); not fetching.") from exc
    if 200 <= response.status < 300:
        body = response.content.decode("utf-8", "replace")
    elif 400 <= response.status < 500 and response.status != 429:
        body = ""  # no robots.txt: no rules. (429 is "slow down", handled like a server error.)
    else:
        raise DisallowedByRobots(url, f"{url}: robots.txt answered HTTP {response.status}; not fetching.")
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(cache)  # atomic, so another process never reads half a file
    parser.parse(body.splitlines())
    return parser


def _check_robots(url: str) -> None:
    if not _setting("COINSTACK_SCRAPER_OBEY_ROBOTS", True):
        return
    parser = _load_robots(url)
    if not parser.can_fetch(_robots_token(), url):
        raise DisallowedByRobots(url, f"{url}: the site's robots.txt disallows fetching this page.")


# --- decoding -------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _charset(content_type: str, content: bytes) -> str:
    match = re.search(r"charset=[\"']?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
    candidates = [match.group(1)] if match else []
    meta = _META_CHARSET.search(content[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii"))
    for candidate in candidates:
        try:
            "".encode(candidate)
        except LookupError:
            continue
        return candidate
    return "utf-8"
