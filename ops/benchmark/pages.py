"""The pages the issue names, and the loop that times them through Django's test client.

Requests are made as HTTPS (secure=True), as production serves them: with DEBUG off the settings
redirect plain HTTP, and timing a redirect would measure nothing.

The test client runs the full middleware stack (sessions, auth, CSRF, messages, HTMX) and the
templates, but no HTTP server or socket: numbers are what the application costs, not the network.
Query counts come from untimed requests under CaptureQueriesContext, because recording every
query's SQL text (what the context manager does) would itself slow the timed requests down.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.template.backends.django import Template as DjangoBackendTemplate
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .stats import summarize_ms

# How many untimed, query-counting requests each page gets; detail pages get a different coin each
# time, so a count that depends on the coin shows up as a range.
COUNT_RUNS = 3
# How many timed requests each page also gets with an empty cache ("cold": the first visit after a write).
COLD_RUNS = 10


@dataclass(frozen=True)
class Page:
    name: str
    # The path, or a template with {id} (coin detail) or {page} (deep page) filled in per request.
    path: str
    # Which floor query (floor.py) stands for this page, if any.
    floor: str = ""


PAGES: tuple[Page, ...] = (
    Page("home", "/"),
    Page("coin_list", "/coins/", floor="list"),
    # The "category + metal, sorted by year, page 3".
    Page("coin_list_filtered", "/coins/?metal=silver&category=roman_imperial&sort=-year&page=3", "filtered"),
    Page("coin_search", "/coins/?q=CAES", floor="search"),
    # A filter the kept counts do not serve (a grade): right after a write its coins come first
    # and its facet counts in a second request (FacetMixin.counts_wait), timed on its own.
    Page("coin_list_graded", "/coins/?metal=silver&grade_min=VF"),
    Page("coin_list_deep", "/coins/?page={page}"),
    # A coin's page shows its lots and value from the cache, or asks for them in a second request
    # (catalog.coin_lots): a random coin's first visit does, so the section is timed on its own.
    Page("coin_detail", "/coins/{id}/"),
    Page("coin_detail_lots", "/coins/{id}/lots/"),
    Page("stats", "/stats/"),
    Page("auction_list", "/auctions/?status=sold"),
    Page("lot_search", "/auctions/?q=denarius"),
    # A text search right after a write shows its results first and asks for its facet counts in
    # a second request (coinstack.listing.facets_later): what that request costs, cold (the count
    # over every match) and warm (from the cache the search's next page reads too).
    Page("coin_search_facets", "/coins/facets/?q=CAES"),
    Page("lot_search_facets", "/auctions/facets/?q=denarius"),
    Page("coin_list_graded_facets", "/coins/facets/?metal=silver&grade_min=VF"),
)

DEEP_PAGE = 1000


def _get(client: Client, path: str):
    """GET `path`; a page that does not answer 200 is broken (RuntimeError)."""
    response = client.get(path, secure=True)
    if response.status_code != 200:
        where = response.headers.get("Location", "")
        raise RuntimeError(f"{path} answered {response.status_code} {where}".strip())
    return response


def page_paths(page: Page, coin_ids: list[int], rng: random.Random) -> Callable[[], str]:
    """A function giving the path for the next request of `page` (a random coin for detail pages).

    The deep page is page DEEP_PAGE: the list serves a page past the end as its last page."""
    if "{id}" in page.path:
        return lambda: page.path.format(id=rng.choice(coin_ids))
    if "{page}" in page.path:
        return lambda: page.path.format(page=DEEP_PAGE)
    return lambda: page.path


def measure_page(client: Client, next_path: Callable[[], str], repeat: int) -> dict:
    """Time `repeat` requests after one warm-up; count queries on COUNT_RUNS more.

    The warm-up pays the one-off costs (template compilation, URL resolver, SQLite page cache) that
    a long-running worker pays once, not per visitor. The captured SQL of the first counted run is
    kept so the floor can copy its ORDER BY and LIMIT.
    """
    _get(client, next_path())
    counts: list[int] = []
    captured: list[str] = []
    for _ in range(COUNT_RUNS):
        with CaptureQueriesContext(connection) as ctx:
            _get(client, next_path())
        counts.append(len(ctx.captured_queries))
        if not captured:
            captured = [q["sql"] for q in ctx.captured_queries]
    warm = _timed(client, next_path, repeat)
    # Repeated requests find facet counts, totals and stats in the data-version cache. The first
    # visit after any write finds nothing there: time that too, with the cache emptied each time.
    cold = _timed(client, next_path, min(repeat, COLD_RUNS), clear_cache=True)
    cold_summary = summarize_ms(cold.wall)
    return {
        "status": "ok",
        **summarize_ms(warm.wall),
        "cold_p50_ms": cold_summary["p50_ms"],
        "cold_p95_ms": cold_summary["p95_ms"],
        # Where the time goes: in the database (SQL, round trip included) and in this process's CPU
        # (SQLite runs in-process, so its work counts there too). CPU time is steadier than wall
        # time on a busy machine: other processes delay a request, they do not add to its CPU.
        "sql_p50_ms": summarize_ms(warm.sql)["p50_ms"],
        "cpu_p50_ms": summarize_ms(warm.cpu)["p50_ms"],
        "cold_sql_p50_ms": summarize_ms(cold.sql)["p50_ms"],
        "cold_cpu_p50_ms": summarize_ms(cold.cpu)["p50_ms"],
        # Of the warm and cold wall time, how much went into rendering the template (SQL excluded).
        "render_p50_ms": summarize_ms(warm.render)["p50_ms"],
        "cold_render_p50_ms": summarize_ms(cold.render)["p50_ms"],
        "queries": max(counts),
        "queries_min": min(counts),
        "repeat": repeat,
        "sql": captured,
    }


@dataclass
class Timings:
    """Seconds per request: wall clock, time spent in SQL, this process's CPU time, and the time spent
    rendering the page's template (SQL run from inside the template left out: that is in `sql`)."""

    wall: list[float]
    sql: list[float]
    cpu: list[float]
    render: list[float]


class RenderClock:
    """Times the top-level template renders of a request (Django's template backend: a page, or an
    HTMX partial; included templates and Jinja2 fragments run inside it), less the SQL they ran."""

    def __init__(self):
        self.seconds = 0.0
        self.sql_inside = 0.0
        self.depth = 0

    @contextmanager
    def installed(self):
        original = DjangoBackendTemplate.render
        clock = self

        def render(template, context=None, request=None):
            clock.depth += 1
            started = time.perf_counter()
            try:
                return original(template, context, request)
            finally:
                clock.depth -= 1
                if clock.depth == 0:
                    clock.seconds += time.perf_counter() - started

        DjangoBackendTemplate.render = render
        try:
            yield self
        finally:
            DjangoBackendTemplate.render = original

    def reset(self) -> None:
        self.seconds = self.sql_inside = 0.0

    @property
    def without_sql(self) -> float:
        return max(0.0, self.seconds - self.sql_inside)


def _timed(client: Client, next_path: Callable[[], str], runs: int, clear_cache: bool = False) -> Timings:
    timings = Timings([], [], [], [])
    in_sql: list[float] = []
    clock = RenderClock()

    def timed_query(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            in_sql.append(elapsed)
            if clock.depth:
                clock.sql_inside += elapsed

    with connection.execute_wrapper(timed_query), clock.installed():
        for _ in range(runs):
            path = next_path()
            if clear_cache:
                cache.clear()
            in_sql.clear()
            clock.reset()
            started, cpu_started = time.perf_counter(), time.process_time()
            _get(client, path)
            timings.wall.append(time.perf_counter() - started)
            timings.cpu.append(time.process_time() - cpu_started)
            timings.sql.append(sum(in_sql))
            timings.render.append(clock.without_sql)
    return timings


def measure_pages(client: Client, coin_ids: list[int], repeat: int, seed: int = 0) -> dict[str, dict]:
    """Measure every page in PAGES; a broken page is reported as an error, not crashed on."""
    rng = random.Random(seed)
    results: dict[str, dict] = {}
    for page in PAGES:
        if "{id}" in page.path and not coin_ids:
            results[page.name] = {"status": "error", "reason": "no coins in the database"}
            continue
        path_for = page_paths(page, coin_ids, rng)
        try:
            result = measure_page(client, path_for, repeat)
        except Exception as exc:  # a broken page must not hide the others' numbers
            results[page.name] = {"status": "error", "reason": f"{type(exc).__name__}: {exc}"[:500]}
            continue
        result["path"] = path_for() if "{id}" not in page.path else page.path
        results[page.name] = result
    return results
