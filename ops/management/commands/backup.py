"""manage.py backup: a verified, consistent backup of the database and media, taken while the app runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backups import BackupError, create_backup, list_backups
from ops.backups.create import backup_dir
from ops.backups.report import describe, describe_counts, human_size


class Command(BaseCommand):
    help = "Back up the database and media into a new timestamped folder, verified before it is reported."
    # No system checks first: whatever they would find in the settings or models is no reason to
    # refuse a copy of the data, and at startup they cost half a second of every backup.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--dest", type=Path, help="Folder for backups (default: COINSTACK_BACKUP_DIR).")
        parser.add_argument("--keep", type=int, help="Then delete the oldest backups beyond the newest N.")
        parser.add_argument("--no-media", action="store_true", help="Leave out MEDIA_ROOT (images).")
        parser.add_argument("--list", action="store_true", help="List the backups instead of making one.")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, **options):
        dest = options["dest"] or backup_dir()
        if options["list"]:
            list_to(self.stdout, dest)
            return
        try:
            result = create_backup(
                dest,
                include_media=not options["no_media"],
                keep=options["keep"],
                using=options["database"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result.finished_restore:
            self.stdout.write(result.finished_restore)
        deleted = f"; deleted {len(result.deleted)} older backups" if result.deleted else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup verified: {result.path} ({human_size(result.size)}): "
                f"{describe_counts(result.manifest)}{deleted}."
            )
        )


def list_to(stdout, dest: Path) -> None:
    backups = list_backups(dest)
    if not backups:
        stdout.write(f"No backups in {dest}.")
        return
    for info in backups:
        stdout.write(describe(info))
    stdout.write(f"{len(backups)} backups in {dest}.")
