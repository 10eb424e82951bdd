"""One fresh database per size, built by the project's own commands in a child process: an SQLite
file, or (with `--database-url`) a PostgreSQL database of its own per size on that server."""

import hashlib
import json
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .environment import child_env, manage_cmd, run_child


def code_fingerprint() -> str:
    """A hash of every migration and of the data generator: what decides a built database's content."""
    from django.conf import settings

    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    files = sorted([*base.glob("*/migrations/*.py"), *base.glob("ops/demo/*.py")])
    for path in files:
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def postgres_database(url: str, size: int | str) -> str:
    """The URL of the PostgreSQL database for one size: the given database's name + `_<size>`."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "coinstack_bench"
    return urlunsplit(parts._replace(path=f"/{name}_{size}"))


def recreate_postgres(url: str) -> None:
    """Drop and create the database of `url` (connecting to the server's `postgres` database)."""
    drop_postgres(url, create=True)


def _connect(url: str, database: str | None = None):
    """An autocommit psycopg connection to the server of `url`: to `database`, else to the URL's."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    return psycopg.connect(
        dbname=database or config["NAME"],
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        autocommit=True,
    )


def drop_postgres(url: str, create: bool = False) -> None:
    """Drop the database of `url` if it exists; with `create`, make it again, empty."""
    import dj_database_url
    from psycopg import sql

    name = sql.Identifier(dj_database_url.parse(url)["NAME"])
    with _connect(url, "postgres") as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def build_postgres(url: str, coins: int, lots: int, seed: int, workdir: Path) -> dict[str, float | bool]:
    """`build_database` on PostgreSQL: always a fresh database (nothing marks a reusable one), then
    VACUUM ANALYZE, which a server's autovacuum does after a bulk load (this machine's has
    autovacuum off). Without the statistics PostgreSQL plans for empty tables (the lot list sorted
    17,769 sold lots it estimated at 14: 48 ms for a page, 0.13 ms after ANALYZE); without the
    vacuum every read of the kept counts walks the journals' dead rows (each folded and deleted at
    commit: 1.2 million of them after generating 100,000 coins), 27 ms for the home page's counts
    instead of under 1."""
    recreate_postgres(url)
    built = _migrate_and_generate(url, coins, lots, seed, workdir)
    started = time.perf_counter()
    vacuum_analyze_postgres(url)
    built["analyze_s"] = round(time.perf_counter() - started, 2)
    return built


def vacuum_analyze_postgres(url: str) -> None:
    with _connect(url) as conn:  # autocommit: VACUUM cannot run inside a transaction
        conn.execute("VACUUM ANALYZE")


def _migrate_and_generate(target: Path | str, coins: int, lots: int, seed: int, workdir: Path) -> dict:
    env = child_env(target, workdir)
    migrate_s, _ = run_child(manage_cmd("migrate", "--noinput", "-v", "0"), env)
    generate_s, _ = run_child(
        manage_cmd(
            "generate_collection",
            "--coins",
            str(coins),
            "--lots",
            str(lots),
            "--seed",
            str(seed),
            "--no-images",
        ),
        env,
    )
    return {
        "reused": False,
        "migrate_s": round(migrate_s, 2),
        "generate_s": round(generate_s, 2),
        # Coins and lots written per second of generate_collection (interpreter start-up included).
        "generate_rows_per_s": round((coins + lots) / generate_s) if generate_s else None,
    }


def build_database(
    db_path: Path, coins: int, lots: int, seed: int, workdir: Path, reuse: bool = False
) -> dict[str, float | bool]:
    """`migrate` then `generate_collection --coins N --lots M --no-images` into `db_path`.

    With `reuse` and an existing file, the database is kept as it is (for --keep-dbs reruns); the
    result says so, so a report never passes a reused database off as freshly built.
    """
    db_path = Path(db_path)
    # A marker written only after a complete build, naming what was built: a half-built database
    # (a generator that failed), one of other parameters, or one made before a migration or a
    # generator change is never reused.
    marker = Path(f"{db_path}.built.json")
    wanted = {"coins": coins, "lots": lots, "seed": seed, "code": code_fingerprint()}
    if reuse and db_path.exists() and marker.exists() and json.loads(marker.read_text()) == wanted:
        return {"reused": True, "migrate_s": 0.0, "generate_s": 0.0}
    marker.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    built = _migrate_and_generate(db_path, coins, lots, seed, workdir)
    # A checkpoint folds the WAL into the main file, so the first timed page does not pay for it
    # and the file size reported is the real size. No ANALYZE: the app does not run one, and the
    # benchmark measures the query plans a user's database really gets.
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    marker.write_text(json.dumps(wanted))
    return built
