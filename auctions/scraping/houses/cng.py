"""CNG (Classical Numismatic Group): current bidding platform and the old Coin.aspx archive.

Current: `https://auctions.cngcoins.com/lots/view/4-I2GSGD/<slug>`.
Old: `https://www.cngcoins.com/Coin.aspx?CoinID=60511`, whose header reads
"Sale: CNG 69, Lot: 1375. Estimate $400. Closing Date: Wednesday, 8 June 2005. Sold For $340."
The old archive also shows affiliated houses' sales ("Research Coins: Affiliated Auction",
"Sale: Nomos 3 & 4"): those lots belong to that house, not to CNG.

The old header was checked against real page text (shared/fixtures/lot-page-text); the current
platform's markup was not available, so that part reads JSON-LD, OpenGraph and labelled text.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qs, urlsplit

from numismatics.houses import house_for_sale_name
from numismatics.text import clean

from ..types import ParsedLot, ParseError
from .base import (
    HouseParser,
    absolute,
    buyers_premium,
    estimate,
    first_line,
    host_matches,
    json_ld_objects,
    labelled_values,
    ld_images,
    ld_types,
    lot_from_page,
    meta_content,
    money,
    node_text,
    page_reading,
    parse_date_text,
    parse_datetime_text,
    soup_of,
)

_NEW_PATH = re.compile(r"^/lots/view/(?P<id>[\w-]+)(?:/(?P<slug>[\w-]*))?/?$", re.IGNORECASE)
_OLD_PATH = re.compile(r"^/coin\.aspx$", re.IGNORECASE)
_HEADER = re.compile(
    r"Sale:\s*(?P<sale>[^,\n]+?),\s*Lot:\s*(?P<lot>[\w/-]+)\.?"
    r"(?:\s*Estimate:?\s*(?P<estimate>[^.\n]*?\d[^.\n]*?)\.(?!\d))?"
    r"(?:\s*Closing Date:?\s*(?P<closing>[^\n]*?\d{4})\.?)?"
    r"(?:\s*(?:Sold For|Realized|Price realized):?\s*(?P<sold>[^.\n]*?\d[\d,.']*)\.?)?"
    r"(?:\s*(?P<unsold>Unsold|Passed|Not sold)\.?)?",
    re.IGNORECASE,
)
_FEE_NOTE = re.compile(r"This amount does not include the buyer.s fee\.?", re.IGNORECASE)
_LABELS = {
    r"Estimate": "estimate",
    r"Sold For|Price realized|Realized|Winning bid": "sold",
    r"Starting bid|Opening bid|Starting price": "starting",
    r"Closing Date|Closes|Closed|Lot closes": "closing",
    r"Current bid": "current",
}


def canonical_url(url: str) -> str:
    parts = urlsplit(url)
    if _OLD_PATH.match(parts.path):
        coin_id = (parse_qs(parts.query, keep_blank_values=True) | {"CoinID": [""]}).get("CoinID")
        query = {k.lower(): v for k, v in parse_qs(parts.query).items()}
        coin_id = (query.get("coinid") or coin_id or [""])[0]
        return f"https://www.cngcoins.com/Coin.aspx?CoinID={coin_id}"
    match = _NEW_PATH.match(parts.path)
    if match:
        slug = f"/{match['slug']}" if match["slug"] else ""
        return f"https://auctions.cngcoins.com/lots/view/{match['id']}{slug}"
    raise ParseError(f"{url}: not a CNG lot URL.")


def house_for_sale(sale_name: str, affiliated: bool) -> str:
    """CNG's own sales (CNG 69, Triton IX, Electronic Auction 500) are CNG's; an affiliated house's
    sale ("Nomos 3 & 4") is that house's, found by the sale's name in the list of houses, else by the
    words before its number."""
    if not affiliated:
        return "CNG"
    known = house_for_sale_name(sale_name)
    if known:
        return known
    match = re.match(r"^([A-Za-zÀ-ž][A-Za-zÀ-ž .&'-]*?)\s+(?:\d|[IVXLC]+\b)", sale_name)
    return match.group(1).strip() if match else "CNG"


class CNGParser(HouseParser):
    platform = "cng"

    def matches(self, parts: SplitResult) -> bool:
        if not host_matches(parts.hostname, "cngcoins.com"):
            return False
        if _OLD_PATH.match(parts.path):
            return any(key.lower() == "coinid" for key in parse_qs(parts.query))
        return bool(_NEW_PATH.match(parts.path))

    def canonical_url(self, url: str) -> str:
        return canonical_url(url)

    def parse_lot(self, content: bytes | str, url: str) -> ParsedLot:
        canonical = canonical_url(url)
        soup = soup_of(content)
        main = soup.select_one("main, #content, .lot-detail, .lot-details") or soup.body or soup
        text = node_text(main)
        header = _HEADER.search(text)
        product = next((item for item in json_ld_objects(soup) if "Product" in ld_types(item)), {})
        images = [absolute(src, url) for src in ld_images(product.get("image"))]
        images += [absolute(meta_content(soup, "og:image"), url)]
        images += [
            absolute(img.get("src"), url)
            for img in soup.select("img.lot-image, img.coin-image, .lot-images img")
        ]
        affiliated = "Affiliated Auction" in text
        if not header:
            # The current platform, or a page we do not know: structured data first, then the page
            # as a person reads it.
            page = page_reading(soup, url)
            body = soup.select_one(".lot-description, .description, [itemprop=description]")
            description = node_text(body) or clean(product.get("description") or "")
            sale_name = page.sale_name or meta_content(soup, "og:site_name")
            return lot_from_page(
                page,
                url=canonical,
                platform=self.platform,
                house_name=house_for_sale(sale_name, affiliated),
                sale_name=sale_name,
                description=description,
                title=clean(product.get("name") or ""),
                buyers_premium_pct=buyers_premium(text),
                closing_date=parse_datetime_text(labelled_values(text, _LABELS).get("closing")),
                image_urls=images,
            )
        values = labelled_values(text, _LABELS)
        sale_name = clean(header["sale"])
        closing_text = header["closing"] or values.get("closing")
        page = page_reading(soup, url)
        # The lot's text as the page reader finds it (the block that reads as a coin description,
        # without the site's menus); all that follows the sale header when it finds none.
        found = "\n".join(line for line in page.lot_text.split("\n") if line.strip())
        description = found or _description_after(text, header.end())
        number = re.search(r"\b(\d+(?:\s*&\s*\d+)?|[IVXLC]+)\s*$", sale_name)
        # What the markup gives wins; whatever it leaves out is read from the page as a person reads it.
        return lot_from_page(
            page,
            url=canonical,
            house_name=house_for_sale(sale_name, affiliated),
            platform=self.platform,
            sale_name=sale_name,
            sale_number=number.group(1) if number else "",
            sale_date=parse_date_text(closing_text),
            lot_number=header["lot"],
            title=clean(product.get("name") or "") or first_line(description),
            description=description,
            estimate=estimate(header["estimate"] or values.get("estimate")),
            starting=money(values.get("starting")),
            hammer=money(header["sold"] or values.get("sold")),
            current=money(values.get("current")),
            buyers_premium_pct=buyers_premium(text),
            premium_note=fee_note.group(0) if (fee_note := _FEE_NOTE.search(text)) else "",
            closing_date=parse_datetime_text(closing_text),
            unsold=bool(header["unsold"])
            or bool(re.search(r"\b(unsold|passed|not sold)\b", values.get("sold", ""), re.IGNORECASE)),
            open_for_bids=bool(re.search(r"\bPlace (a )?bid\b|\bBid now\b", text, re.IGNORECASE)),
            image_urls=images,
        )


def _description_after(text: str, start: int) -> str:
    """The lot text after the sale header: the fee note and empty lines dropped, paragraphs kept."""
    rest = _FEE_NOTE.sub("", text[start:])
    lines = [line.strip(" |") for line in rest.split("\n")]
    return "\n".join(line for line in lines if line)
