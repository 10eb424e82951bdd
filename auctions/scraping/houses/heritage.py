"""Heritage Auctions: `https://coins.ha.com/itm/<category>/<slug>/a/232539-64039.s` is sale 232539,
lot 64039 (the `/p/` form, used for links from partner sites, names the same lot).

Built from what Heritage's public lot pages are known to show (schema.org Product, "Sold on ... for",
"Estimate", "Buyer's Premium"); not checked against a saved real page. Heritage's "Sold for"
includes the buyer's premium; it is stored as the page states it.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

from ..types import ParsedLot, ParseError
from .base import HouseParser, buyers_premium, host_matches, parse_date_text, soup_of
from .generic import lot_from_structured, read_structured

_PATH = re.compile(r"^/itm/(?:[\w%.-]+/)*(?P<kind>a|p)/(?P<sale>\d+)-(?P<lot>\d+)\.s/?$", re.IGNORECASE)
_SALE_NAME = re.compile(r"^(.*\b(?:Auction|Sale)\s*#\s*\d+.*)$", re.IGNORECASE | re.MULTILINE)


def _ids(url: str) -> tuple[str, str]:
    match = _PATH.match(urlsplit(url).path)
    if not match:
        raise ParseError(f"{url}: not a Heritage lot URL (…/a/<sale>-<lot>.s).")
    return match["sale"], match["lot"]


class HeritageParser(HouseParser):
    platform = "heritage"

    def matches(self, parts: SplitResult) -> bool:
        return host_matches(parts.hostname, "ha.com") and bool(_PATH.match(parts.path))

    def canonical_url(self, url: str) -> str:
        parts = urlsplit(url)
        return f"https://{parts.hostname}{parts.path}"

    def parse_lot(self, content: bytes | str, url: str) -> ParsedLot:
        sale, lot = _ids(url)
        canonical = self.canonical_url(url)
        soup = soup_of(content)
        data = read_structured(soup, url, ".auction-item-description, [itemprop=description]")
        # Heritage ends its text with an inventory id ("HID09801242017"): not part of the description.
        data.description = re.sub(r"(?m)^\s*HID\d+\s*$\n?", "", data.description).strip()
        sale_match = _SALE_NAME.search(data.text)
        sold_line = re.search(r"Sold on (.+?) for:?\s*\S", data.text)
        closing = parse_date_text(sold_line.group(1)) if sold_line else None
        return lot_from_structured(
            data,
            url=canonical,
            house="Heritage",
            platform=self.platform,
            sale_number=sale,
            sale_name=sale_match.group(1).strip()[:200] if sale_match else f"Heritage Auction {sale}",
            sale_date=closing or parse_date_text(data.labels.get("closing")),
            lot_number=lot,
            buyers_premium_pct=buyers_premium(data.text),
        )
