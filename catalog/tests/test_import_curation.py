"""Curation survives a re-import: the sheet rewrites only the references and provenance it wrote, and
only when its cell changed; the report says what it left alone."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from auctions.models import AuctionLot
from catalog.choices import Origin
from catalog.importing import import_file
from catalog.importing.curation import Existing, merge
from catalog.models import Coin, ProvenanceEvent, Reference, Series, SeriesMembership
from catalog.tests.factories import make_image, make_lot
from catalog.tests.test_import_files import augustus, write_xlsx

pytestmark = pytest.mark.django_db
PEDIGREE = "Ex Peh Family Collection. Ex Heritage Auctions, Auction 3011 (14 April 2011), lot 173."


def imported(tmp_path, **cells):
    path = write_xlsx(tmp_path / "c.xlsx", [augustus(pedigree=PEDIGREE, **cells)])
    import_file(path)
    return path, Coin.objects.get(inventory_number="7")


def curate(coin):
    """What a curator does in the app after the first import."""
    lot = make_lot("https://www.numisbids.com/n.php?p=lot&sid=1&lot=2", coin=coin, coin_role="provenance")
    ProvenanceEvent.objects.create(
        coin=coin, kind="auction", name="NumisBids", raw_text="Ex NumisBids sale 1, lot 2", order=1,
        auction_lot=lot,
    )  # fmt: skip
    Reference.objects.create(coin=coin, raw_text="BMCRE 533", system="BMCRE", number="533", position=5)
    ric = coin.references.get(system="RIC")
    ric.type_uri = "http://numismatics.org/ocre/id/ric.1(2).aug.207A"
    ric.origin = Origin.APP  # what the admin does to a row it edits (test_an_admin_edit_...)
    ric.save()
    make_image(coin, is_primary=True)
    series = Series.objects.create(name="Twelve Caesars", slug="twelve")
    SeriesMembership.objects.create(series=series, coin=coin)


def snapshot(coin):
    return {
        "references": [
            (r.citation, r.type_uri, r.origin) for r in coin.references.order_by("position", "id")
        ],
        "provenance": [
            (e.raw_text, e.auction_lot_id, e.origin) for e in coin.provenance.order_by("order", "id")
        ],
        "images": coin.images.count(),
        "memberships": coin.series_memberships.count(),
        "lots": sorted(AuctionLot.objects.filter(coin=coin).values_list("url", "coin_role")),
    }


def test_the_importer_records_its_rows_as_its_own(tmp_path):
    _, coin = imported(tmp_path)
    assert set(coin.references.values_list("origin", flat=True)) == {"import"}
    assert set(coin.provenance.values_list("origin", flat=True)) == {"import"}
    assert Reference.objects.create(coin=coin, raw_text="RSC 1").origin == "app"  # the app's default


def test_reimporting_the_same_sheet_keeps_every_curation_and_says_so(tmp_path):
    path, coin = imported(tmp_path)
    curate(coin)
    before = snapshot(coin)
    report = import_file(path)
    assert (report.updated, report.unchanged) == (0, 1)
    assert snapshot(coin) == before
    kept = report.outcomes[0].kept
    assert any(k.startswith("2 references entered in the app") for k in kept), kept
    assert any(k.startswith("1 provenance event entered in the app") for k in kept), kept
    assert {"1 image", "1 series membership", "2 linked lots"} <= set(kept), kept
    assert "Left alone: 2 references and 1 provenance event entered in the app" in report.summary()


def test_a_changed_sheet_updates_its_own_rows_around_the_curators(tmp_path):
    path, coin = imported(tmp_path)
    curate(coin)
    heritage = coin.provenance.get(name__startswith="Heritage")
    write_xlsx(
        path, [augustus(pedigree=PEDIGREE + " Ex Leu 38, lot 5.", reference="RIC I 207; RSC 43; Sear 1611")]
    )
    report = import_file(path)
    outcome = report.outcomes[0]
    assert outcome.action == "updated"
    after = snapshot(coin)
    # The curator's edited RIC (its type URI) stands for the sheet's RIC: no second copy.
    assert after["references"] == [
        ("RIC I 207", "http://numismatics.org/ocre/id/ric.1(2).aug.207A", "app"),
        ("RSC 43", "", "import"),
        ("Sear 1611", "", "import"),
        ("BMCRE 533", "", "app"),
    ]
    lines = [raw for raw, _, _ in after["provenance"]]
    assert lines[-1] == "Ex NumisBids sale 1, lot 2"  # the curator's last event stays last
    assert [origin for _, _, origin in after["provenance"]].count("app") == 1
    assert any(lot for _, lot, _ in after["provenance"])  # the link to the lot is still there
    assert len(lines) == 4 and any("Leu" in line for line in lines)
    assert coin.provenance.filter(pk=heritage.pk).exists()  # unchanged sheet rows keep their ids
    assert after["images"] == 1 and after["memberships"] == 1
    out = StringIO()
    call_command("import_collection", str(path), stdout=out)
    assert "left alone" not in out.getvalue()  # nothing changed the second time, nothing to say


def test_a_reference_deleted_in_the_app_is_not_brought_back_by_the_same_sheet(tmp_path):
    path, coin = imported(tmp_path)
    coin.references.filter(system="RSC").delete()
    report = import_file(path)
    assert report.unchanged == 1
    assert list(coin.references.values_list("raw_text", flat=True)) == ["RIC I 207"]


def test_rows_from_before_origins_are_adopted_when_the_sheet_holds_them_and_kept_otherwise(tmp_path):
    path, coin = imported(tmp_path)
    Reference.objects.filter(coin=coin).update(origin=Origin.UNKNOWN)
    Reference.objects.create(
        coin=coin, raw_text="Cohen 42", system="Cohen", number="42", origin=Origin.UNKNOWN
    )
    Coin.objects.filter(pk=coin.pk).update(import_state={})  # as every coin is after the migration
    report = import_file(path)
    assert report.outcomes[0].action == "unchanged"
    origins = dict(coin.references.values_list("raw_text", "origin"))
    assert origins == {"RIC I 207": "import", "RSC 43": "import", "Cohen 42": "unknown"}


def test_an_admin_edit_makes_a_reference_the_curators(tmp_path, client):
    _, coin = imported(tmp_path)
    ric = coin.references.get(system="RIC")
    client.force_login(User.objects.create_superuser("admin", "a@example.org", "x"))
    response = client.post(
        f"/admin/catalog/reference/{ric.pk}/change/",
        {"coin": coin.pk, "system": "RIC", "volume": "I", "number": "207", "variant": "",
         "raw_text": "RIC I 207", "citation_text": "RIC I 207", "is_cf": "", "position": 0,
         "type_uri": "http://numismatics.org/ocre/id/ric.1(2).aug.207A"},
    )  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    ric.refresh_from_db()
    assert (ric.origin, ric.type_uri) == ("app", "http://numismatics.org/ocre/id/ric.1(2).aug.207A")


def existing(pk, origin, position, key):
    return Existing(pk, origin, position, (key,), (key,), key)


def test_merge_keeps_the_curators_rows_after_the_item_they_followed():
    rows = [existing(1, "import", 0, "A"), existing(2, "app", 1, "X"), existing(3, "import", 2, "B")]
    plan = merge(rows, keys=[("A",), ("C",), ("B",)], identities=[("A",), ("C",), ("B",)])
    assert plan.delete == [] and plan.kept == [rows[1]]
    assert plan.create == [(1, 2)] and plan.positions == {3: 3}
    dropped = merge(rows, keys=[("B",)], identities=[("B",)])
    assert dropped.delete == [rows[0]] and dropped.positions == {2: 0, 3: 1}
