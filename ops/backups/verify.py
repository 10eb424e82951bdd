"""Checking a backup before anyone relies on it: ours, intact, complete, and not from a newer schema."""

from dataclasses import dataclass
from pathlib import Path

from . import postgres, sqlite
from .errors import BackupError
from .manifest import Manifest, read_manifest
from .media import media_problems, sha256_file
from .schema import unknown_migrations

MEDIA_DIR = "media"


@dataclass
class VerifiedBackup:
    path: Path
    manifest: Manifest

    @property
    def database(self) -> Path:
        return self.path / self.manifest.database_file


def database_problems(path: Path, manifest: Manifest) -> list[str]:
    name = manifest.database_file
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return [f"the manifest names an unsafe database file {name!r}"]
    database = path / name
    if not database.is_file():
        return [f"the database file {name} is missing"]
    size = database.stat().st_size
    if size != manifest.database_size:
        return [f"the database file is {size} bytes, the manifest says {manifest.database_size} (truncated?)"]
    if sha256_file(database) != manifest.database_sha256:
        return ["the database file does not match its SHA-256 (damaged or altered)"]
    if manifest.engine == "sqlite":
        return sqlite.check_copy(database, manifest.counts)
    if manifest.engine == "postgresql":
        return postgres.check_dump(database, manifest.counts)
    return [f"unknown database engine {manifest.engine!r}"]


def verify_backup(path: Path, engine: str | None = None) -> VerifiedBackup:
    """Raise BackupError listing every problem, or return the backup ready to restore.

    `engine` is the current database's engine: a SQLite backup cannot be restored into PostgreSQL.
    """
    manifest = read_manifest(path)
    problems = []
    if engine is not None and manifest.engine != engine:
        problems.append(f"it was made from {manifest.engine}, the current database is {engine}")
    else:
        problems += database_problems(path, manifest)
    if manifest.media_included:
        problems += media_problems(path / MEDIA_DIR, manifest.media)
    unknown = unknown_migrations(manifest)
    if unknown:
        problems.append(
            "it comes from a newer schema than this code (unknown migrations: "
            f"{', '.join(unknown[:5])}); upgrade CoinStack before restoring it"
        )
    if problems:
        raise BackupError(f"Backup {path.name} is refused: {'; '.join(problems)}.")
    return VerifiedBackup(path=path, manifest=manifest)
