"""Scrapes asked for on a web page run as background jobs, never inside the request.

A scrape waits politely between requests to one house and may meet a slow or hostile server, so it
can take longer than a web worker may hold a request (gunicorn kills it at 30 s). The admin's
"Scrape a lot by URL", "Scrape the selected lots again" and the coin list's "Scrape the acquisition
URL" therefore only queue a ScrapeJob, in the same transaction as the page's other writes, and send
the browser to the job's page, which polls it with htmx until it is done.

The queue is Django's tasks API (django-tasks, the backport of django.tasks) on its database backend
(django-tasks-db): the job waits in the database and `python manage.py db_worker` runs it. The job
records one outcome line per URL as it goes (the same lines as `manage.py scrape`), so the page shows
progress and staff can read every job afterwards in the admin.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from catalog.models import Coin

from .models import ScrapeJob, ScrapeJobKind, ScrapeJobStatus
from .scraping.scrape import ScrapeOutcome, ScrapeReport, scrape_url

logger = logging.getLogger(__name__)

# One job is at most this many URLs: each is a polite, spaced-out request, and a page of outcome
# lines stays readable.
MAX_URLS_PER_JOB = 200


def queue_scrape(
    kind: str,
    items: Iterable[tuple[str, int | None, str | None]],
    *,
    user=None,
    refresh: bool = False,
    relink: bool = False,
    download_images: bool = True,
) -> ScrapeJob:
    """Queue one job for (url, coin id, role) items and return it (its page polls it).

    The job row and the task's row are written in one transaction: either both exist (the worker
    will run the job) or neither.
    """
    rows = [{"url": url, "coin": coin_id, "role": role or ""} for url, coin_id, role in items]
    if not rows:
        raise ValueError("A scrape job needs at least one URL.")
    if len(rows) > MAX_URLS_PER_JOB:
        raise ValueError(f"A scrape job takes at most {MAX_URLS_PER_JOB} URLs ({len(rows)} given).")
    if kind not in ScrapeJobKind.values:
        raise ValueError(f"Unknown kind of scrape job {kind!r}.")
    with transaction.atomic():
        job = ScrapeJob.objects.create(
            kind=kind,
            items=rows,
            refresh=refresh,
            relink=relink,
            download_images=download_images,
            requested_by=user if user is not None and user.is_authenticated else None,
        )
        result = run_scrape_job.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
    return job


@task()
def run_scrape_job(job_id: int) -> str:
    """Run one queued job: each URL in turn, its outcome line saved as soon as it is known."""
    job = ScrapeJob.objects.filter(pk=job_id).first()
    if job is None:
        return f"job {job_id} no longer exists"  # deleted while it waited
    if job.finished:
        return job.summary  # already run (a second worker, a task run twice)
    job.status, job.started_at, job.lines = ScrapeJobStatus.RUNNING, timezone.now(), []
    job.save(update_fields=["status", "started_at", "lines"])
    report = ScrapeReport()
    try:
        for item in job.items:
            outcome = _scrape_item(job, item)
            report.add(outcome)
            job.lines.append(outcome.as_dict())
            job.save(update_fields=["lines"])
    except BaseException as exc:
        # Every URL's own failure is already an outcome line; this is the job itself breaking (the
        # database went away, the worker was told to stop). Say so on the job, then let the task
        # library record it too.
        job.status, job.finished_at = ScrapeJobStatus.FAILED, timezone.now()
        job.error = f"{type(exc).__name__}: {exc}"[:2000]
        job.summary = report.summary()
        job.save(update_fields=["status", "finished_at", "error", "summary"])
        raise
    job.status, job.finished_at, job.summary = ScrapeJobStatus.DONE, timezone.now(), report.summary()
    job.save(update_fields=["status", "finished_at", "summary"])
    return job.summary


def _scrape_item(job: ScrapeJob, item: dict) -> ScrapeOutcome:
    url = str(item.get("url", ""))
    coin = None
    if item.get("coin") is not None:
        coin = Coin.objects.filter(pk=item["coin"]).first()
        if coin is None:
            return ScrapeOutcome(url, "failed", f"coin {item['coin']} no longer exists; nothing was scraped.")
    return scrape_url(
        url,
        coin=coin,
        role=item.get("role") or None,
        refresh=job.refresh,
        relink=job.relink,
        download_images=job.download_images,
    )


def outcome_lines(job: ScrapeJob) -> list[ScrapeOutcome]:
    """The job's outcomes so far, as the objects the commands print."""
    return [ScrapeOutcome.from_dict(line) for line in job.lines]
