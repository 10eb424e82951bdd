"""Making one backup: database snapshot, media, manifest, verification, then an atomic rename."""

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

from . import postgres, sqlite
from .errors import BackupError
from .manifest import Manifest, backup_name
from .media import copy_media, sha256_file
from .paths import backup_dir
from .retention import apply_retention, dir_size
from .switch import finish_interrupted_restore
from .verify import MEDIA_DIR

DB_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}


@dataclass
class BackupResult:
    path: Path
    manifest: Manifest
    size: int
    deleted: list[Path] = field(default_factory=list)
    finished_restore: str | None = None  # what was done about a restore that had stopped half-way


def engine_of(using: str = "default") -> str:
    vendor = connections[using].vendor
    if vendor not in DB_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def sqlite_path(using: str = "default") -> Path:
    name = str(connections[using].settings_dict["NAME"])
    if name in ("", ":memory:") or name.startswith("file:"):
        raise BackupError(f"The SQLite database {name!r} is not a file; there is nothing to back up.")
    return Path(name)


def _snapshot(engine: str, using: str, target: Path):
    """Copy the database into `target` and check the copy against the counts read in the same snapshot
    (on SQLite the full-text indexes too: the fresh copy is ours to open for writing)."""
    if engine == "sqlite":
        snap = sqlite.backup_database(sqlite_path(using), target)
        problems = sqlite.check_copy(target, snap.counts, snap.applied, fulltext=True)
    else:
        connection = connections[using]
        snap = postgres.backup_database(connection, target)
        schema = postgres.current_schema(postgres.libpq_params(connection))
        problems = postgres.check_dump(target, snap.counts, snap.applied, schema)
    if problems:
        raise BackupError(f"The backup failed verification: {'; '.join(problems)}.")
    return snap


def _publish(work: Path, dest: Path, name: str) -> Path:
    """Rename the finished folder into place; a clash (another backup in the same microsecond) adds -2, -3."""
    for attempt in range(1, 100):
        final = dest / (name if attempt == 1 else f"{name}-{attempt}")
        if final.exists():
            continue
        try:
            os.rename(work, final)
        except OSError:
            continue
        return final
    raise BackupError(f"Could not find a free backup name in {dest}.")


def create_backup(
    dest: Path | None = None,
    *,
    include_media: bool = True,
    keep: int | None = None,
    reason: str = "manual",
    using: str = "default",
    finish_interrupted: bool = True,
) -> BackupResult:
    """Back up the database (and media) into a new folder in `dest`, verified before it is published.

    The work happens in a hidden folder that is renamed into place only after verification, so a
    failed or interrupted backup never looks like a good one and --keep never counts it. A restore
    that stopped half-way is finished first (`finish_interrupted`; a restore's own safety backup
    passes False), so a backup never holds the database of one state and the media of another.
    """
    if keep is not None and keep < 1:
        raise BackupError("--keep must be at least 1: keeping no backup is not a retention policy.")
    finished = finish_interrupted_restore() if finish_interrupted else None
    dest = Path(dest) if dest else backup_dir()
    dest.mkdir(parents=True, exist_ok=True)
    engine = engine_of(using)
    created = datetime.now(UTC)
    name = backup_name(created)
    work = Path(tempfile.mkdtemp(prefix=f".{name}.partial-", dir=dest))
    try:
        db_file = work / DB_FILES[engine]
        snap = _snapshot(engine, using, db_file)
        media = []
        if include_media:
            media = copy_media(Path(settings.MEDIA_ROOT), work / MEDIA_DIR, skip=(dest,))
        manifest = Manifest(
            name=name,
            created_at=created.isoformat(),
            engine=engine,
            database_file=db_file.name,
            database_sha256=sha256_file(db_file),
            database_size=db_file.stat().st_size,
            migrations=snap.migrations,
            applied_migrations=snap.applied,
            counts=snap.counts,
            media_included=include_media,
            media=media,
            reason=reason,
        )
        manifest.write(work)
        final = _publish(work, dest, name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    manifest.name = final.name
    if final.name != name:
        manifest.write(final)
    result = BackupResult(path=final, manifest=manifest, size=dir_size(final), finished_restore=finished)
    if keep is not None:
        result.deleted = apply_retention(dest, keep, protect=final)
    return result
