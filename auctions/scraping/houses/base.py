"""What every house parser shares: URL matching by host, HTML to text, dates, labelled prices.

Parsers are pure functions of (content, url): no network, no database. They raise ParseError when
the page is not a lot page they understand, so a malformed page never becomes an empty lot.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from html import escape
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.builder import LXMLTreeBuilder

from numismatics.houses import house_name as known_house_name
from numismatics.lotpage import LotPage, read_lot_page
from numismatics.money import parse_estimate, parse_money
from numismatics.text import clean

from ..types import ParsedListing, ParsedLot, ParseError

__all__ = ["HouseParser", "ParseError", "build_lot", "host_matches", "lot_from_page", "page_reading"]


def host_matches(host: str | None, *domains: str) -> bool:
    """True when host is one of the domains or a subdomain of one: a parsed host, never a substring.

    "auctions.cngcoins.com" matches "cngcoins.com"; "cngcoins.com.evil.example" does not.
    """
    if not host:
        return False
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in domains)


class HouseParser:
    """Base class: one subclass per house or platform, registered in houses/__init__.py."""

    platform = "generic"

    def matches(self, parts: SplitResult) -> bool:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def parse_lot(self, content: bytes | str, url: str) -> ParsedLot:  # pragma: no cover
        raise NotImplementedError

    def parse_listing(self, content: bytes | str, url: str) -> ParsedListing:
        raise ParseError(f"{url}: sale listings are not supported for {self.platform} pages.")

    def is_listing(self, url: str) -> bool:
        """Whether the URL is a sale listing rather than one lot (commands use it to choose)."""
        return False

    def canonical_url(self, url: str) -> str:
        """The one URL a lot is stored under, however it was reached (other URL shapes, tracking
        parameters). Lets a command find a stored lot before fetching it again."""
        parts = urlsplit(url)
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


# --- content to soup / text -----------------------------------------------------------------------


_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]{2,40})""", re.IGNORECASE)
_MHTML_RE = re.compile(
    r"^(?:[\w-]+:[^\n]*\n)*?Content-Type:\s*multipart/related", re.IGNORECASE | re.MULTILINE
)


def _decode(content: bytes) -> str:
    """Bytes to text: UTF-8 when it is, else the charset the page declares, else Windows-1252."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET_RE.search(content[:4096])
    for encoding in ((declared.group(1).decode("ascii"),) if declared else ()) + ("cp1252",):
        try:
            return content.decode(encoding, "replace")
        except LookupError:
            continue
    return content.decode("utf-8", "replace")


def mhtml_page(text: str) -> str | None:
    """The page inside a browser's .mhtml archive (its first HTML part, else its first text part),
    decoded from quoted-printable or base64 in its own charset; None when text is not an archive."""
    if not _MHTML_RE.search(text[:4096]):
        return None
    message = email.message_from_string(text, policy=email.policy.default)
    parts = [part for part in message.walk() if not part.is_multipart()]
    for wanted in ("text/html", "text/plain"):
        for part in parts:
            if part.get_content_type() == wanted:
                try:
                    return str(part.get_content())
                except (LookupError, ValueError):
                    payload = part.get_payload(decode=True) or b""
                    return _decode(payload) if isinstance(payload, bytes) else str(payload)
    return ""


def as_text(content: bytes | str) -> str:
    """The page as markup or text: bytes decoded, and a browser's .mhtml archive opened."""
    text = _decode(content) if isinstance(content, bytes) else content
    inner = mhtml_page(text)
    return text if inner is None else inner


def is_plain_text(content: bytes | str) -> bool:
    """Saved page text (what a browser's "copy all" gives) rather than HTML."""
    return not re.search(r"<(html|body|div|p|span|head|meta|table|h1|a)\b", as_text(content)[:5000], re.I)


# Real lot pages nest a few dozen elements deep. A page nested thousands deep (hostile, or a broken
# generator) would make every recursive walk over the tree (ours, Beautiful Soup's, the sanitiser's)
# raise RecursionError; elements below this depth are dropped while parsing, their text kept.
MAX_HTML_DEPTH = 256


class _DepthLimitedBuilder(LXMLTreeBuilder):
    """lxml's HTML tree builder that ignores the tags of elements nested deeper than MAX_HTML_DEPTH.

    Done while parsing, not after: the deep tree is never built, so memory and time stay those of
    the text. libxml2 reports a start and an end for every element (auto-closed ones included), so
    the tags skipped are exactly the innermost ones, and their text lands in the deepest element kept.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._depth = 0
        self._skipped = 0

    def start(self, tag, attrib, nsmap={}) -> None:  # noqa: B006 - the signature lxml calls
        if self._depth >= MAX_HTML_DEPTH:
            self._skipped += 1
            return
        self._depth += 1
        super().start(tag, attrib, nsmap)

    def end(self, tag) -> None:
        if self._skipped:
            self._skipped -= 1
            return
        self._depth -= 1
        super().end(tag)


def soup_of(content: bytes | str) -> BeautifulSoup:
    """Parse HTML, at most MAX_HTML_DEPTH elements deep; plain page text (as in saved text excerpts)
    is wrapped so the same code reads it."""
    text = as_text(content)
    if is_plain_text(text):
        text = f"<html><body><pre>{escape(text)}</pre></body></html>"
    return BeautifulSoup(text, builder=_DepthLimitedBuilder())


_BLOCKS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "dd",
    "dt",
    "pre",
}
_SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "button", "select", "form", "input"}


def node_text(node: Tag | NavigableString | None, paragraphs: bool = False) -> str:
    """Visible text with paragraphs and <br> kept as "\\n", spaces collapsed inside each line.

    paragraphs=True keeps one blank line where the page leaves any (between paragraphs of saved
    text), as a browser's "save as text" does: the page reader tells a lot's parts apart by them."""
    if node is None:
        return ""
    parts: list[str] = []

    def walk(element) -> None:
        if isinstance(element, NavigableString):
            if type(element).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                return
            if element.parent is not None and element.parent.name == "pre":
                parts.append(str(element))  # saved page text: its newlines are the structure
            else:
                parts.append(re.sub(r"\s+", " ", str(element)))
            return
        if not isinstance(element, Tag) or element.name in _SKIP:
            return
        if element.name == "br":
            parts.append("\n")
            return
        if element.name in ("td", "th") and element.find_previous_sibling(("td", "th")) is not None:
            parts.append(" | ")  # cells of a row apart, as a browser's "save as text" keeps them
        block = element.name in _BLOCKS
        if block:
            parts.append("\n")
        for child in element.children:
            walk(child)
        if block:
            parts.append("\n")

    walk(node)
    lines = [clean(line) for line in "".join(parts).split("\n")]
    if not paragraphs:
        return "\n".join(line for line in lines if line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def inner_html(node: Tag | None) -> str:
    return "".join(str(child) for child in node.children).strip() if node is not None else ""


def absolute(href: str | None, base: str) -> str | None:
    """Absolute http(s) URL for an href ("//media..." included), or None for javascript:, #, data:."""
    if not href:
        return None
    href = href.strip()
    if href.startswith(("#", "javascript:", "data:", "mailto:")):
        return None
    result = urljoin(base, href)
    return result if urlsplit(result).scheme in ("http", "https") else None


def unique(items: Iterable) -> list:
    seen: set = set()
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def first_line(text: str, limit: int = 200) -> str:
    """A title from a description: its first line, cut at a word boundary."""
    line = text.strip().split("\n", 1)[0].strip()
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


# --- dates ----------------------------------------------------------------------------------------

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    # German and French month names seen on house pages
    "jän": 1,
    "mär": 3,
    "mai": 5,
    "okt": 10,
    "dez": 12,
    "janv": 1,
    "févr": 2,
    "mars": 3,
    "avr": 4,
    "juin": 6,
    "juil": 7,
    "août": 8,
    "sept": 9,
    "déc": 12,
}
_MONTH = r"([A-Za-zäéû]{3,9})\.?"
_DAY_FIRST = re.compile(rf"\b(\d{{1,2}})(?:\s*[-–]\s*\d{{1,2}})?\.?\s+{_MONTH},?\s+(\d{{4}})\b")
_DAY_MONTH_RANGE = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}\s*[-–]\s*\d{{1,2}}\s+{_MONTH},?\s+(\d{{4}})\b")
_MONTH_FIRST = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:\s*[-–]\s*\d{{1,2}})?,\s+(\d{{4}})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _month(name: str) -> int | None:
    name = name.lower().rstrip(".")
    return MONTHS.get(name) or MONTHS.get(name[:4]) or MONTHS.get(name[:3])


def parse_date_text(text: str | None) -> date | None:
    """The first date in text: "9 May 2011", "Monday, 9 May 2011", "1-5 Sep 2026" (first day),
    "31 Aug - 5 Sep 2026" (first day), "Jan 9, 2019", "2026-08-23"."""
    if not text:
        return None
    candidates: list[tuple[int, date]] = []
    for pattern, order in (
        (_DAY_MONTH_RANGE, "dmr"),
        (_DAY_FIRST, "dmy"),
        (_MONTH_FIRST, "mdy"),
        (_ISO, "iso"),
    ):
        for match in pattern.finditer(text):
            try:
                if order == "iso":
                    value = date(int(match[1]), int(match[2]), int(match[3]))
                elif order == "mdy":
                    month = _month(match[1])
                    value = date(int(match[3]), month, int(match[2])) if month else None
                elif order == "dmr":
                    month = _month(match[2])
                    value = date(int(match[4]), month, int(match[1])) if month else None
                else:
                    month = _month(match[2])
                    value = date(int(match[3]), month, int(match[1])) if month else None
            except ValueError:
                value = None
            if value:
                candidates.append((match.start(), value))
                break
    return min(candidates, key=lambda item: item[0])[1] if candidates else None


# Time-zone abbreviations the houses print. Fixed offsets: the abbreviation already says DST or not.
TZ_OFFSETS = {
    "UTC": 0,
    "GMT": 0,
    "WET": 0,
    "BST": 1,
    "CET": 1,
    "MEZ": 1,
    "WEST": 1,
    "CEST": 2,
    "MESZ": 2,
    "EET": 2,
    "EEST": 3,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
}
_TIME = re.compile(r"\b(\d{1,2})[:.](\d{2})\s*([AaPp]\.?[Mm]\.?)?\s*(?:\(?([A-Z]{3,4})\)?)?")


def parse_datetime_text(text: str | None) -> datetime | None:
    """ "Tuesday, 18 August 2026, 12:00 PM CEST" -> aware UTC datetime; None without a date and time."""
    day = parse_date_text(text)
    if day is None or text is None:
        return None
    match = _TIME.search(text)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    meridiem = (match[3] or "").lower().replace(".", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    offset = TZ_OFFSETS.get(match[4] or "")
    if offset is None:
        offset = 0  # no zone printed: the houses we read without one print UTC
    zone = timezone(timedelta(hours=offset))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)


# --- prices ---------------------------------------------------------------------------------------


def money(text: str | None, default_currency: str | None = None) -> tuple[Decimal | None, str | None]:
    found = parse_money(text, default_currency) if text else None
    if found is None:
        return None, None
    return found.amount, found.currency


def estimate(
    text: str | None, default_currency: str | None = None
) -> tuple[Decimal | None, Decimal | None, str | None]:
    if not text:
        return None, None, None
    return parse_estimate(text, default_currency)


_PREMIUM = re.compile(
    r"(\d{1,2}(?:[.,]\d{1,2})?)\s*%\s*(?:BP\b|buyer'?s?[’']?s?\s+premium|buyer'?s?[’']?s?\s+fee|Aufgeld|commission)",
    re.IGNORECASE,
)
_PREMIUM_AFTER = re.compile(
    r"buyer'?s?[’']?s?\s+(?:premium|fee)\s*(?:of|:)?\s*(\d{1,2}(?:[.,]\d{1,2})?)\s*%", re.IGNORECASE
)


def buyers_premium(*texts: str | None) -> Decimal | None:
    """ "20% BP", "A 20.00% buyer's premium", "Buyer's Premium: 20%" -> Decimal("20.00")."""
    for text in texts:
        if not text:
            continue
        match = _PREMIUM.search(text) or _PREMIUM_AFTER.search(text)
        if match:
            return Decimal(match.group(1).replace(",", "."))
    return None


def labelled_values(text: str, labels: dict[str, str]) -> dict[str, str]:
    """Values printed next to labels, in the three layouts page text takes:

    "Estimate | 10'000 USD |" (tables), "Estimate: $400." (inline), "Estimate\\n50 GBP" (stacked).
    `labels` maps a regex for the label to a key; the first value found for each key wins.
    """
    found: dict[str, str] = {}
    lines = [line.strip() for line in text.split("\n")]
    for pattern, key in labels.items():
        label = re.compile(rf"^\s*(?:{pattern})\s*(?:[:|]\s*)?(.*?)\s*\|?\s*$", re.IGNORECASE)
        for index, line in enumerate(lines):
            match = label.match(line)
            if not match:
                continue
            value = match.group(1).strip(" |:")
            if not value and index + 1 < len(lines):
                value = lines[index + 1].strip(" |")
            if value:
                found.setdefault(key, value)
                break
    return found


# --- JSON-LD and OpenGraph ------------------------------------------------------------------------


def json_ld_objects(soup: BeautifulSoup) -> Iterator[dict]:
    """Every JSON-LD object on the page, @graph entries flattened; broken blocks are skipped."""
    for script in soup.find_all("script", attrs={"type": re.compile(r"ld\+json", re.IGNORECASE)}):
        try:
            data = json.loads(script.string or script.get_text() or "")
        except (TypeError, ValueError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("@graph"), list):
                stack.extend(item["@graph"])
            yield item


def ld_types(item: dict) -> set[str]:
    kind = item.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def meta_content(soup: BeautifulSoup, *names: str) -> str:
    """Content of the first <meta property=... | name=...> among names (OpenGraph, Twitter, product)."""
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and tag.get("content"):
            return clean(tag["content"])
    return ""


def ld_images(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    urls = []
    for item in items:
        if isinstance(item, str):
            urls.append(item)
        elif isinstance(item, dict):
            urls.append(item.get("contentUrl") or item.get("url") or "")
    return [url for url in urls if url]


def ld_offer(product: dict) -> dict:
    offers = product.get("offers") or {}
    if isinstance(offers, list):
        offers = offers[0] if offers else {}
    if isinstance(offers, dict) and offers.get("@type") == "AggregateOffer" and not offers.get("price"):
        offers = {**offers, "price": offers.get("lowPrice")}
    return offers if isinstance(offers, dict) else {}


def parse_iso_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# --- one way to build a ParsedLot -----------------------------------------------------------------

Price = tuple[Decimal | None, str | None]
Estimate = tuple[Decimal | None, Decimal | None, str | None]


def build_lot(
    *,
    url: str,
    platform: str,
    house_name: str,
    description: str,
    title: str = "",
    description_html: str = "",
    lot_number: str = "",
    sale_name: str = "",
    sale_number: str = "",
    sale_date: date | None = None,
    sale_url: str = "",
    estimate: Estimate = (None, None, None),
    starting: Price = (None, None),
    hammer: Price = (None, None),
    current: Price = (None, None),
    currency: str = "",
    buyers_premium_pct: Decimal | None = None,
    premium_note: str = "",
    closing_date: datetime | None = None,
    status: str | None = None,
    unsold: bool = False,
    open_for_bids: bool = False,
    image_urls: Iterable[str | None] = (),
    unknown_house: str = "Unknown",
) -> ParsedLot:
    """The ParsedLot every house parser and the page reader return, built one way:
    - the house by its one stored name (numismatics/houses.py: "Classical Numismatic Group, LLC" and
      "CNG" are one house), `unknown_house` when nothing names it;
    - the currency of the price realized, else of the estimate, the starting price, the current bid,
      else `currency` (what the page or platform states for the whole sale);
    - the status: as given, else sold with a price realized, unsold when the page says so, open with
      a current bid or a bid form, else unknown; an unsold lot has no hammer price;
    - the title: as given, else the description's first line.
    A page without a description is refused with the URL in the message, never stored empty."""
    description = (description or "").strip()
    if not description:
        raise ParseError(f"{url}: no lot description found on this page.")
    low, high, estimate_currency = estimate
    if low is not None and high is not None and high < low:
        low, high = high, low
    hammer_price = hammer[0]
    if status is None:
        if hammer_price is not None:
            status = "sold"
        elif unsold:
            status = "unsold"
        elif open_for_bids or current[0] is not None:
            status = "open"
        else:
            status = "unknown"
    if status == "unsold":
        hammer_price = None
    chosen_currency = hammer[1] or estimate_currency or starting[1] or current[1] or currency or ""
    return ParsedLot(
        url=url,
        house_name=known_house_name(house_name) or unknown_house,
        platform=platform,
        lot_number=(lot_number or "").strip(),
        sale_name=clean(sale_name)[:300],
        sale_number=(sale_number or "").strip(),
        sale_date=sale_date,
        sale_url=sale_url or "",
        title=clean(title) or first_line(description),
        description=description,
        description_html=description_html or "",
        estimate_low=low,
        estimate_high=high,
        starting_price=starting[0],
        hammer_price=hammer_price,
        currency=chosen_currency.upper(),
        buyers_premium_pct=buyers_premium_pct,
        premium_note=clean(premium_note)[:300],
        closing_date=closing_date,
        status=status,
        image_urls=unique(image_urls),
    )


def page_reading(soup: BeautifulSoup, url: str) -> LotPage:
    """What the page says as a person reads it: its visible text, block by block, through the page
    reader (numismatics/lotpage.py)."""
    return read_lot_page(node_text(soup.body or soup, paragraphs=True), url)


def _given(value: object) -> bool:
    if isinstance(value, tuple):
        return any(item is not None for item in value[:-1] or value)
    return value not in (None, "", [], ())


def lot_from_page(page: LotPage, *, url: str, platform: str, **known) -> ParsedLot:
    """A ParsedLot from the page reader's findings; `known` (build_lot's arguments, from a house's
    structured markup or URL) win wherever they hold a value."""
    fields: dict = {
        "house_name": page.house,
        "description": page.lot_text,
        "title": page.title,
        "lot_number": page.lot_number,
        "sale_name": page.sale_name,
        "sale_number": page.sale_number,
        "sale_date": page.sale_date,
        "estimate": (page.estimate_low, page.estimate_high, page.estimate_currency or None),
        "starting": (page.starting_price, page.starting_currency or None),
        "hammer": (page.hammer_price, page.hammer_currency or None),
        "current": (page.current_bid, page.page_currency or None),
        "currency": page.page_currency,
        "buyers_premium_pct": page.buyers_premium_pct,
        "premium_note": page.premium_note,
        "unsold": page.unsold,
        "open_for_bids": page.open_for_bids,
    }
    fields.update({key: value for key, value in known.items() if _given(value)})
    return build_lot(url=url, platform=platform, **fields)
