"""manage.py list_backups: the backups in a folder, newest first, with dates, sizes and counts."""

from pathlib import Path

from django.core.management.base import BaseCommand

from ops.backups.create import backup_dir

from .backup import list_to


class Command(BaseCommand):
    help = "List CoinStack backups, newest first."

    def add_arguments(self, parser):
        parser.add_argument("--dest", type=Path, help="Folder for backups (default: COINSTACK_BACKUP_DIR).")

    def handle(self, *args, **options):
        list_to(self.stdout, options["dest"] or backup_dir())
