"""PRAGMA integrity_check of a SQLite copy, split so that every core works on it.

integrity_check is one statement on one core, and at 100,000 coins and 200,000 lots (a 614 MB file)
it took 10 of a backup's 18 seconds. The same checks, split in two kinds:
- PRAGMA quick_check over the whole file: every page's structure, every record, the free list,
  pages used twice or never, NOT NULL and CHECK constraints; from SQLite 3.44 also FTS5's checks of
  its own indexes;
- PRAGMA integrity_check(TABLE) for each table: what quick_check leaves out, the table's rows against
  each of its indexes and the UNIQUE ones' uniqueness (the free list and the pages no table uses are
  quick_check's alone).
Each runs on its own connection in a thread of its own: sqlite3 releases the GIL while SQLite works.

The file is read through mmap: integrity_check reads index pages in the order of the table's rows,
and through SQLite's page cache each such read was a copy (11.0 -> 8.1 s for the whole check).
"""

import os
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .snapshot import quote

# Threads at most: a backup runs beside the app it copies, which keeps serving meanwhile.
MAX_THREADS = 4
# How many of SQLite's messages a problem lists (a damaged file can yield thousands).
MAX_MESSAGES = 5
# SQLite clamps a larger mmap size to its compile-time maximum (2 GB by default).
MMAP_BYTES = 1 << 31


def connect(path: Path, *, read_only: bool, timeout: float, mmap: bool = False) -> sqlite3.Connection:
    """A connection to an existing file only (sqlite3.connect would silently create a missing one),
    in autocommit mode; with `mmap`, reading the file through mmap."""
    mode = "ro" if read_only else "rw"
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout)
    if mmap:
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    return conn


def quick_check_reads_fts5() -> bool:
    """Whether quick_check and integrity_check run each FTS5 table's own check of its index (they do
    from SQLite 3.44, through the virtual tables' xIntegrity method)."""
    return sqlite3.sqlite_version_info >= (3, 44)


def _ordinary_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables with rows of their own (an FTS5 table's rows live in its shadow tables, listed
    here too)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
        " ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def _messages(conn: sqlite3.Connection, pragma: str) -> list[str]:
    found = [row[0] for row in conn.execute(pragma).fetchmany(MAX_MESSAGES + 1)]
    return [] if found == ["ok"] else found


def integrity_problems(
    path: Path,
    *,
    timeout: float,
    rows: dict[str, int],
    also: Callable[[sqlite3.Connection], list[str]] | None = None,
) -> tuple[list[str], list[str]]:
    """(what PRAGMA integrity_check says of the file at `path`, empty when "ok"; what `also` found).

    `rows` is how many rows each table holds, as far as the caller knows: the largest tables' checks
    start first, so that no long one is left to run alone at the end.
    `also` is a further check that needs a connection that may write (FTS5 runs its own check as an
    INSERT, though it changes nothing): it runs beside the others, on a connection of its own. Give
    it only for a copy the caller owns; without it every connection is read-only.
    """
    probe = connect(path, read_only=True, timeout=timeout)
    try:
        tables = _ordinary_tables(probe)
    finally:
        probe.close()

    def check(pragma: str) -> list[str]:
        conn = connect(path, read_only=True, timeout=timeout, mmap=True)
        try:
            return _messages(conn, pragma)
        finally:
            conn.close()

    def extra() -> list[str]:
        conn = connect(path, read_only=False, timeout=timeout, mmap=True)
        try:
            return also(conn)
        finally:
            conn.close()

    tables.sort(key=lambda name: rows.get(name, 0), reverse=True)
    if sqlite3.sqlite_version_info >= (3, 33):
        pragmas = ["PRAGMA quick_check", *(f"PRAGMA integrity_check({quote(table)})" for table in tables)]
    else:  # integrity_check takes a table's name from SQLite 3.33 on (Django asks for 3.31)
        pragmas = ["PRAGMA integrity_check"]
    threads = max(1, min(MAX_THREADS, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sqlite-check") as pool:
        further = pool.submit(extra) if also is not None else None
        checked = [pool.submit(check, pragma) for pragma in pragmas]
        found: list[str] = []
        for future in checked:
            found += [message for message in future.result() if message not in found]
        return found[:MAX_MESSAGES], further.result() if further is not None else []
