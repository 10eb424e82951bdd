#!/usr/bin/env python
"""Load test: CoinStack under gunicorn on loopback, many concurrent browsing clients, bounded in time.

    .venv/bin/python scripts/loadtest.py --db /tmp/load.sqlite3 --coins 100000 --lots 200000
    .venv/bin/python scripts/loadtest.py --db /tmp/load.sqlite3 --clients 50 --duration 30 --json out.json

Builds the database once if the file does not exist (migrate + `generate_collection --no-images`),
starts gunicorn with --workers on 127.0.0.1 with production settings (DEBUG off, plain HTTP), logs
in once (or uses COINSTACK_PUBLIC_BROWSING with --public), then drives --clients threads
through list, filter, search, detail and HTMX-fragment requests (4% of them hostile query strings:
other scripts' digits, overflowing integers, searches of up to 150 words) until --duration seconds or
--max-requests have passed. Prints requests/s, p50/p95/p99, errors and where the CPU went (the
server's processes, the clients, server CPU per request), and writes JSON. The clients
share one logged-in session (one login, as tabs of one browser).

Loopback only: the server binds 127.0.0.1 and the clients refuse any other host.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import requests

BASE = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
USERNAME = "loadtest"
MAX_DURATION = 600  # seconds; a hard ceiling whatever the arguments say
MAX_REQUESTS = 1_000_000


# --- The server -----------------------------------------------------------------------------------


def server_env(db: Path, workdir: Path, public: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO_SUPERUSER"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "coinstack.settings",
            "DATABASE_URL": f"sqlite:///{db.resolve()}",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "COINSTACK_PLAIN_HTTP": "1",  # loopback is plain HTTP: no redirect to https, no secure cookies
            "COINSTACK_PUBLIC_BROWSING": "1" if public else "0",
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "COINSTACK_DATA_DIR": str(workdir / "data"),
            "COINSTACK_BACKUP_DIR": str(workdir / "backups"),
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 3600) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(BASE / "manage.py"), *args],
        env=env,
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def prepare_database(env: dict[str, str], db: Path, coins: int, lots: int) -> None:
    """Build the database once; later runs reuse it (building 100,000 coins takes minutes)."""
    if db.exists():
        manage(env, "migrate", "--no-input")
        return
    print(f"Building {db} with {coins} coins and {lots} lots (once)...", flush=True)
    started = time.monotonic()
    manage(env, "migrate", "--no-input")
    print(
        manage(env, "generate_collection", "--coins", str(coins), "--lots", str(lots), "--no-images").strip()
    )
    print(f"  built in {time.monotonic() - started:.0f} s", flush=True)


def create_user(env: dict[str, str], password: str) -> None:
    code = (
        "from django.contrib.auth.models import User\n"
        f"u, _ = User.objects.get_or_create(username={USERNAME!r})\n"
        "import os\n"
        "u.set_password(os.environ['LOADTEST_PASSWORD']); u.save()\n"
        "from axes.models import AccessAttempt\n"
        f"AccessAttempt.objects.filter(username={USERNAME!r}).delete()\n"
    )
    manage({**env, "LOADTEST_PASSWORD": password}, "shell", "-c", code)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "coinstack.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(cmd, env=env, cwd=BASE, start_new_session=True)  # noqa: S603 - fixed argv


def wait_ready(base_url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before it was ready")
        try:
            if requests.get(f"{base_url}/accounts/login/", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def process_group_cpu(pgid: int) -> float | None:
    """CPU seconds (user and system) of the live processes of process group `pgid`: the gunicorn we
    started (its own session), master and workers, read from /proc; None without /proc."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    ticks = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # a process that ended meanwhile
        # The fields after the command name (in parentheses, which may itself hold spaces):
        # state, ppid, pgrp, ..., utime and stime (fields 14 and 15 of proc(5)).
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen) -> None:
    """Stop the gunicorn we started (its own process group), politely first."""
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


# --- What the clients ask for ---------------------------------------------------------------------


@dataclass
class Targets:
    coin_ids: list[int]
    lot_ids: list[int]
    issuer_ids: list[int]
    mint_ids: list[int]
    words: list[str]


# The lots a public visitor can reach (auctions.models.bought_by_owner, in SQL): not the owner's
# purchases, whose pages answer 404 to anyone not logged in.
PUBLIC_LOTS = "NOT (coin_id IS NOT NULL AND coin_role = '') AND coin_role != 'acquisition'"


def read_targets(db: Path, public: bool = False) -> Targets:
    """Real ids and words from the database, read-only, so every detail request hits a real row
    (one this visitor may see)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:

        def ids(table: str, where: str = "1") -> list[int]:
            return [
                r[0]
                for r in con.execute(f"SELECT id FROM {table} WHERE {where} ORDER BY random() LIMIT 2000")  # noqa: S608
            ]

        names = [r[0] for r in con.execute("SELECT name FROM vocab_issuer ORDER BY random() LIMIT 50")]
        words = [w for n in names for w in re.findall(r"[A-Za-z]{4,}", n)][:50] or ["augustus"]
        return Targets(
            ids("catalog_coin"),
            ids("auctions_auctionlot", PUBLIC_LOTS if public else "1"),
            ids("vocab_issuer"),
            ids("vocab_mint"),
            words,
        )
    finally:
        con.close()


# Hostile query strings any visitor can send (issue 13): other scripts' digits where ids and numbers
# go, integers past every column, a coin page's position past any OFFSET, searches of up to 150
# words (kept under gunicorn's 4,094-byte request line). Each must be answered 200 with the form's
# message or a note, as cheaply as an ordinary page.
def hostile_request(rng: random.Random, t: Targets) -> str:
    words = " ".join(f"{rng.choice(t.words)}{n}" for n in range(rng.randint(20, 150)))
    coin = rng.choice(t.coin_ids)
    return rng.choice(
        [
            "/coins/?issuer=%C2%B2",
            "/coins/?grade_min=%D9%A3&page=%C2%B2",
            f"/coins/?issuer={2**64}&mint=99999999999999999999",
            f"/coins/{coin}/?from=&pos=99999999999999999999",
            f"/coins/{coin}/?from=issuer%3D%C2%B2",
            "/auctions/?house=%C2%B2&sale=%D9%A3",
            f"/coins/?{urlencode({'q': words})}",
            f"/auctions/?{urlencode({'q': words})}",
        ]
    )


def next_request(rng: random.Random, t: Targets) -> tuple[str, str, bool]:
    """(group, path, htmx) drawn from a browsing mix: lists, filters, searches, details, and a few
    hostile query strings."""
    roll = rng.random()
    word = rng.choice(t.words)
    if roll < 0.04:
        return "hostile", hostile_request(rng, t), rng.random() < 0.3
    if roll < 0.14:
        return "coin_list", f"/coins/?page={rng.randint(1, 50)}", False
    if roll < 0.30:
        choice = rng.choice(
            [
                "metal=AR",
                "metal=AV&sort=-price",
                f"year_from={rng.randint(-300, 300)}&year_to={rng.randint(300, 600)}",
                "grading_state=slabbed&grade_service=NGC",
                "price_min=100&price_max=1000&sort=price",
                "has_images=1&sort=-year",
                f"issuer={rng.choice(t.issuer_ids)}" if t.issuer_ids else "metal=AE",
                "view=grid&per_page=48",
            ]
        )
        return "coin_filter", f"/coins/?{choice}", rng.random() < 0.5
    if roll < 0.44:
        return "coin_search", f"/coins/?q={word}", rng.random() < 0.5
    if roll < 0.62:
        return "coin_detail", f"/coins/{rng.choice(t.coin_ids)}/", False
    if roll < 0.72:
        query = rng.choice(["", f"q={word}", "status=sold&sort=-price", f"page={rng.randint(1, 40)}"])
        return "lot_list", f"/auctions/?{query}", rng.random() < 0.3
    if roll < 0.84:
        return "lot_detail", f"/auctions/{rng.choice(t.lot_ids)}/", False
    if roll < 0.92:
        return "vocab", rng.choice(["/issuers/", "/mints/", f"/issuers/{rng.choice(t.issuer_ids)}/"]), False
    return "home", rng.choice(["/", "/stats/", "/series/"]), False


# --- The clients ----------------------------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    error_examples: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    count: int = 0


# Pages that leave a part to a second request carry a placeholder that a browser's htmx fills at once
# from its URL: a text search right after a write its facet counts (coinstack.listing.facets_later),
# a coin's first visit after a write its lots and value (catalog.coin_lots). The clients ask it
# too, so the load is what browsers put on the server; the group says which part it was.
_LATER = re.compile(r'<div id="[^"]*" class="(facets|coin-lots) \1-later"[^>]*?hx-get="([^"]+)"')


# The groups of those second requests: "<page's group>_<part>".
FOLLOW_UPS = ("_facets", "_lots")


def later_path(text: str) -> tuple[str, str] | None:
    """(part, path) of the endpoint a page's placeholder asks (the path HTML-unescaped): part
    "facets" or "lots"; None without a placeholder."""
    found = _LATER.search(text)
    if not found:
        return None
    return ("facets" if found[1] == "facets" else "lots"), found[2].replace("&amp;", "&")


def login(session: requests.Session, base_url: str, password: str) -> None:
    page = session.get(f"{base_url}/accounts/login/", timeout=30)
    token = (
        session.cookies.get("csrftoken")
        or re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    )
    response = session.post(
        f"{base_url}/accounts/login/",
        data={"username": USERNAME, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base_url}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login failed: {response.status_code}")


def client_loop(
    index: int,
    base_url: str,
    cookies: dict[str, str],
    targets: Targets,
    results: Results,
    deadline_box: list[float],
    budget: int,
    start: threading.Barrier,
) -> None:
    assert base_url.startswith(f"http://{HOST}:"), "loopback only"
    rng = random.Random(index)
    session = requests.Session()
    session.cookies.update(cookies)
    start.wait()
    deadline = deadline_box[0]  # set by main() once every client has logged in
    while time.monotonic() < deadline:
        with results.lock:
            if results.count >= budget:
                return
            results.count += 1
        group, path, htmx = next_request(rng, targets)
        headers = {"HX-Request": "true"} if htmx else {}
        while path:
            began = time.perf_counter()
            follow_up = None
            try:
                response = session.get(base_url + path, headers=headers, timeout=60, allow_redirects=False)
                elapsed = time.perf_counter() - began
                ok = response.status_code == 200
                status = response.status_code
                if ok and not group.endswith(FOLLOW_UPS):
                    follow_up = later_path(response.text)
            except requests.RequestException as exc:
                elapsed, ok, status = time.perf_counter() - began, False, type(exc).__name__
            with results.lock:
                results.latencies[group].append(elapsed)
                results.statuses[str(status)] += 1
                if not ok:
                    results.errors[f"{group} {status}"] += 1
                    if len(results.error_examples) < 20:
                        results.error_examples.append(f"{status} {path}")
                if follow_up:
                    results.count += 1  # the browser's second request, counted as one
            if follow_up is None:
                break
            part, path = follow_up
            group, headers = f"{group}_{part}", {"HX-Request": "true"}


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def summarise(results: Results, seconds: float, args: argparse.Namespace, rows: dict[str, int]) -> dict:
    everything = [v for values in results.latencies.values() for v in values]
    # The pages the clients asked for, without the parts their placeholders asked for after them.
    pages = sum(len(v) for group, v in results.latencies.items() if not group.endswith(FOLLOW_UPS))
    ms = lambda v: round(v * 1000, 1)  # noqa: E731
    return {
        "config": {
            "clients": args.clients,
            "workers": args.workers,
            "duration_s": args.duration,
            "public": args.public,
            "database_rows": rows,
            # Other work on the machine skews every figure; keep the context with the numbers.
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count(),
        },
        "requests": len(everything),
        "seconds": round(seconds, 2),
        "requests_per_second": round(len(everything) / seconds, 1) if seconds else 0,
        "pages": pages,
        "pages_per_second": round(pages / seconds, 1) if seconds else 0,
        "p50_ms": ms(percentile(everything, 50)),
        "p95_ms": ms(percentile(everything, 95)),
        "p99_ms": ms(percentile(everything, 99)),
        "max_ms": ms(max(everything, default=0)),
        "errors": sum(results.errors.values()),
        "errors_by_kind": dict(results.errors),
        "error_examples": results.error_examples,
        "statuses": dict(results.statuses),
        "by_group": {
            group: {
                "requests": len(values),
                "p50_ms": ms(percentile(values, 50)),
                "p95_ms": ms(percentile(values, 95)),
                "mean_ms": ms(statistics.fmean(values)) if values else 0,
            }
            for group, values in sorted(results.latencies.items())
        },
    }


def count_rows(db: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed table names
            for t in ("catalog_coin", "auctions_auctionlot")
        }
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "coinstack-load.sqlite3")
    parser.add_argument("--coins", type=int, default=100_000, help="coins to generate when --db is new")
    parser.add_argument("--lots", type=int, default=200_000, help="lots to generate when --db is new")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--clients", type=int, default=50, help="concurrent client threads")
    parser.add_argument("--duration", type=float, default=30, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=100_000, help="stop after this many requests")
    parser.add_argument(
        "--public", action="store_true", help="browse anonymously (COINSTACK_PUBLIC_BROWSING=1)"
    )
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    duration = min(args.duration, MAX_DURATION)
    budget = min(args.max_requests, MAX_REQUESTS)

    workdir = Path(tempfile.mkdtemp(prefix="coinstack-load-"))
    env = server_env(args.db, workdir, args.public)
    prepare_database(env, args.db, args.coins, args.lots)
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    password = None if args.public else secrets.token_urlsafe(24)
    if password:
        create_user(env, password)
    targets = read_targets(args.db, public=args.public)
    rows = count_rows(args.db)

    port = free_port()
    base_url = f"http://{HOST}:{port}"
    server = start_gunicorn(env, port, args.workers)
    try:
        wait_ready(base_url, server)
        # One login, its session shared by every client (as tabs of one browser): fifty logins at
        # once would measure the password hasher (deliberately slow), not the pages.
        cookies: dict[str, str] = {}
        if password:
            first = requests.Session()
            login(first, base_url, password)
            cookies = first.cookies.get_dict()
        results = Results()
        # The deadline is set once everyone has logged in, so logins do not eat the measured time.
        deadline_box: list[float] = []
        start = threading.Barrier(
            args.clients + 1, action=lambda: deadline_box.append(time.monotonic() + duration)
        )
        threads = []
        for i in range(args.clients):
            thread = threading.Thread(
                target=client_loop,
                args=(i, base_url, cookies, targets, results, deadline_box, budget, start),
                daemon=True,
            )
            threads.append(thread)
        for thread in threads:
            thread.start()
        # Barrier actions run before any waiting thread is released, so every client sees the deadline.
        start.wait()
        began = deadline_box[0] - duration
        # Where the CPU went: the server's processes and these clients (every thread of this process).
        cpu_before = (process_group_cpu(server.pid), time.process_time())
        for thread in threads:
            thread.join(timeout=duration + 120)
        seconds = time.monotonic() - began
        cpu_after = (process_group_cpu(server.pid), time.process_time())
    finally:
        stop(server)

    summary = summarise(results, seconds, args, rows)
    server_cpu = cpu_after[0] - cpu_before[0] if cpu_before[0] is not None else None
    summary["cpu_s"] = {
        "server": round(server_cpu, 1) if server_cpu is not None else None,
        "clients": round(cpu_after[1] - cpu_before[1], 1),
        "available": round(seconds * (os.cpu_count() or 1), 1),
    }
    if server_cpu is not None and summary["requests"]:
        summary["server_cpu_ms_per_request"] = round(1000 * server_cpu / summary["requests"], 1)
    print(
        f"{summary['requests']} requests in {summary['seconds']} s: {summary['requests_per_second']} req/s "
        f"({summary['pages_per_second']} pages/s without the parts asked after them), "
        f"p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, p99 {summary['p99_ms']} ms, "
        f"errors {summary['errors']}"
    )
    cpu = summary["cpu_s"]
    print(
        f"  CPU: server {cpu['server']} s, clients {cpu['clients']} s of {cpu['available']} s"
        + (
            f"; {summary['server_cpu_ms_per_request']} ms of server CPU per request"
            if "server_cpu_ms_per_request" in summary
            else ""
        )
    )
    for group, stats in summary["by_group"].items():
        p50, p95 = stats["p50_ms"], stats["p95_ms"]
        print(f"  {group:12} {stats['requests']:6d} req  p50 {p50:8.1f} ms  p95 {p95:8.1f} ms")
    if summary["errors"]:
        print("  errors:", summary["errors_by_kind"], summary["error_examples"][:5])
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
