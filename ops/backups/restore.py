"""Restoring a backup so that any failure before the final swap leaves the current data as it was.

Order: verify everything, ask, stage the media, take a safety backup, stage and check the database,
swap the database in (SQLite: one rename; PostgreSQL: one transaction), swap the media in, migrate
if the backup is older than the code.
"""

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections

from . import postgres, sqlite
from .create import BackupResult, backup_dir, create_backup, engine_of, sqlite_path
from .errors import BackupError
from .manifest import MANIFEST_NAME, Manifest
from .media import stage_media, swap_media
from .schema import pending_migrations
from .snapshot import count_rows
from .verify import MEDIA_DIR, verify_backup


@dataclass
class RestoreResult:
    manifest: Manifest
    safety: BackupResult | None
    migrated: list[str]
    media_files: int


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


def _check_restored_counts(using: str, expected: dict[str, int]) -> None:
    with connections[using].cursor() as cursor:
        actual = count_rows(cursor, expected)
    wrong = [f"{t}: {actual[t]} rows, expected {n}" for t, n in expected.items() if actual[t] != n]
    if wrong:
        raise BackupError(f"The restored database does not hold the backup's rows ({'; '.join(wrong[:5])}).")


def restore_backup(
    path: Path,
    *,
    using: str = "default",
    confirm: Callable[[Manifest], bool] | None = None,
    safety_dest: Path | None = None,
) -> RestoreResult:
    """Restore the backup at `path` over the current database and media. Raises BackupError when refused."""
    engine = engine_of(using)
    verified = verify_backup(path, engine)
    manifest = verified.manifest
    if confirm is not None and not confirm(manifest):
        raise BackupError("Restore cancelled; nothing was changed.")

    media_root = Path(settings.MEDIA_ROOT)
    staged_media = (
        stage_media(path / MEDIA_DIR, manifest.media, media_root) if manifest.media_included else None
    )
    try:
        live = sqlite_path(using) if engine == "sqlite" else None
        safety = None
        if live is None or live.exists():
            safety = create_backup(safety_dest, reason="pre-restore", using=using)
        if engine == "sqlite":
            staged_db = sqlite.prepare_restore(verified.database, live, manifest.counts)
            connections[using].close()
            sqlite.swap_in(staged_db, live)
        else:
            connections[using].close()
            postgres.restore_database(connections[using].settings_dict, verified.database)
        try:
            _check_restored_counts(using, manifest.counts)
        except BackupError as exc:
            where = f" The data from before the restore is in {safety.path}." if safety else ""
            raise BackupError(f"{exc}{where}") from exc
        if staged_media is not None:
            swap_media(staged_media, media_root)
            staged_media = None
    finally:
        if staged_media is not None:
            shutil.rmtree(staged_media, ignore_errors=True)

    pending = pending_migrations(using)
    if pending:
        # The safety backup above already holds the pre-restore state; no second pre-migrate backup.
        call_command("migrate", database=using, interactive=False, verbosity=0, skip_backup=True)
    return RestoreResult(manifest=manifest, safety=safety, migrated=pending, media_files=len(manifest.media))
