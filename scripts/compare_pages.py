"""Issue 19's pages timed back to back: wall, CPU and SQL p50 per request, warm and right after a
write (the cache emptied before each request). For comparing two versions of the code against the
same database on a busy machine, where CPU and SQL time are steadier than wall time.

Run with the benchmark's child environment (DEBUG off, a SECRET_KEY, ALLOWED_HOSTS=testserver) and
the code tree to measure first on PYTHONPATH, e.g.:

    DJANGO_SETTINGS_MODULE=coinstack.settings DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=testserver \
    STATIC_MANIFEST=0 DATABASE_URL=sqlite:////tmp/bench/coins-100000.sqlite3 PYTHONPATH=. \
    .venv/bin/python scripts/compare_pages.py 15 10     # 15 warm and 10 cold requests per page
    ... scripts/compare_pages.py 15 10 "list p1" stats  # only these pages
"""

import json
import random
import statistics
import sys
import time

import django

django.setup()

from django.core.cache import cache  # noqa: E402 - after django.setup()
from django.db import connection  # noqa: E402

from auctions.models import AuctionLot  # noqa: E402
from catalog.models import Coin  # noqa: E402
from ops.benchmark.worker import logged_in_client  # noqa: E402

PATHS = {
    "list p1": "/coins/",
    "cat+metal by year p3": "/coins/?metal=silver&category=roman_imperial&sort=-year&page=3",
    "search q=CAES": "/coins/?q=CAES",
    "issuer filter": "/coins/?issuer=6",
    "page 1000": "/coins/?page=1000",
    "coin detail": "/coins/{id}/",
    "stats": "/stats/",
    "lot list sold": "/auctions/?status=sold",
    "lot search": "/auctions/?q=denarius",
    # Further pages the load test's mix visits (scripts/loadtest.py).
    "lot detail": "/auctions/{lot}/",
    "issuers": "/issuers/",
    "mints": "/mints/",
    "issuer page": "/issuers/6/",
    "series": "/series/",
    "home": "/",
}
warm_n, cold_n = int(sys.argv[1]), int(sys.argv[2])
if sys.argv[3:]:
    PATHS = {name: PATHS[name] for name in sys.argv[3:]}
client = logged_in_client()
ids = list(Coin.objects.values_list("id", flat=True))
lot_ids = list(AuctionLot.objects.values_list("id", flat=True)[:50000])
rng = random.Random(7)
in_sql = []


def timed(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        in_sql.append(time.perf_counter() - started)


out = {}
with connection.execute_wrapper(timed):
    for name, path in PATHS.items():
        res = {}
        client.get(path.replace("{id}", str(ids[0])).replace("{lot}", str(lot_ids[0])), secure=True)
        for mode, n in (("warm", warm_n), ("cold", cold_n)):
            w, c, s = [], [], []
            for _ in range(n):
                p = path.replace("{id}", str(rng.choice(ids))).replace("{lot}", str(rng.choice(lot_ids)))
                if mode == "cold":
                    cache.clear()
                in_sql.clear()
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(p, secure=True)
                if response.status_code != 200:
                    raise SystemExit(f"{p} answered {response.status_code}")
                w.append((time.perf_counter() - t0) * 1000)
                c.append((time.process_time() - c0) * 1000)
                s.append(sum(in_sql) * 1000)
            res[mode] = [round(statistics.median(x), 1) for x in (w, c, s)]
        out[name] = res
        print(f"{name:22} warm wall/cpu/sql {res['warm']}  cold {res['cold']}", flush=True)
print(json.dumps(out))
