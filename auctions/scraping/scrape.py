"""Scrape by URL, from a saved page, or a whole sale: fetch -> parse -> store, one outcome per URL.

The management commands and the admin both call these, so they report the same way. An error on
one URL is caught, named with the URL and counted; the batch goes on. Nothing is written for a URL
whose page could not be fetched or read.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError

from auctions.models import AuctionLot, LotStatus

from .houses import UnknownHouse, recognise
from .http import Blocked, FetchError, fetch
from .store import store_lot
from .types import ParseError

logger = logging.getLogger(__name__)

OUTCOMES = ("created", "updated", "unchanged", "failed", "blocked")


@dataclass
class ScrapeOutcome:
    url: str
    outcome: str  # one of OUTCOMES
    message: str = ""
    lot_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in ("created", "updated", "unchanged")

    def line(self) -> str:
        """The one line a command prints for this URL."""
        message = self.message.removeprefix(f"{self.url}: ")  # errors name their URL already
        return f"{self.outcome:9} {self.url}" + (f"  {message}" if message else "")


@dataclass
class ScrapeReport:
    outcomes: list[ScrapeOutcome] = field(default_factory=list)

    def add(self, outcome: ScrapeOutcome) -> ScrapeOutcome:
        self.outcomes.append(outcome)
        return outcome

    @property
    def counts(self) -> Counter:
        return Counter(outcome.outcome for outcome in self.outcomes)

    @property
    def has_failures(self) -> bool:
        return any(not outcome.ok for outcome in self.outcomes)

    def summary(self) -> str:
        counts = self.counts
        return ", ".join(f"{counts.get(name, 0)} {name}" for name in OUTCOMES)


def _store(parsed, url: str, *, coin, role, download_images) -> ScrapeOutcome:
    try:
        result = store_lot(parsed, coin=coin, role=role, download_images=download_images)
    except (ValidationError, DatabaseError) as exc:
        logger.exception("storing %s failed", url)
        return ScrapeOutcome(url, "failed", f"could not be saved: {exc}")
    parts = (
        parsed.house_name,
        parsed.sale_name or parsed.sale_number,
        f"lot {parsed.lot_number}" * bool(parsed.lot_number),
    )
    label = " ".join(part for part in parts if part)
    return ScrapeOutcome(url, result.outcome, label, result.lot.pk)


def _parse(url: str, content: bytes | str, parse_url: str | None = None):
    parser = recognise(url)
    if parser.is_listing(url):
        raise ParseError(f"{url}: this is a sale listing; use scrape_sale for it.")
    return parser.parse_lot(content, parse_url or url)


def scrape_url(
    url: str, *, coin=None, role: str | None = None, refresh: bool = False, download_images: bool = True
) -> ScrapeOutcome:
    """Fetch, parse and store one lot URL. A closed lot already stored is not fetched again
    unless refresh is set (its price will not change); open lots are always re-read."""
    url = url.strip()
    try:
        parser = recognise(url)
    except UnknownHouse as exc:
        return ScrapeOutcome(url, "failed", str(exc))
    try:
        canonical = parser.canonical_url(url)
    except ParseError as exc:
        return ScrapeOutcome(url, "failed", str(exc))
    known = AuctionLot.objects.filter(url=canonical).first()
    if known and not refresh and known.status in (LotStatus.SOLD, LotStatus.UNSOLD):
        if coin is not None and (known.coin_id != coin.pk or (role and known.coin_role != role)):
            known.coin = coin
            known.coin_role = role or known.coin_role
            known.save(update_fields=["coin", "coin_role", "updated_at"])
            return ScrapeOutcome(url, "updated", "linked to the coin (closed lot, not re-fetched)", known.pk)
        return ScrapeOutcome(
            url, "unchanged", "closed lot already stored (use --refresh to re-read)", known.pk
        )
    try:
        if parser.is_listing(url):
            return ScrapeOutcome(url, "failed", "this is a sale listing: use scrape_sale")
        page = fetch(url)
        parsed = parser.parse_lot(page.content, url)
    except Blocked as exc:
        return ScrapeOutcome(url, "blocked", str(exc))
    except (FetchError, ParseError) as exc:
        return ScrapeOutcome(url, "failed", str(exc))
    return _store(parsed, url, coin=coin, role=role, download_images=download_images)


def scrape_urls(urls, **options) -> ScrapeReport:
    report = ScrapeReport()
    for url in urls:
        report.add(scrape_url(url, **options))
    return report


def scrape_saved_page(
    path: str | Path, url: str, *, coin=None, role: str | None = None, download_images: bool = True
) -> ScrapeOutcome:
    """Read a page the user saved in a browser (for sites that block robots) as if fetched from url."""
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        return ScrapeOutcome(url, "failed", f"cannot read {path}: {exc.strerror}")
    try:
        parsed = _parse(url, content)
    except (UnknownHouse, ParseError) as exc:
        return ScrapeOutcome(url, "failed", str(exc))
    return _store(parsed, url, coin=coin, role=role, download_images=download_images)


def scrape_sale(url: str, max_pages: int = 1, *, download_images: bool = False) -> ScrapeReport:
    """Store every lot of a sale listing, page by page (up to max_pages), from the listing itself.

    Listings give each lot's number, price and status (and a shortened text), which is what price
    research needs; scrape a lot's own URL for its full description. Images are off by default: a
    sale page lists a hundred lots, and each image is one more polite, spaced-out request.
    """
    report = ScrapeReport()
    try:
        parser = recognise(url)
    except UnknownHouse as exc:
        report.add(ScrapeOutcome(url, "failed", str(exc)))
        return report
    page_url: str | None = url
    pages = 0
    while page_url and pages < max_pages:
        pages += 1
        try:
            page = fetch(page_url)
            listing = parser.parse_listing(page.content, page_url)
        except Blocked as exc:
            report.add(ScrapeOutcome(page_url, "blocked", str(exc)))
            break
        except (FetchError, ParseError) as exc:
            report.add(ScrapeOutcome(page_url, "failed", str(exc)))
            break
        for parsed in listing.lots:
            report.add(_store(parsed, parsed.url, coin=None, role=None, download_images=download_images))
        page_url = listing.next_page_url
    return report
