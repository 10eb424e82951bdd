"""SQLite under concurrent processes: imports, scrapes and browsing at once lose nothing, never lock.

Real processes (not threads: SQLite locks are per connection and per process), all on one database
file, as gunicorn workers, `import_collection` and `scrape_lots` would be. Settings under test:
WAL, transaction_mode IMMEDIATE, a 20 s busy timeout (coinstack/settings.py).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

BASE = Path(settings.BASE_DIR)
COIN_WRITERS, COINS_EACH = 3, 80
LOT_WRITERS, LOTS_EACH = 2, 50
BROWSERS, PAGES_EACH = 2, 8


def _env(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "coinstack.settings",
            "DATABASE_URL": f"sqlite:///{db}",
            "COINSTACK_DATA_DIR": str(db.parent),
            "DEBUG": "1",
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def _count(db: Path) -> dict[str, int]:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "coins": one("SELECT count(*) FROM catalog_coin WHERE inventory_number LIKE 'W%'"),
            "counter": int(
                one("SELECT acquisition_price FROM catalog_coin WHERE inventory_number = 'COUNTER'")
            ),
            "lots": one("SELECT count(*) FROM auctions_auctionlot"),
            "sold": one(
                "SELECT count(*) FROM auctions_auctionlot WHERE status = 'sold' AND hammer_price IS NOT NULL"
            ),
        }
    finally:
        con.close()


@pytest.fixture
def migrated_copy(tmp_path, transactional_db) -> Path:
    """A fresh file with the test database's schema: copying it is ten times faster than migrating.

    `transactional_db` makes pytest-django create and migrate the test database even when this is
    the only test run, and leaves no transaction open on it.
    """
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("this test is about SQLite's locking")
    # The test database's own file; transactional_db leaves no transaction open on it.
    source_name = connection.settings_dict["NAME"]
    target = tmp_path / "concurrency.sqlite3"
    source, copy = sqlite3.connect(source_name), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    return target


def test_writers_and_readers_in_parallel_processes_lose_nothing(migrated_copy):
    db = migrated_copy
    env = _env(db)

    jobs = (
        [("coins", i, COINS_EACH) for i in range(COIN_WRITERS)]
        + [("lots", i, LOTS_EACH) for i in range(LOT_WRITERS)]
        + [("browse", i, PAGES_EACH) for i in range(BROWSERS)]
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "coinstack.tests.concurrency_worker", role, str(i), str(n)],
            env=env,
            cwd=BASE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role, i, n in jobs
    ]
    for process in processes:
        assert process.stdout.readline().strip() == "ready", process.communicate(timeout=60)[1]
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))

    errors = [e for r in results for e in r["errors"]]
    assert errors == [], errors[:5]
    assert not any("locked" in e for e in errors)
    assert _count(db) == {
        "coins": COIN_WRITERS * COINS_EACH,
        "counter": COIN_WRITERS * COINS_EACH,
        "lots": LOT_WRITERS * LOTS_EACH,
        "sold": LOT_WRITERS * LOTS_EACH,
    }
    # The browsers really browsed while the writers wrote.
    assert sum(r["done"] for r in results if r["role"] == "browser") > 0
