"""CoinStack backups: consistent online snapshots of SQLite or PostgreSQL plus media, verified on the
way in and on the way out. Commands (backup, restore, list_backups, migrate) are thin wrappers."""

from .create import BackupResult, create_backup
from .errors import BackupError
from .manifest import Manifest
from .restore import RestoreResult, resolve_backup, restore_backup
from .retention import BackupInfo, apply_retention, latest_backup, list_backups
from .verify import verify_backup

__all__ = [
    "BackupError",
    "BackupInfo",
    "BackupResult",
    "Manifest",
    "RestoreResult",
    "apply_retention",
    "create_backup",
    "latest_backup",
    "list_backups",
    "resolve_backup",
    "restore_backup",
    "verify_backup",
]
