"""manage.py export_collection [--format csv|xlsx|json|archive] [--output PATH] [--all-lots]

Spreadsheets and JSON: every coin (to standard output when no --output is given; xlsx needs --output).
archive: the whole collection with its images in one .zip (default name coinstack-archive-<time>.zip),
which `import_collection ARCHIVE.zip` brings back into an empty database on either backend.
"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.exporting import FORMATS, export
from catalog.exporting.archive import write_archive
from catalog.models import Coin


class Command(BaseCommand):
    help = (
        "Export the collection as CSV, xlsx or JSON (the columns the importer reads back), or as a portable "
        "archive (.zip with every coin, all it owns, and the images)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=(*FORMATS, "archive"), default="csv")
        parser.add_argument("--output", help="File to write (default: standard output; required for xlsx).")
        parser.add_argument(
            "--all-lots",
            action="store_true",
            help="archive: every auction lot, not only those linked to coins (to move a whole installation).",
        )

    def handle(self, *args, **options):
        fmt = options["format"]
        output = options["output"]
        if fmt == "archive":
            self._archive(output or time.strftime("coinstack-archive-%Y%m%d-%H%M%S.zip"), options["all_lots"])
            return
        if fmt == "xlsx" and not output:
            raise CommandError("xlsx is a binary format: give --output FILE.xlsx.")
        data = export(None, fmt)
        count = Coin.objects.count()
        if output:
            path = Path(output)
            try:
                path.write_bytes(data)
            except OSError as exc:
                raise CommandError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
            self.stderr.write(f"Exported {count} coins as {fmt} to {path}.")
        else:
            text = data.decode("utf-8").lstrip("\ufeff")
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")
            sys.stdout.flush()

    def _archive(self, output: str, all_lots: bool) -> None:
        path = Path(output)
        try:
            report = write_archive(path, all_lots=all_lots)
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
        self.stdout.write(f"{report.summary()} Written to {path}.")
