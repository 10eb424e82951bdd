"""How much of a spreadsheet we agree to read, checked before the work is done.

A 1 MB .xlsx can hold a 1 GB shared string, and an 8.9 MB one can unpack to 2 GB of sheet XML: the
zip's own directory says so before anything is decompressed, so those sizes are checked first, and
the readers stop at the first row, column or cell beyond its limit. Each refusal names the limit,
so a person knows what to change (split the file, shorten a cell).

Every limit can be raised by a setting of the same name (COINSTACK_IMPORT_MAX_ROWS, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings

MB = 1024 * 1024
UPLOAD_ROWS = 5_000
UPLOAD_CELLS = 250_000


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 50 * MB  # the file as given (an upload has its own, smaller limit)
    unpacked_bytes: int = 256 * MB  # every member of an .xlsx, decompressed, together
    shared_strings_bytes: int = 64 * MB  # xl/sharedStrings.xml: openpyxl holds all of it in memory
    zip_members: int = 10_000
    rows: int = 100_000
    columns: int = 200
    cells: int = (
        2_000_000  # non-empty cells: what the rows cost in memory (10,000 coins x 30 columns is 300,000)
    )
    cell_chars: int = 32_767  # Excel's own limit for one cell
    # Names the vocabulary does not know yet, in one file: each is created for review with "did you
    # mean" suggestions (the costly part); thousands mean a column is not what its header says.
    new_terms: int = 1_000

    @classmethod
    def from_settings(cls) -> Limits:
        names = {
            "file_bytes": "COINSTACK_IMPORT_MAX_FILE_BYTES",
            "unpacked_bytes": "COINSTACK_IMPORT_MAX_UNPACKED_BYTES",
            "shared_strings_bytes": "COINSTACK_IMPORT_MAX_SHARED_STRINGS_BYTES",
            "zip_members": "COINSTACK_IMPORT_MAX_ZIP_MEMBERS",
            "rows": "COINSTACK_IMPORT_MAX_ROWS",
            "columns": "COINSTACK_IMPORT_MAX_COLUMNS",
            "cells": "COINSTACK_IMPORT_MAX_CELLS",
            "cell_chars": "COINSTACK_IMPORT_MAX_CELL_CHARS",
            "new_terms": "COINSTACK_IMPORT_MAX_NEW_TERMS",
        }
        defaults = cls()
        return cls(
            **{key: int(getattr(settings, name, getattr(defaults, key))) for key, name in names.items()}
        )

    @classmethod
    def for_upload(cls) -> Limits:
        """The upload page's limits: its preview and import must finish inside a web request (a
        worker is stopped after 30 s), so it takes fewer rows; bigger files go through the command."""
        limits = cls.from_settings()
        rows = int(getattr(settings, "COINSTACK_IMPORT_UPLOAD_MAX_ROWS", UPLOAD_ROWS))
        cells = int(getattr(settings, "COINSTACK_IMPORT_UPLOAD_MAX_CELLS", UPLOAD_CELLS))
        return replace(limits, rows=min(limits.rows, rows), cells=min(limits.cells, cells))


def size_text(count: int) -> str:
    """1536 -> "1.5 KB"; sizes in messages are read by people."""
    value = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{count:,} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"  # pragma: no cover - the loop always returns
