"""Staff scrape from the admin: one URL, the selected lots again, or a coin's acquisition URL.

Each is queued as a background job: the request writes the job and returns at once (no page is
fetched inside it), the worker runs it, and the job's page shows one outcome line per URL.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from auctions.models import AuctionLot, ScrapeJob
from auctions.tests.jobs_helpers import run_queued_jobs
from auctions.tests.test_scraping_store import FIXTURES, at, web  # noqa: F401  (web is a fixture)
from catalog.tests.factories import make_coin

pytestmark = pytest.mark.django_db


def serve_cng_lot(server) -> str:
    server.expect_request("/Coin.aspx").respond_with_data(
        (FIXTURES / "cng-coinaspx-lot.html").read_bytes(), content_type="text/html"
    )
    return at(server, "www.cngcoins.com", "/Coin.aspx?CoinID=60511")


def page_requests(server) -> list[str]:
    return [request.path for request, _ in server.log if request.path != "/robots.txt"]


def test_scrape_one_url_from_the_admin_is_queued_then_links_the_coin(admin_client, web):  # noqa: F811
    url = serve_cng_lot(web)
    coin = make_coin()
    page = admin_client.get(reverse("admin:auctions_auctionlot_changelist"))
    assert reverse("admin:auctions_auctionlot_scrape") in page.content.decode()
    response = admin_client.post(
        reverse("admin:auctions_auctionlot_scrape"), {"url": url, "coin": coin.pk, "role": "comparable"}
    )
    job = ScrapeJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:auctions_scrapejob_change", args=[job.pk])
    # Queued, not run: the request fetched nothing and wrote no lot.
    assert (job.status, page_requests(web), AuctionLot.objects.count()) == ("queued", [], 0)
    waiting = admin_client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "Waiting for the worker" in waiting

    run_queued_jobs()

    lot = AuctionLot.objects.get()
    assert (lot.coin, lot.coin_role, lot.weight_g is not None) == (coin, "comparable", True)
    job.refresh_from_db()
    assert job.status == "done" and job.summary.startswith("1 created")
    fragment = admin_client.get(reverse("admin:auctions_scrapejob_status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in fragment  # finished: the page stops polling
    assert "created" in fragment and url.replace("&", "&amp;") in fragment
    assert reverse("admin:auctions_auctionlot_change", args=[lot.pk]) in fragment


def test_scrape_a_coins_acquisition_url_from_the_coin_list(admin_client, web):  # noqa: F811
    coin = make_coin(acquisition_url=serve_cng_lot(web))
    response = admin_client.post(
        reverse("admin:catalog_coin_changelist"),
        {"action": "scrape_acquisition_url", ACTION_CHECKBOX_NAME: [coin.pk]},
    )
    job = ScrapeJob.objects.get()
    assert response.url == reverse("admin:auctions_scrapejob_change", args=[job.pk])
    assert page_requests(web) == []
    run_queued_jobs()
    lot = AuctionLot.objects.get()
    assert (lot.coin, lot.coin_role, lot.status) == (coin, "acquisition", "sold")


def test_rescrape_action_queues_the_selected_lots_with_their_own_coins(admin_client, web):  # noqa: F811
    web.expect_request("/lot/88").respond_with_data(
        (FIXTURES / "generic-opengraph.html").read_bytes(), content_type="text/html"
    )
    coin = make_coin()
    lot = AuctionLot.objects.create(url=at(web, "smallhouse.example", "/lot/88"), coin=coin)
    lot.coin_role = "provenance"
    lot.save()
    admin_client.post(
        reverse("admin:auctions_auctionlot_changelist"),
        {"action": "rescrape", ACTION_CHECKBOX_NAME: [lot.pk]},
    )
    job = ScrapeJob.objects.get()
    assert (job.kind, job.refresh, job.items) == (
        "rescrape",
        True,
        [{"url": lot.url, "coin": coin.pk, "role": "provenance"}],
    )
    run_queued_jobs()
    lot.refresh_from_db()
    assert (lot.coin, lot.coin_role, lot.status, lot.hammer_price) == (coin, "provenance", "sold", 520)


def test_a_failing_url_is_reported_on_the_job_page_and_writes_nothing(admin_client, web):  # noqa: F811
    web.expect_request("/Coin.aspx").respond_with_data("gone", status=404)
    response = admin_client.post(
        reverse("admin:auctions_auctionlot_scrape"),
        {"url": at(web, "www.cngcoins.com", "/Coin.aspx?CoinID=1")},
    )
    run_queued_jobs()
    page = admin_client.get(response.url).content.decode()
    assert "not found (HTTP 404)" in page and 'data-status="done"' in page
    assert AuctionLot.objects.count() == 0


def test_a_url_no_parser_reads_is_refused_by_the_form(admin_client):
    response = admin_client.post(reverse("admin:auctions_auctionlot_scrape"), {"url": "ftp://example.org/x"})
    assert response.status_code == 200 and ScrapeJob.objects.count() == 0
