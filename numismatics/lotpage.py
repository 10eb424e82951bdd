"""Read a lot page the way a person reads it: from its text, in English, German, French, Italian or
Spanish, whatever house or platform printed it.

The input is the page as text: a browser's "save as text", a copy-paste, or HTML turned into text
with each block on its own line (auctions/scraping does that). What is found:
- prices by their labels ("Estimate", "Schätzpreis", "Estimation", "Stima", "Estimación", "Price
  realized", "Zuschlag", "Adjugé", "Aggiudicazione", "Remate", "Starting price", "Startpreis", "Mise à
  prix", "Base d'asta", "Precio de salida" ...), on the label's line ("Estimate: 15 000 CHF",
  "Estimate | 10'000 USD |", "Sold For CHF300."), on the next line, or several on one line
  ("Start Price:9,600.00 CHF Estimated At:12,000.00 - 15,000.00 CHF");
- the lot number ("Lot 121", "Lot number: 381", "Los 937", "Losnummer 7792", "Lotto 12", "Lote 5",
  a bare number heading the page, or the item code the page's URL repeats);
- the sale (a "Sale:" label, a "House > Electronic Auction 553" trail, a heading "Auction 97  12
  December 2016") and its date; the house (a "By:" label, the line above the sale heading, the sale's
  series name, the site's domain, a hosting platform's slug), through numismatics/houses.py;
- buyer's-premium remarks ("This amount does not include the buyer's fee", "zzgl. Aufgeld");
- the lot's text: the block that looks most like a coin description (lottext.coin_score), with the
  lines that continue it, its provenance lines and its commentary, without the page's furniture.
Provenance lines and whatever follows a second lot header ("Match 1:" on CoinArchives) never give
the sale, lot or date. Only the first MAX_CHARS characters are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import unquote, urlsplit

from numismatics.calendar_dates import find_date
from numismatics.houses import (
    house_for_domain,
    house_for_sale_name,
    house_for_slug,
    house_name,
    is_known_house,
)
from numismatics.lottext import (
    coin_score,
    glyph_legend,
    is_provenance,
    legend_lines,
    split_lot_text,
    starts_with_field_label,
)
from numismatics.money import parse_estimate, parse_money
from numismatics.text import clean

MAX_CHARS = 300_000

_ESTIMATE = (
    r"Estimated\s+(?:Value|At|Price)|Estimate(?:\s+price)?|Est\.|Schätzpreis|Schätzung|Schätzwert|"
    r"Schätz\.|Estimation|Estimations?|Estimación|Estimacion|Stima|Valutazione|Prezzo\s+di\s+stima|"
    r"Valeur\s+estimée|Taxe"
)
_START = (
    r"Starting\s+(?:price|bid)|Start(?:ing)?\s+Price|Start\s+bid|Opening\s+bid|Minimum\s+bid|Startpreis|"
    r"Ausruf(?:preis)?|Mindestgebot|Mise\s+à\s+prix|Prix\s+de\s+départ|Base\s+d['’]asta|Prezzo\s+base|"
    r"Prezzo\s+di\s+partenza|Partenza|Precio\s+de\s+salida|Salida|Precio\s+inicial|Start"
)
_HAMMER = (
    r"Prices?\s+reali[sz]ed|Reali[sz]ed\s+price|Reali[sz]ed|Sold\s+for|Sold\s+on\s+.{1,40}?\s+for|"
    r"Hammer(?:\s+price)?|Winning\s+bid|Final\s+(?:price|bid)|Closing\s+(?:price|bid)|Selling\s+price|Result|"
    r"Zuschlag(?:spreis)?|Ergebnis|Erlös|Endpreis|Verkaufspreis|Adjugé|Prix\s+(?:final|de\s+vente)|"
    r"Prezzo\s+finale|Offerta\s+finale|Precio\s+final|Puja\s+final|"
    r"Prix\s+(?:réalisé|d['’]adjudication)|Résultat|Adjudication|Aggiudicazione|Aggiudicato|"
    r"Prezzo\s+(?:realizzato|di\s+aggiudicazione)|Remate|Precio\s+(?:de\s+remate|realizado|de\s+adjudicación)|"
    r"Adjudicado|Vendido(?:\s+por)?"
)
_CURRENT = (
    r"Current\s+(?:bid|price)|High\s+bid|Aktuelles\s+Gebot|Höchstgebot|Enchère\s+actuelle|"
    r"Offerta\s+attuale|Puja\s+actual|Oferta\s+actual"
)
_LOT = (
    r"Lot\s*(?:number|no\.?|n[°º]\.?|nr\.?|#)|Losnummer|Los-?Nr\.?|Lotto\s*(?:n\.?|n[°º])?|"
    r"Lote\s*(?:n[°º.]?)?|Numéro\s+de\s+lot|Lot|Los"
)
_SALE = (
    r"Sale|Auction|Auktion|Vente|Asta|Subasta|E-Auction|Catalogue|Katalog|Catalogo|Catálogo|Auction\s+name"
)
_DATE = (
    r"Auction\s+date|Sale\s+date|Closing\s+date|Closing|Closes|Closed|Ends|Ended|End\s+date|Date\s+of\s+sale|"
    r"Auktionsdatum|Auktionstag|Datum|Date\s+de\s+(?:la\s+)?vente|Data\s+(?:d['’]asta|asta)|"
    r"Fecha(?:\s+de\s+(?:la\s+)?subasta)?|Date|Data"
)
_HOUSE = (
    r"By|Auction\s+house|Auctioneer|Seller|Dealer|Auktionshaus|Maison\s+de\s+ventes?|Casa\s+d['’]aste|"
    r"Casa\s+de\s+subastas|Firm|Company"
)
_CURRENCY_LABEL = r"Currency|Währung|Devise|Valuta|Moneda"
_LABELS = {
    "estimate": _ESTIMATE,
    "starting": _START,
    "hammer": _HAMMER,
    "current": _CURRENT,
    "lot": _LOT,
    "sale": _SALE,
    "date": _DATE,
    "house": _HOUSE,
    "currency": _CURRENCY_LABEL,
}
_MONEY_KEYS = ("estimate", "starting", "hammer", "current")
# A label at the start of a line, its value after ":" / "|" / on the next line.
_LINE_LABEL_RES = {
    key: re.compile(rf"^(?:{pattern})(?![\w])\s*(?:[:|#]|\s-\s)?\s*(?P<value>.*)$", re.IGNORECASE)
    for key, pattern in _LABELS.items()
}
_COLON_LABEL_RES = {
    key: re.compile(rf"^(?:{pattern})\s*[:|]", re.IGNORECASE) for key, pattern in _LABELS.items()
}
_ANY_LABEL_RE = re.compile(
    rf"(?<![\w])(?:{'|'.join(_LABELS[key] for key in (*_MONEY_KEYS, 'currency'))}|"
    r"Category|Kategorie|Catégorie|Number\s+of\s+bids|Bids|Maximum\s+bid|Lot|Closing\s+Date|Note)\s*:",
    re.IGNORECASE,
)
# Inside a line, a money label must be followed by ":" or straight by an amount ("Estimate CHF125").
_MONEY_START = r"(?:[$€£¥]|US\$|CHF|USD|EUR|GBP|SFr\.?|Fr\.)?\s?\d"
_INLINE_MONEY_RES = {
    key: re.compile(
        rf"(?<![\w])(?:{_LABELS[key]})(?![\w])\s*(?::\s*|\|\s*|\s+(?={_MONEY_START})|(?={_MONEY_START}))(?P<value>[^\n]*)",
        re.IGNORECASE,
    )
    for key in (*_MONEY_KEYS, "currency")
}
_INLINE_LOT_RE = re.compile(
    rf"(?<![\w])(?:{_LOT})\s*:?\s*(?P<value>\d{{1,6}}[A-Za-z]?)(?![\w/.,]\d)(?!\s*(?:g|mm|gm)\b)",
    re.IGNORECASE,
)
_UNSOLD_RE = re.compile(
    r"\b(?:unsold|not\s+sold|passed|no\s+sale|nicht\s+verkauft|unverkauft|invendu|non\s+venduto|"
    r"invendido|no\s+vendido|retiré|withdrawn|zurückgezogen)\b",
    re.IGNORECASE,
)
_OPEN_RE = re.compile(
    r"\b(?:place\s+(?:a\s+)?bid|bid\s+now|your\s+bid|current\s+bid|bieten|gebot\s+abgeben|vorgebote?|"
    r"enchérir|placer\s+une\s+offre|fai\s+un['’]offerta|offri|pujar|hacer\s+una\s+puja)\b",
    re.IGNORECASE,
)
_PREMIUM_WORDS_RE = re.compile(
    r"\b(?:buyer['’]?s?\s+(?:fee|premium)s?|buyers\s+premium|aufgeld|käuferaufgeld|frais\s+(?:acheteur|de\s+vente)|"
    r"commissioni?\s+d['’]acquisto|diritti\s+d['’]asta|comisi[oó]n(?:es)?\s+(?:del?\s+)?comprador|"
    r"premio\s+del\s+comprador)\b",
    re.IGNORECASE,
)
# A remark is one sentence; "Note:" and a closing bracket also start one ("(Approx. 362 EUR) Note: ...").
# ... but "zzgl. Aufgeld", "inkl. MwSt.", "excl. premium" go on.
_NOTE_SPLIT_RE = re.compile(
    r"(?<=[.!?])(?<!zzgl\.)(?<!inkl\.)(?<!incl\.)(?<!excl\.)(?<!exkl\.)\s+|\n|\bNote:\s*|\)\s+"
)
_PREMIUM_PCT_RE = re.compile(
    r"(\d{1,2}(?:[.,]\d{1,2})?)\s*%\s*(?:BP\b|buyer['’]?s?\s+(?:premium|fee)|aufgeld|frais|commissione|comisi)"
    r"|(?:buyer['’]?s?\s+(?:premium|fee)|aufgeld|frais\s+(?:acheteur|de\s+vente)|diritti\s+d['’]asta|"
    r"commissione|comisi[oó]n)\D{0,20}?(\d{1,2}(?:[.,]\d{1,2})?)\s*%",
    re.IGNORECASE,
)
_SALE_WORDS = (
    r"(?:(?:Electronic|E-|Web|Online|Live|Mail\s+Bid|Floor|Public|Summer|Autumn|Spring|Winter|Signature|"
    r"Nachverkauf|eLive|e-Live)\s*)?(?:Auction|Sale|Auktion|Vente|Asta|Subasta|E-Auction|E-Sale|Asta\s+Live)"
)
# "Auction 97", "Electronic Auction 553", "E-Auction 21", "Triton XXV", "Auktion 417".
_SALE_HEADING_RE = re.compile(
    # the words before may be a date: "2026 March 5 World & Ancient Coins Signature Auction #3120"
    rf"(?P<name>(?:(?:[A-Z][\w&.'’-]*|\d{{1,4}}|&|and|of|de|di|der|des)\s+){{0,8}}{_SALE_WORDS}\s*(?:#|No\.?|Nr\.?|n[°º])?\s*(?P<num>\d{{1,5}}(?:[A-Za-z](?![a-z]))?|[IVXLC]{{1,7}}\b))",
    re.IGNORECASE,
)
# A heading that is only a name and a number: "MONNAIES 38 (2009)", "Triton XXV".
_BARE_SALE_RE = re.compile(
    r"^(?P<name>[A-ZÀ-Ý][\w'’&.-]*(?:\s+[\w'’&.-]+){0,3}\s+(?P<num>\d{1,4}|[IVXLC]{1,7}))(?:\s*\((?P<year>\d{4})\))?$"
)
_PLATFORM_NAMES = {"numisbids", "biddr", "sixbid", "coinarchives", "icollector", "coincircuit", "acsearch"}
# A trail of links: "CNG > Electronic Auction 553 > Lot 45", "Home » Künker » eLive Auction 80".
_CRUMB_SPLIT_RE = re.compile(r"\s+[>»›]\s+")
_CRUMB_FURNITURE_RE = re.compile(
    r"^(?:home|start(?:seite)?|accueil|inicio|auctions?|auktionen|ventes|aste|subastas|archive?|archiv)$",
    re.IGNORECASE,
)
# "190th Blue Auction", "45e Vente", "7ª Subasta", "85. Auktion": the sale's number as an ordinal first.
_ORDINAL_SALE_RE = re.compile(
    rf"^(?P<name>(?P<num>\d{{1,4}})(?:st|nd|rd|th|e|er|ème|ª|º|\.)\s+(?:[A-Z][\w'’-]*\s+){{0,3}}{_SALE_WORDS}"
    r"(?:\s+[A-Z][\w'’-]*){0,3})$"
)
_FURNITURE_WORDS_RE = re.compile(r"^[^\d]{0,60}$")
# A site's account links in the five languages: never a house's name.
_ACCOUNT_LINK_RE = re.compile(
    r"^(?:log\s?in|log\s?out|sign\s?in|sign\s?up|register|my\s+account|anmelden|registrieren|mein\s+konto|"
    r"connexion|se\s+connecter|mon\s+compte|accedi|registrati|il\s+mio\s+account|iniciar\s+sesi[oó]n|"
    r"registrarse|mi\s+cuenta)$",
    re.IGNORECASE,
)
_BARE_NUMBER_RE = re.compile(r"^(?:#\s?)?(\d{1,6}[A-Za-z]?)$")
_CATEGORY_HEADING_RE = re.compile(r"^[^\d.]{1,60}$")


@dataclass
class LotPage:
    """What a lot page states. Money is Decimal with its own currency; None or "" means not found."""

    house: str = ""
    sale_name: str = ""
    sale_number: str = ""
    sale_date: date | None = None
    lot_number: str = ""
    title: str = ""
    description: str = ""
    provenance: list[str] = field(default_factory=list)
    commentary: str = ""
    estimate_low: Decimal | None = None
    estimate_high: Decimal | None = None
    estimate_currency: str = ""
    starting_price: Decimal | None = None
    starting_currency: str = ""
    hammer_price: Decimal | None = None
    hammer_currency: str = ""
    current_bid: Decimal | None = None
    page_currency: str = ""
    unsold: bool = False
    open_for_bids: bool = False
    premium_note: str = ""
    buyers_premium_pct: Decimal | None = None

    @property
    def currency(self) -> str:
        """The lot's currency: the price realized's, the estimate's, the start's, the page's."""
        return self.hammer_currency or self.estimate_currency or self.starting_currency or self.page_currency

    @property
    def status(self) -> str:
        if self.hammer_price is not None:
            return "sold"
        if self.unsold:
            return "unsold"
        if self.open_for_bids or self.current_bid is not None:
            return "open"
        return "unknown"

    metal_glyphs: list[str] = field(default_factory=list)  # "Õ = Silber": what the page's glyphs mean

    @property
    def lot_text(self) -> str:
        """Description, provenance and commentary in the page's order: the lot's whole text (with the
        page's legend of metal glyphs, when it has one, so the description can be read later)."""
        parts = [self.description, "\n".join(self.provenance), self.commentary, "\n".join(self.metal_glyphs)]
        return "\n\n".join(part for part in parts if part)


def _table_row(line: str) -> str:
    """ "| Schätzpreis | 1.000 € |" and "Estimate | 10'000 USD |" -> "Schätzpreis: 1.000 €"."""
    if "|" not in line:
        return line
    cells = [cell.strip() for cell in line.split("|") if cell.strip()]
    if len(cells) >= 2 and len(cells[0]) <= 40:
        return f"{cells[0]}: {' '.join(cells[1:])}"
    return " ".join(cells)


def _prepare(text: str) -> list[str]:
    text = text[:MAX_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    return [_table_row(clean(line)) for line in text.split("\n")]


def _money_value(value: str) -> str:
    """The value up to the next label on the same line: "9,600.00 CHF Estimated At:..." -> "9,600.00 CHF"."""
    cut = _ANY_LABEL_RE.search(value, 1)
    value = value[: cut.start()] if cut else value
    return value[:120]


@dataclass
class _Line:
    index: int
    text: str
    labels: dict[str, str]  # key -> value text found on this line (or on the next, for a bare label)
    furniture: str = ""  # "hard", "soft" or "" (see _furniture)
    score: int = 0


def _line_labels(lines: list[str], index: int) -> dict[str, str]:
    line = lines[index]
    found: dict[str, str] = {}
    nxt = next((candidate for candidate in lines[index + 1 : index + 3] if candidate), "")
    for key, pattern in _LINE_LABEL_RES.items():
        match = pattern.match(line)
        if not match:
            continue
        value = match.group("value").strip()
        if key in _MONEY_KEYS:
            if not value and re.match(_MONEY_START, nxt):
                value = nxt
            if value and (re.match(_MONEY_START, value) or _UNSOLD_RE.match(value)):
                found.setdefault(key, _money_value(value))
        elif key == "lot":
            lot = re.match(r"^(?:#\s*)?(\d{1,6}[A-Za-z]?|[A-Za-z]{0,3}\d[\w/-]{0,12})(?![\w])", value or nxt)
            if lot and not re.match(r"^\d{1,6}\s*(?:g|mm|gm)\b", value or nxt):
                found.setdefault(key, lot.group(1))
        elif key == "date" and _COLON_LABEL_RES[key].match(line) and find_date(value or nxt):
            found.setdefault(key, value or nxt)  # "Date: c. 332-323 BC" is the coin's, not the sale's
        elif key in ("sale", "house", "currency") and (
            # "Sale: Nomos 3 & 4, Lot: 1032." - a value must follow the colon (or be the next line).
            _COLON_LABEL_RES[key].match(line) or (key == "house" and not value)
        ):
            found.setdefault(key, value or nxt)
    for key in (*_MONEY_KEYS, "currency"):
        if key in found:
            continue
        match = _INLINE_MONEY_RES[key].search(line)
        if match and (
            key == "currency"
            or re.match(_MONEY_START, match.group("value"))
            or _UNSOLD_RE.match(match.group("value"))
        ):
            found[key] = _money_value(match.group("value"))
    if "lot" not in found:
        match = _INLINE_LOT_RE.search(line)
        # "Sale: Nomos 3 & 4, Lot: 1032.": with a colon, or opening the line; never "..., lot 23882"
        # in a pedigree.
        if (
            match
            and not is_provenance(line)
            and (":" in match.group(0) or line.lower().startswith(("lot", "los", "lotto", "lote")))
        ):
            found["lot"] = match.group("value")
    return found


_FIELD_LINE_RE = re.compile(r"^[^\W\d][\w /'’().-]{0,40}?\s?:\s*\S")


def _furniture(line: _Line, seen: set[str]) -> str:
    """ "hard": a price, lot, sale or date line, or the page title again: it ends the lot's text.
    "soft": a short line that is no sentence ("Obverse", "Zurück zur Listenansicht"): page furniture
    that the lot's text may run across. "": part of what the page says about the lot."""
    text = line.text
    if line.labels and not (set(line.labels) <= {"date"} and line.score >= 4):
        return "hard"
    if text in seen:
        return "hard"  # the page title printed again above the description
    if _FIELD_LINE_RE.match(text) and not is_provenance(text):
        return ""  # "Metal : silver", "Mint name / Town : Égypte, Memphis": a field of the lot
    if line.score == 0 and len(text.split()) <= 6 and not text.endswith(".") and not is_provenance(text):
        return "soft"
    return "soft" if re.match(r"^[^\w]*$", text) else ""


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    out: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if not line.text or line.furniture:
            if current:
                out.append(current)
            current = []
            if line.furniture and line.text:
                out.append([line])  # a furniture line is a paragraph of its own, never joined
            continue
        current.append(line)
    if current:
        out.append(current)
    return out


def _second_lot_header(lines: list[_Line]) -> int:
    """Index of a second lot's header (a lot label after a description was seen), else len(lines)."""
    seen_lot = False
    seen_description = False
    for line in lines:
        if "lot" in line.labels and line.score < 4:
            if seen_lot and seen_description:
                # The header block of the next lot starts at the blank line before it.
                start = line.index
                while start > 0 and lines[start - 1].text:
                    start -= 1
                return start
            seen_lot = True
        if line.score >= 6 and not line.furniture:
            seen_description = True
    return len(lines)


def _lot_text(lines: list[_Line]) -> tuple[str, int, int]:
    """The lot's text (description with provenance and commentary) and the line range it spans."""
    paragraphs = [p for p in _paragraphs(lines) if not (len(p) == 1 and p[0].furniture)]
    if not paragraphs:
        return "", -1, -1
    scores = [sum(line.score for line in p) for p in paragraphs]
    best = max(range(len(paragraphs)), key=lambda i: (scores[i], -i))
    if scores[best] < 4:
        return "", -1, -1
    by_index = {line.index: line for line in lines}

    def between(a: list[_Line], b: list[_Line]) -> set[str]:
        """What separates paragraphs a and b: {"hard"}, {"soft"} or set() (blank lines only)."""
        return {by_index[i].furniture for i in range(a[-1].index + 1, b[0].index) if by_index[i].text}

    def coin_like(index: int) -> bool:
        return scores[index] >= 2 or starts_with_field_label(paragraphs[index][0].text)

    first = best
    while first > 0:
        gap = between(paragraphs[first - 1], paragraphs[first])
        if "hard" in gap or not coin_like(first - 1):
            break
        first -= 1
    last = best
    while last + 1 < len(paragraphs):
        gap = between(paragraphs[last], paragraphs[last + 1])
        # Across blank lines the lot's text goes on (provenance, commentary); across a heading only
        # while what follows still describes the coin.
        if "hard" in gap or (gap and not coin_like(last + 1)):
            break
        last += 1
    chosen = [
        line
        for line in lines
        if paragraphs[first][0].index <= line.index <= paragraphs[last][-1].index and line.text
    ]
    # Leading lines of no coin feature before the heading (auction boilerplate) are not the lot's.
    while len(chosen) > 1 and chosen[0].score == 0 and not starts_with_field_label(chosen[0].text):
        chosen.pop(0)
    text_lines: list[str] = []
    previous_index = None
    for line in chosen:
        if previous_index is not None and line.index > previous_index + 1:
            text_lines.append("")
        text_lines.append(line.text)
        previous_index = line.index
    return "\n".join(text_lines), chosen[0].index, chosen[-1].index


def _first(lines: list[_Line], key: str, stop: int, skip: range) -> tuple[str, int] | None:
    for line in lines[:stop]:
        if line.index in skip and key not in ("hammer", "estimate", "starting", "current", "currency"):
            continue  # the lot's own text never gives the sale, lot or date (its provenance would)
        if key in line.labels:
            return line.labels[key], line.index
    return None


def _sale_from_heading(lines: list[_Line], stop: int, skip: range) -> tuple[str, str, int] | None:
    for line in lines[:stop]:
        if line.index in skip or not line.text or is_provenance(line.text):
            continue
        crumbs = _crumbs(line.text)
        for target in crumbs or [line.text]:
            match = _SALE_HEADING_RE.match(target) or _ORDINAL_SALE_RE.match(target)
            if match and (len(crumbs) > 1 or match.end() >= len(target) - 40):
                return _without_lot_or_date(clean(match.group("name"))), match.group("num"), line.index
    for line in lines[:stop]:
        if line.index in skip or not line.text or line.index > 12:
            continue
        bare = _BARE_SALE_RE.match(line.text)
        if bare and not line.labels.keys() - {"sale"} and line.score < 2:
            return clean(bare.group("name")), bare.group("num"), line.index
    return None


_LEADING_LOT_RE = re.compile(r"^(?:Lot|Los|Lotto|Lote)\s*(?:n[°º.]?\s*)?\d+\w*\s*[-–:,|]?\s*", re.IGNORECASE)


def _without_lot_or_date(name: str) -> str:
    """A sale heading without the lot or the day written before it on the same line: "Lot 45 Auction
    97", "12 December 2026 - Auction 97" -> "Auction 97" (a date inside the name stays: Heritage's
    "2026 March 5 World & Ancient Coins Signature Auction #3120")."""
    name = _LEADING_LOT_RE.sub("", name)
    day = find_date(name)
    if day and day[1] == 0:
        name = name[day[2] :].strip(" -–,:|")
    return name


def _crumbs(text: str) -> list[str]:
    """The items of a trail of links, the site's own ("Home", "Auctions") left out; [] for no trail."""
    items = [item.strip() for item in _CRUMB_SPLIT_RE.split(text)]
    if len(items) < 2 or any(not 2 < len(item) <= 80 for item in items):
        return []
    return [item for item in items if not _CRUMB_FURNITURE_RE.match(item)]


def _house_from_url(url: str) -> str:
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    found = house_for_domain(host)
    if found:
        return found
    # A hosting platform names the house in the path: biddr.com/auctions/<slug>/..., coincircuit's
    # /coin-Auction/<house-slug>/...; the slug is read through the house list, else left alone.
    for segment in unquote(parts.path).split("/"):
        if segment and (named := house_for_slug(segment.lower())):
            return named
    return ""


def read_lot_page(text: str | None, url: str = "") -> LotPage:
    """Everything a lot page states, from its text. Fields the page does not state stay empty."""
    raw = _prepare(text or "")
    lines = [_Line(i, line, {}) for i, line in enumerate(raw)]
    for line in lines:
        if line.text:
            line.labels = _line_labels(raw, line.index)
            line.score = coin_score(line.text)
    seen: set[str] = set()
    pedigree = False  # inside a provenance block: its lines ("NAC sale 62, 2011, 2069") are the lot's
    for line in lines:
        if not line.text:
            pedigree = False
            continue
        line.furniture = _furniture(line, seen)
        if is_provenance(line.text):
            pedigree = True
        elif pedigree and line.furniture == "soft":
            line.furniture = ""
        if len(line.text) > 12:
            seen.add(line.text)
    stop = _second_lot_header(lines)
    lot_text, start, end = _lot_text(lines[:stop])
    inside = range(start, end + 1) if start >= 0 else range(0)
    page = LotPage()
    parts = split_lot_text(lot_text)
    page.description, page.provenance, page.commentary = parts.description, parts.provenance, parts.commentary

    for key in _MONEY_KEYS:
        found = _first(lines, key, stop, inside)
        if found is None:
            continue
        value = found[0]
        if key == "estimate":
            low, high, currency = parse_estimate(value)
            page.estimate_low, page.estimate_high, page.estimate_currency = low, high, currency or ""
        else:
            money = parse_money(value)
            if money is None:
                if key == "hammer" and _UNSOLD_RE.search(value):
                    page.unsold = True
                continue
            if key == "hammer":
                page.hammer_price, page.hammer_currency = money.amount, money.currency or ""
            elif key == "starting":
                page.starting_price, page.starting_currency = money.amount, money.currency or ""
            else:
                page.current_bid = money.amount
    currency = _first(lines, "currency", stop, inside)
    if currency and (code := re.match(r"\s*([A-Z]{3})\b", currency[0])):
        page.page_currency = code.group(1)

    lot = _first(lines, "lot", stop, inside)
    if lot:
        page.lot_number = lot[0]
    else:
        head = next((line for line in lines[:stop] if line.text), None)
        if head and (bare := _BARE_NUMBER_RE.match(head.text)):
            page.lot_number = bare.group(1)  # a listing that heads the page with the lot's number
        elif (
            head
            and (code := re.match(r"^([A-Za-z]{0,4}\d[\w-]{2,15})\s+[-–]\s", head.text))
            and code.group(1).lower() in (url or "").lower()
        ):
            page.lot_number = code.group(1)  # an item code that the page's URL repeats

    sale = _first(lines, "sale", stop, inside)
    sale_line = -1
    if sale:
        value = re.split(
            r",\s*(?:Lot|Los|Lotto|Lote)\b|\s+(?:Lot|Los)\s*[:#]", sale[0], maxsplit=1, flags=re.I
        )[0]
        page.sale_name = clean(value).strip(" .,;")[:200]
        sale_line = sale[1]
    heading = _sale_from_heading(lines, stop, inside)
    if heading and (not page.sale_name or heading[2] == sale_line):
        page.sale_name, sale_line = heading[0], heading[2]
    if page.sale_name:
        number = re.search(
            r"(?:\b|(?<=[A-Za-z]))(\d{1,5}(?:\s*&\s*\d{1,5})?|[IVXLC]{1,7})\s*$", page.sale_name
        )
        page.sale_number = number.group(1) if number else ""
        # In a trail, the item before the sale names the house: "CNG > Electronic Auction 553 > Lot 45".
        crumbs = _crumbs(lines[sale_line].text) if sale_line >= 0 else []
        at = next((i for i, item in enumerate(crumbs) if clean(item).startswith(page.sale_name)), 0)
        if at > 0:
            page.house = house_name(crumbs[at - 1])

    date_found = _first(lines, "date", stop, inside)
    if date_found and (value := find_date(date_found[0])):
        page.sale_date = value[0]
    if page.sale_date is None and sale_line >= 0 and (value := find_date(lines[sale_line].text)):
        page.sale_date = value[0]
    if page.sale_date is None:
        for line in lines[: start if start >= 0 else stop]:
            if line.text and not is_provenance(line.text) and (value := find_date(line.text)):
                page.sale_date = value[0]
                break

    house = _first(lines, "house", stop, inside)
    if not page.house and house and house[0] and not re.search(r"\d{3}", house[0]):
        page.house = house_name(house[0])
    if not page.house and sale_line > 0:
        # The line above the sale's heading names the house ("Numismatica Ars Classica" / "Auction 97
        # 12 December 2016") when it is a short name: no label, no sentence, no number, not the
        # platform's own name nor an account link; a house the list knows may also stand below it
        # ("Auction 132" / "The Coin Cabinet").
        above = next((line for line in reversed(lines[:sale_line]) if line.text), None)
        below = next((line for line in lines[sale_line + 1 : stop] if line.text), None)
        if below and below.index not in inside and is_known_house(below.text):
            page.house = house_name(below.text)
        elif (
            above
            and not above.labels
            and above.score < 4
            and not re.search(r"[:\d]|\.$", above.text)
            and len(above.text.split()) <= 6
            and above.text.lower() not in _PLATFORM_NAMES
            and not _ACCOUNT_LINK_RE.match(above.text)
        ):
            page.house = house_name(above.text)
    if not page.house and page.sale_name:
        page.house = house_for_sale_name(page.sale_name)
    if not page.house:
        page.house = _house_from_url(url)

    whole = "\n".join(line.text for line in lines[:stop] if line.index not in inside)
    for sentence in _NOTE_SPLIT_RE.split(whole):
        if _PREMIUM_WORDS_RE.search(sentence):
            page.premium_note = clean(sentence)
            break
    pct = _PREMIUM_PCT_RE.search(whole)
    if pct:
        page.buyers_premium_pct = Decimal((pct.group(1) or pct.group(2)).replace(",", "."))
    if page.hammer_price is None and not page.unsold:
        page.unsold = any(
            _UNSOLD_RE.search(line.text)
            for line in lines[:stop]
            if line.index not in inside and line.furniture
        )
    page.open_for_bids = bool(_OPEN_RE.search(whole))
    page.title = _title(page.description)
    legend = legend_lines("\n".join(line.text for line in lines[:stop]))
    if legend and any(glyph_legend(line).keys() & set(page.description) for line in legend):
        page.metal_glyphs = legend
    if page.metal_glyphs and all(entry in page.description for entry in page.metal_glyphs):
        page.metal_glyphs = []  # already in the lot's text
    return page


def _title(description: str) -> str:
    line = description.strip().split("\n", 1)[0].strip()
    if len(line) <= 200:
        return line
    return line[:200].rsplit(" ", 1)[0].rstrip(",;:") + "…"
