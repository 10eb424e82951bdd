"""The integrity check of a SQLite copy, split over threads (ops.backups.sqlite_integrity), finds
what one PRAGMA integrity_check finds: damage only its whole-file part sees, damage only its
per-table part sees, and nothing in a sound file."""

import sqlite3
import struct
from pathlib import Path

import pytest

from ops.backups.sqlite_integrity import MAX_MESSAGES, integrity_problems


def _database(path: Path, rows: int = 2000) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT NOT NULL)")
        conn.execute("CREATE INDEX t_x ON t (x)")
        conn.execute("CREATE TABLE u (id INTEGER PRIMARY KEY, y TEXT UNIQUE)")
        conn.executemany("INSERT INTO t (x) VALUES (?)", [(f"value {i} " * 20,) for i in range(rows)])
        conn.executemany("INSERT INTO u (y) VALUES (?)", [(f"y{i}",) for i in range(100)])
    conn.close()
    return path


def _rows_missing_from_the_index(path: Path, count: int) -> None:
    """Rows written while the index's definition let none in: the index no longer holds every row."""

    def define(sql: str) -> None:
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA writable_schema = ON")
            conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 't_x'", [sql])
        conn.close()

    define("CREATE INDEX t_x ON t (x) WHERE 0")
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO t (x) VALUES (?)", [(f"late {i}",) for i in range(count)])
    conn.close()
    define("CREATE INDEX t_x ON t (x)")


def _free_list_miscounted(path: Path) -> None:
    """Pages freed by a delete, then the header's count of free pages (offset 36) made wrong."""
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM t WHERE id > 100")
    conn.close()
    with path.open("r+b") as file:
        file.seek(36)
        (free,) = struct.unpack(">I", file.read(4))
        assert free > 0
        file.seek(36)
        file.write(struct.pack(">I", free + 3))


def _whole_check(path: Path, pragma: str = "integrity_check") -> list[str]:
    with sqlite3.connect(path) as conn:
        found = [row[0] for row in conn.execute(f"PRAGMA {pragma}")]
    conn.close()
    return [] if found == ["ok"] else found


def test_a_sound_file_passes(tmp_path):
    path = _database(tmp_path / "sound.sqlite3")
    assert integrity_problems(path, timeout=5, rows={"t": 2000, "u": 100}) == ([], [])


def test_rows_missing_from_an_index_are_found_by_the_per_table_checks(tmp_path):
    path = _database(tmp_path / "index.sqlite3")
    _rows_missing_from_the_index(path, count=1)
    # The whole-file part does not look each row up in the indexes (SQLite 3.51 does count
    # their entries): which rows are missing is the tables' part's to say.
    assert not any("missing from index" in message for message in _whole_check(path, "quick_check"))
    assert "row 2001 missing from index t_x" in _whole_check(path)

    found, _ = integrity_problems(path, timeout=5, rows={})

    assert "row 2001 missing from index t_x" in found


def test_a_miscounted_free_list_is_found_by_the_whole_file_check(tmp_path):
    path = _database(tmp_path / "freelist.sqlite3")
    _free_list_miscounted(path)
    # A table's own check does not read the free list: this damage is the whole-file part's.
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check(t)").fetchall() == [("ok",)]
    conn.close()

    found, _ = integrity_problems(path, timeout=5, rows={})

    assert any("freelist" in message.lower() for message in found), found


def test_the_messages_are_bounded(tmp_path):
    path = _database(tmp_path / "many.sqlite3")
    _rows_missing_from_the_index(path, count=50)
    assert len(_whole_check(path)) > MAX_MESSAGES

    found, _ = integrity_problems(path, timeout=5, rows={})

    assert 0 < len(found) <= MAX_MESSAGES


@pytest.mark.parametrize("fails", [False, True], ids=["sound", "damaged"])
def test_the_further_check_runs_beside_them_on_a_connection_that_may_write(tmp_path, fails):
    path = _database(tmp_path / "further.sqlite3")
    if fails:
        _rows_missing_from_the_index(path, count=1)

    def further(conn: sqlite3.Connection) -> list[str]:
        # What FTS5's own check needs: a connection that may start a write (it changes nothing).
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return ["further ran"]

    found, also = integrity_problems(path, timeout=5, rows={"t": 2000}, also=further)

    assert also == ["further ran"]
    assert bool(found) == fails
