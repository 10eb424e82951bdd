"""A collection's status words into the coin's disposal (issue 18 with issue 15): sold coins imported as
disposed with their sale, coins the owner does not hold imported with a warning, never silently held."""

import datetime as dt
from decimal import Decimal

import pytest

from catalog.choices import Disposal
from catalog.importing import import_file
from catalog.importing.statuses import HELD, NOT_HELD, SOLD, UNKNOWN, classify, classify_sold_column
from catalog.models import Coin
from catalog.tests.collection_files import write_csv, write_opennumismat
from catalog.tests.test_import_collections import on_coin

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


HELD_STATUSES = ("owned", "duplicate", "replacement", "sale")
NOT_HELD_STATUSES = ("wish", "ordered", "bidding", "missing", "pass", "demo")


def by_source_id() -> dict[str, Coin]:
    return {coin.import_state["source_id"]: coin for coin in Coin.objects.all()}


def test_opennumismat_statuses_held_sold_and_not_held(tmp_path, media):
    statuses = [*HELD_STATUSES, "sold", *NOT_HELD_STATUSES]
    coins = [on_coin(n, status=status) for n, status in enumerate(statuses, start=1)]
    sold_id = statuses.index("sold") + 1
    sale = {"saledate": "2023-06-01", "saleprice": 40.0, "totalsaleprice": 42.5, "buyer": "A. Collector",
            "saleplace": "Coin fair"}  # fmt: skip
    coins[sold_id - 1].update(sale)
    coins[3].update(saleprice=99.0)  # "sale": an asking price on a held coin stays in the notes
    path = write_opennumismat(tmp_path / "statuses.db", coins, {})
    report = import_file(path, currency="EUR")
    assert (report.created, report.errors) == (len(statuses), [])
    found = by_source_id()
    for n, status in enumerate(statuses, start=1):
        coin = found[f"opennumismat:{n}"]
        assert f"Status: {status}" in coin.notes  # the owner's word is kept whatever it means
        assert coin.disposal == (Disposal.SOLD if status == "sold" else ""), status
    sold = found[f"opennumismat:{sold_id}"]
    assert (sold.disposal_date, sold.disposed_to) == (dt.date(2023, 6, 1), "A. Collector")
    # OpenNumismat gives no currency for a sale: the price is kept in the notes, and the report says so.
    assert (sold.disposal_price, sold.disposal_currency) == (None, "")
    assert "Sale price: 42.5" in sold.notes and "Place of sale: Coin fair" in sold.notes
    assert [(p.row, p.column) for p in report.warnings if "no currency" in p.message] == [
        (sold_id, "Sale price")
    ]
    assert "Sale price: 99" in found["opennumismat:4"].notes
    # Every coin the owner does not hold is named by a warning on its row, none of the held ones.
    not_held_rows = sorted(p.row for p in report.warnings if p.column == "Status")
    assert not_held_rows == [statuses.index(s) + 1 for s in NOT_HELD_STATUSES]
    assert Coin.objects.held().count() == len(statuses) - 1
    again = import_file(path, currency="EUR")
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(statuses))


def test_a_held_status_never_clears_a_disposal_recorded_in_the_app(tmp_path, media):
    path = write_opennumismat(tmp_path / "one.db", [on_coin(1, status="owned")], {})
    import_file(path)
    Coin.objects.update(disposal=Disposal.GIFTED, disposed_to="My nephew")
    assert import_file(path).unchanged == 1
    assert Coin.objects.get().disposal == Disposal.GIFTED


SHEET_HEADER = ["Inventory", "Ruler", "Denomination", "Weight", "Status", "Verkaufspreis", "Käufer",
                "Verkaufsdatum"]  # fmt: skip


def test_a_sheet_status_column_in_five_languages(tmp_path):
    rows = [
        ["1", "Hadrian", "Denarius", "3.2", "verkauft", "€ 120", "Müller", "2024-02-03"],
        ["2", "Hadrian", "Denarius", "3.1", "Vendu", "CHF 80", "", ""],
        ["3", "Hadrian", "Denarius", "3.0", "venduto", "", "", ""],
        ["4", "Hadrian", "Denarius", "3.3", "vendido", "", "", ""],
        ["5", "Hadrian", "Denarius", "3.4", "Sold", "95", "", ""],  # a price without its currency
        ["6", "Hadrian", "Denarius", "3.5", "im Besitz", "", "", ""],
        ["7", "Hadrian", "Denarius", "3.6", "souhait", "", "", ""],
        ["8", "Hadrian", "Denarius", "3.7", "deseado", "", "", ""],
        ["9", "Hadrian", "Denarius", "3.8", "in the drawer", "", "", ""],
    ]
    path = write_csv(tmp_path / "status.csv", SHEET_HEADER, rows)
    report = import_file(path)
    assert (report.created, report.errors) == (9, [])
    coins = {coin.inventory_number: coin for coin in Coin.objects.all()}
    assert [n for n, c in sorted(coins.items()) if c.disposal == Disposal.SOLD] == ["1", "2", "3", "4", "5"]
    first = coins["1"]
    assert (first.disposal_price, first.disposal_currency, first.disposed_to, first.disposal_date) == (
        Decimal("120.00"), "EUR", "Müller", dt.date(2024, 2, 3))  # fmt: skip
    assert (coins["2"].disposal_price, coins["2"].disposal_currency) == (Decimal("80.00"), "CHF")
    assert coins["5"].disposal_price is None and "Verkaufspreis: 95" in coins["5"].notes
    warned = sorted((p.row, p.column) for p in report.warnings if p.column in SHEET_HEADER[4:])
    assert warned == [(6, "Verkaufspreis"), (8, "Status"), (9, "Status"), (10, "Status")]
    assert "Status: in the drawer" in coins["9"].notes
    assert import_file(path).unchanged == 9


def test_a_sold_column_with_yes_no_or_a_date(tmp_path):
    header = ["Inventory", "Ruler", "Denomination", "Vendu", "Sold to"]
    rows = [["1", "Trajan", "As", "oui", "Dupont"], ["2", "Trajan", "As", "non", ""],
            ["3", "Trajan", "As", "2022-05-01", ""], ["4", "Trajan", "As", "", ""]]  # fmt: skip
    report = import_file(write_csv(tmp_path / "vendu.csv", header, rows))
    assert (report.created, report.errors) == (4, [])
    assert [p for p in report.warnings if p.column in ("Vendu", "Sold to")] == []
    disposal = dict(Coin.objects.values_list("inventory_number", "disposal"))
    assert disposal == {"1": Disposal.SOLD, "2": "", "3": Disposal.SOLD, "4": ""}
    assert Coin.objects.get(inventory_number="1").disposed_to == "Dupont"


def test_without_a_status_column_a_sale_date_or_buyer_names_the_sale(tmp_path):
    header = ["Inventory", "Ruler", "Denomination", "Sale date", "Buyer"]
    rows = [["1", "Nero", "As", "2021-01-02", ""], ["2", "Nero", "As", "", ""]]
    import_file(write_csv(tmp_path / "sales.csv", header, rows))
    assert dict(Coin.objects.values_list("inventory_number", "disposal")) == {"1": Disposal.SOLD, "2": ""}


@pytest.mark.parametrize(
    ("word", "status"),
    [("owned", HELD), ("Duplicate", HELD), ("sale", HELD), ("possédé", HELD), ("en venta", HELD),
     ("SOLD", SOLD), ("Verkauft", SOLD), ("vendue", SOLD), ("venduta", SOLD), ("vendida", SOLD),
     ("wish", NOT_HELD), ("bestellt", NOT_HELD), ("manquant", NOT_HELD), ("mancante", NOT_HELD),
     ("pedido", NOT_HELD), ("", HELD), ("blue", UNKNOWN)],
)  # fmt: skip
def test_status_words(word, status):
    assert classify(word) == status


def test_sold_column_cells():
    assert [classify_sold_column(t) for t in ("ja", "nein", "", "x", "2020-01-01", "wish")] == [
        SOLD, HELD, HELD, SOLD, SOLD, NOT_HELD]  # fmt: skip
