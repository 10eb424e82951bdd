"""The collector's own spreadsheet (shared/data/collection-v1.xlsx): every coin imports, field by field."""

from decimal import Decimal

import openpyxl
import pytest

from auctions.models import AuctionLot
from catalog.importing import import_file
from catalog.models import Coin, ProvenanceEvent, Reference


@pytest.fixture
def workbook_path(shared):
    path = shared / "data" / "collection-v1.xlsx"
    if not path.is_file():
        pytest.skip("collection-v1.xlsx is not in shared/data")
    return path


def sheet_rows(path):
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    return list(sheet.iter_rows(min_row=2, values_only=True))


@pytest.mark.django_db
def test_every_coin_imports_without_error_and_again_changes_nothing(workbook_path):
    rows = sheet_rows(workbook_path)
    # Rows holding only an inventory number (and perhaps a tray place) are reserved slots, not coins.
    empty = [r for r in rows if not any(v not in (None, "") for v in (r[2:]))]
    report = import_file(workbook_path)
    assert report.errors == [], [str(p) for p in report.errors]
    assert report.failed == 0
    assert report.skipped_empty == len(empty) > 0
    assert report.created == len(rows) - len(empty) == Coin.objects.count()
    numbers = {str(r[0]) for r in rows if r not in empty}
    assert set(Coin.objects.values_list("inventory_number", flat=True)) == numbers
    counts = [m.objects.count() for m in (Coin, Reference, ProvenanceEvent, AuctionLot)]

    again = import_file(workbook_path)
    assert (again.created, again.updated, again.unchanged, again.failed) == (0, 0, len(numbers), 0)
    assert [m.objects.count() for m in (Coin, Reference, ProvenanceEvent, AuctionLot)] == counts


@pytest.mark.django_db
def test_real_rows_field_by_field(workbook_path):
    import_file(workbook_path)
    augustus = Coin.objects.select_related("issuer", "mint", "denomination").get(inventory_number="7")
    assert (augustus.issuer.name, augustus.denomination.name, augustus.mint.name) == (
        "Augustus",
        "Denarius",
        "Lugdunum",
    )
    assert (augustus.year_start, augustus.year_end, augustus.is_circa) == (-2, 4, False)
    assert (augustus.issuer.reign_start, augustus.issuer.reign_end) == (-27, 14)
    assert augustus.diameter_mm == Decimal("17")
    assert [r.citation for r in augustus.references.all()] == ["RIC I 207"]
    # The part of a RIC volume stays in the citation, the volume field keeps the main volume.
    rsc = Coin.objects.get(references__citation_text="RIC IV.2 254c").references.first()
    assert (rsc.system, rsc.volume, rsc.number, rsc.variant, rsc.citation) == (
        "RIC",
        "IV",
        "254",
        "c",
        "RIC IV.2 254c",
    )
    assert (augustus.grade, augustus.grading_state, augustus.grade_service) == ("Choice F", "slabbed", "ngc")
    assert augustus.metal == "silver"
    assert (augustus.acquisition_source, augustus.acquisition_price) == ("Heritage", Decimal("384"))
    assert augustus.auction_lots.get().coin_role == "acquisition"

    malleolus = Coin.objects.get(inventory_number="13")
    assert next((r.system, r.number, r.variant) for r in malleolus.references.all()) == (
        "Crawford",
        "335/1",
        "c",
    )
    assert malleolus.references.first().type_uri == "http://numismatics.org/crro/id/rrc-335.1c"
    assert (malleolus.year_start, malleolus.year_end) == (-96, -96)
    assert malleolus.denomination.name == "Denarius" and malleolus.category == "roman_republican"
    assert (malleolus.ngc_strike, malleolus.ngc_surface, malleolus.grade) == (4, 3, "XF")
    assert malleolus.grade_comment == "brushed"
    lines = [event.raw_text for event in malleolus.provenance.all()]
    assert any("Peh Family Collection" in line for line in lines)
    # Oldest first: the Heritage sale of 2011 came before the Peh Family Collection.
    assert "Heritage" in lines[0] and "Peh" in lines[-1]

    coson = Coin.objects.get(inventory_number="4")
    roles = set(coson.auction_lots.values_list("coin_role", flat=True))
    assert roles == {"acquisition", "provenance"}  # the CNG link in the Comment column
    assert coson.category == "roman_provincial" and coson.metal == "gold"

    # "before April AD 340" keeps its words; the third unnamed column and the last are kept in notes.
    dated = Coin.objects.get(date_text__startswith="before")
    assert dated.year_end == 340
    assert "Column C: Rare" in Coin.objects.get(inventory_number="95").notes
    assert "judaism-and-rome.org" in Coin.objects.get(notes__contains="Column AA").notes
