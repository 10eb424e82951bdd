"""The fallback for any other site: schema.org JSON-LD (Product/Offer), OpenGraph, then page text.

Also the shared reader for houses whose markup we know only in outline (Heritage, eBay, Agora): they
publish JSON-LD and OpenGraph, and label their prices in the page text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from urllib.parse import SplitResult, urlsplit

from bs4 import BeautifulSoup

from numismatics.houses import is_platform, is_platform_name
from numismatics.lotpage import read_lot_page
from numismatics.text import clean

from ..types import ParsedLot, ParseError
from .base import (
    HouseParser,
    absolute,
    estimate,
    inner_html,
    json_ld_objects,
    labelled_values,
    ld_images,
    ld_offer,
    ld_types,
    lot_from_page,
    meta_content,
    money,
    node_text,
    parse_iso_datetime,
    unique,
)

# Label patterns for labelled_values(). Words that also start ordinary sentences or menu items
# ("Lot of 3 coins", "Auction information", "Closed auctions") must be followed by ":" or "|", or
# (for Lot) by a number.
PRICE_LABELS = {
    r"Estimate|Est\.": "estimate",
    r"Starting price|Starting bid|Opening bid|Start price": "starting",
    r"Price realized|Price realised|Sold for|Hammer price|Realized|Winning bid|Sold on .+? for": "sold",
    r"Current bid|Current price": "current",
    r"Lot(?=\s*(?:#|No\.?|number)?\s*:?\s*\d)(?:\s*#|\s+No\.?|\s+number)?": "lot",
    r"(?:Auction|Sale)(?=\s*[:|])": "sale",
    r"(?:Closing date|Closes|Closed|Ends|Ended|End date|Auction dates?)(?=\s*[:|])": "closing",
}

_SOLD_OUT = ("SoldOut", "OutOfStock", "Discontinued")
_ON_SALE = ("InStock", "PreOrder", "OnlineOnly", "LimitedAvailability", "InStoreOnly")


@dataclass
class Structured:
    """What a page says about its item, before a house decides what each piece means."""

    title: str = ""
    description: str = ""
    description_html: str = ""
    house: str = ""
    images: list[str] = field(default_factory=list)
    offer_price: Decimal | None = None
    offer_currency: str = ""
    availability: str = ""
    offer_end: datetime | None = None
    text: str = ""
    page_text: str = ""  # the same, with the page's blank lines between paragraphs kept
    labels: dict[str, str] = field(default_factory=dict)


def read_structured(soup: BeautifulSoup, url: str, description_selector: str = "") -> Structured:
    product = next(
        (item for item in json_ld_objects(soup) if ld_types(item) & {"Product", "IndividualProduct"}), {}
    )
    offer = ld_offer(product)
    main = soup.select_one("main") or soup.body or soup
    text = node_text(main)
    body = soup.select_one(description_selector) if description_selector else None
    if body is None:
        body = soup.select_one("[itemprop=description], .lot-description, .item-description, #description")
    description = node_text(body) or clean(product.get("description") or "")
    description = description or meta_content(soup, "og:description", "twitter:description", "description")
    h1 = soup.find("h1")
    title = (
        clean(product.get("name") or "")
        or meta_content(soup, "og:title", "twitter:title")
        or (clean(h1.get_text(" ")) if h1 else "")
        or (clean(soup.title.get_text()) if soup.title else "")
    )
    price, currency = None, ""
    if offer.get("price") not in (None, ""):
        price, found = money(str(offer.get("price")), offer.get("priceCurrency"))
        currency = offer.get("priceCurrency") or found or ""
    if price is None:
        price, found = money(meta_content(soup, "product:price:amount", "og:price:amount"))
        currency = meta_content(soup, "product:price:currency", "og:price:currency") or found or ""
    images = [absolute(src, url) for src in ld_images(product.get("image"))]
    images += [
        absolute(tag.get("content"), url) for tag in soup.find_all("meta", attrs={"property": "og:image"})
    ]
    return Structured(
        title=title,
        description=description,
        description_html=inner_html(body) if body is not None else "",
        house=meta_content(soup, "og:site_name"),
        images=unique(images),
        offer_price=price,
        offer_currency=(currency or "").upper(),
        availability=str(offer.get("availability") or "").rsplit("/", 1)[-1],
        offer_end=parse_iso_datetime(offer.get("priceValidUntil") or offer.get("availabilityEnds")),
        text=text,
        page_text=node_text(main, paragraphs=True),
        labels=labelled_values(text, PRICE_LABELS),
    )


def lot_from_structured(
    data: Structured, *, url: str, house: str, platform: str, default_house: str = "", **known
) -> ParsedLot:
    """A ParsedLot from what the page states: its schema.org data and labelled prices first, then
    the page text read as a person reads it (numismatics/lotpage.py) for whatever they leave out.
    `known` are build_lot's arguments a house parser already knows (its sale number, its lot)."""
    labels = data.labels
    has_price = data.offer_price is not None or any(
        key in labels for key in ("estimate", "starting", "sold", "current")
    )
    page = read_lot_page(data.page_text, url)
    if not house and not page.house:
        house = default_house  # neither the markup nor the page names the house
    description = data.description or page.lot_text
    # A title alone is what every error page has; a lot has a description or a price.
    if not description and not (data.title and has_price):
        raise ParseError(f"{url}: no lot description or price found on this page.")
    hammer = money(labels.get("sold"))
    structured: dict = {}
    if hammer[0] is None and data.availability in _SOLD_OUT and data.offer_price is not None:
        # A shop's sold-out item: its last price is what it sold for.
        hammer = (data.offer_price, data.offer_currency)
    current = money(labels.get("current"))
    on_sale = data.availability in _ON_SALE
    starting = money(labels.get("starting"))
    if starting[0] is None and on_sale and data.offer_price is not None and current[0] is None:
        starting = (data.offer_price, data.offer_currency)
    lot_match = re.match(r"#?\s*([\w/-]+)", labels.get("lot", ""))
    structured.update(
        house_name=house,
        lot_number=lot_match.group(1) if lot_match else "",
        sale_name=clean(labels.get("sale", ""))[:200],
        title=data.title,
        description=data.description or (page.lot_text or data.title),
        description_html=data.description_html,
        estimate=estimate(labels.get("estimate")),
        starting=starting,
        hammer=hammer,
        current=current,
        currency=data.offer_currency,
        closing_date=data.offer_end,
        open_for_bids=on_sale or None,
        unsold=bool(re.search(r"\b(unsold|passed|not sold|no sale)\b", labels.get("sold", ""), re.IGNORECASE))
        or None,
        image_urls=data.images,
    )
    structured.update(known)
    return lot_from_page(page, url=url, platform=platform, **structured)


class GenericParser(HouseParser):
    platform = "generic"

    def matches(self, parts: SplitResult) -> bool:
        return parts.scheme in ("http", "https") and bool(parts.hostname)

    def parse_lot(self, content: bytes | str, url: str) -> ParsedLot:
        from .base import soup_of  # local: keeps the import list above about structure only

        soup = soup_of(content)
        data = read_structured(soup, url)
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        if is_platform(host):
            host = ""  # iCollector, LiveAuctioneers ... host other houses: the page must name it
        # A platform's own name in its markup ("biddr.com") is not the house: the page must name it.
        house = "" if is_platform_name(data.house) else data.house
        return lot_from_structured(
            data, url=self.canonical_url(url), house=house, default_house=host, platform=self.platform
        )
