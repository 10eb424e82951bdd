"""SQLite: an online backup read inside one snapshot, its checks, and the atomic swap of a restore.

Never a file copy of the live database: a copy taken while a writer commits (or with pages still in
the -wal file) can be torn. SQLite's backup API reads pages through a connection, and inside our
read transaction (WAL mode) it sees one committed state however many writers carry on meanwhile.
"""

import os
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from .errors import BackupError
from .snapshot import applied_migrations, count_rows, latest_migrations, model_tables

BUSY_TIMEOUT_S = 20
# How long a restore waits for other connections to the live database to close before giving up.
SWAP_WAIT_MS = 5000


@dataclass
class Snapshot:
    counts: dict[str, int]
    migrations: dict[str, str]
    applied: list[list[str]]


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open an existing file only: sqlite3.connect would silently create a missing one."""
    mode = "ro" if read_only else "rw"
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode={mode}", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S
        )
    except sqlite3.Error as exc:
        raise BackupError(f"Cannot open the SQLite database {path}: {exc}") from exc
    return conn


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def backup_database(source: Path, target: Path) -> Snapshot:
    """Copy `source` into the new file `target` and read counts and migrations from the same snapshot."""
    src = _connect(source)
    try:
        # A deferred BEGIN plus a first SELECT pins the read snapshot; the backup step below runs on
        # this connection, so it copies exactly what the counts were read from.
        src.execute("BEGIN")
        names = _tables(src)
        cursor = src.cursor()
        counts = count_rows(cursor, [t for t in model_tables() if t in names])
        migrations = latest_migrations(cursor, names)
        applied = applied_migrations(cursor, names)
        dst = sqlite3.connect(target, isolation_level=None)
        try:
            src.backup(dst)  # pages=-1: the whole database in one step, inside our transaction
            # A self-contained single file: no -wal beside it to lose when it is moved or copied.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
        src.execute("COMMIT")
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite backup of {source} failed: {exc}") from exc
    finally:
        src.close()
    return Snapshot(counts=counts, migrations=migrations, applied=applied)


def check_copy(path: Path, expected_counts: dict[str, int]) -> list[str]:
    """Problems found in a backup copy: integrity, dangling foreign keys, row counts. Empty means good."""
    try:
        conn = _connect(path, read_only=True)
        try:
            integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if integrity != ["ok"]:
                return [f"integrity_check: {'; '.join(integrity[:5])}"]
            problems = []
            dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
            if dangling:
                problems.append(
                    f"{len(dangling)} rows point at missing rows (first in table {dangling[0][0]})"
                )
            names = _tables(conn)
            missing = sorted(set(expected_counts) - names)
            if missing:
                problems.append(f"tables missing: {', '.join(missing)}")
            actual = count_rows(conn.cursor(), [t for t in expected_counts if t in names])
            for table, rows in actual.items():
                if rows != expected_counts[table]:
                    problems.append(f"{table} holds {rows} rows, the manifest says {expected_counts[table]}")
            return problems
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        # "file is not a database", "database disk image is malformed": a damaged or foreign file.
        return [f"not a readable SQLite database ({exc})"]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prepare_restore(backup_file: Path, live: Path, expected_counts: dict[str, int]) -> Path:
    """Copy the backup to a new file beside the live database and check it there. The live file is untouched.

    Being in the same folder makes the later os.replace a same-file-system rename, which is atomic.
    """
    live.parent.mkdir(parents=True, exist_ok=True)
    staged = live.with_name(f".{live.name}.restore-{uuid.uuid4().hex[:12]}")
    shutil.copyfile(backup_file, staged)  # the backup is a closed file, not a live database
    problems = check_copy(staged, expected_counts)
    if problems:
        staged.unlink(missing_ok=True)
        raise BackupError(f"The restored copy failed its checks: {'; '.join(problems)}")
    _fsync(staged)
    return staged


def swap_in(staged: Path, live: Path) -> None:
    """Atomically replace the live database with the staged file.

    The caller has closed Django's connections. The live database leaves WAL mode first: that
    checkpoints its -wal into the main file and removes it, and it only succeeds when no other
    connection is open. A -wal left beside the new file would be replayed into it on the next open,
    corrupting it, so any leftover -wal/-shm/-journal is removed before the rename.
    """
    if live.exists():
        try:
            conn = _connect(live)
            conn.execute(f"PRAGMA busy_timeout={int(SWAP_WAIT_MS)}")
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            conn.close()
        except (sqlite3.Error, BackupError) as exc:
            staged.unlink(missing_ok=True)
            raise BackupError(
                f"The database {live} is in use by another process ({exc}); stop the app server and retry."
            ) from exc
        if str(mode).lower() != "delete":
            staged.unlink(missing_ok=True)
            raise BackupError(
                f"The database {live} is in use by another process (it stays in {mode} mode); "
                "stop the app server and retry."
            )
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    try:
        os.replace(staged, live)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise BackupError(
            f"Could not put the restored database in place ({exc}); nothing was changed."
        ) from exc
    dir_fd = os.open(live.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
