"""Scraping is bounded: hostile pages and servers cost one URL's failure, never the batch or a worker.

- a page nested thousands of elements deep is parsed at most MAX_HTML_DEPTH deep (no RecursionError
  in our text walk, Beautiful Soup's or any parser's);
- whatever one URL does, every other URL of the batch is attempted, and the summary counts it;
- a server that trickles its answer a byte at a time is cut off at the response deadline, whether it
  trickles the headers or the body.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest

from auctions.models import AuctionLot
from auctions.scraping.houses import GENERIC, PARSERS
from auctions.scraping.houses.base import MAX_HTML_DEPTH, node_text, soup_of
from auctions.scraping.houses.generic import GenericParser
from auctions.scraping.http import FetchTimeout, fetch
from auctions.scraping.types import ParseError
from auctions.tests.test_scraping_http import scraper  # noqa: F401  (a fixture)
from auctions.tests.test_scraping_store import FIXTURES, at, run, web  # noqa: F401  (web is a fixture)

DEPTH = 20_000  # far past Python's recursion limit (1,000)


def deep_page(depth: int = DEPTH, tag: str = "div") -> str:
    return (
        "<html><head><title>Lot 5: Denarius</title>"
        '<meta property="og:description" content="Trajan. AR Denarius (19mm, 3.25 g). RIC 295.">'
        "</head><body>"
        + f"<{tag}>" * depth
        + "Price realized: CHF 520"
        + f"</{tag}>" * depth
        + "</body></html>"
    )


def tree_depth(soup) -> int:
    deepest = 0
    for element in soup.find_all(True):
        depth, node = 0, element
        while node.parent is not None and depth <= MAX_HTML_DEPTH + 5:
            depth, node = depth + 1, node.parent
        deepest = max(deepest, depth)
    return deepest


@pytest.mark.parametrize("tag", ["div", "span", "table"])
def test_a_deeply_nested_page_is_parsed_depth_limited_with_its_text(tag):
    soup = soup_of(deep_page(tag=tag))
    assert tree_depth(soup) <= MAX_HTML_DEPTH
    assert "Price realized: CHF 520" in node_text(soup.body)  # the deepest text is kept
    assert "Price realized" in str(soup)


def test_ordinary_pages_are_parsed_whole():
    page = (FIXTURES / "generic-opengraph.html").read_text()
    soup = soup_of(page)
    assert [td.get_text() for td in soup.find_all("td")][:2] == ["Lot", "88"]


@pytest.mark.parametrize("parser", [*PARSERS, GENERIC], ids=lambda parser: parser.platform)
def test_no_parser_meets_recursion_on_a_deep_page(parser):
    url = "https://example.org/lot/5"
    # "No lot found" is an answer; RecursionError (or anything else) fails the test.
    with contextlib.suppress(ParseError):
        parser.parse_lot(deep_page(), url)


@pytest.mark.django_db
def test_every_url_of_a_batch_is_attempted_whatever_one_page_does(web, monkeypatch):  # noqa: F811
    good_page = (FIXTURES / "generic-opengraph.html").read_bytes()
    web.expect_request("/deep").respond_with_data(deep_page(), content_type="text/html")
    web.expect_request("/buggy").respond_with_data(good_page, content_type="text/html")
    web.expect_request("/good").respond_with_data(good_page, content_type="text/html")
    real_parse = GenericParser.parse_lot

    def parser_with_a_bug(self, content, url):
        if url.endswith("/buggy"):
            raise KeyError("a parser bug")  # what no error handler foresaw
        return real_parse(self, content, url)

    monkeypatch.setattr(GenericParser, "parse_lot", parser_with_a_bug)
    urls = [
        at(web, "deep.example", "/deep"),
        at(web, "buggy.example", "/buggy"),
        at(web, "good.example", "/good"),
    ]

    output, failed = run("scrape", *urls, "--no-images")

    assert failed  # non-zero exit
    lines = output.splitlines()
    buggy = next(line for line in lines if urls[1] in line)
    assert buggy.startswith("failed") and "KeyError" in buggy
    # The deep page is read (depth-limited), the good one after the bug too.
    assert any(line.startswith("created") and urls[0] in line for line in lines)
    assert any(line.startswith("created") and urls[2] in line for line in lines)
    assert "2 created, 0 updated, 0 unchanged, 1 failed, 0 blocked" in output
    assert AuctionLot.objects.get(url=urls[0]).hammer_price == 520


class TricklingServer:
    """Answers every request with a whole, valid response, sent one byte every `pause` seconds.

    `part` says what trickles: the status line and headers, or the body. The response ends by itself
    (it is bounded), so a client without an overall deadline gets it all, just late.
    """

    def __init__(self, part: str, length: int = 60, pause: float = 0.05) -> None:
        body = b"<html><body>" + b"x" * length + b"</body></html>"
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        if part == "headers":
            head += b"X-Slow: " + b"y" * length + b"\r\n"
        self.head = head + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        self.body, self.part, self.pause = body, part, pause
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        try:
            request = conn.recv(4096)
            if b"/robots.txt" in request.split(b"\r\n", 1)[0]:
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            slow, fast = (self.head, self.body) if self.part == "headers" else (self.body, b"")
            if self.part == "body":
                conn.sendall(self.head)
            for byte in slow:
                conn.sendall(bytes([byte]))
                time.sleep(self.pause)
            conn.sendall(fast)
        except OSError:
            pass  # the client hung up: what a deadline does
        finally:
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_trickling_server_is_cut_off_at_the_deadline(scraper, part):  # noqa: F811
    # Each byte comes well within the read timeout, so only an overall deadline can stop it: the
    # whole answer takes about 4 s; the deadline is 1 s.
    scraper.COINSTACK_SCRAPER_TIMEOUT = (1, 0.5)
    scraper.COINSTACK_SCRAPER_DEADLINE = 1.0
    server = TricklingServer(part, length=60, pause=0.05)
    try:
        with pytest.raises(FetchTimeout, match="longer than 1 s"):
            fetch(f"http://127.0.0.1:{server.port}/lot")
    finally:
        server.close()


def test_a_slow_but_steady_answer_within_the_deadline_is_read_whole(scraper):  # noqa: F811
    scraper.COINSTACK_SCRAPER_TIMEOUT = (1, 0.5)
    scraper.COINSTACK_SCRAPER_DEADLINE = 30.0
    server = TricklingServer("body", length=10, pause=0.02)
    try:
        assert fetch(f"http://127.0.0.1:{server.port}/lot").content.count(b"x") == 10
    finally:
        server.close()
