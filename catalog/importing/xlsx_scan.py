"""Check an .xlsx before openpyxl reads it: sizes from the zip directory, then one streaming pass.

openpyxl keeps every shared string in memory and builds each row as a tree, so a workbook can make it
use any amount of memory or time. This module decides, cheaply and first, whether the workbook is
within `Limits`:

- the zip's directory (member count, unpacked sizes, the shared-strings size) before anything is
  decompressed; zipfile stops reading a member at its declared size, so the declared sizes bind;
- the shared strings and the chosen sheet's XML with expat, streaming, never holding more than one
  cell's text: each string and cell is measured as it is read, rows and columns are counted, and the
  pass stops at the first excess.

Entity declarations (billion laughs) and external entities are refused here, as defusedxml refuses
them in openpyxl's own parsing. The sheet pass also collects what openpyxl's read-only mode does
not give: cell hyperlinks, and formula cells that have no saved value (openpyxl would read them as
empty cells without a word).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from .limits import Limits, size_text

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SEP = "\x01"  # expat's namespace separator: "uri\x01local"
SHARED_STRINGS = "xl/sharedStrings.xml"
CHUNK = 64 * 1024


class LimitExceeded(Exception):
    """The workbook is beyond one of the limits; the message names it."""


class UnsafeXml(Exception):
    """The workbook declares XML entities or a DTD, which no spreadsheet program writes."""


@dataclass
class SheetScan:
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column index) -> formula
    hyperlinks: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column index) -> rel id
    last_row: int = 0
    cells: int = 0


def check_zip(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Member count and unpacked sizes, read from the zip's directory."""
    members = archive.infolist()
    if len(members) > limits.zip_members:
        raise LimitExceeded(
            f"The workbook holds {len(members):,} parts; the limit is {limits.zip_members:,}."
        )
    unpacked = sum(info.file_size for info in members)
    if unpacked > limits.unpacked_bytes:
        raise LimitExceeded(
            f"The workbook unpacks to {size_text(unpacked)}; the limit is "
            f"{size_text(limits.unpacked_bytes)}. Save a copy with only the coins' sheet, or split it."
        )
    try:
        strings = archive.getinfo(SHARED_STRINGS).file_size
    except KeyError:
        return
    if strings > limits.shared_strings_bytes:
        raise LimitExceeded(
            f"The workbook's text table (shared strings) is {size_text(strings)}; the limit is "
            f"{size_text(limits.shared_strings_bytes)}."
        )


class _PrologEnd(Exception):
    """The root element started: a DTD can only come before it."""


def check_no_dtd(archive: zipfile.ZipFile) -> None:
    """No XML part of the workbook may declare a DTD. Read up to each part's root element only (a DTD
    must come before it), so this costs a few bytes per part whatever their size."""
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        parser = _parser(namespaces=False)

        def root_started(_tag, _attrs):
            raise _PrologEnd

        parser.StartElementHandler = root_started
        try:
            _feed(parser, archive, info.filename)
        except _PrologEnd:
            continue
        except expat.ExpatError:
            continue  # malformed: openpyxl will say so if it reads this part at all


def _parser(namespaces: bool = True) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=_SEP) if namespaces else expat.ParserCreate()

    def refuse_doctype(*_args):
        raise UnsafeXml("The workbook declares a DTD (XML entities), which spreadsheets never do.")

    def refuse_entity(*_args):
        raise UnsafeXml("The workbook declares XML entities, which spreadsheets never do.")

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _feed(parser: expat.XMLParserType, archive: zipfile.ZipFile, name: str) -> None:
    with archive.open(name) as handle:
        while chunk := handle.read(CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def scan_shared_strings(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Each shared string no longer than a cell may be."""
    if SHARED_STRINGS not in archive.namelist():
        return
    parser = _parser()
    state = {"length": 0, "index": 0}
    si = f"{_MAIN}{_SEP}si"

    def start(tag, _attrs):
        if tag == si:
            state["length"] = 0

    def end(tag):
        if tag == si:
            state["index"] += 1

    def text(data):
        state["length"] += len(data)
        if state["length"] > limits.cell_chars:
            raise LimitExceeded(
                f"Text number {state['index'] + 1:,} of the workbook is longer than {limits.cell_chars:,} "
                "characters, the limit for one cell."
            )

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    _feed(parser, archive, SHARED_STRINGS)


def scan_sheet(archive: zipfile.ZipFile, sheet_path: str, limits: Limits) -> SheetScan:
    """Rows, columns and cell lengths within limits; formulas without saved values; hyperlinks."""
    scan = SheetScan()
    parser = _parser()
    tags = {name: f"{_MAIN}{_SEP}{name}" for name in ("row", "c", "v", "f", "is", "hyperlink")}
    rel_id = f"{_REL}{_SEP}id"
    state: dict = {"row": 0, "column": 0, "reading": None, "length": 0, "formula": None, "value": False}

    def start(tag, attrs):
        if tag == tags["row"]:
            number = int(attrs.get("r") or state["row"] + 1)
            if number > limits.rows:
                raise LimitExceeded(
                    f"The sheet has rows up to row {number:,}; the limit is {limits.rows:,} rows. "
                    "Split the file, or remove the empty rows at its end."
                )
            state.update(row=number, column=0)
        elif tag == tags["c"]:
            reference = attrs.get("r")
            if reference:
                letters, number = coordinate_from_string(reference)
                state.update(row=number, column=column_index_from_string(letters))
            else:
                state["column"] += 1
            state.update(length=0, formula=None, value=False)
        elif tag in (tags["v"], tags["is"]):
            state["reading"] = "value"
        elif tag == tags["f"]:
            state.update(reading="formula", formula=[])
        elif tag == tags["hyperlink"]:
            reference, target = attrs.get("ref", ""), attrs.get(rel_id, "")
            if reference and target:
                letters, number = coordinate_from_string(reference.split(":")[0])
                scan.hyperlinks[(number, column_index_from_string(letters) - 1)] = target

    def end(tag):
        if tag == tags["c"]:
            if state["length"] and state["column"] > limits.columns:
                raise LimitExceeded(
                    f"Row {state['row']:,} has a value in column {state['column']:,}; the limit is "
                    f"{limits.columns:,} columns."
                )
            if state["formula"] is not None and not state["value"]:
                # A formula whose result was never saved (written by a program that does not
                # calculate): openpyxl would give an empty cell.
                scan.formulas[(state["row"], state["column"] - 1)] = "=" + "".join(state["formula"])
            if state["length"]:
                scan.last_row = max(scan.last_row, state["row"])
                scan.cells += 1
                if scan.cells > limits.cells:
                    raise LimitExceeded(
                        f"The sheet has more than {limits.cells:,} filled cells, the limit (reached at row "
                        f"{state['row']:,}); split it."
                    )
        elif tag in (tags["v"], tags["is"], tags["f"]):
            state["reading"] = None

    def text(data):
        if state["reading"] is None:
            return
        state["length"] += len(data)
        if state["length"] > limits.cell_chars:
            raise LimitExceeded(
                f"Row {state['row']:,}, column {state['column']:,} holds more than {limits.cell_chars:,} "
                "characters, the limit for one cell."
            )
        if state["reading"] == "formula":
            state["formula"].append(data)
        elif data:
            state["value"] = True

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    _feed(parser, archive, sheet_path)
    return scan


def locate_sheet(archive: zipfile.ZipFile, name: str | None) -> tuple[str, str, list[str]]:
    """(path of the sheet's XML in the zip, its name, every sheet's name): the named sheet, else the
    first. Read from the workbook's own index, so the sheet is checked before openpyxl opens it."""
    sheets: list[tuple[str, str]] = []  # (name, relationship id)
    parser = _parser()
    sheet_tag, rel_id = f"{_MAIN}{_SEP}sheet", f"{_REL}{_SEP}id"

    def sheet(tag, attrs):
        if tag == sheet_tag:
            sheets.append((attrs.get("name", ""), attrs.get(rel_id, "")))

    parser.StartElementHandler = sheet
    _feed(parser, archive, "xl/workbook.xml")
    targets: dict[str, str] = {}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in archive.namelist():
        parser = _parser(namespaces=False)

        def relationship(tag, attrs):
            if tag.endswith("Relationship"):
                targets[attrs.get("Id", "")] = attrs.get("Target", "")

        parser.StartElementHandler = relationship
        _feed(parser, archive, rels)
    names = [sheet_name for sheet_name, _ in sheets]
    chosen = next((s for s in sheets if s[0] == name), None) if name else (sheets[0] if sheets else None)
    if chosen is None:
        return "", name or "", names
    target = targets.get(chosen[1], "")
    path = target.lstrip("/") if target.startswith("/") else f"xl/{target}" if target else ""
    return (path if path in archive.namelist() else ""), chosen[0], names


def external_targets(archive: zipfile.ZipFile, sheet_path: str) -> dict[str, str]:
    """A sheet's external relationship targets (hyperlink URLs) by relationship id."""
    folder, _, name = sheet_path.rpartition("/")
    rels_path = f"{folder}/_rels/{name}.rels"
    if rels_path not in archive.namelist():
        return {}
    targets: dict[str, str] = {}
    parser = _parser(namespaces=False)

    def start(tag, attrs):
        if tag.endswith("Relationship") and attrs.get("TargetMode") == "External":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    parser.StartElementHandler = start
    _feed(parser, archive, rels_path)
    return targets
