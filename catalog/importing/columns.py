"""Which spreadsheet column means which coin field, decided by its header.

Headers are compared after folding (case, accents, non-breaking spaces, punctuation, "_" and units
ignored), so "Diameter ", "DIAMETER (mm)" and "diameter_mm" are one column. Each field has the
synonyms collectors use; the headers of our own export are synonyms too, so an exported file imports
back. A column nobody recognises is not dropped: its values go to the coin's notes as "Header: value".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from numismatics.text import fold

from .reading import Sheet, UnusableFile

# field key -> header spellings (already in folded form: lower case, single spaces, no punctuation).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "inventory": ("inventory number", "inventory", "inventory no", "inv", "inv no", "no", "number", "nr"),
    "storage": ("temp loc", "storage", "storage location", "location", "loc", "tray"),
    "category": ("category", "series category"),
    "denomination": ("coin type", "denomination", "denom"),
    "issuer": ("ruler issuer", "ruler", "issuer", "authority", "emperor"),
    "portrait": ("laureate", "portrait", "portrait subject", "bust"),
    "reign": ("ruled", "reign", "reigned"),
    "struck": ("minted", "struck", "date struck", "dated", "date"),
    "year_start": ("year start",),
    "year_end": ("year end",),
    "is_circa": ("is circa", "circa"),
    "date_text": ("date text",),
    "diameter": ("diameter", "diameter mm", "diam", "size", "size mm"),
    "weight": ("weight", "weight g", "wt"),
    "die_axis": ("die axis", "axis", "die axis h"),
    "mint": ("mint", "mint city"),
    "script": ("script", "alphabet"),
    "obverse": ("obverse", "obv"),
    "reverse": ("reverse", "rev"),
    "obverse_legend": ("obverse legend",),
    "obverse_description": ("obverse description",),
    "reverse_legend": ("reverse legend",),
    "reverse_description": ("reverse description",),
    "exergue": ("exergue",),
    "references": ("reference", "references", "refs", "ref", "catalogue reference", "catalog reference"),
    "grade": ("condition", "grade"),
    "metal": ("composition", "metal", "material"),
    "ngc_grade": ("ngc grade", "ngc"),
    "grade_comment": ("ngc comment", "grade comment", "ngc remarks"),
    "fine_style": ("fine style",),
    "grading_state": ("grading state", "holder"),
    "grade_service": ("grade service", "grading service", "service"),
    "certificate_number": ("certificate number", "certificate", "cert", "cert no", "ngc cert"),
    "ngc_strike": ("ngc strike", "strike"),
    "ngc_surface": ("ngc surface", "surface"),
    "provenance": ("pedigree", "provenance"),
    "source": ("source", "acquisition source", "bought from", "dealer", "seller", "vendor"),
    "price": ("amount paid", "price", "acquisition price", "paid", "cost", "purchase price"),
    "currency": ("currency", "acquisition currency"),
    "acquisition_date": ("acquisition date", "date acquired", "purchase date", "purchased", "bought on"),
    "url": ("link", "url", "acquisition url", "lot url"),
    "notes": ("comment", "comments", "notes", "note", "remarks"),
    "auction_lots": ("auction lots", "linked lots", "linked auction lots", "lots"),
}
_LOOKUP = {spelling: key for key, spellings in SYNONYMS.items() for spelling in spellings}
# Columns that describe a coin (the inventory number and a storage place alone make no coin).
DESCRIPTIVE = frozenset(SYNONYMS) - {"inventory", "storage"}

_UNITS = re.compile(r"\((?:mm|g|gr|grams?|usd|eur|chf|gbp|\$|€|£)\)")
_NON_WORD = re.compile(r"[^\w]+")


def normalise_header(header: object) -> str:
    """ "Diameter\\xa0(mm) " -> "diameter"; "Reference(s)" -> "references"; "year_start" -> "year start"."""
    text = fold(str(header or ""))
    text = text.replace("(s)", "s")
    text = _UNITS.sub(" ", text)
    text = text.replace("_", " ")
    return _NON_WORD.sub(" ", text).strip()


@dataclass
class ColumnMap:
    """field key -> column index, and the columns nobody recognised (index -> label)."""

    fields: dict[str, int]
    unknown: dict[int, str] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.fields


def map_columns(sheet: Sheet) -> ColumnMap:
    """Map each header to a field. The first column with an empty header is the inventory number (the
    collector's sheet leaves that header blank). UnusableFile when no column describes a coin."""
    fields: dict[str, int] = {}
    unknown: dict[int, str] = {}
    for index, header in enumerate(sheet.headers):
        key = _LOOKUP.get(normalise_header(header))
        if key is None and index == 0 and not str(header or "").strip():
            key = "inventory"
        if key is None or key in fields:
            # Unknown, or a second column for a field already mapped: kept in notes, never lost.
            if any(values[index] not in (None, "") for _, values in sheet.rows):
                unknown[index] = sheet.column_label(index)
            continue
        fields[key] = index
    if not DESCRIPTIVE & fields.keys():
        raise UnusableFile(
            "No column we recognise: the header row should name columns such as Ruler, Denomination, "
            "Minted, Weight, Reference."
        )
    return ColumnMap(fields, unknown)
