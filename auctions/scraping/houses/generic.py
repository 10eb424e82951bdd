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

from numismatics.text import clean

from ..types import ParsedLot, ParseError
from .base import (
    HouseParser,
    absolute,
    estimate,
    first_line,
    inner_html,
    json_ld_objects,
    labelled_values,
    ld_images,
    ld_offer,
    ld_types,
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
        labels=labelled_values(text, PRICE_LABELS),
    )


def lot_from_structured(data: Structured, *, url: str, house: str, platform: str, **overrides) -> ParsedLot:
    """A ParsedLot from what the page states; labelled prices win over the schema.org offer."""
    has_price = data.offer_price is not None or any(
        key in data.labels for key in ("estimate", "starting", "sold", "current")
    )
    # A title alone is what every error page has; a lot has a description or a price.
    if not (data.description or (data.title and has_price)):
        raise ParseError(f"{url}: no lot description or price found on this page.")
    labels = data.labels
    low, high, estimate_currency = estimate(labels.get("estimate"))
    start, start_currency = money(labels.get("starting"))
    hammer, hammer_currency = money(labels.get("sold"))
    current, current_currency = money(labels.get("current"))
    sold_label = labels.get("sold", "")
    status = "unknown"
    if hammer is not None:
        status = "sold"
    elif re.search(
        r"\b(unsold|passed|not sold|no sale)\b", sold_label + " " + data.text[:5000], re.IGNORECASE
    ):
        status = "unsold"
    elif data.availability in _SOLD_OUT and data.offer_price is not None:
        # A shop's sold-out item: its last price is what it sold for.
        hammer, hammer_currency, status = data.offer_price, data.offer_currency, "sold"
    elif current is not None or data.availability in _ON_SALE:
        status = "open"
    if start is None and status == "open" and data.offer_price is not None and current is None:
        start, start_currency = data.offer_price, data.offer_currency
    lot_match = re.match(r"#?\s*([\w/-]+)", labels.get("lot", ""))
    fields = {
        "url": url,
        "house_name": house,
        "platform": platform,
        "lot_number": lot_match.group(1) if lot_match else "",
        "sale_name": clean(labels.get("sale", ""))[:200],
        "title": first_line(data.title or data.description),
        "description": data.description or data.title,
        "description_html": data.description_html,
        "estimate_low": low,
        "estimate_high": high,
        "starting_price": start,
        "hammer_price": hammer,
        "currency": (
            hammer_currency or estimate_currency or start_currency or current_currency or data.offer_currency
        )
        or "",
        "closing_date": data.offer_end,
        "status": status,
        "image_urls": data.images,
    }
    fields.update(overrides)
    return ParsedLot(**fields)


class GenericParser(HouseParser):
    platform = "generic"

    def matches(self, parts: SplitResult) -> bool:
        return parts.scheme in ("http", "https") and bool(parts.hostname)

    def parse_lot(self, content: bytes | str, url: str) -> ParsedLot:
        from .base import soup_of  # local: keeps the import list above about structure only

        soup = soup_of(content)
        data = read_structured(soup, url)
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        return lot_from_structured(
            data, url=self.canonical_url(url), house=data.house or host, platform=self.platform
        )
