"""The backup of record: the latest backup that holds the data as it is now.

Usually the newest backup. After a restore it is the backup that was restored, until a newer one
is made: the safety copy the restore took first (and any backup made before the restore) holds the
data that was replaced, so the admin must not present it as the latest backup of the collection.
A successful restore leaves a small record in the backup folder saying what it restored, when.
"""

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from .errors import BackupError
from .manifest import Manifest, read_manifest
from .retention import BackupInfo, latest_backup

RECORD_NAME = "last_restore.json"


@dataclass
class RestoreRecord:
    restored: str  # name of the backup restored
    restored_from: str  # its folder
    restored_at: str  # ISO 8601, UTC: when the switch completed
    safety: str  # name of the safety backup taken first ("" when there was nothing to save)

    @property
    def at(self) -> datetime:
        return datetime.fromisoformat(self.restored_at)


def write_record(dest: Path, record: RestoreRecord) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    temporary = dest / f".{RECORD_NAME}.tmp"
    temporary.write_text(json.dumps(asdict(record), indent=2), encoding="utf-8")
    os.replace(temporary, dest / RECORD_NAME)


def read_record(dest: Path) -> RestoreRecord | None:
    try:
        data = json.loads((dest / RECORD_NAME).read_text(encoding="utf-8"))
        record = RestoreRecord(**data)
        record.at  # noqa: B018 - validates the timestamp
    except (OSError, ValueError, TypeError):
        return None  # no record, or not one we can read: the plain latest backup is shown
    return record


@dataclass
class BackupOfRecord:
    info: BackupInfo | None  # None: the restored backup is no longer where it was restored from
    restore: RestoreRecord | None  # set when the data now is what that restore brought back

    @property
    def manifest(self) -> Manifest | None:
        return self.info.manifest if self.info else None


def backup_of_record(dest: Path) -> BackupOfRecord | None:
    """The newest backup made after the last restore, or else the backup that restore restored."""
    latest = latest_backup(dest)
    record = read_record(dest)
    if record is None or (latest is not None and latest.manifest.created > record.at):
        return BackupOfRecord(latest, None) if latest else None
    folder = Path(record.restored_from)
    try:
        manifest = read_manifest(folder)
    except BackupError:
        return BackupOfRecord(None, record)  # deleted since: no backup holds the data as it is now
    return BackupOfRecord(BackupInfo(path=folder, manifest=manifest, size=0), record)
