"""Child process: measure the pages and floors of one database, write the results as JSON.

Run by the runner as `python -m ops.benchmark.worker --db FILE --repeat N --out FILE`, with the
environment from environment.child_env, so Django's settings load once for that database.
Its peak resident set size at the end is the memory figure the issue asks for: a worker that has
rendered every page of the largest collection.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
from pathlib import Path

BENCH_USER = "benchmark"


def peak_rss_mb() -> float:
    """This process's peak resident set size; Linux reports ru_maxrss in KiB (macOS in bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    divisor = 1024 * 1024 if sys.platform == "darwin" else 1024
    return round(peak / divisor, 1)


def logged_in_client():
    """A test client logged in as a superuser: pages may require login, and staff see everything."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user_model = get_user_model()
    user = user_model.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = user_model.objects.create_superuser(BENCH_USER, "benchmark@localhost", None)
    client = Client()
    client.force_login(user)
    return client


def session_cookie(client) -> str:
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def http_paths(pages: dict, coin_ids: list[int], seed: int) -> dict:
    """Path makers for the pages that worked through the test client (same random coins, new draw)."""
    import random

    from .pages import PAGES, page_paths

    rng = random.Random(seed + 1)
    return {
        page.name: page_paths(page, coin_ids, rng) for page in PAGES if pages[page.name].get("status") == "ok"
    }


def run(db_path: Path | None, repeat: int, seed: int, over_http: bool = False) -> dict:
    """Measure the pages of the database in DATABASE_URL; `db_path`, the SQLite file, for the
    floor (None on PostgreSQL: the floor is a raw sqlite3 query)."""
    import django

    django.setup()
    from django.db import connection

    from catalog.models import Coin

    from .floor import measure_floor
    from .pages import PAGES, measure_pages

    # Other processes on the machine slow every timing down; the load average says how busy it was.
    load_before = os.getloadavg()[0]
    client = logged_in_client()
    coin_ids = list(Coin.objects.order_by().values_list("id", flat=True))
    pages = measure_pages(client, coin_ids, repeat, seed)
    for page in PAGES:
        result = pages[page.name]
        if page.floor and db_path is not None and result.get("status") == "ok":
            try:
                result["floor"] = measure_floor(db_path, page.floor, result["sql"], repeat)
            except Exception as exc:  # the floor is a comparison; its failure must not lose the page
                result["floor"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    for result in pages.values():
        result.pop("sql", None)
    extra = {}
    if over_http:
        from .server import measure_over_http

        try:
            served = measure_over_http(
                dict(os.environ), session_cookie(client), http_paths(pages, coin_ids, seed), repeat
            )
        except Exception as exc:  # gunicorn is a second opinion; its failure must not lose the rest
            extra["http_error"] = f"{type(exc).__name__}: {exc}"[:500]
        else:
            for name, result in served["pages"].items():
                if result["status"] == "ok":
                    pages[name]["http_p50_ms"] = result["p50_ms"]
                    pages[name]["http_p95_ms"] = result["p95_ms"]
                    if result["failed"]:
                        failed = result["failed"]
                        pages[name]["http_error"] = f"{len(failed)} of {repeat} requests failed: {failed[0]}"
                else:
                    pages[name]["http_error"] = result["reason"]
            extra["gunicorn_worker_peak_rss_mb"] = served["gunicorn_worker_peak_rss_mb"]
    return {
        **extra,
        "coins": len(coin_ids),
        "pages": pages,
        "worker_peak_rss_mb": peak_rss_mb(),
        "backend": connection.vendor,
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, help="The SQLite file (also in DATABASE_URL).")
    where.add_argument(
        "--server", action="store_true", help="A database server's, in DATABASE_URL (no floor then)."
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--http", action="store_true", help="Also time the pages through gunicorn.")
    args = parser.parse_args(argv)
    result = run(args.db, args.repeat, args.seed, over_http=args.http)
    args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
