"""Bringing any collection in (issue 18): hand-kept sheets in other shapes and languages, Numista
exports, OpenNumismat collections with photos, the user's column mapping, import records."""

import json
import sqlite3
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from catalog.choices import Category, ImageKind, Metal
from catalog.filters import CoinFilter
from catalog.importing import UnusableFile, import_file
from catalog.importing.limits import Limits
from catalog.importing.opennumismat import OpenNumismatFile
from catalog.models import Coin, CoinImage, ColumnMapping, ImportBatch, ImportedCoin
from catalog.tests.collection_files import png, write_csv, write_opennumismat

pytestmark = pytest.mark.django_db

JOSEPH_HEADER = ["emperor", "material", "denomination", "year_l", "year_h", "mint", "officina", "weight",
                 "diameter", "axis", "obverse_legend", "reverse_legend", "exergue", "obverse_desc",
                 "reverse_desc", "reference", "provenance", "stock"]  # fmt: skip


def joseph_row(**values) -> list[str]:
    row = {
        "emperor": "Probus", "material": "BI", "denomination": "Antoninianus", "year_l": "276",
        "year_h": "282", "mint": "Siscia", "officina": "null", "weight": "3.05g", "diameter": "19.0mm",
        "axis": "7H", "obverse_legend": "IMP C M AVR PROBVS AVG", "reverse_legend": "SOLI INVICTO",
        "exergue": "XXIT", "obverse_desc": "Bust of Probus, radiate, right",
        "reverse_desc": "Sol in quadriga left", "reference": "RIC V 123, Cohen 456",
        "provenance": "Ex. CNG Electronic Auction 456, Lot 751 (part of), Ex. Forum Ancient Coins",
        "stock": "yes",
    }  # fmt: skip
    row.update(values)
    return [row[h] for h in JOSEPH_HEADER]


def test_a_second_collectors_sheet_reads_its_own_headers_and_values(tmp_path):
    path = write_csv(tmp_path / "sheet.csv", JOSEPH_HEADER, [joseph_row(), joseph_row(officina="2nd")])
    report = import_file(path)
    assert (report.created, report.errors) == (2, [])
    first, second = Coin.objects.order_by("id")
    assert (first.year_start, first.year_end) == (276, 282)
    assert (first.weight_g, first.diameter_mm, first.die_axis) == (Decimal("3.05"), 19, 7)
    assert first.obverse_description == "Bust of Probus, radiate, right"
    assert first.reverse_description == "Sol in quadriga left"
    assert first.exergue == "XXIT"
    assert [r.citation for r in first.references.order_by("position")] == ["RIC V 123", "Cohen 456"]
    # Oldest first, split on "Ex." only: the comma inside the CNG entry stays in it.
    assert [(e.kind, e.name, e.lot) for e in first.provenance.order_by("order")] == [
        ("dealer", "Forum Ancient Coins", ""),
        ("auction", "CNG", "751"),
    ]
    # "null" is empty; a recognised column without a coin field is kept in the notes under its name.
    assert "officina" not in first.notes and "officina: 2nd" in second.notes
    assert "stock" in report.unknown_columns and "stock: yes" in first.notes
    assert import_file(path).unchanged == 2


def test_excel_errors_are_reported_per_cell_and_never_stored(tmp_path):
    rows = [joseph_row(weight="#VALUE!", reverse_legend="#NAME?"), joseph_row(diameter="n/a", axis="-")]
    report = import_file(write_csv(tmp_path / "errors.csv", JOSEPH_HEADER, rows))
    errors = sorted((p.row, p.column, p.value) for p in report.errors)
    assert errors == [(2, "reverse_legend", "#NAME?"), (2, "weight", "#VALUE!")]
    first, second = Coin.objects.order_by("id")
    assert (first.weight_g, first.reverse_legend) == (None, "")
    assert (second.diameter_mm, second.die_axis) == (None, None)  # "n/a" and "-" are empty, not errors


def test_headers_in_other_languages(tmp_path):
    header = ["Herrscher", "Nominal", "Jahr von", "Jahr bis", "Gewicht", "Durchmesser", "Stempelstellung",
              "Legende Vorderseite", "Beschreibung Rückseite", "Provenienz"]  # fmt: skip
    row = ["Hadrian", "Denar", "119", "122", "3,21 g", "18 mm", "180°", "HADRIANVS AVG", "Salus", "Ex Leu 12"]
    report = import_file(write_csv(tmp_path / "de.csv", header, [row]))
    assert report.unknown_columns == [] and report.errors == []
    coin = Coin.objects.get()
    assert (coin.year_start, coin.year_end, coin.die_axis) == (119, 122, 6)
    assert (coin.obverse_legend, coin.reverse_description) == ("HADRIANVS AVG", "Salus")
    assert coin.weight_g == Decimal("3.21")


NUMISTA_HEADER = [
    "Country", "Issuer", "Currency", "Face value", "Reference", "N# number (with link)", "Title", "Type",
    "Year range", "Composition", "Weight", "Diameter", "Thickness", "Year", "Gregorian year", "Mintmark",
    "Quantity", "Grade", "Collection", "Public comment",
]  # fmt: skip


def numista_row(**values) -> list[str]:
    row = {
        "Country": "Canada", "Issuer": "Canada", "Currency": "Canadian dollar (1858-date)",
        "Face value": "0.01", "Reference": "KM# 289", "N# number (with link)": "N# 424",
        "Title": "1 Cent - Elizabeth II (3rd portrait)", "Type": "Standard circulation coin",
        "Year range": "1997-2003", "Composition": "Copper plated zinc", "Weight": "2.5", "Diameter": "19.1",
        "Thickness": "1.45", "Year": "2001", "Gregorian year": "2001",
        "Mintmark": "", "Quantity": "1", "Grade": "UNC", "Collection": "Uncirculated / Sealed",
        "Public comment": "From a specimen set",
    }  # fmt: skip
    row.update(values)
    return [row[h] for h in NUMISTA_HEADER]


def test_a_numista_export(tmp_path):
    rows = [
        numista_row(),
        numista_row(),  # the same coin twice: two coins, never one
        numista_row(Country="Algeria", Issuer="Algeria", Currency="Dinar (1964-date)", Year="1430",
                    **{"Gregorian year": "2009", "Composition": "Bimetallic: brass center in steel ring",
                       "Quantity": "3"}),
    ]  # fmt: skip
    path = write_csv(tmp_path / "numista.csv", NUMISTA_HEADER, rows)
    report = import_file(path)
    assert (report.source, report.created, report.errors) == ("numista", 3, [])
    first, _, hijri = Coin.objects.order_by("id")
    assert first.category == Category.MODERN and first.acquisition_currency == ""
    assert "Monetary system: Canadian dollar (1858-date)" in first.notes.replace(
        "Currency:", "Monetary system:"
    )
    assert first.denomination.name == "1 Cent"
    cited = [(r.system, r.number, r.type_uri) for r in first.references.order_by("position")]
    assert cited == [("KM", "289", ""), ("Numista", "424", "https://en.numista.com/catalogue/pieces424.html")]
    assert (hijri.year_start, hijri.date_text, hijri.metal) == (2009, "1430 (as dated)", Metal.OTHER)
    # The quantity rule: one coin per row, the quantity in its notes and the report.
    assert "Quantity: 3" in hijri.notes
    assert any(p.column == "Quantity" and p.row == 4 for p in report.warnings)
    assert import_file(path).unchanged == 3


def on_coin(coin_id: int, **values) -> dict:
    coin = {"id": coin_id, "title": f"2 euro {coin_id}", "value": 2.0, "unit": "Euro",
            "country": "Vatican City", "period": "1999 - Eurozone", "material": "Outer copper-nickel",
            "weight": 8.5, "diameter": 25.75,
            "thickness": 2.2, "axis": 180, "grade": "XF", "catalognum1": "KM# 358", "status": "owned",
            "obversedesign": "Basilica", "reversedesign": "Map of Europe", "storage": "A6",
            "paydate": "2021-03-04", "payprice": 12.5, "saller": "Coin shop", "quality": "Unc"}  # fmt: skip
    coin.update(values)
    return coin


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_an_opennumismat_collection_with_photos(tmp_path, media):
    coins = [on_coin(1, obverseimg=10, reverseimg=11, edgeimg=12), on_coin(2, status="sold", year=2004,
             obverseimg=13, photo1=14), on_coin(3, status="wish")]  # fmt: skip
    photos = {10: png("gold"), 11: png("silver"), 12: png("grey"), 13: b"not an image", 14: png("red")}
    path = write_opennumismat(tmp_path / "mine.db", coins, photos, tags={1: ["Euro", "Vatican"]})
    report = import_file(path, currency="EUR")
    assert (report.source, report.created, report.errors) == ("opennumismat", 3, [])
    one, two, three = Coin.objects.order_by("id")
    assert (one.denomination.name, one.issuer.name, one.category) == (
        "2 Euro",
        "Vatican City",
        Category.MODERN,
    )
    assert (one.weight_g, one.diameter_mm, one.die_axis, one.grade) == (
        Decimal("8.5"),
        Decimal("25.75"),
        6,
        "XF",
    )
    assert (one.obverse_description, one.reverse_description, one.storage_location) == (
        "Basilica", "Map of Europe", "A6")  # fmt: skip
    assert (str(one.acquisition_date), one.acquisition_price, one.acquisition_currency) == (
        "2021-03-04", Decimal("12.5"), "EUR")  # fmt: skip
    assert one.acquisition_source == "Coin shop"
    assert [r.citation for r in one.references.all()] == ["KM 358"]
    assert "Tags: Euro, Vatican" in one.notes and "OpenNumismat quality: Unc" in one.notes
    # Owned, sold and wish-list coins are told apart.
    assert ["Status: owned" in one.notes, "Status: sold" in two.notes, "Status: wish" in three.notes] == [
        True
    ] * 3
    images = list(one.images.order_by("position").values_list("kind", "is_primary"))
    assert images == [(ImageKind.OBVERSE, True), (ImageKind.REVERSE, False), (ImageKind.DETAIL, False)]
    # The blob that is no image is refused, the coin keeps the other photo as its primary.
    assert list(two.images.values_list("kind", "is_primary")) == [(ImageKind.OTHER, True)]
    assert any(p.column == "obverseimg" and p.row == 2 for p in report.warnings)
    assert report.photos == 4 and "barcode" in " ".join(str(p) for p in report.warnings)

    # Identity is OpenNumismat's id: a changed coin is updated, never duplicated; photos are left alone.
    db = sqlite3.connect(path)
    db.execute("UPDATE coins SET weight = 8.4 WHERE id = 1")
    db.commit()
    db.close()
    again = import_file(path, currency="EUR")
    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
    assert Coin.objects.get(pk=one.pk).weight_g == Decimal("8.4") and CoinImage.objects.count() == 4


def test_opennumismat_files_are_checked_before_use(tmp_path, settings, media):
    path = write_opennumismat(tmp_path / "old.db", [on_coin(1)], {}, version="3")
    with pytest.raises(UnusableFile, match="database version 3"):
        import_file(path)
    # "coins" as a view: its body would run inside our query; such a file is refused.
    path = tmp_path / "view.db"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE settings (title, value); INSERT INTO settings VALUES ('Type', 'OpenNumismat'), "
        "('Version', '10'); CREATE TABLE real (id); CREATE VIEW coins AS SELECT * FROM real;"
    )
    db.close()
    with pytest.raises(UnusableFile, match="not an OpenNumismat collection"):
        import_file(path)
    # A photo above the image limit is never fetched.
    settings.COINSTACK_MAX_IMAGE_BYTES = 100
    path = write_opennumismat(tmp_path / "big.db", [on_coin(1, obverseimg=5)], {5: png(size=64)})
    report = import_file(path)
    assert report.photos == 0 and CoinImage.objects.count() == 0
    assert any("more than the 100" in p.message for p in report.warnings)
    # The whole file is bounded like any other.
    with pytest.raises(UnusableFile, match="the limit is"):
        OpenNumismatFile(path, Limits(file_bytes=1000))
    assert Coin.objects.count() == 1


def test_the_mapping_from_the_command_line_is_used_and_remembered(tmp_path, capsys):
    sheet = write_csv(tmp_path / "sheet.csv", JOSEPH_HEADER, [joseph_row()])
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"exergue": "notes", "stock": "ignore", "obverse_desc": "keep"}))
    call_command("import_collection", str(sheet), "--mapping", str(mapping))
    coin = Coin.objects.get()
    assert coin.exergue == "" and coin.notes.startswith("XXIT")
    assert coin.obverse_description == "" and "obverse_desc: Bust of Probus" in coin.notes
    assert "stock" not in coin.notes
    assert ColumnMapping.objects.count() == 1
    # The next file with the same headers is mapped the same way without being told.
    other = write_csv(tmp_path / "other.csv", JOSEPH_HEADER, [joseph_row(exergue="SMANT")])
    report = import_file(other)
    assert report.mapping_remembered and Coin.objects.filter(exergue="").count() == 2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"no such column": "weight"}))
    with pytest.raises(CommandError, match='columns this file does not have: "no such column"'):
        call_command("import_collection", str(sheet), "--mapping", str(bad))
    bad.write_text(json.dumps({"weight": "mass"}))
    with pytest.raises(CommandError, match='fields we do not know: "mass"'):
        call_command("import_collection", str(sheet), "--mapping", str(bad))
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="is not JSON"):
        call_command("import_collection", str(sheet), "--mapping", str(bad))


def test_an_import_is_recorded_and_its_coins_can_be_listed(tmp_path):
    # The sheet's own "id" column is each row's identity: a changed row updates its coin.
    header = ["id", *JOSEPH_HEADER]
    path = write_csv(
        tmp_path / "sheet.csv", header, [["a1", *joseph_row()], ["a2", *joseph_row(weight="3.1g")]]
    )
    first = import_file(path, file_name="joseph.csv")
    Coin.objects.create(category=Category.GREEK)  # not imported
    batch = ImportBatch.objects.get(pk=first.batch_id)
    assert (batch.file_name, batch.created, batch.source) == ("joseph.csv", 2, "sheet")
    assert import_file(path, dry_run=True).batch_id is None
    write_csv(path, header, [["a1", *joseph_row()], ["a2", *joseph_row(weight="3.2g")]])
    second = import_file(path)
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    assert list(ImportedCoin.objects.filter(batch_id=second.batch_id).values_list("action", flat=True)) == [
        "updated"
    ]

    def listed(number) -> int:
        filterset = CoinFilter({"import_batch": str(number)}, queryset=Coin.objects.all(), private=True)
        assert filterset.is_valid(), filterset.errors
        return filterset.qs.count()

    assert (listed(first.batch_id), listed(second.batch_id), Coin.objects.count()) == (2, 1, 3)
    filterset = CoinFilter({"import_batch": "x"}, queryset=Coin.objects.all(), private=True)
    assert not filterset.is_valid() and "import_batch" in filterset.errors
    # Visitors cannot probe what was imported when.
    assert "import_batch" not in CoinFilter({}, queryset=Coin.objects.all()).filters


def test_a_numista_export_with_prices_keeps_its_currency_apart(tmp_path):
    header = [*NUMISTA_HEADER, "Price"]
    path = write_csv(tmp_path / "numista.csv", header, [[*numista_row(), "2.50"]])
    report = import_file(path, currency="CAD")
    coin = Coin.objects.get()
    assert report.source == "numista" and report.errors == []
    assert (coin.acquisition_price, coin.acquisition_currency) == (Decimal("2.50"), "CAD")
    assert "Currency: Canadian dollar (1858-date)" in coin.notes


def test_an_opennumismat_value_beyond_the_cell_limit_is_refused(tmp_path):
    path = write_opennumismat(tmp_path / "long.db", [on_coin(1, note="x" * 200)], {})
    with pytest.raises(UnusableFile, match="the limit for one value is 100"):
        import_file(path, limits=Limits(cell_chars=100))
    assert Coin.objects.count() == 0


def test_the_import_log_in_the_admin(admin_client, tmp_path):
    report = import_file(write_csv(tmp_path / "s.csv", JOSEPH_HEADER, [joseph_row()]), file_name="mine.csv")
    page = admin_client.get("/admin/catalog/importbatch/")
    assert page.status_code == 200 and "mine.csv" in page.content.decode()
    assert f"/coins/?import_batch={report.batch_id}" in page.content.decode()
    assert admin_client.get("/admin/catalog/importedcoin/").status_code == 200
    assert admin_client.get("/admin/catalog/columnmapping/").status_code == 200
    assert admin_client.get("/admin/catalog/importbatch/add/").status_code == 403  # a log, not a form
