"""Agora Auctions: `https://agoraauctions.com/listing/viewdetail/60751/0/archive`.

The number after viewdetail is the listing; the trailing parts only say which view (current sale or
archive) showed it, so they are dropped from the canonical URL: one listing, one lot row.
Built from what Agora's listing pages are known to show (sale and lot labels, estimate, "Sold for",
images, OpenGraph); not checked against a saved real page.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

from ..types import ParsedLot, ParseError
from .base import HouseParser, absolute, host_matches, parse_date_text, soup_of, unique
from .generic import lot_from_structured, read_structured

_PATH = re.compile(r"^/listing/viewdetail/(?P<id>\d+)(?:/[\w-]*)*/?$", re.IGNORECASE)


class AgoraParser(HouseParser):
    platform = "agora"

    def matches(self, parts: SplitResult) -> bool:
        return host_matches(parts.hostname, "agoraauctions.com") and bool(_PATH.match(parts.path))

    def canonical_url(self, url: str) -> str:
        match = _PATH.match(urlsplit(url).path)
        return f"https://agoraauctions.com/listing/viewdetail/{match['id']}" if match else url

    def parse_lot(self, content: bytes | str, url: str) -> ParsedLot:
        match = _PATH.match(urlsplit(url).path)
        if not match:
            raise ParseError(f"{url}: not an Agora listing URL (/listing/viewdetail/<number>).")
        soup = soup_of(content)
        data = read_structured(soup, url, ".listing-description, .description, [itemprop=description]")
        data.images = unique(
            data.images
            + [absolute(img.get("src"), url) for img in soup.select(".listing-images img, .gallery img")]
        )
        sale = data.labels.get("sale", "")
        number = re.search(r"(\d+)", sale)
        return lot_from_structured(
            data,
            url=self.canonical_url(url),
            house="Agora Auctions",
            platform=self.platform,
            sale_number=number.group(1) if number else "",
            sale_date=parse_date_text(data.labels.get("closing")),
        )
