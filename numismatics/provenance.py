"""Pedigrees: "From The Peh Family Collection, Part II. Ex Heritage Auctions, Auction 3011 (14 April
2011), lot 173." -> [Heritage auction 3011 lot 173 on 2011-04-14, Peh Family Collection].

Catalogues write a pedigree newest first ("From X. Ex Y." means Y owned the coin before X); this parser
returns it OLDEST FIRST, the order of a coin's history. Within one clause, "purchased from Z" is the
earlier step, and "X Collection (Heritage Auction 3032 ...), lot 23882" is a collection sold at auction.

"Cf. ..." clauses name a comparable coin, not an owner of this one. They are kept, with kind "unknown"
and their raw text (and whatever sale/lot/date they state), so an importer can keep them as a note; a
caller building a pedigree should skip kind "unknown".
"""

import re
from dataclasses import dataclass
from datetime import date

from numismatics.text import clean

KINDS = ("auction", "dealer", "collection", "private_sale", "publication", "hoard", "unknown")


@dataclass(frozen=True)
class ProvenanceItem:
    kind: str
    name: str
    sale: str
    lot: str
    date: date | None
    date_text: str
    raw: str


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_RES = [
    re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH}\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<monthnum>\d{1,2})\.(?P<year>\d{4})\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<monthnum>\d{2})-(?P<day>\d{2})\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(r"(?<![\d/])(?P<year>1[6-9]\d\d|20\d\d)(?![\d/])"),
]
_LOT_RE = re.compile(r"\b(?:lot|lots|nr\.?|no\.?|n°)\s*(\d+[A-Za-z]?)", re.IGNORECASE)
_SALE_RE = re.compile(
    r"\b(?P<word>(?:E-|Electronic\s|Mail\sBid\s|Web\s)?(?:Auction|Auktion|Sale|Vente|Asta|Subasta))\s+"
    r"(?P<num>[IVXL]+\b|\d+[A-Za-z]?)",
    re.IGNORECASE,
)
# House + sale number without the word "Auction": "Leu 38", "Triton XVI", "NAC 45", "CNG 69".
_HOUSE_SALE_RE = re.compile(
    r"^(?P<name>[A-Z][\w&.'’ -]*?)\s+(?P<num>[IVXL]{1,6}|\d{1,4}[A-Za-z]?)(?=\s*[,(]|$)"
)
_LEAD_RE = re.compile(
    r"^(?:ex(?:\.|\s|-|:)|from(?:\s+the)?\s|(?:provenance|provenienz|provenienza|procedencia|pedigree)\s*:|"
    r"formerly(?:\s+in)?\s|exemplar\s+(?:der|des|aus)\s)\s*",
    re.IGNORECASE,
)
_EARLIER_RE = re.compile(
    r",?\s*\b(?:purchased|acquired|bought|obtained)\s+(?:privately\s+)?from\s+", re.IGNORECASE
)
# "Ex." / "ex" opening a clause after a comma starts the next (older) owner; a comma inside one entry
# ("CNG Electronic Auction 456, Lot 751") does not.
_CHAIN_RE = re.compile(r"(?:[,;]|(?<=\.))\s+(?=ex(?:\.|\s|:))|\s+and\s+before\s+that\s+", re.IGNORECASE)
# A sentence ends at ". " unless the word before is one capital (an initial: "Merrill A. Gibson") or
# an abbreviation ("Dr.", "Ltd."): the full stop of "Ex." opens an entry, it does not end one.
_SENTENCE_RE = re.compile(
    r"\.(?<!\b[A-Z]\.)(?<!\b[Ee]x\.)(?<!\bDr\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bProf\.)(?<!\bJr\.)(?<!\bSr\.)(?<!\bLtd\.)(?<!\bCo\.)(?<!\bcf\.)(?<!\bCf\.)(?<!\bno\.)(?<!\bNo\.)(?<!\bSt\.)(?<!\bInc\.)(?<!\bnr\.)\s+(?=[A-Z])|;\s*"
)
_PART_RE = re.compile(r",?\s*\b(Part\s+(?:[IVXL]+|\d+))\b", re.IGNORECASE)
_COLLECTION_SALE_RE = re.compile(
    r"^(?P<collection>[^()]*?\bcollection\b[^()]*?)\s*\((?P<sale>[^()]*)\)(?P<rest>.*)$", re.IGNORECASE
)


def _find_date(text: str) -> tuple[date | None, str]:
    for pattern in _DATE_RES:
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        year = int(groups["year"])
        month = groups.get("monthnum")
        month_number = int(month) if month else _MONTHS.get((groups.get("month") or "").lower().rstrip("."))
        day = groups.get("day")
        if day and month_number:
            try:
                return date(year, month_number, int(day)), match.group(0)
            except ValueError:
                return None, match.group(0)
        return None, match.group(0)
    return None, ""


def _kind(text: str, has_sale: bool) -> str:
    low = text.lower()
    if re.search(r"\bprivate(?:ly)?\s+(?:sale|purchased|treaty)\b|\bprivate sale\b", low):
        return "private_sale"
    if has_sale:
        return "auction"
    if re.search(r"\bhoard\b|\bschatzfund\b|\btr[ée]sor\b", low):
        return "hoard"
    if re.search(r"\b(?:published|illustrated|plate|pl\.|journal|num\. chron|sng\b)", low):
        return "publication"
    if re.search(r"\b(?:collection|sammlung|cabinet|collezione|inventory|museum)\b", low):
        return "collection"
    if re.search(r"\b(?:numismatics?|coins?|gallery|ltd|inc|gmbh|ag|llc|numismatik|numismatique)\b", low):
        return "dealer"
    return "unknown"


def _name(text: str) -> str:
    """The owner or house: the clause up to its sale number, date or first comma remark."""
    text = _PART_RE.sub("", text)
    text = _SALE_RE.split(text)[0]
    text = re.split(r"\(|,\s*(?:private|lot|\d)|\s+lot\s", text, maxsplit=1)[0]
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(" ,.;:"), flags=re.IGNORECASE)
    house = _HOUSE_SALE_RE.match(text)
    if house and not re.search(r"collection", text, re.IGNORECASE):
        text = house.group("name")
    return text.strip(" ,.;:")


def _item(clause: str, raw: str, kind: str | None = None) -> ProvenanceItem:
    when, when_text = _find_date(clause)
    lot_match = _LOT_RE.search(clause)
    sale_match = _SALE_RE.search(clause)
    sale = sale_match.group("num") if sale_match else ""
    if not sale:
        house = _HOUSE_SALE_RE.match(_PART_RE.sub("", clause))
        if house and lot_match and not re.search(r"collection", house.group("name"), re.IGNORECASE):
            sale = house.group("num")
    part = _PART_RE.search(clause)
    if part and not sale:
        sale = part.group(1)
    has_sale = bool(sale_match or (lot_match and sale))
    return ProvenanceItem(
        kind=kind or _kind(clause, has_sale),
        name=_name(clause),
        sale=sale,
        lot=lot_match.group(1) if lot_match else "",
        date=when,
        date_text=when_text,
        raw=raw,
    )


def _clause_items(clause: str) -> list[ProvenanceItem]:
    """Items of one clause, oldest first."""
    raw = clause.strip(" .;")
    if re.match(r"^cf\b\.?", raw, re.IGNORECASE):
        body = re.sub(r"^cf\b\.?\s*", "", raw, flags=re.IGNORECASE)
        return [_item(body, raw, kind="unknown")]
    body = _LEAD_RE.sub("", raw).strip()
    items: list[ProvenanceItem] = []
    # "X, purchased from Z, 7 July 2003": Z owned it first.
    parts = _EARLIER_RE.split(body, maxsplit=1)
    if len(parts) == 2:
        earlier = parts[1]
        earlier_item = _item(earlier, raw)
        if earlier_item.kind in ("unknown", "collection"):
            earlier_item = _item(earlier, raw, kind="dealer")
        items.append(earlier_item)
        body = parts[0]
    collection_sale = _COLLECTION_SALE_RE.match(body)
    if collection_sale and re.search(r"\d", collection_sale.group("sale")):
        # "Lexington Collection of J. Kern (Heritage Auction 3032, CICF, 10 April 2014), lot 23882"
        items.append(_item(collection_sale.group("collection"), raw, kind="collection"))
        sale_text = collection_sale.group("sale") + collection_sale.group("rest")
        items.append(_item(sale_text, raw))
        return items
    items.append(_item(body, raw))
    return items


_TAG_RE = re.compile(r"<[^<>]{0,500}>")


def parse_provenance(text: str | None) -> list[ProvenanceItem]:
    """Every owner, sale and publication in a pedigree text, OLDEST FIRST. Chains are split on their
    "Ex"/"Ex." boundaries only; markup a web page left in the text (<a href=...>) is dropped."""
    text = clean(_TAG_RE.sub("", text or ""))
    if not text:
        return []
    clauses: list[str] = []
    for sentence in _SENTENCE_RE.split(text):
        clauses.extend(part for part in _CHAIN_RE.split(sentence) if part.strip(" .;,"))
    items: list[ProvenanceItem] = []
    for clause in reversed(clauses):  # written newest first
        items.extend(_clause_items(clause))
    return items
