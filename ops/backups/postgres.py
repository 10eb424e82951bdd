"""PostgreSQL: pg_dump of an exported snapshot of the app's schema, and reading a dump back.

The counts and the dump must describe the same instant while the app keeps writing, so one
REPEATABLE READ transaction exports its snapshot, counts every table, and stays open while
`pg_dump --snapshot` dumps exactly that snapshot. Only the schema the app uses (its
current_schema, normally public) is dumped. Restoring is in pg_switch.py.

Every connection, ours and the client tools', is made from the parameters Django itself uses for
the database alias (DATABASE_URL with its options), so a backup or restore always acts on exactly
the database and schema the settings point at.
"""

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo

from .content import Contents, content_problems
from .errors import BackupError
from .snapshot import applied_migrations, count_rows, latest_migrations, model_tables
from .sqlite import Snapshot

# pg_dump and the restore wait for the locks they need; a busy app must make them fail, not hang.
LOCK_TIMEOUT = "60s"
_IDENT = r'"(?:[^"]|"")+"|[^".\s(]+'
COPY_RE = re.compile(
    rf"^COPY (?P<schema>{_IDENT})\.(?P<table>{_IDENT}) (?:\((?P<columns>.*)\) )?FROM stdin;$"
)
# The last statement comment of every script pg_restore writes: the script is whole.
SCRIPT_END = "-- PostgreSQL database dump complete"


def unquote(identifier: str) -> str:
    if identifier.startswith('"'):
        return identifier[1:-1].replace('""', '"')
    return identifier


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed; install the PostgreSQL client tools (version >= server)."
        )
    return path


def libpq_params(connection) -> dict[str, str]:
    """The libpq parameters Django connects with for this alias (dbname, host, options, sslmode...)."""
    params = connection.get_connection_params()
    for python_only in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(python_only, None)
    return {key: str(value) for key, value in params.items() if value is not None}


def connect(params: dict[str, str], *, autocommit: bool = True) -> psycopg.Connection:
    return psycopg.connect(autocommit=autocommit, **params)


def tool_args(params: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """--dbname CONNINFO for pg_dump and pg_restore, and their environment.

    The password goes in PGPASSWORD, never on a command line other users can read with ps.
    """
    env = dict(os.environ)
    params = dict(params)
    password = params.pop("password", None)
    if password:
        env["PGPASSWORD"] = password
    params["options"] = f"{params.get('options', '')} -c lock_timeout={LOCK_TIMEOUT}".strip()
    return ["--dbname", make_conninfo(**params)], env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = " ".join(result.stderr.strip().splitlines()[-3:]) or f"exit status {result.returncode}"
        raise BackupError(f"{what} failed: {detail}")


def current_schema(params: dict[str, str]) -> str:
    with connect(params) as conn:
        return conn.execute("SELECT current_schema()").fetchone()[0]


def backup_database(connection, target: Path) -> Snapshot:
    """Dump the app's schema in custom format to `target`; counts and migrations come from the same
    snapshot."""
    pg_dump = _tool("pg_dump")
    params = libpq_params(connection)
    try:
        with connect(params) as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot_id = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            cursor = conn.cursor()
            schema = cursor.execute("SELECT current_schema()").fetchone()[0]
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
            names = {row[0] for row in cursor.fetchall()}
            counts = count_rows(cursor, [t for t in model_tables() if t in names])
            migrations = latest_migrations(cursor, names)
            applied = applied_migrations(cursor, names)
            # The exporting transaction must stay open until pg_dump has imported the snapshot.
            # pg_dump's --schema takes a pattern: quoting makes it the one name, letter for letter.
            pattern = '"' + schema.replace('"', '""') + '"'
            args, env = tool_args(params)
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot_id}",
                    "--schema",
                    pattern,
                    "--file",
                    str(target),
                    *args,
                ],
                env,
                "pg_dump",
            )
            conn.execute("COMMIT")
    except psycopg.Error as exc:
        raise BackupError(f"PostgreSQL backup failed: {exc}") from exc
    return Snapshot(counts=counts, migrations=migrations, applied=applied)


def copy_field(value: str) -> str | None:
    """One field of COPY text format: \\N is NULL, backslash escapes as PostgreSQL writes them."""
    if value == "\\N":
        return None
    escapes = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), value)


@dataclass
class DumpContents:
    """What a dump holds, per schema: tables with their rows, and the django_migrations rows."""

    tables: dict[str, dict[str, int]]  # schema -> table -> rows
    applied: dict[str, list[list[str]]]  # schema -> sorted (app, name)

    def contents(self, schema: str) -> Contents:
        counts = self.tables.get(schema, {})
        return Contents(tables=set(counts), counts=dict(counts), applied=self.applied.get(schema, []))


def read_dump(dump: Path) -> DumpContents:
    """Rows per table and the applied migrations of a custom-format dump, read from the full script
    pg_restore writes out.

    COPY text format escapes newlines inside values, so one line is one row. A damaged or foreign
    file makes pg_restore fail; damage inside the stored SQL text (most of a small dump) shows as
    bytes that are not UTF-8, which a CoinStack database (always UTF8) never writes.
    """
    tables: dict[str, dict[str, int]] = {}
    applied: dict[str, list[list[str]]] = {}
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(  # noqa: S603
            # --clean too: the stored DROP statements are text that a damaged file may hit.
            [_tool("pg_restore"), "--clean", "--if-exists", "--file", "-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=errors,
        ) as proc,
    ):
        current = None  # (schema, table, column positions of app and name) inside a COPY block
        try:
            for raw in proc.stdout:
                line = raw.decode("utf-8").rstrip("\n")
                if current is None:
                    match = COPY_RE.match(line)
                    if match:
                        schema, table = unquote(match["schema"]), unquote(match["table"])
                        tables.setdefault(schema, {})[table] = 0
                        columns = [unquote(c.strip()) for c in (match["columns"] or "").split(",")]
                        wanted = table == "django_migrations" and {"app", "name"} <= set(columns)
                        positions = (columns.index("app"), columns.index("name")) if wanted else None
                        current = (schema, table, positions)
                elif line == "\\.":
                    current = None
                else:
                    schema, table, positions = current
                    tables[schema][table] += 1
                    if positions:
                        fields = line.split("\t")
                        applied.setdefault(schema, []).append([copy_field(fields[i]) for i in positions])
        except (UnicodeDecodeError, IndexError) as exc:
            proc.kill()
            raise BackupError(f"{dump.name} holds text that is not a readable dump ({exc}): damaged") from exc
        proc.wait()
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    if proc.returncode != 0:
        raise BackupError(f"pg_restore cannot read {dump.name}: {stderr.strip()[-300:]}")
    return DumpContents(tables=tables, applied={schema: sorted(rows) for schema, rows in applied.items()})


def check_dump(
    dump: Path, expected_counts: dict[str, int], expected_applied: list[list[str]], schema: str
) -> list[str]:
    """Problems found in a dump: unreadable, not CoinStack's, or not what the manifest says, judged
    on the schema it would be restored into."""
    try:
        found = read_dump(dump)
    except BackupError as exc:
        return [str(exc)]
    if schema not in found.tables and found.tables:
        others = ", ".join(sorted(found.tables))
        return [f"it holds the schema {others}, and this database uses the schema {schema}"]
    return content_problems(found.contents(schema), expected_counts, expected_applied)
