"""Read a spreadsheet (.xlsx or .csv) into a header row and data rows, refusing what is not one.

The file's type is decided by its content, never by its name (a browser upload's name is the
client's word): an xlsx is a zip holding `xl/workbook.xml`; a CSV is text that decodes and has a
delimiter. Anything else is `UnusableFile`, with a reason fit to show to a user.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

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

    def column_label(self, index: int) -> str:
        """What a user sees above the column: its header, else its letter ("Column C")."""
        header = self.headers[index].strip() if index < len(self.headers) else ""
        return header or f"Column {get_column_letter(index + 1)}"


def sniff_kind(head: bytes) -> str:
    """ "xlsx" or "csv" from the first bytes of a file; UnusableFile for anything else."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith((b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8", b"GIF8", b"\x1f\x8b")):
        raise UnusableFile("This is not a spreadsheet we can read: save it as .xlsx or .csv.")
    if b"\x00" in head:
        raise UnusableFile("This is a binary file, not a spreadsheet: save it as .xlsx or .csv.")
    return "csv"


def read_table(path: str | Path, sheet: str | None = None) -> Sheet:
    """Read `path` (xlsx or csv, decided by content). `sheet` picks an xlsx worksheet by name."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise UnusableFile(f"Cannot open {path.name}: {exc.strerror or exc}.") from exc
    if not head:
        raise UnusableFile("The file is empty.")
    kind = sniff_kind(head)
    table = _read_xlsx(path, sheet) if kind == "xlsx" else _read_csv(path)
    return _find_header(table)


def _read_xlsx(path: Path, sheet: str | None) -> Sheet:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnusableFile(f"The workbook cannot be read ({exc}); save it again as .xlsx.") from exc
    with archive:
        if "xl/workbook.xml" not in archive.namelist():
            raise UnusableFile("This zip file is not an Excel workbook (.xlsx).")
        try:
            # Read-only mode streams the cells (ten times faster on big sheets). It is opened from a
            # file object: openpyxl would otherwise judge the file by its name's extension, and uploads
            # are stored under generated names.
            with path.open("rb") as handle:
                workbook = load_workbook(io.BytesIO(handle.read()), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise UnusableFile(f"The workbook cannot be read ({exc}); save it again as .xlsx.") from exc
        if sheet:
            if sheet not in workbook.sheetnames:
                names = ", ".join(f'"{n}"' for n in workbook.sheetnames)
                raise UnusableFile(f'There is no sheet "{sheet}" in this workbook (sheets: {names}).')
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        rows: list[tuple[int, list[object]]] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            rows.append((number, list(values)))
        links = _hyperlinks(archive, getattr(worksheet, "_worksheet_path", ""))
        title = worksheet.title
        workbook.close()
    # Keep only links that add something: most link cells already show their URL as text.
    kept = {}
    for (row, column), target in links.items():
        inside = row - 1 < len(rows) and column < len(rows[row - 1][1])
        if inside and str(rows[row - 1][1][column] or "").strip() != target:
            kept[(row, column)] = target
    return Sheet(headers=[], rows=rows, links=kept, kind="xlsx", sheet_name=title)


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _hyperlinks(archive: zipfile.ZipFile, sheet_path: str) -> dict[tuple[int, int], str]:
    """Cell hyperlinks of one sheet, (row, column index) -> URL, read from the sheet's XML.

    Read-only mode does not expose hyperlinks, and they carry data (the collector's last column
    links to an article), so they are read here: <hyperlink ref="AA20" r:id="rId3"/> in the sheet,
    the URL in the sheet's relationships file."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import coordinate_from_string

    if not sheet_path or sheet_path not in archive.namelist():
        return {}
    folder, _, name = sheet_path.rpartition("/")
    rels_path = f"{folder}/_rels/{name}.rels"
    targets: dict[str, str] = {}
    if rels_path in archive.namelist():
        with archive.open(rels_path) as handle:
            for _, element in iterparse(handle):  # noqa: S314
                if element.tag.endswith("Relationship") and element.get("TargetMode") == "External":
                    targets[element.get("Id", "")] = element.get("Target", "")
    if not targets:
        return {}
    links: dict[tuple[int, int], str] = {}
    with archive.open(sheet_path) as handle:
        for _, element in iterparse(handle):  # noqa: S314
            if element.tag == f"{_MAIN_NS}hyperlink":
                target = targets.get(element.get(f"{_REL_NS}id", ""))
                ref = element.get("ref", "").split(":")[0]
                if target and ref:
                    letters, row = coordinate_from_string(ref)
                    links[(row, column_index_from_string(letters) - 1)] = target
            elif element.tag == f"{_MAIN_NS}row":
                element.clear()  # the cells are already read; keep memory flat on big sheets
    return links


def _read_csv(path: Path) -> Sheet:
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
    rows = [(number, list(values)) for number, values in enumerate(reader, start=1)]
    return Sheet(headers=[], rows=rows, kind="csv")


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
            return Sheet(headers, rows, table.links, table.kind, table.sheet_name)
    raise UnusableFile(
        "No header row found: the first rows must name the columns (Ruler, Denomination, ...)."
    )
