"""One spreadsheet row -> the values of one coin, with every problem found on the way.

Pure: no database. Vocabulary names stay names here (the importer resolves them), references and
provenance stay parsed items. A bad cell never loses the row: its field is left empty and a Problem
names the row, the column and the value. Only columns present in the file produce values, so a sheet
without a "Weight" column never blanks the weights already recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from auctions.models import CoinRole
from catalog.choices import Category, Disposal, GradeService, GradingState, ImportSource, Metal
from catalog.exporting.provenance_lines import read_line, split_fields
from numismatics.categories import parse_category
from numismatics.dates import DateParseError, YearRange, parse_year_range
from numismatics.grades import parse_grade
from numismatics.legends import split_legend
from numismatics.metals import parse_metal
from numismatics.money import parse_money
from numismatics.references import Citation, parse_references
from numismatics.text import clean, fold

from .columns import DESCRIPTIVE, NOTE_FIELDS, ColumnMap, normalise_header
from .problems import ERROR, WARNING, Problem
from .reading import Sheet, looks_like_formula
from .statuses import NOT_HELD, SOLD, SOLD_HEADERS, UNKNOWN, classify, classify_sold_column

# The parsers are pure, and collections repeat their values ("Silver", "VF", "AD 253-268"): one
# parse per distinct text per run. Results are immutable (frozen dataclasses, tuples).
_split_legend = lru_cache(maxsize=8192)(split_legend)
_parse_category = lru_cache(maxsize=1024)(parse_category)
_parse_metal = lru_cache(maxsize=1024)(parse_metal)
_parse_grade = lru_cache(maxsize=4096)(parse_grade)
_parse_year_range = lru_cache(maxsize=4096)(parse_year_range)


@lru_cache(maxsize=8192)
def _references(text: str) -> tuple[Citation, ...]:
    return tuple(parse_references(text))


_URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_NUMBER_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:g|gr|gm|grams?|mm|h|o'clock)?\.?\s*$", re.IGNORECASE)
_EXERGUE_RE = re.compile(r"([A-ZΑ-Ω][A-ZΑ-Ω•·.*\s]*[A-ZΑ-Ω•·.*])\s+in exergue", re.UNICODE)
_SCORES_RE = re.compile(
    r"strike\s*:?\s*\d\s*/\s*5|surface\s*:?\s*\d\s*/\s*5|fine\s+style|[★☆]", re.IGNORECASE
)
_TRUE = {"1", "yes", "y", "true", "x", "✓", "fine style", "fs", "ja", "oui"}
_FALSE = {"", "0", "no", "n", "false", "-"}
_ERA_WORDS_RE = re.compile(r"\b(?:a\.?d|b\.?c\.?e?|c\.?e|ca|circa|c)\b\.?", re.IGNORECASE)
_validate_url = URLValidator(schemes=["http", "https"])
# Words the export writes (and people type) for codes: "In capsule" is "capsule".
_STATE_WORDS = {fold(label): code for code, label in GradingState.choices}
_ROLE_WORDS = {fold(label): code for code, label in CoinRole.choices} | {
    code: code for code in CoinRole.values
}
# Control characters (NUL, escape, ...) are never data; tab, line feed and carriage return are kept.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Alloys of modern coins that no ancient metal names: the coin's metal is "other", the words kept.
_MODERN_ALLOY_RE = re.compile(
    r"nickel|steel|zinc|alumin|nordic gold|bimetal|cupro|copper-covered|clad|plated|stahl|acier|"
    r"acciaio|acero|acmonital|bronzital|italma|tombac|manganese|virenium|bimetallic",
    re.IGNORECASE,
)
# A catalogue number written "KM# 79", "N# 2876", "Y# 12", "Schön 123": a system and a number.
_CATALOGUE_NUMBER_RE = re.compile(
    r"^\s*([A-Za-zÀ-ÿ][\w.]{0,15}?)\s*#\s*([A-Z]{0,2}\d[\w./-]{0,20})\s*$|"
    r"^\s*([A-Za-zÀ-ÿ][\w.]{0,15}?)\s+([A-Z]{0,2}\d[\w./-]{0,20})\s*$"
)
_SYSTEM_NAMES = {"n": "Numista", "km": "KM", "y": "Y", "c": "C"}
NUMISTA_URL = "https://en.numista.com/catalogue/pieces{number}.html"
# The first year of the modern world for categories: a coin struck after it is never filed as ancient.
MODERN_FROM = 1500
_CONTROL_NAMES = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL"}
# What collectors type for "nothing here": read as an empty cell in every column.
EMPTY_WORDS = frozenset(
    {"null", "none", "nil", "n/a", "n.a.", "na", "-", "--", "—", "–", "n/d", "k.a.", "s.o."}
)
# Error values a spreadsheet program saves in place of a formula's result: never data.
_EXCEL_ERROR_RE = re.compile(
    r"#(?:NAME\?|VALUE!|REF!|DIV/0!|N/A|NUM!|NULL!|SPILL!|CALC!|FIELD!|UNKNOWN!|BLOCKED!|BUSY!|CONNECT!|"
    r"EXTERNAL!|PYTHON!|GETTING_DATA)",
    re.IGNORECASE,
)


@dataclass
class RowData:
    number: int
    inventory: str = ""
    fields: dict[str, object] = field(default_factory=dict)  # Coin field -> value
    names: dict[str, str] = field(default_factory=dict)  # "issuer"/"mint"/"denomination" -> name
    reign: YearRange | None = None
    reign_text: str = ""
    references: list[Citation] | None = None  # None: no reference column
    references_text: str = ""
    provenance: list | None = None  # ProvenanceItem list, oldest first; None: no provenance column
    # Digests of the references and provenance cells as written: unchanged since the last import
    # means the sheet has nothing new to say, whatever the curator did since.
    cell_digests: dict[str, str] = field(default_factory=dict)
    # What the row says, whatever its column order: a digest of (column, text) pairs. Rows without an
    # inventory number are recognised on a re-import by it (see Importer._plan_identity).
    content_key: str = ""
    acquisition_url: str = ""
    provenance_urls: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    empty: bool = False
    price_currency: str = ""
    column_currency: str = ""
    lot_links: list[tuple[str, str]] = field(default_factory=list)  # (url, coin role) from "auction lots"
    source_id: str = ""  # the coin's own id in the file's program ("opennumismat:20"): its identity
    status: str = ""  # statuses.HELD/SOLD/NOT_HELD/UNKNOWN; "" when the file has no status column
    # The sale's details as read (date, price, currency, buyer) and their cells as written.
    sale: dict[str, object] = field(default_factory=dict)
    sale_texts: dict[str, str] = field(default_factory=dict)

    def lot_targets(self) -> dict[str, str]:
        """Every lot address the row names -> the coin's role in it: the "auction lots" column first,
        then the acquisition URL, addresses in the comments and lots named by provenance events."""
        targets = dict(self.lot_links)
        if self.acquisition_url:
            targets.setdefault(self.acquisition_url, CoinRole.ACQUISITION)
        for url in self.provenance_urls:
            targets.setdefault(url, CoinRole.PROVENANCE)
        for event in self.provenance or ():
            if getattr(event, "lot_url", ""):
                targets.setdefault(event.lot_url, CoinRole.PROVENANCE)
        return targets


def _catalogue_number(citation: Citation) -> Citation:
    """A citation the reference parser left without a system ("KM# 79" read as "KM 79") gets its
    system from its own words; others pass unchanged."""
    if citation.system:
        return citation
    match = _CATALOGUE_NUMBER_RE.match(citation.raw or "")
    if not match:
        return citation
    name, number = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    system = _SYSTEM_NAMES.get(name.lower(), name)
    return Citation(system, "", number, "", citation.raw, citation.is_cf)


def _catalogue_numbers(text: str) -> list[Citation]:
    """ "KM# A1547; Sp# J39": catalogue numbers the reference parser does not know, one per part."""
    found = []
    for part in re.split(r"\s*[;,]\s*", text):
        citation = _catalogue_number(Citation("", "", "", "", part, False)) if part else None
        if citation is not None and citation.system:
            found.append(citation)
    return found


def numista_link(system: str, number: str) -> str:
    """The Numista catalogue page of an "N#" citation ("" for other systems)."""
    return NUMISTA_URL.format(number=number) if system == "Numista" and number.isdigit() else ""


def digest(text: str) -> str:
    """A short, stable fingerprint of a text (not a secret: 80 bits tell rows and cells apart)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def cell_text(value: object) -> str:
    """A cell as text: 17.0 -> "17", dates as ISO, odd spaces cleaned."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean(str(value))


class RowReader:
    """Converts rows of one sheet; holds the column map and the run's default currency."""

    def __init__(self, sheet: Sheet, columns: ColumnMap, default_currency: str = "USD") -> None:
        self.sheet = sheet
        self.columns = columns
        self.default_currency = default_currency.upper()

    # --- helpers ---------------------------------------------------------------------------------
    def _label(self, key: str) -> str:
        """The header of the column a field came from (a denomination read from a title: the title's)."""
        index = self.columns.fields.get(key)
        if index is None and key == "denomination":
            index = self.columns.fields.get("title")
        return self.sheet.column_label(index) if index is not None else key

    def _problem(self, row: RowData, key: str, value: object, message: str, level: str = ERROR) -> None:
        column = self._label(key) if key in self.columns.fields else key
        row.problems.append(Problem(row.number, column, cell_text(value), message, level))

    # --- the row ---------------------------------------------------------------------------------
    def _sanitise(self, row: RowData, values: list[object]) -> list[object]:
        """Control characters removed (with a warning naming them); formula cells without a saved
        value and Excel's error values (#NAME?, #VALUE!) reported and read as empty; the words
        collectors type for nothing ("null", "-", "n/a") read as empty."""
        clean_values = list(values)
        for index, value in enumerate(values):
            if isinstance(value, str) and value.strip():
                stripped = value.strip()
                if _EXCEL_ERROR_RE.fullmatch(stripped):
                    message = "is a spreadsheet error value, not data; the field was left empty."
                    column = self.sheet.column_label(index)
                    row.problems.append(Problem(row.number, column, stripped, message))
                    clean_values[index] = value = None
                elif stripped.casefold() in EMPTY_WORDS:
                    clean_values[index] = value = None
            formula = self.sheet.formulas.get((row.number, index))
            if formula is not None:
                message = (
                    "is a formula with no saved value; the field was left empty. Open and save the file in "
                    "a spreadsheet program, which saves each formula's value."
                )
                row.problems.append(Problem(row.number, self.sheet.column_label(index), formula, message))
            if isinstance(value, str) and _CONTROL_RE.search(value):
                found = sorted(set(_CONTROL_RE.findall(value)))
                names = ", ".join(_CONTROL_NAMES.get(c, f"U+{ord(c):04X}") for c in found)
                clean_values[index] = _CONTROL_RE.sub("", value)
                message = f"held control characters ({names}), which were removed."
                column = self.sheet.column_label(index)
                row.problems.append(Problem(row.number, column, clean_values[index], message, WARNING))
        return clean_values

    def read(self, number: int, values: list[object]) -> RowData:
        row = RowData(number)
        values = self._sanitise(row, values)
        self._values = values
        cells = {key: values[index] for key, index in self.columns.fields.items()}
        texts = {key: cell_text(value) for key, value in cells.items()}
        row.inventory = texts.get("inventory", "")[:50]
        row.content_key = self._content_key(number, texts, values)
        described = any(texts.get(key) for key in DESCRIPTIVE) or any(
            cell_text(values[i]) for i in self.columns.unknown
        )
        if not described:
            # Nothing but an inventory number (and perhaps a tray place): a reserved slot, not a coin.
            row.empty = True
            return row
        notes: list[str] = []
        for key, text in texts.items():
            handler = getattr(self, f"_col_{key}", None)
            if handler is not None:
                handler(row, cells[key], text, notes)
            elif key in NOTE_FIELDS and text:
                # A recognised column no coin field holds (officina, emission, ...): kept in the notes.
                notes.append(f"{self._label(key)}: {text}")
        self._grades(row, texts)
        self._currency(row)
        self._disposal(row, notes)
        self._category(row, texts)
        row.provenance_urls = [u for u in row.provenance_urls if u != row.acquisition_url]
        for index, label in self.columns.unknown.items():
            text = cell_text(values[index])
            link = self.sheet.links.get((number, index))
            if link and link not in text:
                text = f"{text} ({link})" if text else link
            if text:
                notes.append(f"{label}: {text}")
        if "notes" in self.columns.fields or notes:
            # Line breaks in a comment are the collector's (and our export's): keep them.
            raw_comment = cells.get("notes")
            lines = (
                str(raw_comment).splitlines() if isinstance(raw_comment, str) else [texts.get("notes", "")]
            )
            comment = "\n".join(c for c in (clean(line) for line in lines) if c)
            row.fields["notes"] = "\n".join([comment, *notes] if comment else notes)
        return row

    def _content_key(self, number: int, texts: dict[str, str], values: list[object]) -> str:
        pairs = sorted((key, text) for key, text in texts.items() if key != "inventory" and text)
        pairs += sorted(
            (label, cell_text(values[i])) for i, label in self.columns.unknown.items() if values[i]
        )
        pairs += sorted((f"link {c}", url) for (r, c), url in self.sheet.links.items() if r == number)
        return digest(repr(pairs))

    # --- simple text fields ----------------------------------------------------------------------
    def _col_storage(self, row, value, text, notes):
        row.fields["storage_location"] = text[:100]

    def _col_portrait(self, row, value, text, notes):
        row.fields["portrait"] = text[:200]

    def _col_source(self, row, value, text, notes):
        row.fields["acquisition_source"] = text[:200]

    def _col_date_text(self, row, value, text, notes):
        row.fields["date_text"] = text[:100]

    def _col_exergue(self, row, value, text, notes):
        row.fields["exergue"] = text[:100]

    def _col_certificate_number(self, row, value, text, notes):
        row.fields["certificate_number"] = text[:50]

    def _col_grade_comment(self, row, value, text, notes):
        row.fields["grade_comment"] = text[:300]

    def _name(self, row, key, value, text, notes) -> str:
        """A vocabulary name, unless it is formula-looking text: that is kept in the notes, never made a
        term (a sheet's "=1+1" must not become an issuer)."""
        if text and looks_like_formula(text):
            notes.append(f"{self._label(key)}: {text}")
            message = "looks like a spreadsheet formula, not a name; left empty, the text kept in notes."
            self._problem(row, key, value, message)
            return ""
        return text

    def _col_issuer(self, row, value, text, notes):
        row.names["issuer"] = self._name(row, "issuer", value, text, notes)

    def _col_denomination(self, row, value, text, notes):
        row.names["denomination"] = self._name(row, "denomination", value, text, notes)

    def _col_mint(self, row, value, text, notes):
        """Uncertain mints ("Rome?", "Samosata or Antioch") keep their words in the notes."""
        text = self._name(row, "mint", value, text, notes)
        name = text.rstrip("? ")
        if re.search(r"\bor\b", name):
            notes.append(f"Mint as written: {text}")
            message = "names two possible mints; mint left empty, the text kept in notes."
            self._problem(row, "mint", value, message, WARNING)
            name = ""
        elif name != text:
            notes.append(f"Mint as written: {text}")
            message = f'is uncertain; filed under "{name}", the text kept in notes.'
            self._problem(row, "mint", value, message, WARNING)
        row.names["mint"] = name

    # --- attribution -----------------------------------------------------------------------------
    def _col_category(self, row, value, text, notes):
        if not text:
            return
        code = _parse_category(text)
        if code is None:
            self._problem(row, "category", value, 'is not a category we know; filed under "Other".')
            code = Category.OTHER
        row.fields["category"] = code

    def _category(self, row: RowData, texts: dict[str, str]) -> None:
        """Without a category column, a coin struck after MODERN_FROM, or any coin of a collection
        program's file (Numista, OpenNumismat: mostly modern) that names no ancient series, is filed
        "Modern and world", never forced into an ancient category."""
        if "category" in self.columns.fields:
            return
        start = row.fields.get("year_start")
        if isinstance(start, int) and start >= MODERN_FROM:
            row.fields["category"] = Category.MODERN
        elif self.sheet.source != ImportSource.SHEET:
            # An older coin takes the ancient series its issuer names ("Roman Empire"), else "other";
            # a coin without years in such a file is a modern one.
            words = " ".join(texts.get(k, "") for k in ("issuer", "country", "period"))
            ancient = _parse_category(words) if isinstance(start, int) else None
            fallback = Category.OTHER if isinstance(start, int) else Category.MODERN
            row.fields["category"] = ancient or fallback

    def _col_reign(self, row, value, text, notes):
        row.reign_text = text
        try:
            row.reign = _parse_year_range(text)
        except DateParseError as exc:
            self._problem(row, "reign", value, f"is not a date range ({exc}); reign not used.")

    def _col_struck(self, row, value, text, notes):
        row.fields.update(year_start=None, year_end=None, is_circa=False, date_text="")
        if not text:
            return
        gregorian = self.columns.fields.get("gregorian_year")
        if gregorian is not None:
            # The year as dated on the coin (Hijri 1430, ...): its words are kept, the years come from
            # the Gregorian column.
            other = cell_text(self._values[gregorian])
            if other and other != text:
                row.fields["date_text"] = f"{text} (as dated)"[:100]
            return
        try:
            years = _parse_year_range(text)
        except DateParseError as exc:
            self._problem(row, "struck", value, f"is not a date range: {exc} The date was left empty.")
            return
        row.fields.update(year_start=years.start, year_end=years.end, is_circa=years.circa)
        # Keep the words when the years alone lose something ("before April AD 340", "3rd century AD").
        if years.qualifier or re.search(r"[a-z]{2,}", _ERA_WORDS_RE.sub(" ", text), re.IGNORECASE):
            row.fields["date_text"] = text[:100]

    def _col_gregorian_year(self, row, value, text, notes):
        """The year in our calendar when the coin is dated in another (Numista's "Gregorian year")."""
        if not text:
            return
        try:
            years = _parse_year_range(text)
        except DateParseError as exc:
            self._problem(row, "gregorian_year", value, f"is not a year: {exc} The date was left empty.")
            return
        row.fields.update(year_start=years.start, year_end=years.end, is_circa=years.circa)

    def _col_title(self, row, value, text, notes):
        """A collection program's title ("1 Cent - Elizabeth II (3rd portrait)"): kept in the notes, and
        its first part names the denomination when no column does."""
        if not text:
            return
        notes.append(f"{self._label('title')}: {text}")
        if "denomination" not in self.columns.fields:
            name = re.split(r"\s+[-–—]\s+|\s*\(", text, maxsplit=1)[0].strip()
            row.names["denomination"] = self._name(row, "title", value, name[:100], notes)

    def _col_quantity(self, row, value, text, notes):
        """Every row is one coin. A quantity above 1 is said in the notes and the report: the coins
        of one row cannot be told apart, so they are not made up (give each its own row)."""
        if not text or text in ("1", "1.0"):
            return
        notes.append(f"{self._label('quantity')}: {text}")
        message = (
            "is more than one; one coin was imported with the quantity in its notes (give each its own row)."
        )
        self._problem(row, "quantity", value, message, WARNING)

    def _col_source_id(self, row, value, text, notes):
        row.source_id = f"{self.sheet.source}:{text}"[:100] if text else ""

    def _col_year_start(self, row, value, text, notes):
        row.fields["year_start"] = self._year(row, "year_start", value, text)

    def _col_year_end(self, row, value, text, notes):
        row.fields["year_end"] = self._year(row, "year_end", value, text)

    def _year(self, row, key, value, text) -> int | None:
        if not text:
            return None
        try:
            year = int(Decimal(text))
        except (InvalidOperation, ValueError):
            # "119 AD", "44 BC", "c. 300": a year as collectors write it.
            try:
                years = _parse_year_range(text)
            except DateParseError:
                self._problem(row, key, value, "is not a year (a signed number, BC negative); left empty.")
                return None
            year = years.start if key == "year_start" else years.end
        if year == 0:
            self._problem(row, key, value, "there is no year 0; left empty.")
            return None
        return year

    def _col_is_circa(self, row, value, text, notes):
        row.fields["is_circa"] = self._bool(row, "is_circa", value, text)

    def _col_fine_style(self, row, value, text, notes):
        row.fields["fine_style"] = self._bool(row, "fine_style", value, text)

    def _bool(self, row, key, value, text) -> bool:
        folded = fold(text)
        if folded in _TRUE:
            return True
        if folded not in _FALSE:
            self._problem(row, key, value, 'is not yes or no; read as "no".')
        return False

    # --- physical --------------------------------------------------------------------------------
    def _col_metal(self, row, value, text, notes):
        row.fields["metal"] = ""
        if not text:
            return
        code = _parse_metal(text)
        if code is None and _MODERN_ALLOY_RE.search(text):
            # Copper-nickel, steel, Nordic gold: a modern alloy, stored as "other" with its words.
            notes.append(f"{self._label('metal')}: {text}")
            row.fields["metal"] = Metal.OTHER
            return
        if code is None:
            self._problem(
                row, "metal", value, "is not a metal we know (AR, AV, AE, Silver, ...); left empty."
            )
            return
        row.fields["metal"] = code

    def _col_weight(self, row, value, text, notes):
        row.fields["weight_g"] = self._measure(row, "weight", value, text, "0.001", "g")

    def _col_diameter(self, row, value, text, notes):
        row.fields["diameter_mm"] = self._measure(row, "diameter", value, text, "0.01", "mm")

    def _measure(self, row, key, value, text, places, unit) -> Decimal | None:
        if not text:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = Decimal(str(value))
        else:
            match = _NUMBER_RE.match(text)
            if not match:
                self._problem(row, key, value, f"is not a number of {unit}; left empty.")
                return None
            number = Decimal(match.group(1).replace(",", "."))
        if number <= 0:
            self._problem(row, key, value, f"must be more than 0 {unit}; left empty.")
            return None
        limit = Decimal("9999") if unit == "g" else Decimal("999")
        if number > limit:
            self._problem(row, key, value, f"is too large to be in {unit}; left empty.")
            return None
        return number.quantize(Decimal(places), rounding=ROUND_HALF_UP)

    def _col_die_axis(self, row, value, text, notes):
        row.fields["die_axis"] = None
        if not text:
            return
        match = re.fullmatch(r"(\d{1,2})(?:\s*(?:h|o'clock|:00|uhr|heures?|ore))?", text.lower())
        axis = int(match.group(1)) if match else None
        degrees = re.fullmatch(r"(\d{1,3})\s*°", text)
        if degrees and int(degrees.group(1)) <= 360 and int(degrees.group(1)) % 30 == 0:
            axis = int(degrees.group(1)) // 30  # 180° is 6 o'clock
        if axis == 0:
            axis = 12
        if axis is None or not 1 <= axis <= 12:
            self._problem(row, "die_axis", value, "is not a die axis (a clock hour 1-12); left empty.")
            return
        row.fields["die_axis"] = axis

    # --- design ----------------------------------------------------------------------------------
    def _col_obverse(self, row, value, text, notes):
        legend, description = _split_legend(text)
        row.fields["obverse_legend"] = legend[:300]
        row.fields["obverse_description"] = description

    def _col_reverse(self, row, value, text, notes):
        legend, description = _split_legend(text)
        row.fields["reverse_legend"] = legend[:300]
        row.fields["reverse_description"] = description
        if "exergue" not in self.columns.fields:
            match = _EXERGUE_RE.search(description)
            row.fields["exergue"] = match.group(1).strip()[:100] if match else ""

    def _col_obverse_legend(self, row, value, text, notes):
        row.fields["obverse_legend"] = text[:300]

    def _col_obverse_description(self, row, value, text, notes):
        row.fields["obverse_description"] = text

    def _col_reverse_legend(self, row, value, text, notes):
        row.fields["reverse_legend"] = text[:300]

    def _col_reverse_description(self, row, value, text, notes):
        row.fields["reverse_description"] = text

    def _col_references(self, row, value, text, notes):
        row.references_text = text
        row.cell_digests["references"] = digest(
            cell_text(value) if not isinstance(value, str) else value.strip()
        )
        row.references = []
        if not text:
            return
        # Our own export writes one citation per line; parse line by line so none runs into the next.
        for line in str(value).splitlines() if "\n" in str(value) else [text]:
            row.references.extend(_catalogue_number(c) for c in _references(line))
        if not row.references:
            row.references = _catalogue_numbers(text)
        if not row.references:
            self._problem(
                row, "references", value, "holds no citation we can read; kept as written.", WARNING
            )
            row.references = [Citation("", "", "", "", text[:300], False)]

    def _col_more_references(self, row, value, text, notes):
        """A second catalogue column (Numista's "N# number", "KM number"): its citations join the
        references column's (or stand alone)."""
        if not text:
            return
        if row.references is None:
            row.references = []
        row.references_text = "; ".join(t for t in (row.references_text, text) if t)
        row.cell_digests["references"] = digest(row.references_text)
        found = [_catalogue_number(c) for c in _references(text)] or _catalogue_numbers(text)
        row.references.extend(found or [Citation("", "", "", "", text[:300], False)])

    # --- condition -------------------------------------------------------------------------------
    def _grades(self, row: RowData, texts: dict[str, str]) -> None:
        """Condition, NGC Grade and the export's own grading columns, combined."""
        condition = texts.get("grade", "")
        ngc_text = texts.get("ngc_grade", "")
        if "grade" in texts or "ngc_grade" in texts:
            ngc = _parse_grade(ngc_text) if ngc_text else None
            ngc_words = " ".join(_SCORES_RE.sub(" ", ngc_text).split()) if ngc_text else ""
            grade_text = condition or ngc_words
            grade = _parse_grade(grade_text)
            row.fields["grade"] = grade_text[:100]
            row.fields["grade_band"] = grade.band
            if grade_text and grade.band is None:
                key = "grade" if condition else "ngc_grade"
                self._problem(
                    row,
                    key,
                    grade_text,
                    "is not a grade we can place on the scale; kept as written.",
                    WARNING,
                )
            if ngc is not None and grade.band is not None and ngc.band is not None and ngc.band != grade.band:
                self._problem(
                    row,
                    "ngc_grade",
                    ngc_text,
                    f'differs from the condition "{condition}"; the condition was kept as the grade.',
                    WARNING,
                )
            if "ngc_grade" in texts:
                row.fields.update(ngc_strike=None, ngc_surface=None)
                if ngc is not None:
                    row.fields.update(
                        grading_state=GradingState.SLABBED,
                        grade_service=GradeService.NGC,
                        ngc_strike=ngc.strike,
                        ngc_surface=ngc.surface,
                    )
                    if ngc.fine_style:
                        row.fields["fine_style"] = True
                elif "grading_state" not in texts:
                    row.fields.update(grading_state=GradingState.RAW, grade_service="")
        for key in ("ngc_strike", "ngc_surface"):
            if key in texts:
                row.fields[key] = self._score(row, key, texts[key])
        if "grading_state" in texts:
            state = fold(texts["grading_state"]) or GradingState.RAW
            state = _STATE_WORDS.get(state, state)
            if state not in GradingState.values:
                self._problem(
                    row,
                    "grading_state",
                    texts["grading_state"],
                    'is not raw, slabbed, capsule or flip; read as "raw".',
                )
                state = GradingState.RAW
            row.fields["grading_state"] = state
        if "grade_service" in texts:
            service = fold(texts["grade_service"])
            if service and service not in GradeService.values:
                self._problem(
                    row,
                    "grade_service",
                    texts["grade_service"],
                    "is not NGC, PCGS, ICG or ANACS; left empty.",
                )
                service = ""
            row.fields["grade_service"] = service
        if row.fields.get("grading_state") == GradingState.SLABBED and not row.fields.get("grade_service"):
            column = "grading_state" if "grading_state" in texts else "ngc_grade"
            self._problem(row, column, "slabbed", "a slab needs its grading service; recorded as raw.")
            row.fields["grading_state"] = GradingState.RAW

    def _score(self, row, key, text) -> int | None:
        if not text:
            return None
        match = re.fullmatch(r"([1-5])(?:\s*/\s*5)?", text)
        if not match:
            self._problem(row, key, text, "is not a score from 1 to 5; left empty.")
            return None
        return int(match.group(1))

    # --- status and disposal (see statuses.py for the rule) ----------------------------------------
    def _col_status(self, row, value, text, notes):
        if text:
            notes.append(f"{self._label('status')}: {text}")  # the owner's own word, always kept
        header = normalise_header(self.sheet.headers[self.columns.fields["status"]])
        row.status = classify_sold_column(text) if header in SOLD_HEADERS else classify(text)
        if row.status == NOT_HELD:
            message = (
                "says the coin is not held (wish list, ordered, bidding, missing...); it was imported, "
                "the status kept in its notes: delete it or mark it disposed if it is not yours."
            )
            self._problem(row, "status", value, message, WARNING)
        elif row.status == UNKNOWN:
            self._problem(
                row, "status", value, "is not a status we know; imported as held, kept in the notes.", WARNING
            )

    def _col_disposal_date(self, row, value, text, notes):
        row.sale_texts["disposal_date"] = text
        if isinstance(value, dt.datetime):
            row.sale["date"] = value.date()
        elif isinstance(value, dt.date):
            row.sale["date"] = value
        elif text:
            try:
                row.sale["date"] = dt.date.fromisoformat(text[:10])
            except ValueError:
                self._problem(
                    row, "disposal_date", value, "is not a date written like 2024-05-14; kept in the notes."
                )

    def _col_disposal_price(self, row, value, text, notes):
        row.sale_texts["disposal_price"] = text
        if not text:
            return
        if isinstance(value, int | float) and not isinstance(value, bool):
            money = None
            amount = Decimal(str(value))
        else:
            money = parse_money(text)
            amount = money.amount if money is not None else None
        if amount is None or amount < 0 or amount >= Decimal("1e10"):
            self._problem(row, "disposal_price", value, "is not an amount of money; kept in the notes.")
            return
        row.sale["price"] = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        row.sale["currency"] = (money.currency if money is not None else "") or ""

    def _col_disposed_to(self, row, value, text, notes):
        row.sale_texts["disposed_to"] = text
        row.sale["to"] = text[:200]

    def _disposal(self, row: RowData, notes: list[str]) -> None:
        """A sold coin (its status says so, or, without a status column, a sale date, price or buyer
        names its sale) becomes disposed "sold" with the sale's details. A price whose currency the file
        does not give stays in the notes (a price needs its currency; none is guessed). Details of a coin
        that was not sold go to the notes. A held status never clears a disposal recorded in the app."""
        sold = row.status == SOLD or (
            "status" not in self.columns.fields and any(row.sale.get(k) for k in ("date", "price", "to"))
        )
        if not sold:
            notes.extend(f"{self._label(key)}: {text}" for key, text in row.sale_texts.items() if text)
            return
        row.status = SOLD
        price = row.sale.get("price")
        currency = row.sale.get("currency") or ""
        row.fields.update(
            disposal=Disposal.SOLD,
            disposal_date=row.sale.get("date"),
            disposal_price=price if currency else None,
            disposal_currency=currency if price is not None else "",
            disposed_to=row.sale.get("to", ""),
        )
        if row.sale_texts.get("disposal_date") and row.sale.get("date") is None:
            notes.append(f"{self._label('disposal_date')}: {row.sale_texts['disposal_date']}")
        if price is not None and not currency:
            notes.append(f"{self._label('disposal_price')}: {row.sale_texts['disposal_price']}")
            message = (
                "names no currency (the file gives none); the coin is recorded as sold without a price, "
                "the price kept in its notes."
            )
            self._problem(row, "disposal_price", row.sale_texts["disposal_price"], message, WARNING)

    # --- acquisition -----------------------------------------------------------------------------
    def _col_price(self, row, value, text, notes):
        row.fields["acquisition_price"] = None
        if not text:
            return
        currency = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            amount = Decimal(str(value))
        else:
            money = parse_money(text)
            if money is None:
                self._problem(row, "price", value, "is not an amount of money; left empty.")
                return
            amount, currency = money.amount, money.currency
        if amount < 0:
            self._problem(row, "price", value, "a price cannot be negative; left empty.")
            return
        if amount >= Decimal("1e10"):
            self._problem(row, "price", value, "is too large to be a price; left empty.")
            return
        row.fields["acquisition_price"] = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        row.price_currency = currency or ""

    def _col_currency(self, row, value, text, notes):
        code = text.upper()
        if code and not re.fullmatch(r"[A-Z]{3}", code):
            money = parse_money(f"1 {text}")
            code = money.currency if money and money.currency else ""
            if not code:
                self._problem(
                    row, "currency", value, "is not a currency code such as USD or EUR; left empty."
                )
        row.column_currency = code

    def _currency(self, row: RowData) -> None:
        """The currency column wins, then a symbol in the price ("CHF 200"), then the run's --currency."""
        if "price" not in self.columns.fields and "currency" not in self.columns.fields:
            return
        if row.fields.get("acquisition_price") is None:
            row.fields["acquisition_currency"] = row.column_currency
        else:
            row.fields["acquisition_currency"] = (
                row.column_currency or row.price_currency or self.default_currency
            )

    def _col_acquisition_date(self, row, value, text, notes):
        row.fields["acquisition_date"] = None
        if not text:
            return
        if isinstance(value, dt.datetime):
            row.fields["acquisition_date"] = value.date()
            return
        if isinstance(value, dt.date):
            row.fields["acquisition_date"] = value
            return
        try:
            row.fields["acquisition_date"] = dt.date.fromisoformat(text[:10])
        except ValueError:
            self._problem(
                row, "acquisition_date", value, "is not a date written like 2024-05-14; left empty."
            )

    def _col_url(self, row, value, text, notes):
        row.fields["acquisition_url"] = ""
        if not text:
            return
        url = text.strip()
        if looks_like_formula(url):
            self._problem(row, "url", value, "is a spreadsheet formula, not a web address; left empty.")
            return
        try:
            _validate_url(url)
        except ValidationError:
            self._problem(row, "url", value, "is not a web address (http:// or https://); left empty.")
            return
        if len(url) > 1000:
            self._problem(row, "url", value, "is longer than 1000 characters; left empty.")
            return
        row.fields["acquisition_url"] = url
        row.acquisition_url = url

    def _col_notes(self, row, value, text, notes):
        # A lot address in the comments is an earlier sale of the coin (CNG's archive, ...); the
        # acquisition URL is removed again in read(), whichever column comes first. Addresses inside a
        # formula (=HYPERLINK("http://...")) are not the collector's words: no lot is made of them.
        if looks_like_formula(text) or "auction_lots" in self.columns.fields:
            return  # (a sheet that lists its lots, as our export does, says which addresses are lots)
        for url in _URL_RE.findall(text):
            url = url.rstrip(".,;)")
            try:
                _validate_url(url)
            except ValidationError:
                continue
            if url not in row.provenance_urls and len(url) <= 1000:
                row.provenance_urls.append(url)

    def _col_provenance(self, row, value, text, notes):
        from numismatics.provenance import parse_provenance  # written alongside; imported when used

        row.provenance = []
        row.cell_digests["provenance"] = digest(
            cell_text(value) if not isinstance(value, str) else value.strip()
        )
        if not text:
            return
        raw = str(value)
        # One event per line when the cell has several (our export, and many collectors). A line ending
        # in its fields ({"kind": ...}) is exactly that event; other lines are read as pedigrees. One
        # sentence can hold two events ("Ex X, purchased from Y"): older exports wrote it twice.
        lines = [line.strip() for line in raw.splitlines() if line.strip()] if "\n" in raw.strip() else [text]
        seen: set[str] = set()
        for line in lines:
            with_fields = split_fields(line)
            if with_fields is not None:
                event, problems = read_line(*with_fields)
                for problem in problems:
                    self._problem(row, "provenance", line, f"{problem}; left empty.", WARNING)
                if event.lot_url:
                    event.lot_url = self._lot_url(row, "provenance", line, event.lot_url)
                row.provenance.append(event)
            elif line not in seen:
                row.provenance.extend(parse_provenance(line) or [])
            seen.add(line)
        if not row.provenance:
            self._problem(row, "provenance", value, "holds no provenance we can read.", WARNING)

    def _lot_url(self, row, key, value, url: str) -> str:
        """A lot address named in the sheet, or "" (reported) when it is not a usable one."""
        if looks_like_formula(url):
            self._problem(row, key, value, "is a spreadsheet formula, not a web address; no lot made of it.")
            return ""
        try:
            _validate_url(url)
        except ValidationError:
            self._problem(row, key, value, f'"{url[:80]}" is not a web address; no lot made of it.')
            return ""
        return url

    def _col_auction_lots(self, row, value, text, notes):
        """One lot per line: "Where it was bought: https://...", "provenance: https://...", or the address."""
        for line in str(value or "").splitlines():
            line = clean(line)
            start = line.find("http")
            if not line:
                continue
            if start < 0:
                self._problem(row, "auction_lots", line, "holds no web address; no lot made of it.")
                continue
            role_text = fold(line[:start].strip(" :;-"))
            role = _ROLE_WORDS.get(role_text)
            if role is None and role_text:
                self._problem(
                    row,
                    "auction_lots",
                    line,
                    "names a role we do not know; the lot is linked without one.",
                    WARNING,
                )
            url = self._lot_url(row, "auction_lots", line, line[start:].strip())
            if url and url not in dict(row.lot_links):
                row.lot_links.append((url, role or ""))
