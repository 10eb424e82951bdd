"""Auction houses and dealers: one name per house, however a page or a platform spells it.

`data/houses.json` lists houses collectors buy from (written for this project, not drawn from any
page): the name we store, the other spellings (legal forms, abbreviations, older names), their web
domains, their slugs on hosting platforms (Biddr's `/auctions/<slug>/`), and the names of their sale
series ("Triton" is CNG's). A house that is not listed keeps the name its page prints.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from numismatics.text import clean, fold

_DATA = Path(__file__).resolve().parent / "data" / "houses.json"
# Legal forms that say nothing about which house it is: "Nomos AG" is Nomos.
_LEGAL_FORM_RE = re.compile(
    r"[,\s]+(?:LLC|L\.L\.C\.|Inc\.?|Ltd\.?|Limited|GmbH(?:\s*&\s*Co\.?\s*KG)?|AG|SA|S\.A\.|S\.p\.A\.|"
    r"srl|S\.r\.l\.|B\.V\.|SARL|S\.L\.)\s*$",
    re.IGNORECASE,
)


@functools.cache
def _rows() -> tuple[dict, ...]:
    return tuple(json.loads(_DATA.read_text(encoding="utf-8")))


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9&]+", " ", fold(name)).strip()


@functools.cache
def _by_spelling() -> dict[str, str]:
    out: dict[str, str] = {}
    for row in _rows():
        for spelling in (row["name"], *row["aliases"]):
            out.setdefault(_key(spelling), row["name"])
    return out


def without_legal_form(name: str) -> str:
    """ "Nomos AG" -> "Nomos", "Heritage Auctions, Inc." -> "Heritage Auctions"."""
    return _LEGAL_FORM_RE.sub("", name)


def house_name(written: str | None) -> str:
    """The stored name of a house as a page writes it: "Classical Numismatic Group, LLC" -> "Classical
    Numismatic Group"; an unlisted house keeps its own spelling (spaces tidied)."""
    text = clean(written).strip(" ,.;:|")
    if not text:
        return ""
    known = _by_spelling()
    for candidate in (text, _LEGAL_FORM_RE.sub("", text)):
        found = known.get(_key(candidate))
        if found:
            return found
    return text


def is_known_house(written: str | None) -> bool:
    text = clean(written)
    return bool(text) and (
        _key(text) in _by_spelling() or _key(_LEGAL_FORM_RE.sub("", text)) in _by_spelling()
    )


def house_for_domain(host: str | None) -> str:
    """The house whose own site this host is ("www.kuenker.de" -> "Künker"), or ""."""
    host = (host or "").lower().rstrip(".")
    for row in _rows():
        for domain in row["domains"]:
            if host == domain or host.endswith("." + domain):
                return row["name"]
    return ""


def house_for_slug(slug: str | None) -> str:
    """The house a hosting platform names by this slug ("numisfitz"), or ""."""
    slug = (slug or "").lower()
    return next((row["name"] for row in _rows() if slug in row["slugs"]), "")


def house_for_sale_name(sale_name: str | None) -> str:
    """The house whose sale series or name opens a sale's name: "Triton XVI" -> CNG, "Nomos 3 & 4" ->
    Nomos, "NAC sale 31" -> Numismatica Ars Classica; "" when the name does not say."""
    text = clean(sale_name)
    if not text:
        return ""
    for row in _rows():
        for spelling in (*row["sale_series"], row["name"], *row["aliases"]):
            if len(spelling) < 3:
                continue
            if re.match(rf"{re.escape(spelling)}(?![\w&])", text, re.IGNORECASE):
                return row["name"]
    return ""


# Sites that host many houses' sales or resell them: their name is never the lot's house.
PLATFORM_DOMAINS = (
    "biddr.com", "numisbids.com", "sixbid.com", "icollector.com", "liveauctioneers.com", "invaluable.com",
    "the-saleroom.com", "coinarchives.com", "coincircuit.com", "acsearch.info", "ma-shops.com", "vcoins.com",
    "ebay.com", "catawiki.com", "numista.com", "hibid.com", "proxibid.com", "auction.fr", "drouot.com",
    "lot-tissimo.com", "philasearch.com", "delcampe.net", "numisfind.com",
)  # fmt: skip


def is_platform(host: str | None) -> bool:
    """Is this host a platform hosting or reselling other houses' lots (not a house of its own)?"""
    host = (host or "").lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in PLATFORM_DOMAINS)


def is_platform_name(name: str | None) -> bool:
    """Does a site's name ("biddr.com", "Biddr", "LiveAuctioneers", "the-saleroom") name a platform?"""
    key = re.sub(r"[^a-z0-9.]", "", fold(name))
    return bool(key) and any(
        key in (domain, re.sub(r"[^a-z0-9]", "", domain.split(".")[0])) for domain in PLATFORM_DOMAINS
    )
