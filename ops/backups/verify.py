"""Checking a backup before anyone relies on it: ours, signed here, intact, complete, a CoinStack
database that matches its manifest, and not from a newer schema."""

from dataclasses import dataclass
from pathlib import Path

from . import postgres, sqlite
from .errors import BackupError
from .manifest import Manifest, read_manifest
from .media import media_problems, sha256_file
from .schema import unknown_migrations
from .signing import is_tampered_own, signature_problem

MEDIA_DIR = "media"


@dataclass
class VerifiedBackup:
    path: Path
    manifest: Manifest

    @property
    def database(self) -> Path:
        return self.path / self.manifest.database_file


def database_problems(path: Path, manifest: Manifest, schema: str | None = None) -> list[str]:
    """`schema`: on PostgreSQL, the schema the dump would be restored into (the app's)."""
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
        return sqlite.check_copy(database, manifest.counts, manifest.applied_migrations)
    if manifest.engine == "postgresql":
        return postgres.check_dump(database, manifest.counts, manifest.applied_migrations, schema or "public")
    return [f"unknown database engine {manifest.engine!r}"]


def verify_backup(
    path: Path, engine: str | None = None, *, allow_foreign: bool = False, schema: str | None = None
) -> VerifiedBackup:
    """Raise BackupError listing every problem, or return the backup ready to restore.

    `engine` is the current database's engine: a SQLite backup cannot be restored into PostgreSQL.
    The signature is checked first: a backup this installation cannot vouch for is refused before
    its files are opened, unless `allow_foreign` (a deliberate move from another installation, or a
    backup made before signing), which still checks everything else. A backup that names this
    installation's key but fails its signature was altered: refused even then.
    """
    manifest = read_manifest(path)
    unsigned = signature_problem(manifest)
    if unsigned and (not allow_foreign or is_tampered_own(manifest)):
        hint = "" if is_tampered_own(manifest) else " (pass --allow-foreign to restore it deliberately)"
        raise BackupError(f"Backup {path.name} is refused: {unsigned}{hint}.")
    problems = []
    if engine is not None and manifest.engine != engine:
        problems.append(f"it was made from {manifest.engine}, the current database is {engine}")
    else:
        problems += database_problems(path, manifest, schema)
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
