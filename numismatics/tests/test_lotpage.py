"""The page reader: lot pages as text, in five languages, from houses in and outside the real data.

data/page-text/ holds lot pages hand-written in the style of houses and platforms that are not among
the real pages in ../shared (Rauch, Bertolami, MDC, Tauler & Fau; then Leu web auctions, Stack's,
Naumann, a Sixbid page; then acsearch, LiveAuctioneers, the-saleroom, Catawiki), with their fields
typed by hand in labels.jsonl before the reader was run on each batch (never produced by it).
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from numismatics.description import parse_description
from numismatics.lotpage import MAX_CHARS, read_lot_page

PAGES = Path(__file__).parent / "data" / "page-text"


def _labels() -> list[dict]:
    return [json.loads(line) for line in (PAGES / "labels.jsonl").read_text(encoding="utf-8").splitlines()]


def _accepted(label: dict, key: str) -> list:
    return [label[key], *label["alternatives"].get(key, [])]


def _decimal(value):
    return None if value is None else Decimal(str(value))


@pytest.mark.parametrize("label", _labels(), ids=lambda label: label["file"])
def test_hand_written_pages_of_other_houses(label):
    page = read_lot_page((PAGES / label["file"]).read_text(encoding="utf-8"), label["url"])
    assert page.house in _accepted(label, "house")
    assert (page.sale_name or None) in [name or None for name in _accepted(label, "sale_name")]
    assert page.sale_date in [d and date.fromisoformat(d) for d in _accepted(label, "sale_date")]
    assert page.lot_number == label["lot_number"]
    assert (page.estimate_low, page.estimate_high) == (
        _decimal(label["estimate"]),
        _decimal(label["estimate_high"]),
    )
    assert page.starting_price == _decimal(label["starting_price"])
    assert page.hammer_price == _decimal(label["hammer"])
    assert (page.currency, page.status) == (label["currency"], label["status"])
    assert page.buyers_premium_pct == _decimal(label["buyers_premium_pct"])
    assert page.description.startswith(label["description_start"])
    assert len(page.provenance) == label["provenance"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Estimate: 15 000 CHF\nPrice realized: 20 000 CHF", ((15000, None), None, 20000, "CHF")),
        ("Estimate | 10'000 USD |\nStarting price | 5'000 USD |\nPrice realized | 5'500 USD |",
         ((10000, None), 5000, 5500, "USD")),
        ("| Schätzpreis | 1.000 € |\n| Startpreis | 800 € |", ((1000, None), 800, None, "EUR")),
        ("Schätzpreis: 200,00 €\nZuschlag: 1.400,00 €", ((200, None), None, 1400, "EUR")),
        ("Estimation : 2 000 - 2 500 €\nMise à prix : 1 500 €\nAdjugé : 3 100 €",
         ((2000, 2500), 1500, 3100, "EUR")),
        ("Stima: € 1.200\nBase d'asta: € 900\nAggiudicazione: € 1.500", ((1200, None), 900, 1500, "EUR")),
        ("Estimación: 150 €\nPrecio de salida: 120 €\nRemate: 180 €", ((150, None), 120, 180, "EUR")),
        ("Sale: CNG 69, Lot: 1375. Estimate $400. Closing Date: Wednesday, 8 June 2005. Sold For $340.",
         ((400, None), None, 340, "USD")),
        ("Currency:CHF Start Price:9,600.00 CHF Estimated At:12,000.00 - 15,000.00 CHF",
         ((12000, 15000), 9600, None, "CHF")),
        ("Estimated Value $1,500 - 2,000.", ((1500, 2000), None, None, "USD")),
        ("Estimate\n50 GBP\nStarting price\n20 GBP", ((50, None), 20, None, "GBP")),
    ],
)  # fmt: skip
def test_prices_by_their_labels_in_five_languages_and_three_layouts(text, expected):
    page = read_lot_page(text + "\n\nAugustus. AR Denarius (3.82 g). RIC I 207. VF.")
    (low, high), start, hammer, currency = expected
    assert (page.estimate_low, page.estimate_high) == (_decimal(low), _decimal(high))
    assert page.starting_price == _decimal(start)
    assert page.hammer_price == _decimal(hammer)
    assert page.currency == currency


@pytest.mark.parametrize(
    ("text", "lot"),
    [
        ("Lot 121", "121"),
        ("Lot number: 381", "381"),
        ("Los 937", "937"),
        ("Losnummer 7792", "7792"),
        ("Lotto 45", "45"),
        ("Lote 2051", "2051"),
        ("Lot n° 57", "57"),
        ("lot # 3033 - denarii collection", "3033"),
        ("521", "521"),  # a listing that heads the page with the lot's number alone
    ],
)
def test_the_lot_number_in_each_way_pages_print_it(text, lot):
    page = read_lot_page(f"{text}\n\nHadrian. AR Denarius (18mm, 3.21 g, 6h). Rome. RIC II 241a. VF.")
    assert page.lot_number == lot


def test_provenance_and_a_second_lot_never_give_the_sale_lot_or_date():
    text = (
        "Classical Numismatic Group > Electronic Auction 553Auction date: 3 January 2024\n"
        "Lot number: 381\n\nPrice realized: 400 USD (Approx. 362 EUR) "
        "Note: Prices do not include buyer's fees.\n"
        "Lot description:\n\n"
        "JUDAEA, Caesarea. Æ Prutah (11mm, 0.52 g, 12h). Amphora / Leaf. Meshorer 369. VF.\n\n"
        "Ex Heritage Auction 3032 (10 April 2014), lot 23882.\n\nEstimate: 100 USD\n\nMatch 1:\n"
        "Classical Numismatic Group > Electronic Auction 561Auction date: 1 May 2024\nLot number: 137\n"
        "Price realized: 850 USD\n\nTROAS. Æ (12.5mm, 1.58 g, 12h). Bust / Warrior. VF.\n"
    )
    page = read_lot_page(text)
    assert (page.house, page.sale_name, page.sale_number) == ("CNG", "Electronic Auction 553", "553")
    assert (page.lot_number, page.sale_date, page.hammer_price) == ("381", date(2024, 1, 3), Decimal(400))
    assert page.estimate_low == Decimal(100)
    assert page.description.startswith("JUDAEA, Caesarea.") and "TROAS" not in page.lot_text
    assert page.provenance == ["Ex Heritage Auction 3032 (10 April 2014), lot 23882."]
    assert page.premium_note == "Prices do not include buyer's fees."


def test_a_page_with_no_description_gives_none_and_nothing_else_is_guessed():
    page = read_lot_page("Welcome to our shop\nOpening hours\nContact us: 9-17 daily\n")
    assert (page.description, page.lot_number, page.hammer_price, page.house) == ("", "", None, "")


def test_unsold_and_open_lots():
    assert (
        read_lot_page("Price realized | Unsold |\n\nAugustus. AR Denarius (3.82 g). VF.").status == "unsold"
    )
    assert read_lot_page("Zuschlag: nicht verkauft\n\nAugustus. AR Denarius (3.82 g). VF.").status == "unsold"
    open_lot = read_lot_page("Current bid: 120 EUR\nBieten\n\nAugustus. AR Denarius (3.82 g). VF.")
    assert (open_lot.status, open_lot.current_bid) == ("open", Decimal(120))


def test_metal_glyphs_are_read_only_where_the_page_explains_them():
    lot = "Õ-Denar, 78 v. Chr. Rom; 3,99 g. Kopf r.//Ceres r. Crawf. 385/3. Vorzüglich"
    assert parse_description(read_lot_page(lot).lot_text).metal == "silver"  # a Denar, whatever "Õ" is
    assert parse_description(read_lot_page(lot.replace("Õ-Denar", "Ö-Aureus")).lot_text).metal == "gold"
    unexplained = read_lot_page(lot.replace("Õ-Denar", "Ö-Stater"))
    assert parse_description(unexplained.lot_text).metal is None  # no legend: the glyph is not guessed
    explained = read_lot_page(f"Ö = Gold, Õ = Silber\n\nLos 5\n\n{lot.replace('Õ-Denar', 'Ö-Stater')}")
    assert explained.metal_glyphs == ["Ö = Gold", "Õ = Silber"]  # kept with the lot's text
    assert parse_description(explained.lot_text).metal == "gold"


def test_only_the_first_max_chars_are_read():
    page = read_lot_page("x\n" * (MAX_CHARS // 2) + "Lot 5\n\nAugustus. AR Denarius (3.82 g). VF.")
    assert (page.lot_number, page.description) == ("", "")


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Data asta: 21/09/2026", date(2026, 9, 21)),
        ("Fecha: 03/10/2026", date(2026, 10, 3)),  # day first, as everywhere but the United States
        ("Auction date: 09/21/2026", date(2026, 9, 21)),  # a month first only when it cannot be a day
        ("Auktionsdatum: 14.03.2026", date(2026, 3, 14)),
        ("Closing: 2026-03-14T10:00:00Z", date(2026, 3, 14)),  # a machine date with its time
    ],
)
def test_a_sale_date_written_in_numbers(line, day):
    page = read_lot_page(
        f"Asta 15\n{line}\nLotto 1204\nAdriano (117-138). Denario, Roma. 3,31 g. RIC 174. BB."
    )
    assert page.sale_date == day


_COIN = "Hadrian, 117-138. AR Denarius (19mm, 3.31 g, 6h). Rome, AD 125-128. RIC 174. VF.\nEstimate: 300 CHF"


@pytest.mark.parametrize(
    ("heading", "house", "sale"),
    [
        ("Home > Auctions > Example Coins > Electronic Auction 553 > Lot 45", "Example Coins",
         "Electronic Auction 553"),
        ("Startseite » Beispiel Münzen » eLive Auction 80 » Los 45", "Beispiel Münzen", "eLive Auction 80"),
        ("Accueil > Ventes > Vente 23", "", "Vente 23"),
        ("Example Coins\n190th Blue Auction", "Example Coins", "190th Blue Auction"),
        ("Exemple Numismatique\n45e Vente", "Exemple Numismatique", "45e Vente"),
        ("Ejemplo Subastas\n7ª Subasta", "Ejemplo Subastas", "7ª Subasta"),
        # the lot or the day before the sale on its line is not part of its name
        ("Example House\nLot 45 Auction 97", "Example House", "Auction 97"),
        ("Example House\n12 December 2026 Auction 97", "Example House", "Auction 97"),
        ("Example Auctions\n2026 March 5 World & Ancient Coins Signature Auction #3120", "Example Auctions",
         "2026 March 5 World & Ancient Coins Signature Auction #3120"),
    ],
)  # fmt: skip
def test_the_sale_from_a_trail_of_links_or_an_ordinal_heading(heading, house, sale):
    page = read_lot_page(f"{heading}\nLot 45\n{_COIN}")
    assert (page.house, page.sale_name) == (house, sale)


def test_the_house_below_the_sale_heading_and_no_account_link_as_a_house():
    below = read_lot_page(f"Log in\nAuction 132\nThe Coin Cabinet\n18 August 2026\nLot 45\n{_COIN}")
    assert (below.house, below.sale_name) == ("The Coin Cabinet", "Auction 132")
    # an unknown name below is not taken; an account link above is not a house either
    for link in ("Log in", "Anmelden", "Se connecter", "Accedi", "Iniciar sesión"):
        page = read_lot_page(f"{link}\nAuction 132\nExample Antiquities Shop\nLot 45\n{_COIN}")
        assert page.house == "", link
