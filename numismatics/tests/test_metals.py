"""Metal words to codes, over the spreadsheet's Composition column and the abbreviations of DOMAIN.md."""

import pytest

from numismatics.metals import METALS, parse_metal, words_for
from numismatics.tests.spreadsheet import column


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("AV", "gold"), ("AU", "gold"), ("Gold", "gold"), ("Or", "gold"), ("Oro", "gold"),
        ("AR", "silver"), ("Silver", "silver"), ("Silber", "silver"), ("Argent", "silver"),
        ("Argento", "silver"), ("AE", "bronze"), ("Æ", "bronze"), ("Bronze", "bronze"),
        ("Bronze/Copper", "bronze"), ("Cu", "copper"), ("Copper", "copper"), ("Kupfer", "copper"),
        ("BI", "billon"), ("Billon", "billon"), ("EL", "electrum"), ("PB", "lead"), ("potin", "potin"),
        ("Orichalcum", "orichalcum"), ("AR Denarius", "silver"), (" Gold\xa0", "gold"),
        ("Plata", "silver"), ("Zilver", "silver"), ("Goud", "gold"), ("Brons", "bronze"),
    ],
)  # fmt: skip
def test_known_metals(text, code):
    assert parse_metal(text) == code
    assert code in METALS


@pytest.mark.parametrize("text", ["", None, "unknown", "Silvered bronze", "Denarius", "xyz"])
def test_unknown_is_none_never_a_guess(text):
    assert parse_metal(text) is None


def test_every_composition_in_the_spreadsheet(shared):
    values = [v for _, v in column(shared, "Composition") if v]
    expected = {
        "Silver": "silver",
        "Gold": "gold",
        "Bronze": "bronze",
        "Bronze/Copper": "bronze",
        "Billon": "billon",
    }
    assert set(values) == set(expected)
    for value in values:
        assert parse_metal(value) == expected[value]


def test_words_for_a_metal_are_every_word_read_as_it():
    assert words_for("silver")[0] == "silver"
    assert {"ar", "ag", "argent", "silber"} <= set(words_for("silver"))
    for metal in METALS:
        for word in words_for(metal)[1:]:
            assert parse_metal(word) == metal, word


def test_words_for_a_metal_are_single_words():
    # "bronze/copper" is read as bronze; it must not make "copper" find bronze coins.
    assert not any("/" in word for metal in METALS for word in words_for(metal))
    assert "copper" not in words_for("bronze")
