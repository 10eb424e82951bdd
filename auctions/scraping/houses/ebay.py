"""eBay: `https://www.ebay.com/itm/397040880671` (also other eBay country sites, and the long form
`/itm/<title-slug>/<id>`). One item is one lot; the item number is the lot number.

Built from what eBay item pages are known to publish (schema.org Product with Offer, OpenGraph, the
"x-item-title" heading, "Winning bid"/"Sold" notes); not checked against a saved real page. The
seller's own description sits in an iframe on another host and is not fetched: the title and item
specifics are what the page itself holds.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

from numismatics.text import clean

from ..types import ParsedLot, ParseError
from .base import HouseParser, host_matches, money, soup_of
from .generic import lot_from_structured, read_structured

_PATH = re.compile(r"^/itm/(?:[^/]+/)?(?P<id>\d{9,15})/?$")
_DOMAINS = (
    "ebay.com",
    "ebay.co.uk",
    "ebay.de",
    "ebay.fr",
    "ebay.it",
    "ebay.es",
    "ebay.ca",
    "ebay.com.au",
    "ebay.at",
    "ebay.ch",
    "ebay.ie",
    "ebay.nl",
    "ebay.be",
)


class EbayParser(HouseParser):
    platform = "ebay"

    def matches(self, parts: SplitResult) -> bool:
        return host_matches(parts.hostname, *_DOMAINS) and bool(_PATH.match(parts.path))

    def canonical_url(self, url: str) -> str:
        parts = urlsplit(url)
        match = _PATH.match(parts.path)
        return f"https://{(parts.hostname or '').lower()}/itm/{match['id']}" if match else url

    def parse_lot(self, content: bytes | str, url: str) -> ParsedLot:
        parts = urlsplit(url)
        match = _PATH.match(parts.path)
        if not match:
            raise ParseError(f"{url}: not an eBay item URL (/itm/<number>).")
        item = match["id"]
        host = (parts.hostname or "www.ebay.com").lower()
        soup = soup_of(content)
        data = read_structured(soup, url, "#viTabs_0_is, .ux-layout-section-evo__item, .x-about-this-item")
        heading = soup.select_one(".x-item-title__mainTitle, h1")
        if heading is not None:
            data.title = clean(heading.get_text(" ")) or data.title
        ended = re.search(
            r"This listing (?:sold|was ended|ended)|Bidding has ended|This item is out of stock", data.text
        )
        overrides: dict = {}
        winning = re.search(
            r"(?:Winning bid|Sold for)\s*:?\s*((?:[A-Z]{2,3}\s*)?[$€£]?\s*[\d.,]+)", data.text
        )
        if winning:
            amount, currency = money(winning.group(1), data.offer_currency or None)
            overrides.update(hammer=(amount, currency or data.offer_currency), status="sold")
        elif ended and re.search(r"This listing sold", data.text):
            overrides.update(hammer=(data.offer_price, data.offer_currency), status="sold")
        elif ended:
            overrides.update(status="unsold")
        seller = soup.select_one(".x-sellercard-atf__info__about-seller a, [data-testid=str-title] a")
        return lot_from_structured(
            data,
            url=f"https://{host}/itm/{item}",
            house="eBay",
            platform=self.platform,
            lot_number=item,
            sale_name=f"eBay seller {clean(seller.get_text())}" if seller else "",
            description=data.description or data.title,
            **overrides,
        )
