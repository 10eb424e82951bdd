"""Export coins as JSON, CSV or xlsx, with the same columns in every format.

Vocabulary values are canonical names. In CSV and xlsx, categories, metals, grading states and
services are the words people read ("Roman Republican", "Silver (AR)"), which the importer reads back;
JSON keeps their codes ("roman_republican"), as programs expect. References, provenance and linked
auction lots are lists: one line per item in a spreadsheet cell (provenance oldest first, each event
on a line that reads back as that event: see provenance_lines). JSON adds `provenance_details`, every
field of every event. The number of queries does not depend on the number of coins: vocabulary is
joined, references, provenance and lots prefetched.

What a spreadsheet cannot carry (images, series and their slots, the auction lots' own data, who
entered each row) is in the archive (catalog.exporting.archive).

Spreadsheet formulas: a text cell starting with = + - @ (or a tab/CR) would run as a formula when the
file is opened in Excel or LibreOffice (CSV/formula injection), and imported or scraped text is not
ours to trust. Such cells get a leading apostrophe in CSV and xlsx; the importer removes it again, so
a round trip keeps the text. JSON is data, not a sheet: it is written unchanged.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from auctions.models import AuctionLot
from catalog.choices import Category, GradeService, GradingState, Metal
from catalog.models import Coin, ProvenanceEvent, Reference

from .provenance_lines import EXTRAS, PARSED, event_lines

FIELDS = (
    "inventory_number", "category", "issuer", "portrait", "mint", "denomination", "metal", "year_start",
    "year_end", "date_text", "is_circa", "weight_g", "diameter_mm", "die_axis", "obverse_legend",
    "obverse_description", "reverse_legend", "reverse_description", "exergue", "references", "grade",
    "grading_state", "grade_service", "certificate_number", "ngc_strike", "ngc_surface", "fine_style",
    "acquisition_date", "acquisition_price", "acquisition_currency", "acquisition_source", "acquisition_url",
    "storage_location", "provenance", "notes",
    # Added after the first release (new keys go last; none is renamed):
    "grade_comment", "auction_lots",
)  # fmt: skip
JSON_ONLY = ("provenance_details",)
# Columns written as their words in a spreadsheet (the importer reads words and codes alike).
WORDS = {"category": Category, "metal": Metal, "grading_state": GradingState, "grade_service": GradeService}
FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_queryset(coins: QuerySet | None = None) -> QuerySet:
    """The coins to export with everything a record needs, in four queries whatever their number."""
    coins = Coin.objects.all() if coins is None else coins
    return coins.select_related("issuer", "mint", "denomination").prefetch_related(
        Prefetch("references", queryset=Reference.objects.order_by("position", "id")),
        Prefetch(
            "provenance",
            queryset=ProvenanceEvent.objects.select_related("auction_lot").order_by("order", "id"),
        ),
        Prefetch(
            "auction_lots",
            queryset=AuctionLot.objects.only("id", "url", "coin_id", "coin_role").order_by("id"),
        ),
    )


def provenance_line(event: ProvenanceEvent) -> str:
    return event.raw_text or str(event)


def lot_line(lot: AuctionLot) -> str:
    """ "Where it was bought: https://..." (a lot linked without a role: its address alone)."""
    return f"{lot.get_coin_role_display()}: {lot.url}" if lot.coin_role else lot.url


def coin_record(coin: Coin, *, words: bool = False) -> dict:
    """One coin as a plain dict with FIELDS as keys (JSON-ready except Decimals and dates); `words`: as a
    spreadsheet shows it (labels for codes, provenance lines that read back as their events)."""
    record = {}
    for name in FIELDS:
        if name in ("issuer", "mint", "denomination"):
            term = getattr(coin, name)
            record[name] = term.name if term is not None else ""
        elif name == "references":
            record[name] = [ref.citation for ref in coin.references.all()]
        elif name == "provenance":
            events = coin.provenance.all()
            record[name] = event_lines(events) if words else [provenance_line(event) for event in events]
        elif name == "auction_lots":
            lots = coin.auction_lots.all()
            record[name] = (
                [lot_line(lot) for lot in lots]
                if words
                else [{"url": lot.url, "role": lot.coin_role} for lot in lots]
            )
        elif words and name in WORDS and getattr(coin, name):
            record[name] = WORDS[name](getattr(coin, name)).label
        else:
            record[name] = getattr(coin, name)
    if not words:
        record["provenance_details"] = [_event_details(event) for event in coin.provenance.all()]
    return record


def _event_details(event: ProvenanceEvent) -> dict:
    details = {name: getattr(event, name) for name in (*PARSED, *EXTRAS)}
    details["lot_url"] = event.auction_lot.url if event.auction_lot_id else ""
    details["raw_text"] = event.raw_text
    return details


def records(coins: QuerySet | None = None, *, words: bool = False) -> Iterator[dict]:
    for coin in export_queryset(coins).iterator(chunk_size=500):
        yield coin_record(coin, words=words)


def _json_value(value):
    if isinstance(value, Decimal):
        # Weights, diameters and prices as JSON numbers; their 2-3 decimals survive float's repr.
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def to_json(rows: Iterable[dict]) -> str:
    def plain(value):
        if isinstance(value, list):
            return [plain(item) for item in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return _json_value(value)

    return json.dumps([plain(row) for row in rows], ensure_ascii=False, indent=1)


def neutralise(value: str) -> str:
    """'=1+1' -> "'=1+1": shown as text, never run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value):
    """A value for a CSV/xlsx cell: lists one item per line, text neutralised, numbers kept numbers."""
    if isinstance(value, list):
        value = "\n".join(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return neutralise(value)
    return value


def to_csv(rows: Iterable[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow([_cell(row[name]) for name in FIELDS])
    return buffer.getvalue()


def to_xlsx(rows: Iterable[dict]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Coins")
    sheet.append(list(FIELDS))
    for row in rows:
        values = []
        for name in FIELDS:
            value = _cell(row[name])
            if hasattr(value, "isoformat") and not isinstance(value, str):
                value = value.isoformat()  # dates as ISO text: no locale-dependent date formats
            values.append(value)
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export(coins: QuerySet | None, fmt: str) -> bytes:
    """The export file's bytes in `fmt` (csv, xlsx or json)."""
    if fmt not in FORMATS:
        raise ValueError(f'Unknown export format "{fmt}": use csv, xlsx or json.')
    rows = records(coins, words=fmt != "json")
    if fmt == "json":
        return to_json(rows).encode("utf-8")
    if fmt == "csv":
        return ("\ufeff" + to_csv(rows)).encode("utf-8")  # the BOM lets Excel read UTF-8 accents
    return to_xlsx(rows)
