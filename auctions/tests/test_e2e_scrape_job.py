"""End-to-end: a scrape asked for in the admin is followed by its page in a real browser.

The form queues the job and the browser lands on the job's page at once; the worker then runs the
job, and the page (htmx polling, no reload) changes from "Waiting for the worker" to "Done" with the
outcome line, without a console error (a CSP-blocked script would show up there).
"""

import re

from django.contrib.auth.models import User

from auctions.models import AuctionLot, ScrapeJob
from auctions.tests.jobs_helpers import page_without_images, run_queued_jobs
from catalog.tests.test_e2e_browser import browser, pytestmark  # noqa: F401  (browser is a fixture)

PASSWORD = "correct-horse-battery-staple"  # test-only account


def test_the_job_page_follows_the_job_until_it_is_done(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    httpserver,
    settings,
    tmp_path,
):
    from playwright.sync_api import expect

    settings.COINSTACK_SCRAPER_ALLOW_PRIVATE = True
    settings.COINSTACK_SCRAPER_STATE_DIR = tmp_path / "state"
    settings.COINSTACK_SCRAPER_MIN_INTERVAL = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    httpserver.expect_request("/robots.txt").respond_with_data("")
    httpserver.expect_request("/lot/88").respond_with_data(page_without_images(), content_type="text/html")
    User.objects.create_superuser("curator", "curator@example.org", PASSWORD)
    page = browser.new_context().new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The admin links no favicon, so the browser asks for /favicon.ico and logs its 404: not ours.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))

    page.goto(f"{live_server.url}/admin/login/?next=/admin/auctions/auctionlot/scrape/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/scrape/$"))
    page.fill("#id_url", httpserver.url_for("/lot/88"))
    page.click("input[type=submit][value=Scrape]")
    page.wait_for_url(re.compile(r"/admin/auctions/scrapejob/\d+/change/$"))
    expect(page.locator(".scrape-job-state")).to_have_text("Waiting for the worker")
    page.evaluate("window.__sameDocument = true")

    run_queued_jobs()

    expect(page.locator(".scrape-job-state")).to_have_text("Done", timeout=15_000)
    assert page.evaluate("window.__sameDocument") is True  # updated in place, not reloaded
    expect(page.locator("tr.outcome-created")).to_contain_text("Small Auction House lot 88")
    assert ScrapeJob.objects.get().status == "done" and AuctionLot.objects.count() == 1
    assert errors == []
