"""The real spreadsheet (shared/data/collection-v1.xlsx), read once per test session.

The parser tests check every distinct value of its columns; they all read it through here.
"""

import functools
from pathlib import Path

import openpyxl


@functools.cache
def _rows(path: Path) -> tuple[dict, ...]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    # The first column has no header: it is the collector's inventory number.
    header = ["inventory" if name is None and i == 0 else name for i, name in enumerate(rows[0])]
    return tuple(dict(zip(header, row, strict=False)) for row in rows[1:] if any(row))


def sheet_rows(shared: Path) -> list[dict]:
    """Every non-empty row as {header: value}, the inventory number under "inventory"."""
    return list(_rows(shared / "data" / "collection-v1.xlsx"))


def column(shared: Path, name: str) -> list[tuple]:
    """(inventory number, value) for each row, of the column headed `name`."""
    return [(row["inventory"], row.get(name)) for row in sheet_rows(shared)]
