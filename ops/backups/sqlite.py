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

from .content import Contents, content_problems, tables_to_count
from .errors import BackupError
from .fulltext import sqlite_problems as fulltext_problems
from .snapshot import applied_migrations, count_rows, latest_migrations, model_tables
from .sqlite_integrity import connect, integrity_problems

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
    try:
        conn = connect(path, read_only=read_only, timeout=BUSY_TIMEOUT_S)
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


def read_contents(conn: sqlite3.Connection, expected_counts: dict[str, int]) -> Contents:
    tables = _tables(conn)
    cursor = conn.cursor()
    counts = count_rows(cursor, tables_to_count(tables, expected_counts))
    return Contents(tables=tables, counts=counts, applied=applied_migrations(cursor, tables))


def check_copy(
    path: Path, expected_counts: dict[str, int], expected_applied: list[list[str]], *, fulltext: bool = False
) -> list[str]:
    """Problems found in a database copy: integrity, dangling foreign keys, a database that is not
    CoinStack's or does not match its manifest, and (with `fulltext`) damaged full-text indexes.
    Empty means good.

    Without `fulltext` the file is only read (it may be the backup itself); FTS5 runs its check as
    a write command, so `fulltext` needs a copy the caller owns. The integrity and full-text checks
    run side by side (sqlite_integrity).
    """
    try:
        conn = _connect(path, read_only=True)
        try:
            also = fulltext_problems if fulltext else None
            integrity, fulltext_found = integrity_problems(
                path, timeout=BUSY_TIMEOUT_S, rows=expected_counts, also=also
            )
            if integrity:
                return [f"integrity_check: {'; '.join(integrity)}"]
            problems = []
            dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
            if dangling:
                problems.append(
                    f"{len(dangling)} rows point at missing rows (first in table {dangling[0][0]})"
                )
            problems += content_problems(
                read_contents(conn, expected_counts), expected_counts, expected_applied
            )
            return problems + fulltext_found
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


def prepare_restore(
    backup_file: Path, live: Path, expected_counts: dict[str, int], expected_applied: list[list[str]]
) -> Path:
    """Copy the backup to a new file beside the live database and check it there, full-text indexes
    included. The live file is untouched.

    Being in the same folder makes the later os.replace a same-file-system rename, which is atomic.
    """
    live.parent.mkdir(parents=True, exist_ok=True)
    staged = live.with_name(f".{live.name}.restore-{uuid.uuid4().hex[:12]}")
    shutil.copyfile(backup_file, staged)  # the backup is a closed file, not a live database
    problems = check_copy(staged, expected_counts, expected_applied, fulltext=True)
    if problems:
        staged.unlink(missing_ok=True)
        raise BackupError(f"The restored copy failed its checks: {'; '.join(problems)}")
    _fsync(staged)
    return staged


def _fsync_dir(path: Path) -> None:
    dir_fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _drop_sidecars(live: Path) -> None:
    """A -wal left beside a new file would be replayed into it on the next open, corrupting it."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)


def _leave_wal(live: Path) -> None:
    """Take the live database out of WAL mode: that checkpoints its -wal into the main file and
    removes it, and it only succeeds when no other connection is open."""
    stop_them = (
        "stop the app server and the background worker (db_worker), which keep their connections "
        "open, and retry."
    )
    try:
        conn = _connect(live)
        conn.execute(f"PRAGMA busy_timeout={int(SWAP_WAIT_MS)}")
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        conn.close()
    except (sqlite3.Error, BackupError) as exc:
        raise BackupError(f"The database {live} is in use by another process ({exc}); {stop_them}") from exc
    if str(mode).lower() != "delete":
        raise BackupError(
            f"The database {live} is in use by another process (it stays in {mode} mode); {stop_them}"
        )


@dataclass
class SQLiteSwitch:
    """Putting a staged copy in place of the live file in one rename, keeping the old file under
    another name until the media have followed, so the switch can be undone in one rename too.

    Every state is told apart by which files exist: the staged file is gone once switched, the old
    one once undone or discarded. The caller has closed Django's connections.
    """

    live: str
    staged: str
    old: str
    had_live: bool = True

    def prepare(self) -> None:
        """Checks that may refuse; nothing is changed yet."""
        if Path(self.live).exists():
            _leave_wal(Path(self.live))
        else:
            self.had_live = False

    def switch(self) -> None:
        live, old = Path(self.live), Path(self.old)
        _drop_sidecars(live)
        if self.had_live:
            try:
                os.link(live, old)  # the old file stays reachable: undo is one rename
            except OSError:
                shutil.copy2(live, old)  # a file system without hard links; it is closed and consistent
            _fsync_dir(live.parent)
        try:
            os.replace(self.staged, live)
        except OSError as exc:
            raise BackupError(f"Could not put the restored database in place ({exc})") from exc
        _fsync_dir(live.parent)

    def is_switched(self) -> bool:
        """The staged file has become the live one (and the old one is kept under its own name)."""
        kept = Path(self.old if self.had_live else self.live)
        return not Path(self.staged).exists() and kept.exists()

    def is_undone(self) -> bool:
        """After undo(): the old file is back under the live name (or, with none before, no file)."""
        return not Path(self.old if self.had_live else self.live).exists()

    def undo(self) -> None:
        live = Path(self.live)
        _drop_sidecars(live)  # they belong to the restored file being thrown away
        if self.had_live:
            os.replace(self.old, live)
        else:
            live.unlink(missing_ok=True)
        _fsync_dir(live.parent)

    def discard_old(self) -> None:
        Path(self.old).unlink(missing_ok=True)

    def discard_new(self) -> None:
        """Before the switch only. The old name goes first (while the switch has not happened it is
        a second name of the live file), then the staged copy."""
        if self.had_live:
            Path(self.old).unlink(missing_ok=True)
        Path(self.staged).unlink(missing_ok=True)
