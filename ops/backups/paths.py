"""Where backups live: COINSTACK_BACKUP_DIR (the restore journal and record are kept there too)."""

from pathlib import Path

from django.conf import settings


def backup_dir() -> Path:
    return Path(settings.COINSTACK_BACKUP_DIR)
