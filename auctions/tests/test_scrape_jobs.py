"""Web-triggered scrapes are background jobs: queued in the request, run by the worker, followed by
their page (htmx polling), and kept for staff to read. One test runs the real `manage.py db_worker`
as a separate process on the test database (SQLite file or PostgreSQL), as scripts/dev.sh does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.urls import reverse

from auctions.jobs import queue_scrape, run_scrape_job
from auctions.models import AuctionLot, ScrapeJob
from auctions.tests.jobs_helpers import page_without_images, run_queued_jobs
from auctions.tests.test_scraping_store import FIXTURES, at, web  # noqa: F401  (web is a fixture)
from catalog.tests.factories import make_coin

BASE = Path(settings.BASE_DIR)


def _database_url() -> str:
    """The test database as a DATABASE_URL, for a worker process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_runs_the_job_the_admin_queued(admin_client, httpserver, tmp_path):
    httpserver.expect_request("/robots.txt").respond_with_data("")
    httpserver.expect_request("/lot/88").respond_with_data(page_without_images(), content_type="text/html")
    url = httpserver.url_for("/lot/88")
    response = admin_client.post(reverse("admin:auctions_auctionlot_scrape"), {"url": url})
    job = ScrapeJob.objects.get()
    assert response.url == reverse("admin:auctions_scrapejob_change", args=[job.pk])
    assert job.status == "queued" and AuctionLot.objects.count() == 0

    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(
        {
            "DATABASE_URL": _database_url(),
            "DEBUG": "1",
            "COINSTACK_DATA_DIR": str(tmp_path),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "COINSTACK_SCRAPER_ALLOW_PRIVATE": "1",
            "COINSTACK_SCRAPER_MIN_INTERVAL": "0",
        }
    )
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stdout + worker.stderr

    job.refresh_from_db()
    assert (job.status, job.summary) == ("done", "1 created, 0 updated, 0 unchanged, 0 failed, 0 blocked")
    lot = AuctionLot.objects.get()
    assert (lot.url, lot.hammer_price) == (url, 520)
    assert job.lines == [
        {"url": url, "outcome": "created", "message": lot.house.name + " lot 88", "lot_id": lot.pk,
         "refused_move": False}
    ]  # fmt: skip
    page = admin_client.get(reverse("admin:auctions_scrapejob_change", args=[job.pk])).content.decode()
    assert 'data-status="done"' in page and "hx-trigger" not in page


@pytest.mark.django_db
def test_the_job_page_polls_shows_progress_and_names_a_missing_worker(admin_client):
    job = queue_scrape("url", [("https://shop.example/lot/1", None, None)])
    page = admin_client.get(reverse("admin:auctions_scrapejob_change", args=[job.pk])).content.decode()
    status_url = reverse("admin:auctions_scrapejob_status", args=[job.pk])
    assert f'hx-get="{status_url}"' in page and "js/htmx.min.js" in page
    assert "Is the worker running?" not in page
    ScrapeJob.objects.filter(pk=job.pk).update(created_at=job.created_at - timedelta(minutes=2))
    fragment = admin_client.get(status_url).content.decode()
    assert "Is the worker running?" in fragment and "manage.py db_worker" in fragment
    assert "waiting" in fragment and "https://shop.example/lot/1" in fragment


@pytest.mark.django_db
def test_a_coin_deleted_while_its_job_waited_is_one_failed_line(web):  # noqa: F811
    coin = make_coin()
    job = queue_scrape("acquisition", [(at(web, "shop.example", "/lot/1"), coin.pk, "acquisition")])
    coin.delete()
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == "done" and job.lines[0]["outcome"] == "failed"
    assert "no longer exists" in job.lines[0]["message"]
    assert AuctionLot.objects.count() == 0


@pytest.mark.django_db
def test_a_job_runs_once_even_if_its_task_runs_twice(web):  # noqa: F811
    web.expect_request("/lot/88").respond_with_data(
        (FIXTURES / "generic-opengraph.html").read_bytes(), content_type="text/html"
    )
    job = queue_scrape("url", [(at(web, "smallhouse.example", "/lot/88"), None, None)])
    run_queued_jobs()
    requests = len(web.log)
    run_scrape_job.call(job.pk)
    assert len(web.log) == requests


@pytest.mark.django_db
def test_jobs_are_for_staff_who_may_see_them(client):
    job = queue_scrape("url", [("https://shop.example/lot/1", None, None)])
    page = reverse("admin:auctions_scrapejob_change", args=[job.pk])
    staff = User.objects.create_user("curator", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:auctions_scrapejob_status", args=[job.pk])).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_scrapejob"))
    assert client.get(page).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("jobs", [1, 30])
def test_job_list_query_count_does_not_grow_with_jobs(admin_client, django_assert_num_queries, jobs):
    user = User.objects.get(username="admin")
    for n in range(jobs):
        job = queue_scrape("url", [(f"https://shop.example/lot/{n}", None, None)], user=user)
    assert job.requested_by == user
    admin_client.get(reverse("admin:auctions_scrapejob_changelist"))  # warm the session
    with django_assert_num_queries(4):
        response = admin_client.get(reverse("admin:auctions_scrapejob_changelist"))
    assert response.content.decode().count('class="field-kind"') == jobs  # one row per job, each named


def test_queueing_refuses_an_empty_or_oversized_job(db):
    with pytest.raises(ValueError, match="at least one URL"):
        queue_scrape("url", [])
    with pytest.raises(ValueError, match="at most 200"):
        queue_scrape("url", [(f"https://shop.example/{n}", None, None) for n in range(201)])
    assert ScrapeJob.objects.count() == 0
