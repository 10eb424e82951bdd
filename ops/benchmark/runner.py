"""Run the whole benchmark: databases, pages, jobs, report. The command is a thin wrapper over this."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import dossier, jobs, report
from .dbbuild import build_database, build_postgres, drop_postgres, postgres_database
from .environment import ChildFailed, child_env, run_child
from .machine import machine_info

JOBS = ("import", "backup", "parse", "dossier")
# What --skip also takes: the SQLite databases (to measure only the --database-url server's).
SKIPPABLE = (*JOBS, "sqlite")


@dataclass
class Options:
    sizes: list[int] = field(default_factory=lambda: [1000, 10000, 100000])
    lots_per_coin: int = 2
    repeat: int = 30
    seed: int = 1
    out: Path = Path("bench/results/latest.json")
    readme: Path | None = Path("bench/README.md")
    keep_dbs: Path | None = None
    skip: set[str] = field(default_factory=set)
    import_rows: int = 10000
    parse_pages: int = 1000
    worker_timeout: float = 3600
    # Also time the pages through a real gunicorn over loopback.
    http: bool = True
    # A PostgreSQL server URL: every size is also built and measured there, in a database of its
    # own per size (the URL's database name + `_<size>`), dropped afterwards unless keep_dbs.
    database_url: str | None = None

    def command_line(self) -> str:
        parts = [
            "manage.py benchmark",
            f"--sizes {','.join(map(str, self.sizes))}",
            f"--lots-per-coin {self.lots_per_coin}",
            f"--repeat {self.repeat}",
            f"--seed {self.seed}",
        ]
        if not self.http:
            parts.append("--no-http")
        if self.database_url:
            parts.append("--database-url postgres://...")
        if self.skip:
            parts.append(f"--skip {','.join(sorted(self.skip))}")
        return " ".join(parts)


def measure_size(db_path: Path | str, workdir: Path, options: Options) -> dict:
    """Run the page worker in a child process for one database (an SQLite file or a PostgreSQL
    URL); return its JSON."""
    server = isinstance(db_path, str)
    out = workdir / f"pages-{'pg-' + db_path.rsplit('/', 1)[-1] if server else db_path.stem}.json"
    where = ["--server"] if server else ["--db", str(db_path)]
    cmd = [
        sys.executable, "-m", "ops.benchmark.worker", *where,
        "--repeat", str(options.repeat), "--seed", str(options.seed), "--out", str(out),
    ]  # fmt: skip
    if options.http:
        cmd.append("--http")
    run_child(cmd, child_env(db_path, workdir), timeout=options.worker_timeout)
    return json.loads(out.read_text())


def run_benchmark(options: Options, log: Callable[[str], None] = print) -> dict:
    """Measure every size and job in `options`; write the JSON (and README); return the results."""
    workdir = Path(tempfile.mkdtemp(prefix="coinstack-bench-"))
    db_dir = options.keep_dbs or workdir
    results: dict = {
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine_info(),
        "command": options.command_line(),
        "method": (
            "Django test client in a child worker (full middleware, DEBUG off, superuser); "
            + ("then the same pages through gunicorn (1 sync worker) over loopback" if options.http else "")
        ),
        "sizes": {},
        "jobs": {},
    }
    largest_db: Path | None = None
    smallest_db: Path | None = None  # sizes run smallest first; the dossier needs only 500 coins
    try:
        for size in sorted(options.sizes) if "sqlite" not in options.skip else []:
            db_path = Path(db_dir) / f"coins-{size}.sqlite3"
            lots = size * options.lots_per_coin
            entry: dict = {"coins_requested": size, "lots_requested": lots}
            try:
                log(f"[{size}] building database ({size} coins, {lots} lots)...")
                entry["build"] = build_database(
                    db_path, size, lots, options.seed, workdir, reuse=options.keep_dbs is not None
                )
                entry["db_mb"] = round(db_path.stat().st_size / 1e6, 1)
                log(f"[{size}] built in {entry['build']['generate_s']} s; measuring pages...")
                started = time.perf_counter()
                entry.update(measure_size(db_path, workdir, options))
                entry["measure_s"] = round(time.perf_counter() - started, 1)
                entry["status"] = "ok"
                largest_db = db_path
                smallest_db = smallest_db or db_path
            except ChildFailed as exc:
                entry.update(status="error", reason=str(exc)[-800:])
                log(f"[{size}] failed: {exc}")
            results["sizes"][str(size)] = entry
            # Written after every size, so a crash or a timeout later keeps what was measured.
            _write(results, options)

        if options.database_url:
            results["postgresql"] = {}
            for size in sorted(options.sizes):
                results["postgresql"][str(size)] = measure_on_server(options, size, workdir, log)
                _write(results, options)

        if "import" not in options.skip and "sqlite" not in options.skip:
            log(f"[jobs] importing a {options.import_rows}-row spreadsheet...")
            imported = _safe(lambda: jobs.time_import(workdir, options.import_rows, options.seed))
            results["jobs"]["import"] = {"size": options.import_rows, **imported}
        if "import" not in options.skip and options.database_url:
            log(f"[jobs] importing a {options.import_rows}-row spreadsheet into PostgreSQL...")
            url = postgres_database(options.database_url, "import")
            imported = _safe(lambda: jobs.time_import(workdir, options.import_rows, options.seed, url))
            results["jobs"]["import_postgresql"] = {"size": options.import_rows, **imported}
            if options.keep_dbs is None:
                _safe(lambda: drop_postgres(url) or {})
        if "backup" not in options.skip:
            if largest_db is None:
                results["jobs"]["backup"] = {"status": "missing", "reason": "no database was built"}
            else:
                log(f"[jobs] backing up {largest_db.name}...")
                backup = _safe(lambda: jobs.time_backup(largest_db, workdir))
                results["jobs"]["backup"] = {"size": int(largest_db.stem.split("-")[1]), **backup}
        if "dossier" not in options.skip:
            if smallest_db is None:
                results["jobs"]["dossier"] = {"status": "missing", "reason": "no database was built"}
            else:
                log(f"[jobs] the dossier PDF of {dossier.COINS} coins of {smallest_db.name}...")
                results["jobs"]["dossier"] = {
                    "size": dossier.COINS,
                    **_safe(lambda: dossier.time_dossier(smallest_db, workdir)),
                }
        if "parse" not in options.skip:
            log(f"[jobs] parsing {options.parse_pages} lot pages...")
            results["jobs"]["parse"] = {
                "size": options.parse_pages,
                **_safe(lambda: jobs.time_parsing(options.parse_pages)),
            }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    _write(results, options)
    return results


def measure_on_server(options: Options, size: int, workdir: Path, log: Callable[[str], None]) -> dict:
    """Build and measure one size in a PostgreSQL database of its own on the --database-url server."""
    url = postgres_database(options.database_url, size)
    lots = size * options.lots_per_coin
    entry: dict = {"coins_requested": size, "lots_requested": lots}
    try:
        log(f"[postgresql {size}] building database ({size} coins, {lots} lots)...")
        entry["build"] = build_postgres(url, size, lots, options.seed, workdir)
        log(f"[postgresql {size}] built in {entry['build']['generate_s']} s; measuring pages...")
        started = time.perf_counter()
        entry.update(measure_size(url, workdir, options))
        entry["measure_s"] = round(time.perf_counter() - started, 1)
        entry["status"] = "ok"
    except ChildFailed as exc:
        entry.update(status="error", reason=str(exc)[-800:])
        log(f"[postgresql {size}] failed: {exc}")
    finally:
        if options.keep_dbs is None:
            _safe(lambda: drop_postgres(url) or {})
    return entry


def _write(results: dict, options: Options) -> None:
    """(Re)build the rows and write the JSON and README from what has been measured so far."""
    rows = report.build_rows(results)
    results["rows"] = rows
    results["json_path"] = str(options.out)
    report.write_json(results, options.out)
    if options.readme:
        report.write_readme(results, rows, options.readme)


def _safe(job: Callable[[], dict]) -> dict:
    """Run one job; a failure becomes a reported error instead of losing every other number."""
    try:
        return job()
    except Exception as exc:
        return {"status": "error", "reason": f"{type(exc).__name__}: {exc}"[-800:]}
