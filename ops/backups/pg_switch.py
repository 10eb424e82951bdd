"""PostgreSQL restore: load the dump into a fresh schema, verify it, then switch in one commit.

One transaction, on one connection made with Django's own parameters (so it is the database and
schema DATABASE_URL names):

1. lock the live schema's tables against writers (readers go on; writers queue and, after the
   switch, write into the restored tables); the safety backup is taken now, so it holds exactly
   the data the restore replaces;
2. rename the live schema out of the way (coinstack_pre_restore_<token>) and create an empty one
   under its name, with its owner and grants;
3. run the script pg_restore writes for that schema into it, statement by statement and COPY by
   COPY, requiring that pg_restore exits 0 and that the script reached its last line;
4. verify the loaded schema (rows of every table, the migrations, a CoinStack database) and rebuild
   its coin search index;
5. COMMIT: the one step that switches. Anything before it (pg_restore killed half-way, a bad
   statement, a failed check, this process killed) rolls back, and the app never saw a thing.

The old schema is kept after the commit until the media have switched too, so the switch can be
undone in one more transaction (two renames); then it is dropped. Other sessions see the renames
only when they commit, and resolve table names afresh after them.
"""

import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.db import connections
from psycopg import sql

from .content import Contents, content_problems, tables_to_count
from .errors import BackupError
from .fulltext import postgres_rebuild
from .postgres import COPY_RE, LOCK_TIMEOUT, SCRIPT_END, _tool, connect, libpq_params
from .snapshot import applied_migrations, count_rows

# Send COPY data in pieces of about this size: one write per row would cost a call per row.
COPY_CHUNK = 1024 * 1024


@dataclass
class LoadReport:
    search_rebuilt: int | None  # coin search entries that differed and were rebuilt; None: no index


def _schema_exists(conn: psycopg.Connection, name: str) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = %s)", [name]).fetchone()[0]


def _extensions_in(conn: psycopg.Connection, schema: str) -> list[str]:
    rows = conn.execute(
        "SELECT e.extname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE n.nspname = %s",
        [schema],
    )
    return sorted(row[0] for row in rows)


@dataclass
class PostgresSwitch:
    """The names one PostgreSQL restore uses; every state is told apart by which schemas exist.

    Kept in the restore journal (no password: the connection parameters are read again from the
    settings), so an interrupted restore can be finished by the next run.
    """

    using: str
    live: str  # the schema the app uses (current_schema), normally "public"
    old: str  # where the live schema goes at the switch
    failed: str  # where a restored schema goes when the switch is undone

    def _params(self) -> dict[str, str]:
        return libpq_params(connections[self.using])

    @contextmanager
    def holding_writers(self) -> Iterator["SchemaLoad"]:
        """Step 1: open the restore's transaction and hold the app's writers (readers go on).

        Whatever runs inside, the safety backup first of all, sees the data exactly as the restore
        will replace it: no write can slip in between the safety backup and the switch. Leaving
        without SchemaLoad.load() having committed rolls back and lets the writers go.
        """
        conn = connect(self._params(), autocommit=False)
        try:
            cursor = conn.cursor()
            try:
                cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
                # The transaction waits idle while the safety backup runs: a server-wide limit on
                # idle transactions must not end it.
                cursor.execute("SET idle_in_transaction_session_timeout = 0")
                current = cursor.execute("SELECT current_schema()").fetchone()[0]
                if current != self.live:
                    raise BackupError(f"the database now uses schema {current}, not {self.live}")
                cursor.execute(
                    "SELECT c.oid::regclass::text FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY 1",
                    [self.live],
                )
                tables = [row[0] for row in cursor.fetchall()]
                if tables:
                    # EXCLUSIVE: reads go on, writes wait. Names from pg_class, quoted by regclass.
                    cursor.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")
            except psycopg.Error as exc:
                raise BackupError(
                    f"could not hold the app's writes for the restore ({_first_line(exc)})"
                ) from exc
            yield SchemaLoad(self, conn, cursor)
        finally:
            conn.close()  # without a COMMIT, PostgreSQL rolls everything back

    def is_switched(self) -> bool:
        with connect(self._params()) as conn:
            return _schema_exists(conn, self.old)

    def is_undone(self) -> bool:
        return not self.is_switched()

    def undo(self) -> None:
        """Put the old schema back under the live name, in one transaction."""
        live, old, failed = (sql.Identifier(n) for n in (self.live, self.old, self.failed))
        with connect(self._params(), autocommit=False) as conn:
            conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            extensions = _extensions_in(conn, self.live)
            conn.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(live, failed))
            conn.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(old, live))
            for name in extensions:
                conn.execute(sql.SQL("ALTER EXTENSION {} SET SCHEMA {}").format(sql.Identifier(name), live))
            conn.commit()

    def discard_old(self) -> None:
        self._drop(self.old)

    def discard_new(self) -> None:
        """Before the switch the new schema only ever existed inside the rolled-back transaction;
        after an undo it is the `failed` schema."""
        self._drop(self.failed)

    def _drop(self, schema: str) -> None:
        with connect(self._params()) as conn:
            conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@dataclass
class SchemaLoad:
    """Steps 2-5, inside the transaction PostgresSwitch.holding_writers() opened."""

    switch: PostgresSwitch
    conn: psycopg.Connection
    cursor: psycopg.Cursor

    def load(
        self,
        dump: Path,
        expected_counts: dict[str, int],
        expected_applied: list[list[str]],
        before_commit: Callable[[], None],
    ) -> LoadReport:
        """`before_commit` runs last before COMMIT (it writes the restore journal)."""
        live = self.switch.live
        try:
            self._make_room()
            _run_script(self.cursor, dump, live)
            contents = _read_contents(self.cursor, live, expected_counts)
            problems = content_problems(contents, expected_counts, expected_applied)
            if problems:
                raise BackupError(f"the restored schema failed its checks: {'; '.join(problems)}")
            rebuilt = postgres_rebuild(self.cursor, live)
            before_commit()
            self.conn.commit()
        except psycopg.Error as exc:
            raise BackupError(f"the restore into a fresh schema failed ({_first_line(exc)})") from exc
        return LoadReport(search_rebuilt=rebuilt)

    def _make_room(self) -> None:
        """Step 2: the live schema renamed, an empty one in its place with its owner and grants."""
        cursor, name = self.cursor, self.switch.live
        live, old = sql.Identifier(name), sql.Identifier(self.switch.old)
        owner, grants = _owner_and_grants(cursor, name)
        extensions = _extensions_in(self.conn, name)
        cursor.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(live, old))
        cursor.execute(sql.SQL("CREATE SCHEMA {}").format(live))
        _give_owner_and_grants(self.conn, cursor, name, owner, grants)
        # Extensions installed in the schema (pg_stat_statements, say) are not the app's data and
        # are not in the dump: they move to the new schema, and back if the switch is undone.
        for extension in extensions:
            cursor.execute(
                sql.SQL("ALTER EXTENSION {} SET SCHEMA {}").format(sql.Identifier(extension), live)
            )


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _owner_and_grants(cursor: psycopg.Cursor, schema: str) -> tuple[str, list[tuple[str | None, str]]]:
    """The schema's owner, and its grants as (role, privilege); role None is PUBLIC."""
    cursor.execute(
        """SELECT pg_get_userbyid(n.nspowner),
                  COALESCE((SELECT array_agg(ARRAY[CASE WHEN a.grantee = 0 THEN NULL
                                                        ELSE pg_get_userbyid(a.grantee) END,
                                                   a.privilege_type])
                            FROM aclexplode(n.nspacl) a), '{}')
           FROM pg_namespace n WHERE n.nspname = %s""",
        [schema],
    )
    owner, grants = cursor.fetchone()
    return owner, [(grantee, privilege) for grantee, privilege in grants]


def _give_owner_and_grants(
    conn: psycopg.Connection,
    cursor: psycopg.Cursor,
    schema: str,
    owner: str,
    grants: list[tuple[str | None, str]],
) -> None:
    """The new schema gets the old one's owner and grants where this role may give them; each in a
    savepoint, so one it may not give (not a member of the owner role) does not stop the restore."""
    target = sql.Identifier(schema)
    statements = [sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(target, sql.Identifier(owner))]
    for grantee, privilege in grants:
        if privilege in ("USAGE", "CREATE"):
            role = sql.SQL("PUBLIC") if grantee is None else sql.Identifier(grantee)
            statements.append(sql.SQL("GRANT {} ON SCHEMA {} TO {}").format(sql.SQL(privilege), target, role))
    for statement in statements:
        try:
            with conn.transaction():
                cursor.execute(statement)
        except psycopg.errors.InsufficientPrivilege:
            continue


def _read_contents(cursor: psycopg.Cursor, schema: str, expected_counts: dict[str, int]) -> Contents:
    cursor.execute(sql.SQL("SET LOCAL search_path = {}").format(sql.Identifier(schema)))
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
    tables = {row[0] for row in cursor.fetchall()}
    counts = count_rows(cursor, tables_to_count(tables, expected_counts))
    return Contents(tables=tables, counts=counts, applied=applied_migrations(cursor, tables))


def _run_script(cursor: psycopg.Cursor, dump: Path, schema: str) -> None:
    """Execute what `pg_restore --schema` writes for the dump, inside the caller's transaction."""
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(  # noqa: S603
            [
                _tool("pg_restore"),
                "--schema",
                schema,
                "--no-owner",
                "--no-privileges",
                "--file",
                "-",
                str(dump),
            ],
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        try:
            complete = _execute_lines(cursor, iter(proc.stdout))
        finally:
            proc.stdout.close()
            proc.wait()
        if proc.returncode != 0:
            errors.seek(0)
            lines = errors.read().decode(errors="replace").strip().splitlines()
            how = (
                f"killed by signal {-proc.returncode}"
                if proc.returncode < 0
                else f"exit status {proc.returncode}"
            )
            raise BackupError(f"pg_restore stopped half-way ({how}{': ' + lines[-1] if lines else ''})")
        if not complete:
            raise BackupError("the restore script pg_restore wrote ends before its last line")


def _execute_lines(cursor: psycopg.Cursor, lines: Iterator[bytes]) -> bool:
    """Run SQL between COPY blocks as it comes and stream each COPY block's rows; True when the
    script's closing comment was seen.

    Statements are sent only when the next COPY (or the end) is reached, so a script cut short
    in the middle of a statement never runs that statement's first half on its own: the end of the
    script must be its closing comment, and pg_restore's exit status is checked before the commit.
    """
    pending: list[str] = []
    complete = False
    for raw in lines:
        line = raw.decode("utf-8")
        if COPY_RE.match(line.rstrip("\n")):
            _flush(cursor, pending)
            try:
                _copy_rows(cursor, line.rstrip("\n"), lines)
            except _Truncated:
                return False
        elif line.startswith("\\"):
            # psql meta-commands: pg_restore brackets its script in \restrict ... \unrestrict (to
            # stop a hostile server injecting meta-commands). Nothing else is expected here.
            if not line.startswith(("\\restrict ", "\\unrestrict ")):
                raise BackupError(f"the restore script holds an unexpected psql command {line[:40]!r}")
        else:
            if line.rstrip("\n") == SCRIPT_END:
                complete = True
            pending.append(line)
    if complete:
        _flush(cursor, pending)
    return complete


def _flush(cursor: psycopg.Cursor, pending: list[str]) -> None:
    text = "".join(pending)
    pending.clear()
    if text.strip():
        cursor.execute(text)  # several statements, no parameters: sent as one simple query


def _copy_rows(cursor: psycopg.Cursor, statement: str, lines: Iterator[bytes]) -> None:
    """Stream one COPY block; _Truncated when the script ends inside it (pg_restore stopped)."""
    with cursor.copy(statement) as copy:
        buffer = bytearray()
        for raw in lines:
            if raw == b"\\.\n":
                if buffer:
                    copy.write(bytes(buffer))
                return
            buffer += raw
            if len(buffer) >= COPY_CHUNK:
                copy.write(bytes(buffer))
                buffer.clear()
        # The block never ended: abandon it, which makes the server fail the COPY.
        raise _Truncated


class _Truncated(Exception):
    """The script ended inside a COPY block."""
