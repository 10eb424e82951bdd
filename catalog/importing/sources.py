"""Which kind of collection file this is, decided by its content: an OpenNumismat collection (a SQLite
database), a Numista "export my collection" (a spreadsheet recognised by its headers) or any other
spreadsheet. `open_table` returns the file as one Sheet for the column mapper and the importer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from catalog.choices import ImportSource

from .columns import normalise_header
from .limits import Limits
from .opennumismat import OpenNumismatFile, is_opennumismat
from .reading import Sheet, UnusableFile, read_table

# Headers only a Numista export writes ("N# number (with link)", "Gregorian year").
NUMISTA_HEADERS = frozenset({"n number with link", "n number", "numista number", "gregorian year"})


def is_numista(sheet: Sheet) -> bool:
    headers = {normalise_header(h) for h in sheet.headers}
    return bool(headers & NUMISTA_HEADERS) and "face value" in headers


@contextmanager
def open_table(path: str | Path, sheet: str | None, limits: Limits) -> Iterator[Sheet]:
    """The file as a Sheet (its source said in `sheet.source`); an OpenNumismat file stays open, for
    its photos, until the block ends."""
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise UnusableFile(f"Cannot open {Path(path).name}: {exc.strerror or exc}.") from exc
    if is_opennumismat(head):
        collection = OpenNumismatFile(path, limits)
        try:
            yield collection.read()
        finally:
            collection.close()
        return
    table = read_table(path, sheet, limits)
    if is_numista(table):
        table.source = ImportSource.NUMISTA
    yield table
