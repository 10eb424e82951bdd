"""Where a slow page spends its time: its queries by duration, and a cProfile of the Python side.

Run against a database the benchmark kept (--keep-dbs), with the child environment's settings:

    DEBUG=1 .venv/bin/python -m ops.benchmark.profile --db /tmp/bench/coins-100000.sqlite3 /coins/

(DEBUG=1 only lets this parent start; the profiled requests run in a child with DEBUG off.)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path


def explain(db_path: str, sql: str) -> str:
    """SQLite's query plan for one captured query (Django's captured SQL has its params inlined)."""
    try:
        with sqlite3.connect(db_path) as conn:
            rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
    except sqlite3.Error as exc:
        return f"(no plan: {exc})"
    return "; ".join(row[-1] for row in rows)


def profile_path(db_path: str, path: str, runs: int, top: int) -> str:
    """Profile `runs` requests of `path` after a warm-up; return a text report."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .worker import logged_in_client

    client = logged_in_client()
    client.get(path, secure=True)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, secure=True)
    out = io.StringIO()
    out.write(f"{path}: HTTP {response.status_code}, {len(response.content)} bytes, {len(ctx)} queries\n\n")
    out.write("Queries, slowest first (seconds, plan):\n")
    for query in sorted(ctx.captured_queries, key=lambda q: -float(q["time"])):
        out.write(f"  {query['time']}  {query['sql'][:400]}\n      plan: {explain(db_path, query['sql'])}\n")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(path, secure=True)
    profiler.disable()
    out.write(f"\ncProfile of {runs} requests, by cumulative time:\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    out.write("\nby own time:\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    if args.child:
        for path in args.paths:
            print(profile_path(str(args.db.resolve()), path, args.runs, args.top))
        return
    # The parent only sets up the child's environment (its own DATABASE_URL, DEBUG off).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coinstack.settings")
    import django

    django.setup()
    from .environment import child_env

    with tempfile.TemporaryDirectory(prefix="coinstack-profile-") as workdir:
        env = child_env(args.db, Path(workdir))
        cmd = [sys.executable, "-m", "ops.benchmark.profile", "--child", "--db", str(args.db)]
        cmd += ["--runs", str(args.runs), "--top", str(args.top), *args.paths]
        subprocess.run(cmd, env=env, check=False)  # noqa: S603 - our own interpreter and module


if __name__ == "__main__":
    main()
