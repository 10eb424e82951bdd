"""Pedigrees read oldest first, over every Pedigree value of the spreadsheet."""

from datetime import date

import pytest

from numismatics.provenance import KINDS, parse_provenance
from numismatics.tests.spreadsheet import column


def summary(text: str) -> list[tuple]:
    return [(i.kind, i.name, i.sale, i.lot, i.date) for i in parse_provenance(text)]


# Every distinct Pedigree value of the spreadsheet, oldest owner first.
SHEET = {
    "From The Peh Family Collection, Part II. Ex Heritage Auctions, Auction 3011 (14 April 2011), lot 173.": [
        ("auction", "Heritage Auctions", "3011", "173", date(2011, 4, 14)),
        ("collection", "Peh Family Collection", "Part II", "", None),
    ],
    "From the Merrill A. Gibson Collection of Ancient Coins. Ex Apollo Numismatics, private sale with old "
    "dealer's tag included.": [
        ("private_sale", "Apollo Numismatics", "", "", None),
        ("collection", "Merrill A. Gibson Collection of Ancient Coins", "", "", None),
    ],
    "From the Merrill A. Gibson Collection of Ancient Coins; Ex Apollo Numismatics, private sale with old "
    "dealer's tag included.": [
        ("private_sale", "Apollo Numismatics", "", "", None),
        ("collection", "Merrill A. Gibson Collection of Ancient Coins", "", "", None),
    ],
    "From the Merrill A. Gibson Collection of Ancient Coins.": [
        ("collection", "Merrill A. Gibson Collection of Ancient Coins", "", "", None),
    ],
    "From the Werner Collection": [("collection", "Werner Collection", "", "", None)],
    "Ex MACM inventory MMoCA171C, purchased from Coincraft, 7 July 2003.": [
        ("dealer", "Coincraft", "", "", date(2003, 7, 7)),
        ("collection", "MACM inventory MMoCA171C", "", "", None),
    ],
    # A comparable coin, not an owner of this one: kept as "unknown" with what it states.
    "Cf. Harlan J. Berk, Sale 227 (14 May 2024), lot 18.": [
        ("unknown", "Harlan J. Berk", "227", "18", date(2024, 5, 14)),
    ],
}  # fmt: skip


def test_every_pedigree_in_the_spreadsheet(shared):
    values = {v for _, v in column(shared, "Pedigree") if v}
    assert values == set(SHEET), "the spreadsheet changed: review the expected pedigrees"
    for value in values:
        assert summary(value) == SHEET[value], value


@pytest.mark.parametrize(("text", "expected"), list(SHEET.items()))
def test_sheet_values_without_the_sheet(text, expected):
    assert summary(text) == expected


def test_raw_and_date_text_are_kept():
    (item,) = parse_provenance("Cf. Harlan J. Berk, Sale 227 (14 May 2024), lot 18.")
    assert item.raw.startswith("Cf. Harlan J. Berk")
    assert item.date_text == "14 May 2024"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "From a Private Japanese Collection. Ex Lexington Collection of Jonathan K. Kern (Heritage "
            "Auction 3032, CICF, 10 April 2014), lot 23882.",
            [
                ("collection", "Lexington Collection of Jonathan K. Kern", "", "", None),
                ("auction", "Heritage", "3032", "23882", date(2014, 4, 10)),
                ("collection", "Private Japanese Collection", "", "", None),
            ],
        ),
        (
            "Ex Leu 38, lot 23; ex Hunt collection",
            [("collection", "Hunt collection", "", "", None), ("auction", "Leu", "38", "23", None)],
        ),
        ("Ex CNG 69 (8 June 2005), lot 1375.", [("auction", "CNG", "69", "1375", date(2005, 6, 8))]),
        ("", []),
    ],
)
def test_other_pedigrees(text, expected):
    assert summary(text) == expected


def test_kinds_are_the_stored_codes():
    text = "Ex Heritage Auctions, Auction 3011, lot 173. From the Werner Collection. Cf. CNG 69, lot 1."
    assert {item.kind for item in parse_provenance(text)} <= set(KINDS)


# A collector's own chains, written "Ex. A, Ex. B": split on the "Ex." boundaries only, never on the
# full stop of "Ex." nor on a comma inside one entry.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ex. Romae Aeternae Numismatics 2016", [("dealer", "Romae Aeternae Numismatics")]),
        (
            "Ex. Doug Smith Collection, Ex. John Anthony 2019",
            [("unknown", "John Anthony"), ("collection", "Doug Smith Collection")],
        ),
        (
            "Ex. CNG Electronic Auction 456, Lot 751 (part of), Ex. Forum Ancient Coins",
            [("dealer", "Forum Ancient Coins"), ("auction", "CNG")],
        ),
        ("Ex Dr. A. Fairfax Collection.", [("collection", "Dr. A. Fairfax Collection")]),
        (
            "Ex. Art Ancient Ltd. Ex. <a href='hoard.html'>South Petherton Hoard</a>",
            [("hoard", "South Petherton Hoard"), ("dealer", "Art Ancient Ltd")],
        ),
    ],
)
def test_ex_dot_chains(text, expected):
    assert [(i.kind, i.name) for i in parse_provenance(text)] == expected
