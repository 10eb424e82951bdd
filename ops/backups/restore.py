"""Restoring a backup so that it either happens completely or leaves the current data as it was.

Order: finish a restore that had stopped half-way; verify the backup (signature, files, content);
ask; stage the database (SQLite: a checked copy beside the live file) and the media (a copy beside
MEDIA_ROOT); take a safety backup; then switch the database and the media together (switch.py):
SQLite by one rename, PostgreSQL by loading a fresh schema and committing (pg_switch.py). Then
migrate if the backup is older than the code, and record which backup the data now comes from.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections

from . import postgres, sqlite
from .create import BackupResult, create_backup, engine_of, sqlite_path
from .errors import BackupError
from .manifest import MANIFEST_NAME, Manifest
from .media import MediaSwitch, stage_media
from .paths import backup_dir
from .pg_switch import LoadReport, PostgresSwitch
from .record import RestoreRecord, write_record
from .schema import pending_migrations
from .sqlite import SQLiteSwitch
from .switch import Journal, recover, restore_lock, switch_together
from .verify import MEDIA_DIR, VerifiedBackup, verify_backup


@dataclass
class RestoreResult:
    manifest: Manifest
    safety: BackupResult | None
    migrated: list[str]
    media_files: int
    search_rebuilt: int | None = None  # PostgreSQL: coin search entries that differed and were rebuilt
    finished_before: str | None = None  # what was done about an earlier restore that had stopped
    warnings: list[str] = field(default_factory=list)


def resolve_backup(argument: str, dest: Path | None = None) -> Path:
    """A path to a backup folder (or its manifest.json), or the bare name of a folder in the backup dir."""
    path = Path(argument)
    if path.name == MANIFEST_NAME and path.is_file():
        return path.parent
    if not path.exists():
        candidate = (dest or backup_dir()) / argument
        if candidate.exists():
            return candidate
        raise BackupError(f"No backup at {argument} (nor in {dest or backup_dir()}).")
    return path


def restore_backup(
    path: Path,
    *,
    using: str = "default",
    confirm: Callable[[Manifest], bool] | None = None,
    safety_dest: Path | None = None,
    allow_foreign: bool = False,
) -> RestoreResult:
    """Restore the backup at `path` over the current database and media. Raises BackupError when
    refused or failed; the data is then as it was."""
    engine = engine_of(using)
    with restore_lock():
        finished_before = recover()
        schema = None
        if engine == "postgresql":
            schema = postgres.current_schema(postgres.libpq_params(connections[using]))
        verified = verify_backup(path, engine, allow_foreign=allow_foreign, schema=schema)
        manifest = verified.manifest
        if confirm is not None and not confirm(manifest):
            raise BackupError("Restore cancelled; nothing was changed.")
        result = _restore_verified(verified, engine, using, schema, safety_dest)
    result.finished_before = finished_before
    write_record(
        backup_dir(),
        RestoreRecord(
            restored=manifest.name,
            restored_from=str(Path(path).resolve()),
            restored_at=datetime.now(UTC).isoformat(),
            safety=result.safety.path.name if result.safety else "",
        ),
    )
    result.migrated = pending_migrations(using)
    if result.migrated:
        # The safety backup already holds the pre-restore state; no second pre-migrate backup.
        call_command("migrate", database=using, interactive=False, verbosity=0, skip_backup=True)
    return result


def _restore_verified(
    verified: VerifiedBackup, engine: str, using: str, schema: str | None, safety_dest: Path | None
) -> RestoreResult:
    manifest = verified.manifest
    token = uuid.uuid4().hex[:12]
    staged_db: Path | None = None
    media = _media_switch(token)
    try:
        if engine == "sqlite":
            live = sqlite_path(using)
            staged_db = sqlite.prepare_restore(
                verified.database, live, manifest.counts, manifest.applied_migrations
            )
            database = SQLiteSwitch(
                live=str(live),
                staged=str(staged_db),
                old=str(live.with_name(f".{live.name}.pre-restore-{token}")),
            )
        else:
            database = PostgresSwitch(
                using=using,
                live=schema,
                old=f"coinstack_pre_restore_{token}",
                failed=f"coinstack_failed_restore_{token}",
            )
        if manifest.media_included:
            media.staged = str(stage_media(verified.path / MEDIA_DIR, manifest.media, Path(media.root)))
        live_exists = engine != "sqlite" or Path(database.live).exists()
        safety = (
            create_backup(safety_dest, reason="pre-restore", using=using, finish_interrupted=False)
            if live_exists
            else None
        )
        connections[using].close()
        if isinstance(database, SQLiteSwitch):
            database.prepare()
    except BaseException:
        if staged_db is not None:
            staged_db.unlink(missing_ok=True)
        media.back()
        raise

    journal = Journal(backup=manifest.name, engine=engine, database=database, media=media)
    if isinstance(database, SQLiteSwitch):

        def switch_database(before_commit: Callable[[], None]) -> LoadReport:
            before_commit()
            database.switch()
            return LoadReport(search_rebuilt=None)

    else:

        def switch_database(before_commit: Callable[[], None]) -> LoadReport:
            return database.load(
                verified.database, manifest.counts, manifest.applied_migrations, before_commit
            )

    try:
        report, warnings = switch_together(journal, switch_database)
    except BackupError as exc:
        where = f" The safety backup taken first is {safety.path}." if safety else ""
        raise BackupError(f"{exc}{where}") from exc
    return RestoreResult(
        manifest=manifest,
        safety=safety,
        migrated=[],
        media_files=len(manifest.media),
        search_rebuilt=report.search_rebuilt,
        warnings=warnings,
    )


def _media_switch(token: str) -> MediaSwitch:
    root = Path(settings.MEDIA_ROOT)
    return MediaSwitch(root=str(root), staged=None, old=str(root.with_name(f".{root.name}.old-{token}")))
