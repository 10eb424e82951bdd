"""manage.py restore BACKUP: verify, confirm, keep a safety backup, then switch database and media
together."""

import sys

from django.core.management.base import BaseCommand, CommandError

from ops.backups import BackupError, Manifest, resolve_backup, restore_backup
from ops.backups.report import describe_counts


class Command(BaseCommand):
    help = "Restore a CoinStack backup (folder path or name) over the current database and media."

    def add_arguments(self, parser):
        parser.add_argument(
            "backup", help="Backup folder, its manifest.json, or a name in COINSTACK_BACKUP_DIR."
        )
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--allow-foreign",
            action="store_true",
            help="Restore a backup this installation did not sign (made by another installation, under "
            "another SECRET_KEY, or before backups were signed). Every other check still applies.",
        )
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, **options):
        confirm = None if options["yes"] else self.confirm
        try:
            path = resolve_backup(options["backup"])
            result = restore_backup(
                path, using=options["database"], confirm=confirm, allow_foreign=options["allow_foreign"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result.finished_before:
            self.stdout.write(result.finished_before)
        safety = f" The previous data is in {result.safety.path}." if result.safety else ""
        migrated = f" Applied {len(result.migrated)} newer migrations." if result.migrated else ""
        search = (
            f" Rebuilt the coin search index: {result.search_rebuilt} entries did not match their coins."
            if result.search_rebuilt
            else ""
        )
        summary = f"Restored {result.manifest.name}: {describe_counts(result.manifest)}."
        self.stdout.write(self.style.SUCCESS(f"{summary}{migrated}{search}{safety}"))
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Note: {warning}."))

    def confirm(self, manifest: Manifest) -> bool:
        if not sys.stdin.isatty():
            raise BackupError("Refusing to restore without confirmation: run it in a terminal or pass --yes.")
        self.stdout.write(
            f"Backup {manifest.name} from {manifest.created_at} holds {describe_counts(manifest)}.\n"
            "Restoring it REPLACES the current database and media (a safety backup is taken first)."
        )
        return input("Type 'yes' to restore: ").strip().lower() == "yes"
