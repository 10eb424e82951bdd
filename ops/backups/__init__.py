"""CoinStack backups: consistent online snapshots of SQLite or PostgreSQL plus media, signed with a key
of the installation and verified on the way in and on the way out; restores that switch database and
media together or not at all. Commands (backup, restore, list_backups, migrate) are thin wrappers."""

from .create import BackupResult, create_backup
from .errors import BackupError
from .manifest import Manifest
from .record import backup_of_record
from .restore import RestoreResult, resolve_backup, restore_backup
from .retention import BackupInfo, apply_retention, latest_backup, list_backups
from .switch import finish_interrupted_restore
from .verify import verify_backup

__all__ = [
    "BackupError",
    "BackupInfo",
    "BackupResult",
    "Manifest",
    "RestoreResult",
    "apply_retention",
    "backup_of_record",
    "create_backup",
    "finish_interrupted_restore",
    "latest_backup",
    "list_backups",
    "resolve_backup",
    "restore_backup",
    "verify_backup",
]
