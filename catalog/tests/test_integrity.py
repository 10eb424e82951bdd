"""Foreign keys are enforced, deletions keep market data, used terms cannot vanish, writes are atomic."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from auctions.models import AuctionLot
from catalog.models import Coin, Reference
from catalog.tests.factories import make_coin, make_issuer, make_lot, make_reference

pytestmark = pytest.mark.django_db


def test_foreign_keys_enforced_even_on_sqlite():
    coin = make_coin()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reference.objects.bulk_create([Reference(coin_id=coin.pk + 999_999, raw_text="RIC I 1")])
        # Django declares foreign keys deferred (checked at commit); the test runs inside a
        # transaction that never commits, so ask the database to check them now.
        connection.check_constraints()


def test_deleting_a_coin_keeps_its_lots_unlinked():
    coin = make_coin()
    lot = make_lot(coin=coin, coin_role="acquisition")
    coin.delete()
    lot.refresh_from_db()
    assert lot.coin is None
    assert AuctionLot.objects.filter(pk=lot.pk).exists()


def test_deleting_a_coin_deletes_its_own_references():
    coin = make_coin()
    make_reference(coin)
    coin.delete()
    assert Reference.objects.count() == 0


def test_vocabulary_term_in_use_cannot_be_deleted():
    augustus = make_issuer()
    make_coin(issuer=augustus)
    with pytest.raises(ProtectedError):
        augustus.delete()
    unused = make_issuer("Tiberius", reign_start=14, reign_end=37)
    unused.delete()


def test_exception_half_way_through_a_multi_row_write_leaves_nothing():
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        coin = make_coin(inventory_number="100")
        make_reference(coin, "RIC I 207")
        make_reference(coin, "RSC 43")
        raise Boom("the third row failed")
    assert not Coin.objects.filter(inventory_number="100").exists()
    assert Reference.objects.count() == 0


def test_failed_request_rolls_back_everything(client, admin_user, settings):
    """A POST whose view writes and then fails leaves nothing behind (AtomicWritesMiddleware)."""
    from django.test import override_settings
    from django.urls import path

    def writes_then_fails(request):
        make_coin(inventory_number="half-written")
        raise RuntimeError("failure after the write")

    urlpatterns = [path("boom/", writes_then_fails)]
    with override_settings(ROOT_URLCONF=type("U", (), {"urlpatterns": urlpatterns})):
        client.force_login(admin_user)
        client.raise_request_exception = False
        response = client.post("/boom/")
    assert response.status_code == 500
    assert not Coin.objects.filter(inventory_number="half-written").exists()
