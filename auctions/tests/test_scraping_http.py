"""fetch() end to end against real HTTP servers on loopback (pytest-httpserver and raw sockets)."""

from __future__ import annotations

import itertools
import socket
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from werkzeug.wrappers import Response

from auctions.scraping.http import (
    BadScheme,
    Blocked,
    DisallowedByRobots,
    FetchError,
    FetchTimeout,
    NotFound,
    RefusedAddress,
    TooLarge,
    fetch,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scraper(settings, tmp_path):
    """Scraper settings for loopback tests: private addresses allowed, no waiting between requests."""
    settings.COINSTACK_SCRAPER_ALLOW_PRIVATE = True
    settings.COINSTACK_SCRAPER_STATE_DIR = tmp_path / "state"
    settings.COINSTACK_SCRAPER_MIN_INTERVAL = 0
    settings.COINSTACK_SCRAPER_BACKOFF = 0.05
    settings.COINSTACK_SCRAPER_TIMEOUT = (1, 0.5)
    settings.COINSTACK_SCRAPER_CONTACT = "curator@example.org"
    return settings


@pytest.fixture
def site(httpserver, scraper):
    """The loopback server with an empty robots.txt (everything allowed)."""
    httpserver.expect_request("/robots.txt").respond_with_data("", content_type="text/plain")
    return httpserver


def test_fetch_returns_body_headers_and_sends_identifying_user_agent(site):
    site.expect_request("/lot").respond_with_data(
        "<html><meta charset='iso-8859-1'><p>M\xfcnze</p></html>".encode("latin-1"),
        content_type="text/html",
    )
    result = fetch(site.url_for("/lot"))
    assert result.status == 200
    assert result.content_type == "text/html"
    assert "Münze" in result.text  # charset taken from the <meta>, not guessed as UTF-8
    request = site.log[-1][0]
    assert "curator@example.org" in request.headers["User-Agent"]
    assert request.headers["User-Agent"].startswith("CoinStack")


def test_robots_txt_disallow_is_obeyed_and_the_page_is_never_requested(httpserver, scraper):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    httpserver.expect_request("/private/lot").respond_with_data("secret")
    with pytest.raises(DisallowedByRobots, match=r"robots\.txt"):
        fetch(httpserver.url_for("/private/lot"))
    assert [request.path for request, _ in httpserver.log] == ["/robots.txt"]
    # Other paths stay allowed, and robots.txt is read once (cached per host).
    httpserver.expect_request("/public/lot").respond_with_data("ok")
    assert fetch(httpserver.url_for("/public/lot")).content == b"ok"
    assert [request.path for request, _ in httpserver.log].count("/robots.txt") == 1


def test_robots_txt_cache_expires(httpserver, scraper):
    scraper.COINSTACK_SCRAPER_ROBOTS_TTL = 0  # every read is stale
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow:\n")
    httpserver.expect_request("/lot").respond_with_data("ok")
    fetch(httpserver.url_for("/lot"))
    fetch(httpserver.url_for("/lot"))
    assert [request.path for request, _ in httpserver.log].count("/robots.txt") == 2


def test_robots_txt_rules_for_our_agent_apply(httpserver, scraper):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: CoinStack\nDisallow: /\n")
    with pytest.raises(DisallowedByRobots):
        fetch(httpserver.url_for("/anything"))


def test_429_with_retry_after_then_success(site):
    site.expect_oneshot_request("/lot").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    site.expect_request("/lot").respond_with_data("finally")
    started = time.monotonic()
    result = fetch(site.url_for("/lot"))
    assert result.content == b"finally"
    assert time.monotonic() - started >= 0.9  # Retry-After: 1 was honoured, not the 0.05 s backoff


def test_retry_after_as_http_date_is_honoured(site):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
    site.expect_oneshot_request("/lot").respond_with_data("busy", status=503, headers={"Retry-After": when})
    site.expect_request("/lot").respond_with_data("ok")
    started = time.monotonic()
    assert fetch(site.url_for("/lot")).content == b"ok"
    assert time.monotonic() - started >= 0.5


def test_503_then_success_with_backoff(site):
    site.expect_oneshot_request("/lot").respond_with_data("down", status=503)
    site.expect_oneshot_request("/lot").respond_with_data("down", status=502)
    site.expect_request("/lot").respond_with_data("up")
    assert fetch(site.url_for("/lot")).content == b"up"
    assert [r.path for r, _ in site.log].count("/lot") == 3


def test_retries_are_bounded(site, scraper):
    scraper.COINSTACK_SCRAPER_MAX_RETRIES = 2
    site.expect_request("/lot").respond_with_data("down", status=500)
    with pytest.raises(FetchError, match="HTTP 500 after 3 attempts"):
        fetch(site.url_for("/lot"))
    assert [r.path for r, _ in site.log].count("/lot") == 3


def test_redirect_is_followed_and_final_url_reported(site):
    site.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    site.expect_request("/new").respond_with_data("moved here")
    result = fetch(site.url_for("/old"))
    assert result.content == b"moved here"
    assert result.url.endswith("/old")
    assert result.final_url.endswith("/new")


def test_redirect_to_a_refused_address_is_refused_before_connecting(site, scraper):
    # Loopback allowed for the test server only; the redirect aims at the cloud metadata address.
    scraper.COINSTACK_SCRAPER_ALLOW_PRIVATE = ["127.0.0.0/8", "::1/128"]
    site.expect_request("/lot").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    with pytest.raises(RefusedAddress, match=r"169\.254\.169\.254"):
        fetch(site.url_for("/lot"))


def test_redirect_to_another_scheme_is_refused(site):
    site.expect_request("/lot").respond_with_data("", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(BadScheme):
        fetch(site.url_for("/lot"))


def test_endless_redirects_are_bounded(site):
    site.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="redirects"):
        fetch(site.url_for("/loop"))


def test_private_address_refused_when_setting_is_off(httpserver, scraper):
    scraper.COINSTACK_SCRAPER_ALLOW_PRIVATE = False
    httpserver.expect_request("/lot").respond_with_data("ok")
    with pytest.raises(RefusedAddress) as caught:
        fetch(httpserver.url_for("/lot"))
    assert httpserver.url_for("/lot") in str(caught.value)
    assert httpserver.log == []  # refused before any connection


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/lot",
        "http://[::1]/lot",
        "http://[::ffff:127.0.0.1]/x",
        "http://224.0.0.1/",
        "http://0.0.0.0/",
    ],
)
def test_reserved_and_private_literals_refused(scraper, url):
    scraper.COINSTACK_SCRAPER_ALLOW_PRIVATE = False
    with pytest.raises(RefusedAddress):
        fetch(url)


@pytest.mark.parametrize(
    "url", ["ftp://example.org/lot", "file:///etc/passwd", "javascript:alert(1)", "lot.html"]
)
def test_non_http_schemes_refused(scraper, url):
    with pytest.raises(BadScheme):
        fetch(url)


def test_oversized_response_is_stopped(site):
    site.expect_request("/big").respond_with_data(b"x" * 5000)
    with pytest.raises(TooLarge, match="1000-byte limit"):
        fetch(site.url_for("/big"), max_bytes=1000)


def test_oversized_streamed_response_without_length_is_stopped(site, scraper):
    scraper.COINSTACK_SCRAPER_MAX_BYTES = 4096

    def stream(_request):
        return Response((b"y" * 1024 for _ in range(100)), content_type="text/html")  # chunked, no length

    site.expect_request("/stream").respond_with_handler(stream)
    with pytest.raises(TooLarge):
        fetch(site.url_for("/stream"))


@pytest.mark.parametrize(
    ("status", "error"), [(404, NotFound), (410, NotFound), (403, Blocked), (401, Blocked), (418, FetchError)]
)
def test_status_codes_map_to_typed_errors(site, status, error):
    site.expect_request("/lot").respond_with_data("no", status=status)
    with pytest.raises(error) as caught:
        fetch(site.url_for("/lot"))
    assert site.url_for("/lot") in str(caught.value)


CHALLENGE = (Path(__file__).parent / "fixtures" / "challenge.html").read_bytes()


@pytest.mark.parametrize("status", [503, 403, 200])
def test_cloudflare_challenge_is_blocked_with_save_page_advice(site, status):
    site.expect_request("/lot").respond_with_data(CHALLENGE, status=status, content_type="text/html")
    with pytest.raises(Blocked) as caught:
        fetch(site.url_for("/lot"))
    message = str(caught.value)
    assert "Cloudflare" in message
    assert f"--from-file PAGE.html --url {site.url_for('/lot')}" in message
    assert [r.path for r, _ in site.log].count("/lot") == 1  # a challenge is not retried


def test_cf_mitigated_header_alone_means_blocked(site):
    site.expect_request("/lot").respond_with_data("", status=403, headers={"cf-mitigated": "challenge"})
    with pytest.raises(Blocked, match="Cloudflare"):
        fetch(site.url_for("/lot"))


class _HangingServer:
    """Answers robots.txt with 404 and never answers anything else: a server that stalls."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.open: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            request = conn.recv(4096)
            if b"/robots.txt" in request.split(b"\r\n", 1)[0]:
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                conn.close()
            else:
                self.open.append(conn)  # keep it open, say nothing

    def close(self) -> None:
        self.sock.close()
        for conn in self.open:
            conn.close()


def test_read_timeout_raises_fetch_timeout(scraper):
    server = _HangingServer()
    try:
        started = time.monotonic()
        with pytest.raises(FetchTimeout, match="timeout"):
            fetch(f"http://127.0.0.1:{server.port}/lot")
        assert time.monotonic() - started < 3
    finally:
        server.close()


_CHILD = textwrap.dedent(
    """
    import sys, time
    from django.conf import settings
    settings.configure(
        COINSTACK_SCRAPER_ALLOW_PRIVATE=True,
        COINSTACK_SCRAPER_STATE_DIR=sys.argv[1],
        COINSTACK_SCRAPER_MIN_INTERVAL=float(sys.argv[2]),
    )
    from auctions.scraping.http import fetch
    start_at = float(sys.argv[4])
    time.sleep(max(0.0, start_at - time.time()))
    for _ in range(3):
        fetch(sys.argv[3])
    """
)


def test_min_interval_per_host_holds_across_processes(httpserver, tmp_path):
    interval = 0.3
    arrivals: list[float] = []

    def record(_request):
        arrivals.append(time.time())
        return Response("ok")

    httpserver.expect_request("/robots.txt").respond_with_handler(record)
    httpserver.expect_request("/lot").respond_with_handler(record)
    start_at = time.time() + 1.5  # both children start fetching at the same instant
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _CHILD,
                str(tmp_path),
                str(interval),
                httpserver.url_for("/lot"),
                str(start_at),
            ],
            cwd=REPO_ROOT,
        )
        for _ in range(2)
    ]
    for child in children:
        assert child.wait(timeout=30) == 0
    arrivals.sort()
    # 6 page requests plus one or two robots.txt reads, all spaced by the shared interval.
    assert len(arrivals) >= 7
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert min(gaps) >= interval * 0.9, gaps
