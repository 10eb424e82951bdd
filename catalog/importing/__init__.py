"""Spreadsheet import: reading .xlsx/.csv, mapping columns, rows to coins, and the importer itself.

`import_file(path, dry_run=..., sheet=..., currency=...)` is the one entry point, shared by the
`import_collection` command and the upload page.
"""

from .importer import Importer, ImportReport, RowOutcome, import_file
from .problems import Problem
from .reading import UnusableFile

__all__ = ["ImportReport", "Importer", "Problem", "RowOutcome", "UnusableFile", "import_file"]
