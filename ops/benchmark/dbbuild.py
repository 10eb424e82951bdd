"""One fresh SQLite database per size, built by the project's own commands in a child process."""

import hashlib
import json
import sqlite3
from pathlib import Path

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
    env = child_env(db_path, workdir)
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
    # A checkpoint folds the WAL into the main file, so the first timed page does not pay for it
    # and the file size reported is the real size. No ANALYZE: the app does not run one, and the
    # benchmark measures the query plans a user's database really gets.
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    marker.write_text(json.dumps(wanted))
    return {"reused": False, "migrate_s": round(migrate_s, 2), "generate_s": round(generate_s, 2)}
