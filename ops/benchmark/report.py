"""Turn measurements into rows with PASS/MISS, a text table, the JSON file and bench/README.md."""

from __future__ import annotations

import json
from pathlib import Path

from . import targets


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _problems(page: dict, floor: dict) -> list[str]:
    """Failures beside the timings: a floor that could not run, a page that broke under gunicorn."""
    problems = []
    if floor.get("error"):
        problems.append(f"floor: {floor['error']}")
    if page.get("http_error"):
        problems.append(f"gunicorn: {page['http_error']}")
    return problems


def _range_text(page: dict) -> int | str:
    low, high = page.get("queries_min", page["queries"]), page["queries"]
    return high if low == high else f"{low}-{high}"


def build_rows(results: dict) -> list[dict]:
    """One row per measurement: per backend (SQLite, then PostgreSQL when measured), every page at
    every size, then generation and memory per size; then the jobs."""
    rows: list[dict] = []
    for backend, sizes in (("sqlite", results["sizes"]), ("postgresql", results.get("postgresql") or {})):
        rows += [{"db": backend, **row} for row in _size_rows(sizes)]
    rows += _job_rows(results.get("jobs", {}))
    return rows


def _generation_row(size: str, build: dict) -> dict | None:
    if build.get("reused") or not build.get("generate_rows_per_s"):
        return None
    return {
        "size": int(size),
        "name": "generate_rows_per_s",
        "value": build["generate_rows_per_s"],
        "verdict": "-",  # a figure to compare between backends, without a ceiling of its own
        "note": f"{build['generate_rows_per_s']} coins+lots/s ({build['generate_s']} s)",
    }


def _size_rows(sizes_measured: dict) -> list[dict]:
    rows: list[dict] = []
    sizes = sorted(sizes_measured, key=int)
    baseline: dict[str, tuple[int, int]] = {}
    for size in sizes:
        entry = sizes_measured[size]
        if entry.get("status") != "ok":
            rows.append(
                {"size": int(size), "name": "(database)", "verdict": "ERROR", "note": entry.get("reason")}
            )
            continue
        for name, page in entry["pages"].items():
            row = {"size": int(size), "name": name}
            if page.get("status") != "ok":
                row.update(verdict=page.get("status", "error").upper(), note=page.get("reason", ""))
                rows.append(row)
                continue
            floor = page.get("floor") or {}
            floor_p50 = floor.get("p50_ms")
            if floor_p50:
                page["ratio"] = round(page["p50_ms"] / floor_p50, 1)
            misses = targets.page_misses(name, page, baseline.get(name))
            baseline.setdefault(name, (page.get("queries_min", page["queries"]), page["queries"]))
            row.update(
                p50_ms=page["p50_ms"],
                p95_ms=page["p95_ms"],
                cold_p50_ms=page.get("cold_p50_ms"),
                cold_p95_ms=page.get("cold_p95_ms"),
                sql_p50_ms=page.get("sql_p50_ms"),
                cpu_p50_ms=page.get("cpu_p50_ms"),
                cold_sql_p50_ms=page.get("cold_sql_p50_ms"),
                cold_cpu_p50_ms=page.get("cold_cpu_p50_ms"),
                render_p50_ms=page.get("render_p50_ms"),
                http_p50_ms=page.get("http_p50_ms"),
                http_p95_ms=page.get("http_p95_ms"),
                queries=_range_text(page),
                floor_ms=floor_p50,
                ratio=page.get("ratio"),
                verdict="MISS" if misses else "PASS",
                note="; ".join([*misses, *_problems(page, floor)]),
            )
            rows.append(row)
        generation = _generation_row(size, entry.get("build") or {})
        if generation:
            rows.append(generation)
        if entry.get("http_error"):
            rows.append(
                {"size": int(size), "name": "(gunicorn)", "verdict": "ERROR", "note": entry["http_error"]}
            )
        rss = entry.get("worker_peak_rss_mb")
        if rss is not None:
            misses = targets.memory_misses(rss)
            rows.append(
                {
                    "size": int(size),
                    "name": "worker_peak_rss_mb",
                    "p50_ms": None,
                    "value": rss,
                    "verdict": "MISS" if misses else "PASS",
                    "note": "; ".join(misses) or f"{rss:.0f} MB",
                }
            )
        gunicorn_rss = entry.get("gunicorn_worker_peak_rss_mb")
        if gunicorn_rss is not None:
            misses = targets.memory_misses(gunicorn_rss)
            rows.append(
                {
                    "size": int(size),
                    "name": "gunicorn_worker_peak_rss_mb",
                    "value": gunicorn_rss,
                    "verdict": "MISS" if misses else "PASS",
                    "note": "; ".join(misses) or f"{gunicorn_rss:.0f} MB",
                }
            )
    return rows


def _job_rows(jobs: dict) -> list[dict]:
    rows: list[dict] = []
    for name, job in jobs.items():
        row = {"size": job.get("size"), "name": name}
        if job.get("status") != "ok":
            row.update(verdict=job.get("status", "error").upper(), note=job.get("reason", ""))
        else:
            misses = targets.job_misses(name, job)
            value_ms = job["mean_ms"] if name == "parse" else job["seconds"] * 1000
            speed = f"{job['rows_per_s']} rows/s" if job.get("rows_per_s") else ""
            row.update(
                p50_ms=round(value_ms, 2),
                verdict="MISS" if misses else "PASS",
                note="; ".join([*misses, speed] if speed else misses),
            )
        rows.append(row)
    return rows


COLUMNS = (
    "db", "size", "name", "p50 ms", "p95 ms", "cold p50", "cold p95", "sql p50", "cpu p50", "tpl p50",
    "cold sql", "cold cpu", "queries", "floor ms", "ratio", "http p50", "http p95", "target", "note",
)  # fmt: skip


def _cells(row: dict) -> list[str]:
    return [
        row.get("db", ""),
        _fmt(row.get("size")),
        row["name"],
        _fmt(row.get("p50_ms")),
        _fmt(row.get("p95_ms")),
        _fmt(row.get("cold_p50_ms")),
        _fmt(row.get("cold_p95_ms")),
        _fmt(row.get("sql_p50_ms")),
        _fmt(row.get("cpu_p50_ms")),
        _fmt(row.get("render_p50_ms")),
        _fmt(row.get("cold_sql_p50_ms")),
        _fmt(row.get("cold_cpu_p50_ms")),
        _fmt(row.get("queries")),
        _fmt(row.get("floor_ms"), 2),
        _fmt(row.get("ratio")),
        _fmt(row.get("http_p50_ms")),
        _fmt(row.get("http_p95_ms")),
        row.get("verdict", ""),
        (row.get("note") or "").replace("\n", " ")[:120],
    ]


def text_table(rows: list[dict]) -> str:
    cells = [list(COLUMNS)] + [_cells(r) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(c[i].ljust(widths[i]) for i in range(len(COLUMNS))).rstrip() for c in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(c.replace("|", "/") for c in _cells(row)) + " |")
    return "\n".join(lines)


def machine_line(machine: dict) -> str:
    return (
        f"{machine['cpu']}, {machine['cores']} cores, Python {machine['python']}, "
        f"SQLite {machine['sqlite']}, Django {machine['django']}"
    )


def write_json(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")


README_HEAD = """# CoinStack benchmark

`manage.py benchmark` builds one fresh SQLite database per size (`migrate` and
`generate_collection --coins N --lots N*lots_per_coin --no-images`, each in a child process with its
own `DATABASE_URL`). A child worker (DEBUG off, logged in as a superuser) then measures each page
through Django's test client (full middleware stack and templates, no socket): one warm-up request,
three untimed requests counted with `CaptureQueriesContext`, then `--repeat` timed requests
(`p50`/`p95`), then 10 more with the cache emptied before each (`cold`: the first visit after a
write, which changes the data version and so misses the cache); the coin detail page gets a random
coin each time. `sql p50` is the time a request spent in SQL, `cpu p50` the measuring process's CPU
time (SQLite runs in it; a busy machine disturbs CPU time less than wall time), `tpl p50` the time
spent rendering the page's template (Django's and the Jinja2 fragments inside it, the SQL they ran
left out): with `sql p50`, where a request's time goes; `cold sql` and `cold cpu` the SQL and CPU
time right after a write. The same worker then starts gunicorn (one sync
worker) on 127.0.0.1 and times the same pages over HTTP (`http p50` / `http p95`). With
`--database-url postgres://...` every size is built (`generate_rows_per_s`: coins and lots written
per second) and measured again in a PostgreSQL database of its own, and the import timed there too.

The floor is the same rows fetched by one raw SQL query through Python's `sqlite3` (the columns a
list row shows, the page's own ORDER BY / LIMIT / OFFSET; FTS5 MATCH for the search); `ratio` is
page p50 / floor p50. Memory is the peak resident set size of the measuring worker and of the
gunicorn worker after every page of a size. Import, backup and parse rows are:
`import_collection` of a generated 10,000-row sheet in the owner's column layout (wall time, fresh
database), `backup --no-media` of the largest database (wall time), and parsing the saved lot pages
of `shared/fixtures` with the house parsers plus `parse_description` (mean ms per page; each page's
own mean is in the JSON). The load average during each size is recorded: on a busy machine every
number is higher, so compare tables taken under similar load.

```
DEBUG=1 .venv/bin/python manage.py benchmark              # 1,000 / 10,000 / 100,000 coins, 30 repeats
DEBUG=1 .venv/bin/python manage.py benchmark --sizes 1000 --repeat 5 --out /tmp/quick.json --readme ''
DEBUG=1 .venv/bin/python manage.py benchmark --keep-dbs /tmp/bench-dbs   # keep, and reuse while
                                        # migrations and the generator are unchanged
DEBUG=1 .venv/bin/python manage.py benchmark --sizes 100000 --database-url postgres://postgres@127.0.0.1:5432/bench
DEBUG=1 .venv/bin/python manage.py benchmark --sizes 100000 --lots-per-coin 10 --skip import,backup,parse
DEBUG=1 .venv/bin/python -m ops.benchmark.profile --db /tmp/bench-dbs/coins-100000.sqlite3 /stats/
```

(`DEBUG=1` only lets the parent process start without a SECRET_KEY; every measured process runs with
DEBUG off and a throwaway key.)

Targets (issue 19, "Speed"): list, filtered list page 3, search, page 1000, coin detail, statistics,
lot list and lot search p50 < 10 ms, and < 20 ms right after a write (statistics < 40 ms); from the
issue "Performance at collection and market scale": p95 < 150 ms at 100,000 coins; the same
number of queries at every size; list and search within 5x the floor; import of 10,000 rows < 30 s;
backup < 10 s; lot page parse < 20 ms; worker under 200 MB.
"""


def load_line(results: dict) -> str:
    """The 1-minute load average while each size was measured (before, after): a busy machine
    inflates every timing, so a table is only comparable with one taken under similar load."""
    parts = [
        f"{prefix}{size} coins {entry['load_average_1min'][0]}-{entry['load_average_1min'][1]}"
        for prefix, sizes in (("", results["sizes"]), ("PostgreSQL ", results.get("postgresql") or {}))
        for size, entry in sorted(sizes.items(), key=lambda item: int(item[0]))
        if entry.get("load_average_1min")
    ]
    return "Load average during the page measurements: " + ", ".join(parts) if parts else ""


def write_readme(results: dict, rows: list[dict], path: Path) -> None:
    cores = results["machine"]["cores"]
    body = [
        README_HEAD,
        f"## Latest run ({results['generated_at']})\n",
        f"Machine: {machine_line(results['machine'])}.  ",
        f"{load_line(results)} (on {cores} cores).  ",
        f"Options: `{results['command']}`.\n",
        markdown_table(rows),
        "",
        f"Raw numbers: `{results.get('json_path', 'bench/results/latest.json')}`.",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(body))
