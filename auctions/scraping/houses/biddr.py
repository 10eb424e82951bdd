"""Biddr: a platform hosting many houses (Savoca, Roma, Leu, Nomos, Künker, ...).

Lot URLs come in two shapes: the current `https://www.biddr.com/<house>/auction?a=<sale>&l=<lot>`
(what the site's og:url gives) and the older `https://www.biddr.com/auctions/<house>/browse?a=..&l=..`.
Both name the same lot, so both are canonicalised to the current shape: one URL, one lot row.
The house is the hosted house (from the page, else from the URL slug), never "Biddr".
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qs, urlsplit

from bs4 import BeautifulSoup

from numismatics.houses import house_for_slug
from numismatics.text import clean

from ..types import ParsedListing, ParsedLot, ParseError
from .base import (
    HouseParser,
    absolute,
    build_lot,
    buyers_premium,
    estimate,
    first_line,
    host_matches,
    inner_html,
    labelled_values,
    lot_from_page,
    money,
    node_text,
    page_reading,
    parse_date_text,
    parse_datetime_text,
    soup_of,
    unique,
)

_NEW_PATH = re.compile(r"^/(?P<slug>[A-Za-z0-9_-]+)/auction/?$")
_OLD_PATH = re.compile(r"^/auctions/(?P<slug>[A-Za-z0-9_-]+)/browse/?$")

_PRICE_LABELS = {
    r"Starting price": "starting",
    r"Estimate": "estimate",
    r"Price realized|Price realised|Hammer price|Result|Sold for": "hammer",
}


def _ids(url: str) -> tuple[str, str, str]:
    """(house slug, sale id, lot id) from either URL shape; lot id is "" for a listing."""
    parts = urlsplit(url)
    match = _NEW_PATH.match(parts.path) or _OLD_PATH.match(parts.path)
    if not match:
        raise ParseError(f"{url}: not a Biddr auction URL.")
    query = parse_qs(parts.query)
    sale = (query.get("a") or [""])[0]
    lot = (query.get("l") or [""])[0]
    return match["slug"].lower(), sale, lot


def canonical_lot_url(slug: str, sale: str, lot: str) -> str:
    return f"https://www.biddr.com/{slug}/auction?a={sale}&l={lot}"


def house_from_slug(slug: str) -> str:
    """The hosted house a URL slug names, through the list of houses; an unlisted slug as written."""
    return house_for_slug(slug) or slug


class BiddrParser(HouseParser):
    platform = "biddr"

    def matches(self, parts: SplitResult) -> bool:
        if not host_matches(parts.hostname, "biddr.com"):
            return False
        path_match = _NEW_PATH.match(parts.path) or _OLD_PATH.match(parts.path)
        return bool(path_match) and "a" in parse_qs(parts.query)

    def is_listing(self, url: str) -> bool:
        return not _ids(url)[2]

    def canonical_url(self, url: str) -> str:
        slug, sale, lot = _ids(url)
        return canonical_lot_url(slug, sale, lot) if lot else f"https://www.biddr.com/{slug}/auction?a={sale}"

    # --- sale header, shared by lot and listing pages ---------------------------------------------

    def _sale(self, soup: BeautifulSoup, slug: str, sale_id: str) -> dict:
        title = soup.select_one(".catalog-title")
        sale_name = clean(title.h1.get_text()) if title and title.h1 else ""
        house_link = title.select_one("span a") if title else None
        house = clean(house_link.get_text()) if house_link else ""
        subtitle = soup.select_one(".catalog-description")
        date_line = soup.select_one(".catalog-description-alt")
        timetable = node_text(soup.select_one(".catalog-timetable"))
        closing = None
        for label in ("The auction will take place on:", "The auction took place on:"):
            if label in timetable:
                closing = parse_datetime_text(timetable.split(label, 1)[1].split("\n", 2)[1])
                break
        number = re.search(r"\b(?:Auction|Sale|E-Auction|Live Auction)\s+(\d+)\b", sale_name, re.IGNORECASE)
        return {
            "house_name": house or house_from_slug(slug),
            # The markup or the list of houses named it (not an unknown slug taken as written).
            "house_named": bool(house or house_for_slug(slug)),
            "sale_name": sale_name,
            "sale_number": number.group(1) if number else "",
            "sale_date": parse_date_text(date_line.get_text(" ") if date_line else ""),
            "closing_date": closing,
            "premium_text": subtitle.get_text(" ") if subtitle else "",
            "closed": "The auction is closed" in timetable or "took place on" in timetable,
            "sale_url": f"https://www.biddr.com/{slug}/auction?a={sale_id}" if sale_id else "",
        }

    # --- lot page ---------------------------------------------------------------------------------

    def parse_lot(self, content: bytes | str, url: str) -> ParsedLot:
        slug, sale_id, lot_id = _ids(url)
        if not lot_id:
            raise ParseError(f"{url}: this is a Biddr sale listing, not a lot (no l= in the URL).")
        soup = soup_of(content)
        sale = self._sale(soup, slug, sale_id)
        canonical = canonical_lot_url(slug, sale_id, lot_id)
        images = unique(
            absolute(link.get("href"), url) for link in soup.select(".lot-image .carousel-item a[href]")
        )
        body = soup.select_one(".lot-description")
        if body is None:
            # Saved page text, or markup we do not know: read the page as a person would. A slug
            # the list of houses does not know is only a last resort: the house the page names wins.
            page = page_reading(soup, url)
            known_house = sale["house_name"] if sale["house_named"] else ""
            return lot_from_page(
                page,
                url=canonical,
                platform=self.platform,
                house_name=known_house or page.house or sale["house_name"],
                sale_name=sale["sale_name"],
                sale_number=sale["sale_number"],
                sale_date=sale["sale_date"],
                sale_url=sale["sale_url"],
                closing_date=sale["closing_date"],
                image_urls=images,
            )
        for extra in body.select(".truncatable-expand"):
            extra.decompose()
        description = node_text(body)

        bidding = soup.select_one(".lot-bidding")
        price_text = node_text(bidding) if bidding is not None else node_text(soup.body or soup)
        values = labelled_values(price_text, _PRICE_LABELS)
        hammer_text = values.get("hammer", "")

        heading = soup.select_one(".lot-navigation h2")
        lot_number = ""
        if (heading and (match := re.search(r"Lot\s+(\S+)", heading.get_text()))) or (
            soup.title and (match := re.search(r",\s*lot\s+([\w/-]+)\.", soup.title.get_text()))
        ):
            lot_number = match.group(1)
        open_form = bool(soup.select_one("form[id^=bid_form]") or re.search(r"\d+\s*min\s+left", price_text))
        # What the markup gives wins; whatever it leaves out is read from the page as a person reads it.
        return lot_from_page(
            page_reading(soup, url),
            url=canonical,
            platform=self.platform,
            house_name=sale["house_name"],
            sale_name=sale["sale_name"],
            sale_number=sale["sale_number"],
            sale_date=sale["sale_date"],
            sale_url=sale["sale_url"],
            lot_number=lot_number,
            title=first_line(description),
            description=description,
            description_html=inner_html(body),
            estimate=estimate(values.get("estimate")),
            starting=money(values.get("starting")),
            hammer=money(hammer_text),
            buyers_premium_pct=buyers_premium(description, sale["premium_text"]),
            closing_date=sale["closing_date"],
            unsold=bool(re.search(r"\bunsold\b", hammer_text + " " + price_text, re.IGNORECASE)),
            open_for_bids=open_form,
            image_urls=images,
        )

    # --- sale listing -----------------------------------------------------------------------------

    def parse_listing(self, content: bytes | str, url: str) -> ParsedListing:
        slug, sale_id, _lot = _ids(url)
        soup = soup_of(content)
        sale = self._sale(soup, slug, sale_id)
        entries = soup.select(".catalog-grid .list-style-separator")
        if not entries:
            raise ParseError(f"{url}: no lots found on this Biddr listing page.")
        lots = [self._listing_lot(entry, url, slug, sale) for entry in entries]
        next_link = soup.select_one('.pagination-1 a[aria-label="Next"]:not(.disabled)')
        next_url = absolute(next_link.get("href"), url) if next_link else None
        return ParsedListing(lots=[lot for lot in lots if lot], next_page_url=next_url)

    def _listing_lot(self, entry, url: str, slug: str, sale: dict) -> ParsedLot | None:
        link = entry.select_one(".lot-description a[href]")
        if link is None:
            return None
        lot_url = absolute(link["href"], url) or ""
        _slug, sale_id, lot_id = _ids(lot_url)
        number_tag = link.find("b")
        lot_number = ""
        if number_tag and (match := re.search(r"Lot\s+([\w/-]+)", number_tag.get_text())):
            lot_number = match.group(1)
            number_tag.decompose()
        # Biddr prints listing text with its source line breaks kept (CSS pre-line), so keep them too.
        description = "\n".join(line for line in (clean(x) for x in link.get_text().split("\n")) if line)
        price_cells = entry.select(".lot-price > div")
        label = clean(price_cells[0].get_text()) if price_cells else ""
        value = clean(price_cells[1].get_text()) if len(price_cells) > 1 else ""
        amount, currency = money(value)
        label_l = label.lower()
        prices: dict = {}
        if "realized" in label_l or "realised" in label_l or "hammer" in label_l:
            prices = {"hammer": (amount, currency), "unsold": "unsold" in value.lower()}
        elif "starting" in label_l:
            prices = {"starting": (amount, currency), "open_for_bids": not sale["closed"]}
        elif "estimate" in label_l:
            prices = {"estimate": (amount, None, currency), "open_for_bids": not sale["closed"]}
        return build_lot(
            url=canonical_lot_url(slug, sale_id, lot_id),
            house_name=sale["house_name"],
            platform=self.platform,
            sale_name=sale["sale_name"],
            sale_number=sale["sale_number"],
            sale_date=sale["sale_date"],
            sale_url=sale["sale_url"],
            lot_number=lot_number,
            description=description,
            closing_date=sale["closing_date"],
            buyers_premium_pct=buyers_premium(sale["premium_text"]),
            image_urls=[absolute(a.get("href"), url) for a in entry.select(".lot-image a[data-pswp-width]")],
            **prices,
        )
