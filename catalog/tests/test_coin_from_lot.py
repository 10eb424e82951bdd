"""Make a coin from a lot: every real saved lot page, stored by the scraper, becomes a coin with what
the lot states; repeated, nothing is written twice; the admin's button and action open the coin."""

import io
import json
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from auctions.models import AuctionLot, LotImage, LotReference
from auctions.scraping.scrape import scrape_saved_page
from catalog.coin_from_lot import make_coin_from_lot, purchase_total
from catalog.models import Coin, CoinImage, ProvenanceEvent, Reference
from catalog.tests.factories import make_coin, make_lot
from vocab.seed import load_vocabulary

pytestmark = pytest.mark.django_db


def saved_pages(shared) -> list[tuple]:
    folder = shared / "fixtures" / "lot-page-text-2"
    return [
        (folder / entry["file"], entry["source"])
        for entry in json.loads((folder / "_sources.json").read_text())
    ]


def store(path, url) -> AuctionLot:
    outcome = scrape_saved_page(path, url, download_images=False)
    assert outcome.ok, outcome.message
    return AuctionLot.objects.get(pk=outcome.lot_id)


def test_every_real_saved_lot_becomes_a_coin_with_what_the_lot_states(shared):
    load_vocabulary()
    for path, url in saved_pages(shared):
        lot = store(path, url)
        made = make_coin_from_lot(lot.pk)
        coin, lot = made.coin, AuctionLot.objects.get(pk=lot.pk)
        assert made.created, path.name
        assert (lot.coin_id, lot.coin_role) == (coin.pk, "acquisition"), path.name
        stated = ("year_start", "year_end", "weight_g", "diameter_mm", "die_axis", "metal", "grade_band")
        assert {f: getattr(coin, f) for f in stated} == {f: getattr(lot, f) for f in stated}, path.name
        assert coin.grade == lot.grade[:100]
        assert [r.citation_text for r in coin.references.all()] == [
            r.citation_text for r in lot.references.all()
        ], path.name
        assert (coin.acquisition_url, coin.acquisition_price) == (lot.url, purchase_total(lot))
        purchase = coin.provenance.order_by("order").last()
        assert (purchase.auction_lot_id, purchase.lot, purchase.url) == (lot.pk, lot.lot_number, lot.url)
        # Names the vocabulary knows become its terms; the others are named for the curator.
        for field, text in (("issuer", lot.issuer_text), ("mint", lot.mint_text)):
            term = getattr(coin, field)
            assert term is not None or not text or any(f'"{text}"' in note for note in made.notes), path.name


def test_a_real_lot_with_legends_a_slab_and_premium(shared):
    load_vocabulary()
    folder = shared / "fixtures" / "lot-page-text-2"
    lot = store(
        folder / "numisbids__sid6010-lot927-cng121.txt",
        "https://www.numisbids.com/n.php?p=lot&sid=6010&lot=927",
    )
    coin = make_coin_from_lot(lot.pk).coin
    assert (coin.issuer.name, coin.denomination.name, coin.metal) == ("Gallienus", "Aureus", "gold")
    assert (coin.obverse_legend, coin.reverse_legend) == ("GALLIENVS AVG", "AEQVITAS AVG")
    assert (coin.grading_state, coin.grade_service) == ("slabbed", "ngc")
    assert coin.category == "roman_imperial"  # RIC
    assert coin.acquisition_currency == "USD" and coin.acquisition_source == "CNG"
    if lot.buyers_premium_pct is not None:
        assert coin.acquisition_price == (lot.hammer_price * (1 + lot.buyers_premium_pct / 100)).quantize(
            Decimal("0.01")
        )
    assert Reference.objects.filter(coin=coin).count() == 3


def test_repeating_writes_nothing_and_returns_the_linked_coin(shared):
    folder = shared / "fixtures" / "lot-page-text-2"
    lot = store(folder / "kuenker__archiv-stueck-316699.txt", "https://kuenker.de/de/archiv/stueck/316699")
    first = make_coin_from_lot(lot.pk)
    counts = (Coin.objects.count(), Reference.objects.count(), ProvenanceEvent.objects.count())
    again = make_coin_from_lot(lot.pk)
    assert (again.created, again.coin.pk) == (False, first.coin.pk)
    assert (Coin.objects.count(), Reference.objects.count(), ProvenanceEvent.objects.count()) == counts


def _png(color) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_lot_s_stored_images_are_copied_in_order_the_first_primary(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    lot = make_lot(hammer_price=Decimal(100), currency="EUR", buyers_premium_pct=Decimal(20), status="sold")
    for position, color in enumerate(("red", "blue")):
        picture = LotImage(lot=lot, url=f"https://example.org/{color}.png", position=position, sha256=color)
        picture.image.save(f"{color}.png", ContentFile(_png(color)), save=False)
        picture.save()
    LotImage.objects.create(lot=lot, url="https://example.org/not-downloaded.jpg", position=2)
    coin = make_coin_from_lot(lot.pk).coin
    images = list(CoinImage.objects.filter(coin=coin).order_by("position"))
    assert [i.source_url for i in images] == [
        "https://example.org/red.png",
        "https://example.org/blue.png",
        "https://example.org/not-downloaded.jpg",
    ]
    assert [i.is_primary for i in images] == [True, False, False]
    assert images[0].image.name != lot.images.first().image.name and images[0].thumbnail
    assert not images[2].image
    assert coin.acquisition_price == Decimal("120.00")  # hammer plus the 20% premium


def test_the_admin_button_makes_the_coin_once_and_opens_it(admin_client):
    lot = make_lot(title="Augustus denarius", issuer_text="Augustus")
    page = admin_client.get(reverse("admin:auctions_auctionlot_change", args=[lot.pk]))
    assert "Make a coin from this lot" in page.text
    # The button posts the lot list's action for this lot.
    button = {"action": "make_coins_from_lots", "_selected_action": lot.pk, "index": "0"}
    changelist = reverse("admin:auctions_auctionlot_changelist")
    response = admin_client.post(changelist, button)
    coin = Coin.objects.get()
    assert response.url == reverse("admin:catalog_coin_change", args=[coin.pk])
    again = admin_client.post(changelist, button, follow=True)
    assert Coin.objects.count() == 1
    assert "already linked to" in again.text
    assert (
        "Open its coin" in admin_client.get(reverse("admin:auctions_auctionlot_change", args=[lot.pk])).text
    )


def test_the_admin_action_opens_the_coin_of_one_lot_and_skips_linked_lots(admin_client):
    owned = make_coin(inventory_number="A-1")
    linked = make_lot(url="https://www.ebay.com/itm/1", coin=owned, coin_role="acquisition")
    fresh = make_lot(url="https://www.ebay.com/itm/2")
    changelist = reverse("admin:auctions_auctionlot_changelist")
    one = admin_client.post(changelist, {"action": "make_coins_from_lots", "_selected_action": [fresh.pk]})
    made = AuctionLot.objects.get(pk=fresh.pk).coin
    assert one.url == reverse("admin:catalog_coin_change", args=[made.pk])
    both = admin_client.post(
        changelist, {"action": "make_coins_from_lots", "_selected_action": [fresh.pk, linked.pk]}
    )
    assert Coin.objects.count() == 2  # nothing made again
    assert both.url.endswith(f"?id__in={owned.pk},{made.pk}") or both.url.endswith(
        f"?id__in={made.pk},{owned.pk}"
    )


def test_the_lot_change_page_runs_a_fixed_number_of_queries(admin_client):
    """However many images and citations the lot has (the button or the link to its coin included)."""
    lot = make_lot(title="A lot", coin=make_coin(inventory_number="Q-1"), coin_role="acquisition")
    url = reverse("admin:auctions_auctionlot_change", args=[lot.pk])
    admin_client.get(url)  # warm: content types, session
    with CaptureQueriesContext(connection) as bare:
        assert "Open its coin" in admin_client.get(url).text
    for n in range(4):
        LotImage.objects.create(lot=lot, url=f"https://example.org/{n}.jpg", position=n)
        LotReference.objects.create(lot=lot, raw_text=f"RIC I {n}", system="RIC", number=str(n), position=n)
    with CaptureQueriesContext(connection) as full:
        admin_client.get(url)
    assert len(bare.captured_queries) == len(full.captured_queries)
