"""Restoring a backup so that it either happens completely or leaves the current data as it was.

Order: finish a restore that had stopped half-way; verify the backup (signature, files, content);
ask; stage the database (SQLite: a checked copy beside the live file) and the media (a copy beside
MEDIA_ROOT); take a safety backup (PostgreSQL: with the app's writes already held, so it holds
exactly what is replaced); then switch the database and the media together (switch.py): SQLite by
one rename, PostgreSQL by loading a fresh schema and committing (pg_switch.py). Then migrate if the
backup is older than the code, and record which backup the data now comes from.
"""

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
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
from .pg_switch import LoadReport, PostgresSwitch, SchemaLoad
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
    media = _media_switch(token)
    database: SQLiteSwitch | PostgresSwitch | None = None
    journal = safety = None
    try:
        if engine == "sqlite":
            live = sqlite_path(using)
            staged = sqlite.prepare_restore(
                verified.database, live, manifest.counts, manifest.applied_migrations
            )
            old = live.with_name(f".{live.name}.pre-restore-{token}")
            database = SQLiteSwitch(live=str(live), staged=str(staged), old=str(old))
        else:
            database = PostgresSwitch(
                using=using,
                live=schema,
                old=f"coinstack_pre_restore_{token}",
                failed=f"coinstack_failed_{token}",
            )
        if manifest.media_included:
            media.staged = str(stage_media(verified.path / MEDIA_DIR, manifest.media, Path(media.root)))
        connections[using].close()
        with _holding_writers(database) as held:
            if engine != "sqlite" or Path(database.live).exists():
                safety = create_backup(
                    safety_dest, reason="pre-restore", using=using, finish_interrupted=False
                )
            connections[using].close()
            if isinstance(database, SQLiteSwitch):
                database.prepare()  # refuses while another process has the file open
            journal = Journal(backup=manifest.name, engine=engine, database=database, media=media)
            report, warnings = switch_together(journal, _switcher(database, held, verified))
    except BaseException as exc:
        if journal is None:  # nothing switched yet, and no journal to clean up after
            if isinstance(database, SQLiteSwitch):
                database.discard_new()
            media.back()
        if isinstance(exc, BackupError) and safety is not None:
            raise BackupError(f"{exc} The safety backup taken first is {safety.path}.") from exc
        raise
    return RestoreResult(
        manifest=manifest,
        safety=safety,
        migrated=[],
        media_files=len(manifest.media),
        search_rebuilt=report.search_rebuilt,
        warnings=warnings,
    )


def _holding_writers(database: SQLiteSwitch | PostgresSwitch) -> AbstractContextManager[SchemaLoad | None]:
    """PostgreSQL: the restore's transaction, holding writers from the safety backup to the switch.
    SQLite needs none: the app must be stopped, and the switch checks that no one has the file open."""
    return database.holding_writers() if isinstance(database, PostgresSwitch) else nullcontext()


def _switcher(
    database: SQLiteSwitch | PostgresSwitch, held: SchemaLoad | None, verified: VerifiedBackup
) -> Callable[[Callable[[], None]], LoadReport]:
    """The one step that switches the database, with the journal written just before it."""
    manifest = verified.manifest

    def switch_database(before_commit: Callable[[], None]) -> LoadReport:
        if held is not None:
            return held.load(verified.database, manifest.counts, manifest.applied_migrations, before_commit)
        before_commit()
        database.switch()
        return LoadReport(search_rebuilt=None)

    return switch_database


def _media_switch(token: str) -> MediaSwitch:
    root = Path(settings.MEDIA_ROOT)
    return MediaSwitch(root=str(root), staged=None, old=str(root.with_name(f".{root.name}.old-{token}")))
