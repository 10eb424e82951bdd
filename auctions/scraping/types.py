"""What a house parser returns: plain data, no Django models, so parsers stay pure and testable.

The store (auctions/scraping/store.py) turns a ParsedLot into database rows; commands and the admin
only ever see these types and the outcomes the store reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

PLATFORMS = ("biddr", "numisbids", "sixbid", "cng", "heritage", "ebay", "agora", "generic")
STATUSES = ("open", "sold", "unsold", "unknown")


class ParseError(ValueError):
    """The page is not a lot page this parser understands (a malformed or unrelated page).

    Raised instead of returning an empty ParsedLot, so the store never writes a lot with no content.
    """


@dataclass
class ParsedLot:
    """One auction lot as read from one page. Money is Decimal in `currency`; None means "not stated"."""

    url: str
    house_name: str
    platform: str
    lot_number: str = ""
    sale_name: str = ""
    sale_number: str = ""
    sale_date: date | None = None
    # The sale's own page on the platform (a listing URL): identifies the sale when a lot page does
    # not print the sale's name (trimmed NumisBids pages, Biddr page text).
    sale_url: str = ""
    title: str = ""
    description: str = ""
    # Raw HTML fragment as the house wrote it. Never display it raw: it is sanitised with nh3 first.
    description_html: str = ""
    estimate_low: Decimal | None = None
    estimate_high: Decimal | None = None
    starting_price: Decimal | None = None
    hammer_price: Decimal | None = None
    currency: str = ""
    buyers_premium_pct: Decimal | None = None
    # What the page says about the buyer's premium, as written ("This amount does not include the
    # buyer's fee", "zzgl. Aufgeld"): whether a price realized includes it.
    premium_note: str = ""
    closing_date: datetime | None = None
    status: str = "unknown"
    image_urls: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # A typo in a parser ("Sold") would otherwise reach the database and break the filters.
        if self.platform not in PLATFORMS:
            raise ValueError(f"unknown platform {self.platform!r}")
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")


@dataclass
class ParsedListing:
    """One page of a sale listing: its lots (often with shortened descriptions) and the next page."""

    lots: list[ParsedLot]
    next_page_url: str | None = None
