"""manage.py import_collection PATH [--dry-run] [--sheet NAME] [--currency USD] [--mapping FILE.json]

PATH is a spreadsheet (.xlsx/.csv: a collector's own sheet or a Numista export) or an OpenNumismat
collection (.db), told apart by content. --mapping gives the columns' fields as the upload page's
mapping screen does ({"column header": "field key" | "keep" | "ignore"}) and is remembered for files
with the same headers; without it, the mapping remembered for those headers (or the guess) is used.

Argument parsing and one summary line; the work is `catalog.importing.import_file`, which the upload
page uses too. Problems are listed one per line with their row and column; CommandError only when the
whole file is unusable (nothing is written then). A CoinStack archive (.zip made by
`export_collection --format archive`) is recognised by its content and brought back whole
(`catalog.importing.archive`).
"""

import re

from django.core.management.base import BaseCommand, CommandError

from catalog.importing import UnusableFile, import_file
from catalog.importing.archive import import_archive, is_archive
from catalog.importing.mappings import read_mapping_file

PROGRESS_MIN_ROWS = 500  # below this the import is over before a bar would be read


class Command(BaseCommand):
    help = (
        "Import a collection: a spreadsheet (.xlsx or .csv, a Numista export among them), an OpenNumismat "
        "collection (.db), or a CoinStack archive (.zip, into an empty database)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .xlsx, .csv or OpenNumismat .db file (or a CoinStack .zip).")
        parser.add_argument(
            "--mapping",
            help='A JSON file: {"column header": "field key" (or "keep" / "ignore")}; remembered for files '
            "with the same headers.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument("--sheet", help="Worksheet name (default: the first sheet).")
        parser.add_argument(
            "--currency", default="USD", help="Currency of prices when the sheet names none (default USD)."
        )

    def handle(self, *args, **options):
        currency = options["currency"].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise CommandError(f'"{options["currency"]}" is not a three-letter currency code such as USD.')
        if is_archive(options["path"]):
            self._archive(options)
            return
        progress = self._progress if self.stdout.isatty() else None
        try:
            mapping = read_mapping_file(options["mapping"]) if options["mapping"] else None
            report = import_file(
                options["path"],
                dry_run=options["dry_run"],
                sheet=options["sheet"],
                currency=currency,
                progress=progress,
                mapping=mapping,
                remember_mapping=mapping is not None,
            )
        except UnusableFile as exc:
            raise CommandError(f"Nothing imported: {exc}") from exc
        if progress:
            self.stdout.write("")
        verbosity = options["verbosity"]
        if verbosity >= 1:
            for outcome in report.outcomes:
                if outcome.matched_by_content:
                    self.stdout.write(f"row {outcome.row} matched by content: {outcome.label}")
                if outcome.changes:
                    self.stdout.write(
                        f"row {outcome.row} (#{outcome.inventory}) updated: " + "; ".join(outcome.changes)
                    )
                if outcome.kept and (outcome.changes or verbosity >= 2):
                    self.stdout.write(
                        f"row {outcome.row} (#{outcome.inventory}) left alone: " + "; ".join(outcome.kept)
                    )
            for problem in report.problems:
                self.stdout.write(f"{problem.level}: {problem}")
        summary = report.summary()
        if report.new_terms:
            summary += f" {len(report.new_terms)} new vocabulary terms marked for review."
        if report.photos:
            summary += f" {report.photos} photos stored with the new coins."
        if report.batch_id:
            summary += (
                f" Import {report.batch_id}: its coins are listed at /coins/?import_batch={report.batch_id}."
            )
        self.stdout.write(self.style.SUCCESS(summary) if not report.errors else summary)

    def _archive(self, options) -> None:
        try:
            report = import_archive(options["path"], dry_run=options["dry_run"])
        except UnusableFile as exc:
            raise CommandError(f"Nothing imported: {exc}") from exc
        for warning in report.warnings:
            self.stdout.write(f"warning: {warning}")
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _progress(self, done: int, total: int) -> None:
        if total < PROGRESS_MIN_ROWS:
            return
        width = 30
        filled = width * done // total
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} rows", ending="")
        self.stdout.flush()
