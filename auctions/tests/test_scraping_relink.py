"""`scrape --coin` and the admin never move a lot that another coin holds, unless told to.

Without --relink (in the admin: the "Move the lot to this coin" tick) the URL fails with a line that
names the coin holding the lot, and nothing is written; with it, the lot moves and the line says so.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from auctions.models import AuctionLot, ScrapeJob
from auctions.tests.jobs_helpers import run_queued_jobs
from auctions.tests.test_scraping_store import FIXTURES, at, run, web  # noqa: F401  (web is a fixture)
from catalog.tests.factories import make_coin

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot_page(web):  # noqa: F811
    web.expect_request("/lot/88").respond_with_data(
        (FIXTURES / "generic-opengraph.html").read_bytes(), content_type="text/html"
    )
    return at(web, "smallhouse.example", "/lot/88")


def test_scrape_coin_refuses_to_move_a_lot_held_by_another_coin(lot_page):
    first = make_coin(inventory_number="R-001")
    second = make_coin(inventory_number="R-002")
    output, failed = run("scrape", lot_page, "--coin", str(first.pk), "--role", "acquisition", "--no-images")
    assert not failed, output

    output, failed = run("scrape", lot_page, "--coin", str(second.pk), "--refresh", "--no-images")

    assert failed
    line = next(line for line in output.splitlines() if line.startswith("failed"))
    assert f"linked to coin {first.pk} (R-001)" in line and "--relink" in line
    assert "0 created, 0 updated, 0 unchanged, 1 failed" in output
    lot = AuctionLot.objects.get()
    assert (lot.coin_id, lot.coin_role) == (first.pk, "acquisition")


def test_a_closed_lot_already_stored_is_not_moved_either(lot_page):
    first, second = make_coin(inventory_number="R-001"), make_coin(inventory_number="R-002")
    run("scrape", lot_page, "--coin", str(first.pk), "--no-images")
    assert AuctionLot.objects.get().status == "sold"  # closed: the next scrape does not fetch it
    output, failed = run("scrape", lot_page, "--coin", str(second.pk), "--no-images")
    assert failed and "(R-001)" in output
    assert AuctionLot.objects.get().coin_id == first.pk


def test_relink_moves_the_lot_and_says_from_where(lot_page):
    first, second = make_coin(inventory_number="R-001"), make_coin(inventory_number="R-002")
    run("scrape", lot_page, "--coin", str(first.pk), "--role", "acquisition", "--no-images")
    output, failed = run(
        "scrape", lot_page, "--coin", str(second.pk), "--role", "comparable", "--relink", "--no-images"
    )
    assert not failed, output
    line = next(line for line in output.splitlines() if line.startswith("updated"))
    assert f"coin: coin {first.pk} → coin {second.pk} (R-002)" in line
    assert "coin_role: acquisition → comparable" in line
    lot = AuctionLot.objects.get()
    assert (lot.coin_id, lot.coin_role) == (second.pk, "comparable")


def test_linking_an_unlinked_lot_or_the_same_coin_needs_no_relink(lot_page):
    coin = make_coin(inventory_number="R-001")
    run("scrape", lot_page, "--no-images")
    output, failed = run("scrape", lot_page, "--coin", str(coin.pk), "--no-images")
    assert not failed, output
    output, failed = run("scrape", lot_page, "--coin", str(coin.pk), "--role", "provenance", "--no-images")
    assert not failed, output
    assert (AuctionLot.objects.get().coin_id, AuctionLot.objects.get().coin_role) == (coin.pk, "provenance")


def test_relink_without_coin_is_a_usage_error(lot_page):
    output, failed = run("scrape", lot_page, "--relink")
    assert failed and "--relink needs --coin" in output


def test_the_admin_asks_before_moving_a_lot_and_moves_it_when_told(admin_client, lot_page):
    first, second = make_coin(inventory_number="R-001"), make_coin(inventory_number="R-002")
    run("scrape", lot_page, "--coin", str(first.pk), "--no-images")
    scrape = reverse("admin:auctions_auctionlot_scrape")

    refused = admin_client.post(scrape, {"url": lot_page, "coin": second.pk, "refresh": "on"})

    assert refused.status_code == 200  # the form again, with the reason
    assert f"linked to coin {first.pk} (R-001)" in refused.content.decode()
    assert ScrapeJob.objects.count() == 0

    moved = admin_client.post(scrape, {"url": lot_page, "coin": second.pk, "refresh": "on", "relink": "on"})
    assert moved.status_code == 302
    run_queued_jobs()
    assert AuctionLot.objects.get().coin_id == second.pk
    page = admin_client.get(moved.url).content.decode()
    assert f"coin: coin {first.pk} → coin {second.pk} (R-002)" in page


def test_a_job_that_meets_a_lot_held_elsewhere_offers_the_explicit_move(admin_client, lot_page):
    first, second = make_coin(inventory_number="R-001"), make_coin(inventory_number="R-002")
    run("scrape", lot_page, "--coin", str(first.pk), "--no-images")
    second.acquisition_url = lot_page
    second.save()
    response = admin_client.post(
        reverse("admin:catalog_coin_changelist"),
        {"action": "scrape_acquisition_url", ACTION_CHECKBOX_NAME: [second.pk]},
    )
    run_queued_jobs()
    assert AuctionLot.objects.get().coin_id == first.pk  # not moved
    page = admin_client.get(response.url).content.decode()
    assert "(R-001)" in page and "Move it to this coin" in page and "relink=on" in page
