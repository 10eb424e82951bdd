"""Import identity: two rows of one file are never one coin; rows without an inventory number find
their earlier coin only when the match is unique and exact, and the report says so."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.importing import import_file
from catalog.models import Coin
from catalog.tests.factories import make_coin
from catalog.tests.test_import_files import augustus, write_xlsx
from vocab.models import Denomination, Issuer

pytestmark = pytest.mark.django_db


def slabbed_pair():
    """Two slabbed denarii of one type, bought in one lot at one price, kept in two slab boxes."""
    return [augustus(None, temp_loc="SlabBox1", link=None), augustus(None, temp_loc="SlabBox2", link=None)]


def test_two_slabbed_denarii_of_one_lot_stay_two_coins(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", slabbed_pair())
    first = import_file(path)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert sorted(Coin.objects.values_list("storage_location", flat=True)) == ["SlabBox1", "SlabBox2"]

    again = import_file(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert again.matched_by_content == 2 and all(o.matched_by_content for o in again.outcomes)
    assert "2 rows without inventory number matched by content" in again.summary()
    assert sorted(Coin.objects.values_list("storage_location", flat=True)) == ["SlabBox1", "SlabBox2"]


def test_identical_rows_are_two_coins_with_a_warning_naming_both(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [augustus(None, link=None), augustus(None, link=None)])
    report = import_file(path)
    assert report.created == 2 and Coin.objects.count() == 2
    messages = {p.row: str(p) for p in report.warnings if "no inventory number" in p.message}
    assert "same as row 3" in messages[2] and "same as row 2" in messages[3], messages
    assert "imported as a coin of its own" in messages[2]
    # The next import recognises each row as its own coin: nothing new, nothing merged.
    again = import_file(path)
    assert (again.created, again.unchanged, again.matched_by_content) == (0, 2, 2)
    assert Coin.objects.count() == 2 and not again.warnings


def test_a_coin_typed_in_the_app_is_matched_only_when_unique_and_exact(tmp_path):
    issuer = Issuer.objects.create(name="Nero")
    denarius = Denomination.objects.create(name="Denarius")
    headers = ["Ruler", "Coin type", "Weight", "Temp loc"]
    typed = make_coin(inventory_number="", issuer=issuer, denomination=denarius, weight_g=Decimal("3.4"))
    typed.storage_location = "Tray 1"
    typed.save()
    path = write_xlsx(tmp_path / "c.xlsx", [["Nero", "Denarius", 3.4, "Tray 1"]], headers=headers)
    report = import_file(path)
    assert (report.created, report.unchanged, report.matched_by_content) == (0, 1, 1)
    assert Coin.objects.count() == 1
    out = StringIO()
    call_command("import_collection", str(path), stdout=out)
    assert "row 2 matched by content" in out.getvalue()


def test_an_ambiguous_match_makes_a_new_coin_and_says_which(tmp_path):
    issuer = Issuer.objects.create(name="Nero")
    twins = [
        make_coin(inventory_number="", issuer=issuer, weight_g=Decimal("3.4"), metal="silver") for _ in "ab"
    ]
    path = write_xlsx(tmp_path / "c.xlsx", [["Nero", 3.4, "Silver"]], headers=["Ruler", "Weight", "Metal"])
    report = import_file(path)
    assert report.created == 1 and Coin.objects.count() == 3
    (warning,) = [str(p) for p in report.warnings if "no inventory number" in p.message]
    assert f"coins {twins[0].pk}, {twins[1].pk} already in the collection" in warning
    # Two rows that both match one coin: neither takes it.
    Coin.objects.exclude(pk=twins[0].pk).delete()
    rows = [["Nero", 3.4, "Silver"], ["Nero", 3.4, "Silver"]]
    two = import_file(write_xlsx(tmp_path / "d.xlsx", rows, headers=["Ruler", "Weight", "Metal"]))
    assert two.created == 2 and Coin.objects.count() == 3
    messages = [str(p) for p in two.warnings if "no inventory number" in p.message]
    assert any("row 3" in m and f"coin {twins[0].pk}" in m for m in messages), messages


def test_a_row_finds_its_coin_even_after_the_coin_was_curated(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", slabbed_pair())
    import_file(path)
    coin = Coin.objects.get(storage_location="SlabBox2")
    coin.grade_comment = "toned, added in the admin"
    coin.save()
    again = import_file(path)
    assert again.created == 0 and Coin.objects.count() == 2
    outcome = next(o for o in again.outcomes if o.row == 3)
    assert outcome.matched_by_content


def test_a_changed_row_without_number_is_a_new_coin_never_a_merge(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", slabbed_pair())
    import_file(path)
    write_xlsx(
        path, [augustus(None, temp_loc="SlabBox1", link=None), augustus(None, temp_loc="SlabBox3", link=None)]
    )
    report = import_file(path)
    assert (report.created, report.unchanged) == (1, 1)
    assert sorted(Coin.objects.values_list("storage_location", flat=True)) == [
        "SlabBox1",
        "SlabBox2",
        "SlabBox3",
    ]


def test_rows_that_differ_are_never_said_to_be_the_same(tmp_path):
    """Rows naming terms the vocabulary does not have yet cannot match any coin, and differ from each
    other: no warning links them (it once listed every such row on every row)."""
    rows = [[f"Ruler {n}", 3 + n / 100] for n in range(40)]
    report = import_file(write_xlsx(tmp_path / "c.xlsx", rows, headers=["Ruler", "Weight"]))
    assert report.created == 40
    assert not [p for p in report.warnings if "no inventory number" in p.message]
