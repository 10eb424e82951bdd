"""manage.py export_collection [--format csv|xlsx|json] [--output PATH]

Writes every coin (to standard output when no --output is given; xlsx needs --output).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.exporting import FORMATS, export
from catalog.models import Coin


class Command(BaseCommand):
    help = "Export the collection as CSV, xlsx or JSON (the columns the importer reads back)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--output", help="File to write (default: standard output; required for xlsx).")

    def handle(self, *args, **options):
        fmt = options["format"]
        output = options["output"]
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
