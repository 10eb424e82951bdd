"""The batch jobs the issue times: import a 10,000-row spreadsheet, back up, parse 1,000 lot pages.

Import and backup run the real management commands in a child process (wall time, as a user waits
for it); parsing runs in this process, since parsers are pure functions of (content, url).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections import defaultdict
from pathlib import Path

from numismatics.description import parse_description

from .environment import ChildFailed, child_env, manage_cmd, run_child
from .spreadsheet import write_spreadsheet


def _count(db_path: Path, table: str) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608 - fixed names


def time_import(workdir: Path, rows: int, seed: int, database_url: str | None = None) -> dict:
    """Import a `rows`-row spreadsheet into a fresh, migrated database; time the import alone.
    The database is an SQLite file in `workdir`, or the PostgreSQL database `database_url` (dropped
    and created again first)."""
    from .dbbuild import recreate_postgres

    db_path: Path | str
    if database_url:
        db_path = database_url
        recreate_postgres(database_url)
    else:
        db_path = workdir / "import.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    sheet = write_spreadsheet(workdir / f"collection-{rows}.xlsx", rows, seed)
    env = child_env(db_path, workdir)
    run_child(manage_cmd("migrate", "--noinput", "-v", "0"), env)
    try:
        seconds, output = run_child(manage_cmd("import_collection", str(sheet)), env)
    except ChildFailed as exc:
        return {"status": "error", "reason": str(exc)[-600:]}
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return {
        "status": "ok",
        "seconds": round(seconds, 2),
        "rows": rows,
        "rows_per_s": round(rows / seconds) if seconds else None,
        "coins_in_db": None if database_url else _count(db_path, "catalog_coin"),
        "summary": lines[-1][:300] if lines else "",
    }


def time_backup(db_path: Path, workdir: Path) -> dict:
    """`manage.py backup --dest DIR --no-media` on an existing database."""
    dest = workdir / "backup-out"
    dest.mkdir(parents=True, exist_ok=True)
    env = child_env(db_path, workdir)
    try:
        seconds, output = run_child(manage_cmd("backup", "--dest", str(dest), "--no-media"), env)
    except ChildFailed as exc:
        return {"status": "error", "reason": str(exc)[-600:]}
    produced = [p for p in dest.rglob("*") if p.is_file()]
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return {
        "status": "ok",
        "seconds": round(seconds, 2),
        "db_mb": round(db_path.stat().st_size / 1e6, 1),
        "backup_mb": round(sum(p.stat().st_size for p in produced) / 1e6, 1),
        "summary": lines[-1][:300] if lines else "",
    }


# --- parsing ---------------------------------------------------------------------------------------


def shared_dir() -> Path:
    """Same rule as conftest.shared_dir: $COINSTACK_SHARED, else ../shared beside the repository."""
    from django.conf import settings

    return Path(os.environ.get("COINSTACK_SHARED", Path(settings.BASE_DIR).parent / "shared"))


_BIDDR_LOT = re.compile(r"^(?P<slug>.+)-a(?P<sale>\d+)-l(?P<lot>\d+)$")
_NUMISBIDS_LOT = re.compile(r"^s(?P<sale>\d+)-lot(?P<lot>\d+)(?:-.*)?$")
_SIXBID_LOT = re.compile(r"^(?P<slug>.+)-a(?P<sale>\d+)-lot(?P<lot>\d+)$")


def _fixture_url(name: str) -> str | None:
    """The lot URL a saved lot page came from, rebuilt from its file name (house__ids.ext).

    Sale listings (several lots on one page) are not lot pages and get None.
    """
    stem = name.rsplit(".", 1)[0]
    house, _, ids = stem.partition("__")
    if house == "biddr" and (m := _BIDDR_LOT.match(ids)):
        return f"https://www.biddr.com/auctions/{m['slug']}/browse?a={m['sale']}&l={m['lot']}"
    if house == "numisbids" and (m := _NUMISBIDS_LOT.match(ids)):
        return f"https://www.numisbids.com/n.php?p=lot&sid={m['sale']}&lot={m['lot']}"
    if house == "sixbid" and (m := _SIXBID_LOT.match(ids)):
        # The lot JSON's address: sale id, then "<lot id>-<slug>" (the slug is not read).
        return f"https://www.sixbid.com/en/{m['slug']}/{m['sale']}/lot/{m['lot']}-lot"
    return None


def lot_pages(shared: Path) -> list[tuple[str, bytes]]:
    """(url, content) of every saved lot page: HTML lot pages and the text pages with known URLs."""
    pages: list[tuple[str, bytes]] = []
    html_dir = shared / "fixtures" / "auction-pages"
    if html_dir.is_dir():
        for path in sorted(html_dir.iterdir()):
            url = _fixture_url(path.name)
            if url:
                pages.append((url, path.read_bytes()))
    sources = shared / "fixtures" / "lot-page-text" / "_sources.json"
    if sources.is_file():
        for entry in json.loads(sources.read_text()):
            path = sources.parent / entry["file"]
            if path.is_file():
                pages.append((entry["source"], path.read_bytes()))
    return pages


def parser_for(url: str):
    """The parser the scraper itself would pick for this URL (auctions.scraping.houses.recognise)."""
    from auctions.scraping.houses import recognise

    return recognise(url)


def time_parsing(pages: int, shared: Path | None = None) -> dict:
    """Parse `pages` lot pages (cycling through the saved ones) and each description; mean ms per page.

    A page no parser matches, or one its parser refuses, is counted and left out of the timing.
    """
    shared = shared or shared_dir()
    saved = lot_pages(shared)
    if not saved:
        return {"status": "missing", "reason": f"no saved lot pages under {shared}/fixtures"}
    usable, skipped = [], defaultdict(int)
    for url, content in saved:
        parser = parser_for(url)
        try:
            parser.parse_lot(content, url)
        except Exception as exc:  # a refused page is reported, not timed
            skipped[f"{parser.platform}: {type(exc).__name__}"] += 1
            continue
        usable.append((url, content, parser))
    if not usable:
        return {"status": "error", "reason": "no saved page could be parsed", "skipped": dict(skipped)}
    per_platform: dict[str, list[float]] = defaultdict(list)
    per_page: dict[str, list[float]] = defaultdict(list)
    started_all = time.perf_counter()
    for index in range(pages):
        url, content, parser = usable[index % len(usable)]
        started = time.perf_counter()
        lot = parser.parse_lot(content, url)
        if lot.description:
            parse_description(lot.description)
        elapsed = time.perf_counter() - started
        per_platform[parser.platform].append(elapsed)
        per_page[url].append(elapsed)
    total = time.perf_counter() - started_all
    sizes = {url: len(content) for url, content, _ in usable}
    return {
        "status": "ok",
        "pages": pages,
        "distinct_pages": len(usable),
        "mean_ms": round(total / pages * 1000, 2),
        "per_platform_mean_ms": {
            k: round(sum(v) / len(v) * 1000, 2) for k, v in sorted(per_platform.items())
        },
        # Saved pages differ a lot in size (a whole Biddr page, trimmed NumisBids blocks, text
        # excerpts), so the mean depends on the mix: each page's own mean is kept beside it.
        "per_page": [
            {"url": url, "bytes": sizes[url], "mean_ms": round(sum(v) / len(v) * 1000, 2)}
            for url, v in per_page.items()
        ],
        "skipped_pages": dict(skipped),
    }
