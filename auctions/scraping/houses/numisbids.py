"""NumisBids: a platform hosting many houses' catalogues (Heritage, Spink, NAC, ...).

Lot URLs: `https://www.numisbids.com/n.php?p=lot&sid=4242&lot=121` and `/sale/<sid>/lot/<lot>`;
sale pages: `n.php?p=sale&sid=..` and `/sale/<sid>`. `sid` is NumisBids' id for the sale, not the
house's sale number (which is in the sale name: "ANA Signature Sale 3135").
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qs, urlsplit

from bs4 import BeautifulSoup

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
    soup_of,
    unique,
)

_LOT_PATH = re.compile(r"^/sale/(?P<sid>\d+)/lot/(?P<lot>[\w-]+)/?$")
_SALE_PATH = re.compile(r"^/sale/(?P<sid>\d+)/?$")
_ESTIMATE_LINE = re.compile(r"^\s*Estimate:?\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_PRICE_LABELS = {
    r"Starting price": "starting",
    r"Price realized|Price realised": "hammer",
    r"Current bid": "current",
    r"Estimate": "estimate",
}


def _ids(url: str) -> tuple[str, str]:
    """(sid, lot) from any NumisBids URL shape; lot is "" for a sale page."""
    parts = urlsplit(url)
    if match := _LOT_PATH.match(parts.path):
        return match["sid"], match["lot"]
    if match := _SALE_PATH.match(parts.path):
        return match["sid"], ""
    if parts.path.rstrip("/").lower() == "/n.php":
        query = parse_qs(parts.query)
        return (query.get("sid") or [""])[0], (query.get("lot") or [""])[0]
    raise ParseError(f"{url}: not a NumisBids lot or sale URL.")


def canonical_lot_url(sid: str, lot: str) -> str:
    return f"https://www.numisbids.com/n.php?p=lot&sid={sid}&lot={lot}"


def canonical_sale_url(sid: str) -> str:
    return f"https://www.numisbids.com/n.php?p=sale&sid={sid}"


class NumisBidsParser(HouseParser):
    platform = "numisbids"

    def matches(self, parts: SplitResult) -> bool:
        if not host_matches(parts.hostname, "numisbids.com"):
            return False
        if _LOT_PATH.match(parts.path) or _SALE_PATH.match(parts.path):
            return True
        query = parse_qs(parts.query)
        return parts.path.rstrip("/").lower() == "/n.php" and (query.get("p") or [""])[0] in ("lot", "sale")

    def is_listing(self, url: str) -> bool:
        return not _ids(url)[1]

    def canonical_url(self, url: str) -> str:
        sid, lot = _ids(url)
        return canonical_lot_url(sid, lot) if lot else canonical_sale_url(sid)

    def _sale(self, soup: BeautifulSoup, sid: str) -> dict:
        """House and sale from the sale banner, else from the <title> (trimmed pages keep only that)."""
        banner = soup.select_one(".salestatus .text")
        house = sale_name = ""
        sale_date = None
        if banner is not None:
            name = banner.select_one(".name")
            house = clean(name.get_text()) if name else ""
            bold = banner.find("b")
            sale_name = clean(bold.get_text()) if bold else ""
            sale_date = parse_date_text(banner.get_text(" "))
        title = clean(soup.title.get_text()) if soup.title else ""
        if not house and title:
            # "Lot 2 - Spink", "Spink - Auction 26200", "NumisBids: Heritage ... Sale 3135, Lot 33272"
            if match := re.match(r"^Lot\s+\S+\s+-\s+(.+)$", title):
                house = match.group(1)
            elif match := re.match(r"^(.+?)\s+-\s+(.+)$", title):
                house, sale_name = match.group(1), sale_name or match.group(2)
        number = re.search(r"(\d+)\s*$", sale_name)
        return {
            "house_name": house,
            "sale_name": sale_name,
            "sale_number": number.group(1) if number else "",
            "sale_date": sale_date,
            "sale_url": canonical_sale_url(sid) if sid else "",
        }

    def parse_lot(self, content: bytes | str, url: str) -> ParsedLot:
        sid, lot = _ids(url)
        if not lot:
            raise ParseError(f"{url}: this is a NumisBids sale page, not a lot.")
        soup = soup_of(content)
        box = soup.select_one(".viewlot")
        sale = self._sale(soup, sid)
        canonical = canonical_lot_url(sid, lot)
        # The lot text is the plain div.description; its namesakes with an id are the watch-list
        # note and the bid-confirmation box.
        body = (
            next(
                (
                    div
                    for div in box.select("div.description")
                    if div.get("class") == ["description"] and not div.get("id")
                ),
                None,
            )
            if box is not None
            else None
        )
        description = node_text(body)
        if box is None or not description:
            # Saved page text, or markup we do not know: read the page as a person would.
            return lot_from_page(
                page_reading(soup, url),
                url=canonical,
                platform=self.platform,
                house_name=sale["house_name"],
                sale_name=sale["sale_name"],
                sale_number=sale["sale_number"],
                sale_date=sale["sale_date"],
                sale_url=sale["sale_url"],
                lot_number="" if box is None else lot,
            )
        estimate_match = _ESTIMATE_LINE.search(description)
        if estimate_match:
            description = description[: estimate_match.start()].rstrip()
        bold = body.find(["b", "strong"]) if body else None
        prices = labelled_values(node_text(box.select_one(".estimate .right")), _PRICE_LABELS)
        page_text = node_text(box)
        if not sale["house_name"]:
            link = box.select_one("a.firminfopopup")
            if link and (match := re.search(r"Contact\s+(.+)", link.get_text())):
                sale["house_name"] = clean(match.group(1))
        images = unique(absolute(a.get("href"), url) for a in box.select(".viewlotimgnav a[href]"))
        if not images:
            images = unique(absolute(a.get("href"), url) for a in box.select(".viewlotimg a[href]"))
        lot_label = box.select_one(".estimate .left")
        lot_number = lot
        if lot_label and (match := re.search(r"Lot\s+([\w/-]+)", lot_label.get_text(" "))):
            lot_number = match.group(1)
        # What the markup gives wins; whatever it leaves out is read from the page as a person reads it.
        return lot_from_page(
            page_reading(soup, url),
            url=canonical,
            house_name=sale["house_name"],
            unknown_house="Unknown (NumisBids)",
            platform=self.platform,
            sale_name=sale["sale_name"],
            sale_number=sale["sale_number"],
            sale_date=sale["sale_date"],
            sale_url=sale["sale_url"],
            lot_number=lot_number,
            title=clean(bold.get_text()).rstrip(",") if bold else first_line(description),
            description=description,
            description_html=inner_html(body),
            estimate=estimate(estimate_match.group(1) if estimate_match else None),
            starting=money(prices.get("starting")),
            hammer=money(prices.get("hammer")),
            current=money(prices.get("current")),
            buyers_premium_pct=buyers_premium(description),
            unsold=bool(re.search(r"\b(lot\s+)?unsold\b", page_text, re.IGNORECASE)),
            open_for_bids=bool(soup.select_one(".closing .countdown") or "Bid on this lot" in page_text),
            image_urls=images,
        )

    def parse_listing(self, content: bytes | str, url: str) -> ParsedListing:
        sid, _lot = _ids(url)
        soup = soup_of(content)
        sale = self._sale(soup, sid)
        entries = soup.select("div.browse")
        if not entries:
            raise ParseError(f"{url}: no lots found on this NumisBids sale page.")
        lots = []
        for entry in entries:
            link = entry.select_one(".lot a[href]")
            if link is None:
                continue
            lot_sid, lot = _ids(absolute(link["href"], url) or "")
            summary = entry.select_one(".summary")
            description = node_text(summary)
            realized = entry.select_one(".realized")
            realized_text = node_text(realized)
            enlarge = entry.select_one("a.imgenlarge_overlay[href]")
            lots.append(
                build_lot(
                    url=canonical_lot_url(lot_sid or sid, lot),
                    house_name=sale["house_name"] or "Unknown (NumisBids)",
                    platform=self.platform,
                    sale_name=sale["sale_name"],
                    sale_number=sale["sale_number"],
                    sale_date=sale["sale_date"],
                    sale_url=sale["sale_url"],
                    lot_number=lot,
                    description=description,
                    starting=money(_after_label(entry.select_one(".estimate"), "Starting price")),
                    hammer=money(_after_label(realized, "Price realized")),
                    unsold="unsold" in realized_text.lower(),
                    open_for_bids="Bid on this lot" in node_text(entry),
                    image_urls=[absolute(enlarge["href"], url)] if enlarge else [],
                )
            )
        next_link = next(
            (a for a in soup.select(".salenav a[href]") if clean(a.get_text()).startswith("Next")), None
        )
        return ParsedListing(lots=lots, next_page_url=absolute(next_link["href"], url) if next_link else None)


def _after_label(node, label: str) -> str:
    text = clean(node.get_text(" ")) if node is not None else ""
    return text.split(label, 1)[1].lstrip(": ") if label in text else ""
