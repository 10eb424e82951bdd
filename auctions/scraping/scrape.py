"""Scrape by URL, from a saved page, or a whole sale: fetch -> parse -> store, one outcome per URL.

The management commands and the admin's background jobs (auctions/jobs.py) both call these, so they
report the same way. Whatever one URL does (a fetch error, a page the parser cannot read, a page
nested too deep, a bug in a parser), it is caught, named with the URL and counted as failed; the
batch goes on to the next URL. Nothing is written for a URL whose page could not be fetched or read.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError

from auctions.models import AuctionLot, LotStatus

from .errors import LinkedToAnotherCoin
from .houses import UnknownHouse, recognise
from .http import Blocked, FetchError, fetch
from .store import StoreResult, link_changes, refuse_move, store_lot
from .types import ParseError

logger = logging.getLogger(__name__)

OUTCOMES = ("created", "updated", "unchanged", "failed", "blocked")


@dataclass
class ScrapeOutcome:
    url: str
    outcome: str  # one of OUTCOMES
    message: str = ""
    lot_id: int | None = None
    # Refused because the lot is linked to another coin: the admin offers the explicit move.
    refused_move: bool = False

    def as_dict(self) -> dict:
        """JSON-ready, as a background job records it."""
        return {
            "url": self.url,
            "outcome": self.outcome,
            "message": self.message,
            "lot_id": self.lot_id,
            "refused_move": self.refused_move,
        }

    @classmethod
    def from_dict(cls, data: dict) -> ScrapeOutcome:
        return cls(
            str(data.get("url", "")),
            str(data.get("outcome", "failed")),
            str(data.get("message", "")),
            data.get("lot_id"),
            bool(data.get("refused_move")),
        )

    @property
    def ok(self) -> bool:
        return self.outcome in ("created", "updated", "unchanged")

    @property
    def detail(self) -> str:
        """The message without the URL that errors start with (the line names the URL already)."""
        return self.message.removeprefix(f"{self.url}: ")

    def line(self) -> str:
        """The one line a command prints for this URL."""
        return f"{self.outcome:9} {self.url}" + (f"  {self.detail}" if self.detail else "")


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


def _unexpected(url: str, exc: BaseException) -> ScrapeOutcome:
    """A failure no parser or fetch error foresaw (a page nested deeper than any real one, a parser
    bug): logged with its traceback, reported as this URL's failure, and the batch goes on."""
    logger.error("scraping %s failed unexpectedly", url, exc_info=exc)
    return ScrapeOutcome(url, "failed", f"could not be read ({type(exc).__name__}: {str(exc)[:200]}).")


def _label(result: StoreResult) -> str:
    lot = result.lot
    parts = (
        lot.house.name if lot.house_id else "",
        (lot.sale.name or lot.sale.number) if lot.sale_id else "",
        f"lot {lot.lot_number}" * bool(lot.lot_number),
    )
    return " ".join(part for part in parts if part)


def describe(label: str, changes: list[str], kept: list[str]) -> str:
    """The message after the URL: what the lot is, what changed, what was kept though unstated."""
    message = label
    if changes:
        message += ("; " if message else "") + "changed: " + ", ".join(changes)
    if kept:
        message += ("; " if message else "") + "kept (the page no longer states them): " + ", ".join(kept)
    return message


def _store(parsed, url: str, *, coin, role, download_images, relink=False) -> ScrapeOutcome:
    try:
        result = store_lot(parsed, coin=coin, role=role, download_images=download_images, relink=relink)
    except LinkedToAnotherCoin as exc:
        return ScrapeOutcome(url, "failed", str(exc), refused_move=True)
    except (ValidationError, DatabaseError) as exc:
        logger.exception("storing %s failed", url)
        return ScrapeOutcome(url, "failed", f"could not be saved: {exc}")
    return ScrapeOutcome(
        url, result.outcome, describe(_label(result), result.changes, result.kept), result.lot.pk
    )


def _parse(url: str, content: bytes | str, parse_url: str | None = None):
    parser = recognise(url)
    if parser.is_listing(url):
        raise ParseError(f"{url}: this is a sale listing; use scrape_sale for it.")
    return parser.parse_lot(content, parse_url or url)


def scrape_url(
    url: str,
    *,
    coin=None,
    role: str | None = None,
    refresh: bool = False,
    download_images: bool = True,
    relink: bool = False,
) -> ScrapeOutcome:
    """Fetch, parse and store one lot URL. A closed lot already stored is not fetched again
    unless refresh is set (its price will not change); open lots are always re-read.

    With `coin`, the lot is linked to it, unless it is linked to another coin and `relink` is not
    set: then nothing is written and the outcome says which coin holds it. Never raises: whatever
    goes wrong is this URL's "failed" outcome.
    """
    url = url.strip()
    try:
        return _scrape_url(
            url, coin=coin, role=role, refresh=refresh, download_images=download_images, relink=relink
        )
    except Exception as exc:  # one URL must never end the batch; logged with its traceback
        return _unexpected(url, exc)


def _scrape_url(url: str, *, coin, role, refresh, download_images, relink) -> ScrapeOutcome:
    try:
        parser = recognise(url)
    except UnknownHouse as exc:
        return ScrapeOutcome(url, "failed", str(exc))
    try:
        canonical = parser.canonical_url(url)
    except ParseError as exc:
        return ScrapeOutcome(url, "failed", str(exc))
    known = AuctionLot.objects.filter(url=canonical).first()
    if known is not None and coin is not None:
        try:
            refuse_move(url, known, coin, relink)  # before anything is fetched
        except LinkedToAnotherCoin as exc:
            return ScrapeOutcome(url, "failed", str(exc), known.pk, refused_move=True)
    if known and not refresh and known.status in (LotStatus.SOLD, LotStatus.UNSOLD):
        if coin is not None:
            changes = link_changes(known, coin, role)
            if changes:
                known.save(update_fields=["coin", "coin_role", "updated_at"])
                return ScrapeOutcome(
                    url, "updated", describe("closed lot, not re-fetched", changes, []), known.pk
                )
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
    return _store(parsed, url, coin=coin, role=role, download_images=download_images, relink=relink)


def scrape_urls(urls, **options) -> ScrapeReport:
    report = ScrapeReport()
    for url in urls:
        report.add(scrape_url(url, **options))
    return report


def scrape_saved_page(
    path: str | Path,
    url: str,
    *,
    coin=None,
    role: str | None = None,
    download_images: bool = True,
    relink: bool = False,
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
    except Exception as exc:  # reported as this page's failure, never a traceback
        return _unexpected(url, exc)
    try:
        return _store(parsed, url, coin=coin, role=role, download_images=download_images, relink=relink)
    except Exception as exc:
        return _unexpected(url, exc)


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
        except Exception as exc:  # the listing page fails, named; nothing else is lost
            report.add(_unexpected(page_url, exc))
            break
        for parsed in listing.lots:
            try:
                outcome = _store(parsed, parsed.url, coin=None, role=None, download_images=download_images)
            except Exception as exc:  # one lot of the listing never ends the rest
                outcome = _unexpected(parsed.url, exc)
            report.add(outcome)
        page_url = listing.next_page_url
    return report
