"""Sixbid: its pages are a JavaScript application fed by JSON; we read that JSON.

Lot JSON: lotNumber, lotDescription, lotStartingPrice, lotEstimate, lotPriceRealised, auctionName,
auctionCurrency, company*, session times. A listing is {"items": [lot, ...], "current", "total_pages"}.
A zero estimate or price means "not given", not a price of zero.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from django.conf import settings

from numismatics.houses import without_legal_form
from numismatics.text import clean

from ..types import ParsedListing, ParsedLot, ParseError
from .base import (
    HouseParser,
    as_text,
    build_lot,
    buyers_premium,
    first_line,
    host_matches,
    lot_from_page,
    page_reading,
    soup_of,
)

# Sixbid is run from Germany and prints session times without a zone: read them as Berlin time.
SIXBID_ZONE = ZoneInfo("Europe/Berlin")


def _load(content: bytes | str, url: str):
    try:
        return json.loads(as_text(content))
    except ValueError as exc:
        raise ParseError(
            f"{url}: expected Sixbid's lot JSON, got something else ({exc}). Sixbid pages are built by "
            "JavaScript: save the lot's JSON from the browser's network tab and use "
            "manage.py scrape --from-file LOT.json --url URL."
        ) from exc


def _amount(value) -> Decimal | None:
    if value in (None, "", 0, "0"):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount > 0 else None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _session_end(value) -> datetime | None:
    try:
        local = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    if local is None:
        return None
    if local.tzinfo is None:
        local = local.replace(tzinfo=SIXBID_ZONE)
    return local.astimezone(UTC)


def lot_page_url(item: dict) -> str:
    """Sixbid's public lot page: /en/<company>/<auction id>/<category>/<lot id>-<lot slug>."""
    return (
        f"https://www.sixbid.com/en/{item.get('companySlug', '')}/{item.get('auctionId', '')}/"
        f"{item.get('categorySlug', '')}/{item.get('lotId', '')}-{item.get('lotSlug', '')}"
    )


class SixbidParser(HouseParser):
    platform = "sixbid"

    def matches(self, parts: SplitResult) -> bool:
        return host_matches(parts.hostname, "sixbid.com")

    def is_listing(self, url: str) -> bool:
        # The lot JSON and the public lot page both end in "<lot id>-<slug>"; anything else is a list.
        return not re.search(r"/\d+-[\w-]+/?$|lots?/\d+/?$", urlsplit(url).path)

    def lot_from_item(self, item: dict, url: str) -> ParsedLot:
        if not isinstance(item, dict) or "lotNumber" not in item:
            raise ParseError(f"{url}: the Sixbid JSON has no lotNumber.")
        description = clean(item.get("lotDescription") or item.get("lotShortDescription") or "")
        if not description:
            raise ParseError(f"{url}: the Sixbid lot has no description.")
        sale_name = clean(item.get("auctionName") or "")
        number = re.search(r"(\d+)\s*$", sale_name)
        house = clean(item.get("companyName") or item.get("companyNameShort") or "")
        currency = clean(item.get("auctionCurrency") or "").upper()
        image_base = getattr(settings, "COINSTACK_SIXBID_IMAGE_BASE", "https://images.sixbid.com/")
        image = item.get("googleBucketImagePath")
        return build_lot(
            url=lot_page_url(item) if item.get("lotId") else url,
            house_name=without_legal_form(house) or "Unknown (Sixbid)",
            platform=self.platform,
            sale_name=sale_name,
            sale_number=number.group(1) if number else "",
            sale_date=_date(item.get("auctionStart")),
            sale_url=(
                f"https://www.sixbid.com/en/{item.get('companySlug')}/{item.get('auctionId')}"
                if item.get("auctionId")
                else ""
            ),
            lot_number=f"{item['lotNumber']}{item.get('lotNumberAffix') or ''}",
            title=first_line(description, 160),
            description=description,
            estimate=(_amount(item.get("lotEstimate")), None, currency),
            starting=(_amount(item.get("lotStartingPrice")), currency),
            hammer=(_amount(item.get("lotPriceRealised")), currency),
            currency=currency,
            buyers_premium_pct=buyers_premium(description),
            closing_date=_session_end(item.get("sessionEnds") or item.get("auctionOnlineEnd")),
            open_for_bids=item.get("frontendBiddingActive") == 1 or item.get("auctionStatus") == 1,
            image_urls=[image_base.rstrip("/") + "/" + image.lstrip("/")]
            if item.get("hasImage") and image
            else [],
        )

    def parse_lot(self, content: bytes | str, url: str) -> ParsedLot:
        try:
            data = json.loads(as_text(content))
        except ValueError:
            # Not the lot's JSON: a saved page or its text. Read it as a person would; a page with no
            # lot text on it gets the advice to save the JSON instead.
            try:
                return lot_from_page(page_reading(soup_of(content), url), url=url, platform=self.platform)
            except ParseError:
                _load(content, url)  # raises with the advice
                raise
        return self.lot_from_item(data, url)

    def parse_listing(self, content: bytes | str, url: str) -> ParsedListing:
        data = _load(content, url)
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ParseError(f"{url}: the Sixbid JSON has no list of items.")
        lots = [self.lot_from_item(item, url) for item in items]
        next_url = None
        current, total = data.get("current"), data.get("total_pages")
        if isinstance(current, int) and isinstance(total, int) and current < total:
            parts = urlsplit(url)
            query = [(k, v) for k, v in parse_qsl(parts.query) if k != "page"] + [("page", str(current + 1))]
            next_url = urlunsplit(parts._replace(query=urlencode(query)))
        return ParsedListing(lots=lots, next_page_url=next_url)
