"""Which parser reads a URL: recognise(url) -> HouseParser.

Recognition uses the parsed host and the path shape, never a substring of the URL: in
`https://evil.example/?x=cngcoins.com` the string "cngcoins" appears, but the host is evil.example,
so that page goes to the generic parser. Specific parsers come first; the generic one takes any
other http(s) page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .agora import AgoraParser
from .base import HouseParser
from .biddr import BiddrParser
from .cng import CNGParser
from .ebay import EbayParser
from .generic import GenericParser
from .heritage import HeritageParser
from .numisbids import NumisBidsParser
from .sixbid import SixbidParser

__all__ = ["PARSERS", "HouseParser", "UnknownHouse", "parser_for_platform", "recognise"]


class UnknownHouse(ValueError):
    """Not even the generic parser can read this URL (not http/https, or no host)."""


PARSERS: tuple[HouseParser, ...] = (
    BiddrParser(),
    NumisBidsParser(),
    SixbidParser(),
    CNGParser(),
    HeritageParser(),
    EbayParser(),
    AgoraParser(),
)
GENERIC = GenericParser()


def recognise(url: str) -> HouseParser:
    """The parser for this URL: a house's own when host and path match it, else the generic one."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise UnknownHouse(f"{url}: not a valid URL ({exc}).") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UnknownHouse(f"{url}: only http and https page URLs can be scraped.")
    for parser in PARSERS:
        if parser.matches(parts):
            return parser
    return GENERIC


def parser_for_platform(platform: str) -> HouseParser:
    """The parser that wrote a stored lot, by its platform name (for re-parsing saved pages)."""
    for parser in (*PARSERS, GENERIC):
        if parser.platform == platform:
            return parser
    raise UnknownHouse(f"no parser for platform {platform!r}.")
