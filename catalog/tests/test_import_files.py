"""The importer on small spreadsheets built here, so these run on a fresh clone without shared/."""

import csv
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from auctions.models import AuctionLot
from catalog.importing import UnusableFile, import_file
from catalog.importing.importer import Importer
from catalog.models import Coin, ProvenanceEvent, Reference
from vocab.models import Denomination, Issuer, Mint, MintAlias

# The collector's real header row (first and third headers empty, "Diameter " with a trailing space).
HEADERS = [None, "Temp loc", None, "Category", "Coin type", "Ruler Issuer", "Laureate", "Ruled", "Minted",
           "Diameter ", "Weight", "Mint", "Script", "Obverse", "Reverse", "Reference", "Condition",
           "Composition", "NGC Grade", "NGC comment", "Fine style", "Pedigree", "Source", "Amount Paid",
           "Link", "Comment", None]  # fmt: skip


def row(inventory, **cells):
    """A data row in HEADERS order; cells named by header ("Coin type" -> coin_type)."""
    values = [None] * len(HEADERS)
    values[0] = inventory
    for name, value in cells.items():
        if name == "rarity":
            values[2] = value
            continue
        header = {h.strip().lower().replace(" ", "_"): i for i, h in enumerate(HEADERS) if h}[name]
        values[header] = value
    return values


def augustus(inventory=7, **changes):
    cells = dict(
        temp_loc="SlabBox1", category="Roman Imperial", coin_type="Denarius ", ruler_issuer="Augustus ",
        laureate="Augustus ", ruled="27 BC-AD 14", minted="2 BC-AD 4", diameter=17, weight=3.82,
        mint="Lugdunum", script="Latin",
        obverse="CAESAR AVGVSTVS-DIVI F PATER PATRIAE, laureate head of Augustus right ",
        reverse="AVGVSTI F COS DESIG PRINC IVVENT, Gaius and Lucius; C L CAESARES in exergue.",
        reference="RIC I 207; RSC 43", condition="Choice F", composition="Silver", ngc_grade="Choice F",
        ngc_comment="scratches", source="Heritage", amount_paid=384,
        link="https://coins.ha.com/itm/ancients/roman-imperial/x/a/232539-64039.s",
    )  # fmt: skip
    cells.update(changes)
    return row(inventory, **cells)


def write_xlsx(path, rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Coins"
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    workbook.save(path)
    return path


def write_csv(path, rows, headers=HEADERS):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["" if h is None else h for h in headers])
        for values in rows:
            writer.writerow(["" if v is None else v for v in values])
    return path


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Coin, Reference, ProvenanceEvent, AuctionLot, Issuer, Mint, Denomination)
    }


@pytest.mark.django_db
def test_a_row_becomes_a_coin_with_its_parts(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [augustus()])
    report = import_file(path)
    assert (report.created, report.errors) == (1, [])
    coin = Coin.objects.get(inventory_number="7")
    assert (coin.issuer.name, coin.mint.name, coin.denomination.name) == ("Augustus", "Lugdunum", "Denarius")
    assert (coin.year_start, coin.year_end, coin.diameter_mm, coin.weight_g) == (-2, 4, 17, Decimal("3.82"))
    assert coin.issuer.needs_review and (coin.issuer.reign_start, coin.issuer.reign_end) == (-27, 14)
    assert coin.obverse_legend == "CAESAR AVGVSTVS-DIVI F PATER PATRIAE"
    assert coin.obverse_description == "laureate head of Augustus right"
    assert coin.exergue == "C L CAESARES"
    assert [r.citation for r in coin.references.all()] == ["RIC I 207", "RSC 43"]
    assert (coin.grading_state, coin.grade_service, coin.grade, coin.grade_comment) == (
        "slabbed", "ngc", "Choice F", "scratches")  # fmt: skip
    assert (coin.acquisition_price, coin.acquisition_currency) == (Decimal("384"), "USD")
    lot = AuctionLot.objects.get()
    assert (lot.url, lot.coin, lot.coin_role, lot.status) == (
        coin.acquisition_url,
        coin,
        "acquisition",
        "pending",
    )
    assert coin.notes == "Script: Latin"


@pytest.mark.django_db
def test_csv_imports_like_xlsx_and_currency_option_applies(tmp_path):
    path = write_csv(tmp_path / "c.csv", [augustus(), augustus(8, amount_paid="")])
    report = import_file(path, currency="EUR")
    assert report.created == 2 and not report.errors
    assert Coin.objects.get(inventory_number="7").acquisition_currency == "EUR"
    # No price: no currency either (a currency alone means nothing).
    assert Coin.objects.get(inventory_number="8").acquisition_currency == ""
    assert Coin.objects.get(inventory_number="7").diameter_mm == 17


@pytest.mark.django_db
def test_names_resolve_through_aliases_and_spacing(tmp_path):
    cyzicus = Mint.objects.create(name="Cyzicus")
    MintAlias.objects.create(target=cyzicus, name="Cyzikos")
    severus = Issuer.objects.create(name="Septimius Severus", reign_start=193, reign_end=211)
    follis = Denomination.objects.create(name="Follis")
    rows = [
        augustus(
            1, ruler_issuer="Septimius Severus\xa0", mint="Cyzikos", coin_type="Follis", ruled="AD 193-211"
        ),
        augustus(2, ruler_issuer="SEPTIMIUS SEVERUS", mint="Cyzicus ", coin_type="Fllis", ruled="AD 193-217"),
    ]
    report = import_file(write_xlsx(tmp_path / "c.xlsx", rows))
    one, two = Coin.objects.order_by("inventory_sort")
    assert one.mint == two.mint == cyzicus and one.issuer == two.issuer == severus
    assert one.denomination == follis and two.denomination.name == "Fllis" and two.denomination.needs_review
    messages = [str(p) for p in report.problems]
    assert any("Fllis" in m and "Follis" in m and "row 3" in m for m in messages), messages
    # The sheet's reign differs from the recorded one: reported, the issuer left alone.
    assert any('row 3, column "Ruled": "AD 193-217" differs' in m for m in messages), messages
    severus.refresh_from_db()
    assert severus.reign_end == 211


@pytest.mark.django_db
def test_bad_cells_are_reported_and_the_row_still_imports(tmp_path):
    rows = [
        augustus(),
        augustus(8, minted="27 BC-AD", weight="heavy", composition="Unobtainium", diameter=-3),
    ]
    report = import_file(write_xlsx(tmp_path / "c.xlsx", rows))
    assert report.created == 2
    errors = {(p.row, p.column, p.value) for p in report.errors}
    assert errors == {(3, "Minted", "27 BC-AD"), (3, "Weight", "heavy"), (3, "Composition", "Unobtainium"),
                      (3, "Diameter", "-3")}  # fmt: skip
    minted = next(p for p in report.errors if p.column == "Minted")
    assert str(minted).startswith('row 3, column "Minted": "27 BC-AD" is not a date range')
    coin = Coin.objects.get(inventory_number="8")
    assert (coin.year_start, coin.weight_g, coin.metal, coin.diameter_mm) == (None, None, "", None)
    assert coin.issuer.name == "Augustus" and coin.references.count() == 2  # the rest of the row is there


@pytest.mark.django_db
def test_empty_rows_are_skipped_and_counted(tmp_path):
    rows = [augustus(), row(111, temp_loc="Velv3-4-5"), [None] * len(HEADERS), row(112), augustus(9)]
    report = import_file(write_xlsx(tmp_path / "c.xlsx", rows))
    assert (report.created, report.skipped_empty) == (2, 3)
    assert Coin.objects.count() == 2


@pytest.mark.django_db
def test_second_import_changes_nothing_and_a_change_is_listed(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [augustus(), augustus(8, link=None)])
    import_file(path)
    before = counts()
    again = import_file(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert counts() == before
    write_xlsx(path, [augustus(weight=3.9, reference="RIC I 208"), augustus(8, link=None)])
    changed = import_file(path)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    outcome = next(o for o in changed.outcomes if o.action == "updated")
    assert "weight_g: 3.820 -> 3.900" in outcome.changes
    assert any(c.startswith("references: RIC I 207; RSC 43 -> RIC I 208") for c in outcome.changes)
    assert Coin.objects.get(inventory_number="7").weight_g == Decimal("3.9")


@pytest.mark.django_db
def test_rows_without_inventory_number_match_on_fingerprint(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [augustus(None), augustus(None, weight=3.5, link=None)])
    assert import_file(path).created == 2
    again = import_file(path)
    assert (again.created, again.unchanged) == (0, 2)
    assert Coin.objects.filter(inventory_number="").count() == 2


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [augustus(), augustus(8, pedigree="Ex Heritage 3011, lot 173.")])
    before = counts()
    report = import_file(path, dry_run=True)
    assert report.created == 2 and report.dry_run
    assert counts() == before
    out = StringIO()
    call_command("import_collection", str(path), "--dry-run", stdout=out)
    assert "Would import 2 rows: 2 created" in out.getvalue()
    assert counts() == before


@pytest.mark.django_db
def test_an_exception_half_way_leaves_nothing_of_that_row(tmp_path, monkeypatch):
    rows = [augustus(1), augustus(2, ruler_issuer="Nero", mint="Roma"), augustus(3, link=None)]
    original = Importer._plan_lots

    def explode(self, coin, data, out):
        if data.inventory == "2":
            raise RuntimeError("disk on fire")  # after the coin and its references were written
        return original(self, coin, data, out)

    monkeypatch.setattr(Importer, "_plan_lots", explode)
    report = import_file(write_xlsx(tmp_path / "c.xlsx", rows))
    assert (report.created, report.failed) == (2, 1)
    assert not Coin.objects.filter(inventory_number="2").exists()
    assert not Issuer.objects.filter(name="Nero").exists() and not Mint.objects.filter(name="Roma").exists()
    assert Reference.objects.count() == 4  # two per imported coin, none left from row 3 of the sheet
    failure = next(p for p in report.errors if p.row == 3)
    assert "disk on fire" in failure.message and "nothing of it was saved" in failure.message
    # The next run, without the fault, imports the row normally.
    monkeypatch.setattr(Importer, "_plan_lots", original)
    assert import_file(write_xlsx(tmp_path / "c.xlsx", rows)).created == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a spreadsheet"),
        ("numbers.csv", b"1\n2\n3\n", "No header row"),
        ("other.csv", b"colour,shape\nred,round\nblue,oval\n", "No column we recognise"),
        ("empty.csv", b"", "empty"),
        ("fake.xlsx", b"PK\x03\x04not really a zip", "cannot be read"),
    ],
)
def test_unusable_files_are_refused_with_nothing_written(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    before = counts()
    with pytest.raises(UnusableFile, match=reason):
        import_file(path)
    with pytest.raises(CommandError, match=f"Nothing imported: .*{reason}"):
        call_command("import_collection", str(path), stdout=StringIO())
    assert counts() == before


@pytest.mark.django_db
def test_unknown_columns_are_reported_and_kept_in_notes(tmp_path):
    headers = [*HEADERS[:-1], "Die study"]
    values = augustus(comment="Lovely toning", rarity="Rare")
    values[-1] = "Same dies as BM 1234"
    report = import_file(write_xlsx(tmp_path / "c.xlsx", [values], headers=headers))
    assert set(report.unknown_columns) == {"Column C", "Die study"}
    coin = Coin.objects.get()
    assert coin.notes.splitlines() == [
        "Lovely toning",
        "Script: Latin",
        "Column C: Rare",
        "Die study: Same dies as BM 1234",
    ]


@pytest.mark.django_db
def test_second_url_in_comment_becomes_a_provenance_lot(tmp_path):
    values = augustus(comment="https://www.cngcoins.com/Coin.aspx?CoinID=60511")
    import_file(write_xlsx(tmp_path / "c.xlsx", [values]))
    coin = Coin.objects.get()
    roles = dict(AuctionLot.objects.filter(coin=coin).values_list("url", "coin_role"))
    assert roles == {
        coin.acquisition_url: "acquisition",
        "https://www.cngcoins.com/Coin.aspx?CoinID=60511": "provenance",
    }


@pytest.mark.django_db
def test_sheet_option_picks_a_worksheet(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [augustus()])
    with pytest.raises(UnusableFile, match='no sheet "Other"'):
        import_file(path, sheet="Other")
    assert import_file(path, sheet="Coins").created == 1


@pytest.mark.django_db
def test_mint_with_region_is_filed_under_the_known_mint(tmp_path):
    olbia = Mint.objects.create(name="Olbia")
    rows = [
        augustus(1, mint="Sarmatia, Olbia"),
        augustus(2, mint="Samosata or Antioch"),
        augustus(3, mint="Rome?"),
        augustus(4, mint="Thrace, Nowhere"),
    ]
    report = import_file(write_xlsx(tmp_path / "c.xlsx", rows))
    coins = {c.inventory_number: c for c in Coin.objects.select_related("mint")}
    assert coins["1"].mint == olbia and "Mint as written: Sarmatia, Olbia" in coins["1"].notes
    assert coins["2"].mint is None and "Mint as written: Samosata or Antioch" in coins["2"].notes
    assert coins["3"].mint.name == "Rome" and "Mint as written: Rome?" in coins["3"].notes
    # No part is a known mint: the whole text becomes one term for review, never a region alone.
    assert coins["4"].mint.name == "Thrace, Nowhere" and coins["4"].mint.needs_review
    assert not Mint.objects.filter(name__in=["Sarmatia", "Thrace", "Samosata"]).exists()
    assert {p.row for p in report.warnings if p.column == "Mint"} >= {2, 3, 4, 5}


@pytest.mark.django_db
def test_values_the_model_refuses_are_reported_and_left_empty(tmp_path):
    headers = ["inventory_number", "issuer", "year_start", "year_end", "grading_state", "weight_g"]
    rows = [["5", "Trajan", 110, 100, "slabbed", 3.2]]
    report = import_file(write_csv(tmp_path / "c.csv", rows, headers=headers))
    assert report.created == 1
    coin = Coin.objects.get()
    assert (coin.year_start, coin.year_end, coin.grading_state) == (None, None, "raw")
    assert coin.weight_g == Decimal("3.2") and coin.issuer.name == "Trajan"
    columns = {p.column for p in report.errors if p.row == 2}
    assert {"year_end", "grading_state"} <= columns, [str(p) for p in report.errors]
