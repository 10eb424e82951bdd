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
    meta_content,
    money,
    node_text,
    parse_date_text,
    parse_datetime_text,
    soup_of,
    unique,
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
_NAV_LINES = re.compile(
    r"^(CNG Bidding Platform|Products and Services|Research Coins:.*|\|+)$", re.IGNORECASE
)
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
    """CNG's own sales (CNG 69, Triton IX, Electronic Auction 500) are CNG's; affiliated ones are not."""
    if affiliated and (match := re.match(r"^([A-Za-zÀ-ž][A-Za-zÀ-ž .&'-]*?)\s+(?:\d|[IVXLC]+\b)", sale_name)):
        return match.group(1).strip()
    return "CNG"


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
        values = labelled_values(text, _LABELS)
        product = next((item for item in json_ld_objects(soup) if "Product" in ld_types(item)), {})

        if header:
            sale_name = clean(header["sale"])
            lot_number = header["lot"]
            estimate_text = header["estimate"] or values.get("estimate")
            sold_text = header["sold"] or values.get("sold")
            closing_text = header["closing"] or values.get("closing")
            description = _description_after(text, header.end())
        else:
            sale_name = meta_content(soup, "og:site_name") if "Sale" not in text else ""
            lot_match = re.search(r"\bLot\s*#?\s*:?\s*([\w/-]+)", text)
            lot_number = lot_match.group(1) if lot_match else ""
            estimate_text, sold_text = values.get("estimate"), values.get("sold")
            closing_text = values.get("closing")
            body = soup.select_one(".lot-description, .description, [itemprop=description]")
            description = node_text(body) or clean(product.get("description") or "")
            if not description:
                description = meta_content(soup, "og:description", "description")
            sale_match = re.search(r"^(?:Auction|Sale):?\s*(.+)$", text, re.MULTILINE)
            if sale_match:
                sale_name = clean(sale_match.group(1))
        if not description:
            raise ParseError(f"{url}: no lot description found on this CNG page.")

        low, high, estimate_currency = estimate(estimate_text)
        hammer, hammer_currency = money(sold_text)
        start, start_currency = money(values.get("starting"))
        unsold = bool(header and header["unsold"]) or bool(
            re.search(r"\b(unsold|passed|not sold)\b", values.get("sold", ""), re.IGNORECASE)
        )
        if hammer is not None:
            status = "sold"
        elif unsold:
            status = "unsold"
        elif "current" in values or re.search(r"\bPlace (a )?bid\b|\bBid now\b", text, re.IGNORECASE):
            status = "open"
        else:
            status = "unknown"
        affiliated = "Affiliated Auction" in text
        number = re.search(r"\b(\d+(?:\s*&\s*\d+)?|[IVXLC]+)\s*$", sale_name)
        title = clean(product.get("name") or "") or first_line(description)

        images = [absolute(src, url) for src in ld_images(product.get("image"))]
        images += [absolute(meta_content(soup, "og:image"), url)]
        images += [
            absolute(img.get("src"), url)
            for img in soup.select("img.lot-image, img.coin-image, .lot-images img")
        ]
        return ParsedLot(
            url=canonical,
            house_name=house_for_sale(sale_name, affiliated),
            platform=self.platform,
            sale_name=sale_name,
            sale_number=number.group(1) if number else "",
            sale_date=parse_date_text(closing_text),
            lot_number=lot_number,
            title=title,
            description=description,
            estimate_low=low,
            estimate_high=high,
            starting_price=start,
            hammer_price=hammer,
            currency=hammer_currency or estimate_currency or start_currency or "",
            buyers_premium_pct=buyers_premium(text),
            closing_date=parse_datetime_text(closing_text),
            status=status,
            image_urls=unique(images),
        )


def _description_after(text: str, start: int) -> str:
    """The lot text after the sale header: page furniture and the fee note dropped, paragraphs kept."""
    rest = _FEE_NOTE.sub("", text[start:])
    lines = [line.strip(" |") for line in rest.split("\n")]
    return "\n".join(line for line in lines if line and not _NAV_LINES.match(line))
