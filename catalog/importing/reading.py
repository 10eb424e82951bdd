"""Read a spreadsheet (.xlsx or .csv) into a header row and data rows, refusing what is not one.

The file's type is decided by its content, never by its name (a browser upload's name is the
client's word): an xlsx is a zip holding `xl/workbook.xml`; a CSV is text that decodes and has a
delimiter. Anything else is `UnusableFile`, with a reason fit to show to a user.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .limits import Limits, size_text
from .xlsx_scan import (
    LimitExceeded,
    SheetScan,
    UnsafeXml,
    check_no_dtd,
    check_zip,
    external_targets,
    locate_sheet,
    scan_shared_strings,
    scan_sheet,
)

# A header row is searched for among the first rows: some sheets carry a title line above it.
HEADER_SEARCH_ROWS = 10
CSV_ENCODINGS = ("utf-8-sig", "cp1252")
# Characters that make a spreadsheet cell a formula; catalog.exporting prefixes them with "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class UnusableFile(Exception):
    """The whole file cannot be imported; the message says why in plain words."""


@dataclass
class Sheet:
    """A table read from a file: headers (as written) and rows of cell values, with sheet row numbers."""

    headers: list[str]
    rows: list[tuple[int, list[object]]]  # (row number as the spreadsheet shows it, values)
    # Hyperlinks whose target is not already the cell's text, by (row number, column index).
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    kind: str = "xlsx"
    sheet_name: str = ""
    # Formula cells without a saved value, by (row number, column index): openpyxl reads them as empty.
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    # What kind of file this came from (catalog.choices.ImportSource) and, for a collection program's
    # file, its photos by row number (catalog.importing.opennumismat.Photo) and the reader to fetch them.
    source: str = "sheet"
    photos: dict[int, list] = field(default_factory=dict)
    photo_reader: object = None
    notices: list[str] = field(default_factory=list)  # said about the whole file (unused columns ...)

    def column_label(self, index: int) -> str:
        """What a user sees above the column: its header, else its letter ("Column C")."""
        header = self.headers[index].strip() if index < len(self.headers) else ""
        return header or f"Column {get_column_letter(index + 1)}"


def sniff_kind(head: bytes) -> str:
    """ "xlsx" or "csv" from the first bytes of a file; UnusableFile for anything else."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"SQLite format 3"):
        raise UnusableFile("This SQLite database is not an OpenNumismat collection.")
    if head.startswith((b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8", b"GIF8", b"\x1f\x8b")):
        raise UnusableFile("This is not a spreadsheet we can read: save it as .xlsx or .csv.")
    if b"\x00" in head:
        raise UnusableFile("This is a binary file, not a spreadsheet: save it as .xlsx or .csv.")
    return "csv"


def read_table(path: str | Path, sheet: str | None = None, limits: Limits | None = None) -> Sheet:
    """Read `path` (xlsx or csv, decided by content). `sheet` picks an xlsx worksheet by name.

    Everything beyond `limits` (catalog.importing.limits) is refused with UnusableFile naming the
    limit, before the work it would cost."""
    path = Path(path)
    limits = limits or Limits.from_settings()
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
        size = path.stat().st_size
    except OSError as exc:
        raise UnusableFile(f"Cannot open {path.name}: {exc.strerror or exc}.") from exc
    if not head:
        raise UnusableFile("The file is empty.")
    if size > limits.file_bytes:
        raise UnusableFile(f"The file is {size_text(size)}; the limit is {size_text(limits.file_bytes)}.")
    kind = sniff_kind(head)
    table = _read_xlsx(path, sheet, limits) if kind == "xlsx" else _read_csv(path, limits)
    return _find_header(table)


# What openpyxl (and defusedxml inside it) raises on a damaged or hostile workbook.
_WORKBOOK_ERRORS = (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, AttributeError,
                    IndexError, SyntaxError, EOFError, zlib.error, expat.ExpatError)  # fmt: skip


def _read_xlsx(path: Path, sheet: str | None, limits: Limits) -> Sheet:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnusableFile(f"The workbook cannot be read ({exc}); save it again as .xlsx.") from exc
    try:
        with archive:
            return _read_workbook(path, archive, sheet, limits)
    except LimitExceeded as exc:
        raise UnusableFile(str(exc)) from exc
    except (UnsafeXml, DefusedXmlException) as exc:
        raise UnusableFile(
            "The workbook contains XML entity declarations, which spreadsheet programs never write and "
            "which can make a reader run out of memory; it was not read. Open it in a spreadsheet "
            "program and save it again."
        ) from exc
    except UnusableFile:
        raise
    except _WORKBOOK_ERRORS as exc:
        raise UnusableFile(f"The workbook cannot be read ({exc}); save it again as .xlsx.") from exc


def _read_workbook(path: Path, archive: zipfile.ZipFile, sheet: str | None, limits: Limits) -> Sheet:
    if "xl/workbook.xml" not in archive.namelist():
        raise UnusableFile("This zip file is not an Excel workbook (.xlsx).")
    check_zip(archive, limits)
    check_no_dtd(archive)
    scan_shared_strings(archive, limits)
    sheet_path, title, names = locate_sheet(archive, sheet)
    if sheet and sheet not in names:
        listed = ", ".join(f'"{n}"' for n in names)
        raise UnusableFile(f'There is no sheet "{sheet}" in this workbook (sheets: {listed}).')
    # The sheet is measured before openpyxl reads it (openpyxl parses a sheet without a <dimension>
    # once in full just to size it).
    scan = scan_sheet(archive, sheet_path, limits) if sheet_path else SheetScan()
    # Read-only mode streams the cells (ten times faster on big sheets). It is opened from a file
    # object: openpyxl would otherwise judge the file by its name's extension, and uploads are stored
    # under generated names.
    workbook = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    try:
        worksheet = workbook[title] if title in workbook.sheetnames else workbook.worksheets[0]
        if getattr(worksheet, "_worksheet_path", sheet_path) != sheet_path:
            scan = scan_sheet(archive, worksheet._worksheet_path, limits)  # openpyxl found another part
            sheet_path = worksheet._worksheet_path
        # The sheet's own size claim (<dimension>) may be wrong or hostile (A1:XFD1048576): rows are
        # read as they are, never padded to it.
        worksheet.reset_dimensions()
        rows: list[tuple[int, list[object]]] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > scan.last_row:
                break  # the rest is formatting without values
            rows.append((number, _trimmed(values)))
        title = worksheet.title
    finally:
        workbook.close()
    targets = external_targets(archive, sheet_path) if scan.hyperlinks and sheet_path else {}
    links = {cell: targets[rel] for cell, rel in scan.hyperlinks.items() if rel in targets}
    # Keep only links that add something: most link cells already show their URL as text.
    kept = {}
    for (row, column), target in links.items():
        inside = row - 1 < len(rows) and column < len(rows[row - 1][1])
        value = rows[row - 1][1][column] if inside else None
        if str(value or "").strip() != target:
            kept[(row, column)] = target
    return Sheet(headers=[], rows=rows, links=kept, kind="xlsx", sheet_name=title, formulas=scan.formulas)


def _trimmed(values) -> list[object]:
    """A row without its trailing empty cells (formatting can reach column XFD)."""
    values = list(values)
    while values and values[-1] in (None, ""):
        values.pop()
    return values


def _read_csv(path: Path, limits: Limits) -> Sheet:
    raw = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything; kept for clarity
        raise UnusableFile("The CSV file is not text in UTF-8 or Windows encoding.")
    # Only the delimiter is sniffed (Excel in some locales writes ";"); quoting stays Excel's, because
    # the sniffer misreads doubled quotes inside legends ("A•" in field) as another quoting style.
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    number = cells = 0
    try:
        for number, values in enumerate(reader, start=1):
            if number > limits.rows:
                raise UnusableFile(f"The file has more than {limits.rows:,} rows, the limit; split it.")
            values = _trimmed(values)
            if len(values) > limits.columns:
                raise UnusableFile(
                    f"Row {number:,} has {len(values):,} columns; the limit is {limits.columns:,} columns."
                )
            cells += sum(1 for value in values if value)
            if cells > limits.cells:
                raise UnusableFile(
                    f"The file has more than {limits.cells:,} filled cells, the limit (reached at row "
                    f"{number:,}); split it."
                )
            for column, value in enumerate(values):
                if len(value) > limits.cell_chars:
                    raise UnusableFile(
                        f"Row {number:,}, column {column + 1:,} holds {len(value):,} characters; the limit "
                        f"for one cell is {limits.cell_chars:,}."
                    )
            rows.append((number, values))
    except csv.Error as exc:
        # The csv module's own field limit (131,072 characters) is above ours: a longer field is
        # beyond our limit too.
        where = f"Row {number + 1:,}"
        if "field larger than field limit" in str(exc):
            raise UnusableFile(
                f"{where} holds a cell longer than {limits.cell_chars:,} characters, the limit for one cell."
            ) from exc
        raise UnusableFile(f"{where} cannot be read as CSV ({exc}).") from exc
    return Sheet(headers=[], rows=rows, kind="csv")


def looks_like_formula(text: str) -> bool:
    """ "=1+1", "+A1", "@SUM(B2)", "=HYPERLINK(...)": text a spreadsheet program would run. Such text
    is kept as text, but never made a vocabulary term or followed as a web address."""
    text = text.lstrip()
    if text[:1] in ("=", "+", "@"):
        return True
    # "-A1*2" is a formula; "-" alone or "- 3" is a placeholder or a number, not one.
    return text[:1] == "-" and text[1:2] not in ("", " ") and not text[1].isdigit()


def unescape(value: object) -> object:
    """Undo the export's formula neutralising: "'=1+1" was written for the text "=1+1"."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def _find_header(table: Sheet) -> Sheet:
    """The first row with at least two text cells is the header; data rows follow it."""
    for position, (_, values) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        texts = [v for v in values if isinstance(v, str) and v.strip()]
        if len(texts) >= 2:
            headers = ["" if v is None else str(v) for v in values]
            data = table.rows[position + 1 :]
            width = len(headers)
            # Pad or trim each row to the header width; values beyond the last header are kept as
            # extra unnamed columns so nothing typed in the sheet is lost.
            extra = max((len(v) for _, v in data), default=width) - width
            if extra > 0:
                headers += [""] * extra
                width = len(headers)
            rows = [(n, [unescape(x) for x in v] + [None] * (width - len(v))) for n, v in data]
            found = Sheet(headers, rows, table.links, table.kind, table.sheet_name, table.formulas)
            found.source = table.source
            return found
    raise UnusableFile(
        "No header row found: the first rows must name the columns (Ruler, Denomination, ...)."
    )
