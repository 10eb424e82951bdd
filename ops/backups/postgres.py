"""PostgreSQL: pg_dump of an exported snapshot, the dump's row counts, and a pg_restore that rolls back.

The counts and the dump must describe the same instant while the app keeps writing, so one
REPEATABLE READ transaction exports its snapshot, counts every table, and stays open while
`pg_dump --snapshot` dumps exactly that snapshot.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from .errors import BackupError
from .snapshot import applied_migrations, count_rows, latest_migrations, model_tables
from .sqlite import Snapshot

# pg_restore waits for the locks it needs (DROP TABLE); a busy app must make it fail, not hang.
LOCK_TIMEOUT = "60s"
_COPY_RE = re.compile(r'^COPY (?:"?[^".\s]+"?\.)?"?([^"\s(]+)"? .*FROM stdin;$')


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed; install the PostgreSQL client tools (version >= server)."
        )
    return path


def _env(settings_dict: dict) -> dict[str, str]:
    """The password goes in PGPASSWORD, never on a command line other users can read with ps."""
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    env["PGOPTIONS"] = f"-c lock_timeout={LOCK_TIMEOUT}"
    return env


def _conn_args(settings_dict: dict) -> list[str]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    return [*args, "--dbname", str(settings_dict["NAME"])]


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = " ".join(result.stderr.strip().splitlines()[-3:]) or f"exit status {result.returncode}"
        raise BackupError(f"{what} failed: {detail}")


def _connect(settings_dict: dict) -> psycopg.Connection:
    params = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    return psycopg.connect(autocommit=True, **{k: v for k, v in params.items() if v is not None})


def backup_database(settings_dict: dict, target: Path) -> Snapshot:
    """Dump the database in custom format to `target`; counts and migrations come from the same snapshot."""
    pg_dump = _tool("pg_dump")
    try:
        with _connect(settings_dict) as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot_id = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            cursor = conn.cursor()
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false))")
            names = {row[0] for row in cursor.fetchall()}
            counts = count_rows(cursor, [t for t in model_tables() if t in names])
            migrations = latest_migrations(cursor, names)
            applied = applied_migrations(cursor, names)
            # The exporting transaction must stay open until pg_dump has imported the snapshot.
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot_id}",
                    "--file",
                    str(target),
                    *_conn_args(settings_dict),
                ],
                _env(settings_dict),
                "pg_dump",
            )
            conn.execute("COMMIT")
    except psycopg.Error as exc:
        raise BackupError(f"PostgreSQL backup failed: {exc}") from exc
    return Snapshot(counts=counts, migrations=migrations, applied=applied)


def dump_row_counts(dump: Path) -> dict[str, int]:
    """Rows per table in a custom-format dump, counted in the full script pg_restore writes out.

    COPY text format escapes newlines inside values, so one line is one row. A damaged or foreign
    file makes pg_restore fail; damage inside the stored SQL text (most of a small dump) shows as
    bytes that are not UTF-8, which a CoinStack database (always UTF8) never writes.
    """
    counts: dict[str, int] = {}
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(  # noqa: S603
            # --clean too: the stored DROP statements are text that a damaged file may hit.
            [_tool("pg_restore"), "--clean", "--if-exists", "--file", "-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=errors,
        ) as proc,
    ):
        table = None
        try:
            for raw in proc.stdout:
                line = raw.decode("utf-8").rstrip("\n")
                if table is None:
                    match = _COPY_RE.match(line)
                    if match:
                        table = match.group(1)
                        counts[table] = 0
                elif line == "\\.":
                    table = None
                else:
                    counts[table] += 1
        except UnicodeDecodeError as exc:
            proc.kill()
            raise BackupError(
                f"{dump.name} holds bytes that are not UTF-8 text ({exc.reason}): damaged"
            ) from exc
        proc.wait()
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    if proc.returncode != 0:
        raise BackupError(f"pg_restore cannot read {dump.name}: {stderr.strip()[-300:]}")
    return counts


def check_dump(dump: Path, expected_counts: dict[str, int]) -> list[str]:
    """Problems found in a dump: unreadable, or row counts that differ from the manifest."""
    try:
        actual = dump_row_counts(dump)
    except BackupError as exc:
        return [str(exc)]
    problems = []
    for table, rows in expected_counts.items():
        if table not in actual:
            problems.append(f"table {table} is missing from the dump")
        elif actual[table] != rows:
            problems.append(f"{table} holds {actual[table]} rows, the manifest says {rows}")
    return problems


# Runs first, inside the restore's one transaction. The current schema may be newer than the
# backup: tables, constraints or functions the dump does not know would block pg_restore --clean
# from dropping its own objects, or make a later migration fail with "already exists". So every
# table, view, sequence and function of the schema goes first (CASCADE), except what an extension
# owns; the dump then recreates exactly its own.
PREAMBLE = """
SET client_min_messages = warning;
DO $$
DECLARE
    stmt text;
BEGIN
    -- Statements are all written before any runs: CASCADE may drop an object listed further on.
    FOR stmt IN SELECT unnest(ARRAY(
        SELECT format(
            CASE c.relkind WHEN 'v' THEN 'DROP VIEW IF EXISTS %I.%I CASCADE'
                           WHEN 'm' THEN 'DROP MATERIALIZED VIEW IF EXISTS %I.%I CASCADE'
                           WHEN 'S' THEN 'DROP SEQUENCE IF EXISTS %I.%I CASCADE'
                           ELSE 'DROP TABLE IF EXISTS %I.%I CASCADE' END,
            current_schema(), c.relname)
        FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          -- extension members, and sequences that belong to a column (they go with their table)
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('e', 'i', 'a'))
        UNION ALL
        SELECT format(
            CASE p.prokind WHEN 'p' THEN 'DROP PROCEDURE IF EXISTS %s CASCADE'
                           ELSE 'DROP FUNCTION IF EXISTS %s CASCADE' END,
            p.oid::regprocedure::text)
        FROM pg_proc p
        WHERE p.pronamespace = current_schema()::regnamespace AND p.prokind IN ('f', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    ))
    LOOP
        EXECUTE stmt;
    END LOOP;
END $$;
"""


def restore_database(settings_dict: dict, dump: Path) -> None:
    """Replace the database's tables with the dump's in ONE transaction: any error rolls all back.

    pg_restore (--clean --if-exists --no-owner) writes the restore script, psql runs it after the
    preamble with --single-transaction and ON_ERROR_STOP, so a failure half-way changes nothing.
    """
    env = _env(settings_dict)
    with tempfile.TemporaryFile() as script_errors, tempfile.TemporaryFile() as psql_errors:
        script = subprocess.Popen(  # noqa: S603
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--file",
                "-",
                str(dump),
            ],
            stdout=subprocess.PIPE,
            stderr=script_errors,
        )
        psql = subprocess.Popen(  # noqa: S603
            [
                _tool("psql"),
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set",
                "ON_ERROR_STOP=1",
                *_conn_args(settings_dict),
                "--file",
                "-",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
            env=env,
        )
        try:
            psql.stdin.write(PREAMBLE.encode())
            shutil.copyfileobj(script.stdout, psql.stdin)
            psql.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error; its exit status and message say which
        script.wait()
        psql.wait()
        for proc, errors, what in ((script, script_errors, "pg_restore"), (psql, psql_errors, "psql")):
            if proc.returncode != 0:
                errors.seek(0)
                lines = errors.read().decode(errors="replace").strip().splitlines()
                detail = " ".join(lines[-3:]) or f"exit status {proc.returncode}"
                raise BackupError(f"{what} failed, nothing was changed: {detail}")
