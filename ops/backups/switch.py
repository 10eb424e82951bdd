"""Database and media switch together or not at all, even when the restoring process dies.

The database switches in one step (SQLite: one rename; PostgreSQL: one COMMIT), and so can the
media (two renames, undone together). Two steps on two stores cannot be one, so a journal in the
backup folder records where the restore stands, written (atomically) before each step:

  staged            the database may be switching now; whether it did is read from the database
  database-switched the media must follow; an interruption is finished forwards
  undoing           the media could not switch; the database goes back, then the media
  media-switched    both are in place; only the old copies remain to delete

The old database and media are kept until the end, so a failed media switch puts the database back
in one step. The next `restore` or `backup` finishes a journal left by a process that died (a file
lock tells a dead restore from a running one), and the admin warns while one is there.
"""

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

from .errors import BackupError
from .media import MediaSwitch
from .paths import backup_dir
from .pg_switch import PostgresSwitch
from .sqlite import SQLiteSwitch

JOURNAL_NAME = ".restore-journal.json"
T = TypeVar("T")


@dataclass
class Journal:
    backup: str  # the name of the backup being restored, for messages
    engine: str
    database: SQLiteSwitch | PostgresSwitch
    media: MediaSwitch
    phase: str = "staged"

    def save(self, phase: str | None = None) -> None:
        """Write the journal in one rename, flushed to disk before the step it announces."""
        if phase is not None:
            self.phase = phase
        path = journal_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        data = {
            "backup": self.backup,
            "engine": self.engine,
            "phase": self.phase,
            "database": asdict(self.database),
            "media": asdict(self.media),
        }
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        _fsync_dir(path.parent)

    @staticmethod
    def remove() -> None:
        journal_path().unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def journal_path() -> Path:
    return backup_dir() / JOURNAL_NAME


def read_journal() -> Journal | None:
    path = journal_path()
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        database_type = SQLiteSwitch if data["engine"] == "sqlite" else PostgresSwitch
        return Journal(
            backup=data["backup"],
            engine=data["engine"],
            phase=data["phase"],
            database=database_type(**data["database"]),
            media=MediaSwitch(**data["media"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(
            f"The restore journal {path} is unreadable ({exc}); a restore stopped half-way and its "
            "state cannot be read. Check the database and MEDIA_ROOT by hand, then delete that file."
        ) from exc


@contextmanager
def restore_lock() -> Iterator[None]:
    """Held for a whole restore: a second restore, or a recovery, must not act meanwhile.

    A lock on the backup folder itself (flock works on a directory), so no lock file is left
    behind; the kernel releases it when the process dies, which is how a dead restore is told apart.
    """
    folder = backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise BackupError("Another restore is running; wait for it to finish.") from exc
        yield
    finally:
        os.close(fd)  # closing releases the lock


def switch_together(
    journal: Journal, switch_database: Callable[[Callable[[], None]], T]
) -> tuple[T, list[str]]:
    """Switch the database (`switch_database(before_commit)`, which must call before_commit just
    before its one switching step), then the media; on any failure both are left as they were.

    Returns what switch_database returned, and warnings about old copies that could not be deleted.
    """
    database, media = journal.database, journal.media
    try:
        result = switch_database(journal.save)
    except BaseException as exc:
        if journal_path().exists() and database.is_switched():
            _undo(journal)  # the switching step went through after all (a failure just after it)
        else:
            _abandon(journal)
        if isinstance(exc, BackupError):
            raise BackupError(f"{exc}; nothing was changed") from exc
        raise
    journal.save("database-switched")
    try:
        media.switch()
    except BaseException as exc:
        try:
            _undo(journal)
        except Exception as undo_exc:
            raise BackupError(
                f"The restored media could not be put in place ({exc}), and switching the database "
                f"back failed too ({undo_exc}). Run `manage.py restore` or `manage.py backup` again: "
                "either finishes the switch back first."
            ) from undo_exc
        raise BackupError(
            f"The restored media could not be put in place ({exc}); the database was switched back: "
            "the database and media are as they were."
        ) from exc
    journal.save("media-switched")
    return result, _finish(journal)


def _abandon(journal: Journal) -> None:
    """Before the database switched: forget what was staged."""
    journal.database.discard_new()
    journal.media.back()
    journal.remove()


def _undo(journal: Journal) -> None:
    """After the database switched: switch it back, then leave the media as they were."""
    journal.save("undoing")
    if not journal.database.is_undone():
        journal.database.undo()
    journal.database.discard_new()  # PostgreSQL: the restored schema, renamed aside by the undo
    journal.media.back()
    journal.remove()


def _finish(journal: Journal) -> list[str]:
    """Delete the old database and media; the restore is complete whether or not this works."""
    warnings = []
    for what, discard in (("database", journal.database.discard_old), ("media", journal.media.discard_old)):
        try:
            discard()
        except Exception as exc:
            warnings.append(
                f"the replaced {what} could not be deleted yet ({exc}); the next restore or backup will"
            )
    if not warnings:
        journal.remove()
    return warnings


def finish_interrupted_restore() -> str | None:
    """Finish or roll back a restore whose process died; a sentence saying what was done, or None."""
    if not journal_path().exists():
        return None
    with restore_lock():
        return recover()


def recover() -> str | None:
    """finish_interrupted_restore() for a caller that holds the restore lock.

    Before its database switched: rolled back (nothing had changed). After: finished forwards (the
    staged media are complete, they were staged before the switch).
    """
    journal = read_journal()
    if journal is None:
        return None
    if journal.phase == "staged" and not journal.database.is_switched():
        _abandon(journal)
        return f"A restore of {journal.backup} had stopped before switching; nothing had changed."
    if journal.phase == "undoing":
        _undo(journal)
        return f"A restore of {journal.backup} had stopped while switching back; the data is as before it."
    if journal.phase in ("staged", "database-switched"):
        journal.save("database-switched")
        journal.media.forward()
        journal.save("media-switched")
    warnings = _finish(journal)
    left = f" ({'; '.join(warnings)})" if warnings else ""
    return f"A restore of {journal.backup} had stopped half-way; it is now complete{left}."
