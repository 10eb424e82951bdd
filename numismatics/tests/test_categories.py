"""Series names to category codes, over the spreadsheet's Category column."""

import pytest

from numismatics.categories import CATEGORIES, parse_category
from numismatics.tests.spreadsheet import column


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Roman Republic", "roman_republican"),
        ("Roman Republican", "roman_republican"),
        ("Imperatorial", "roman_republican"),
        ("Roman Provincial\xa0", "roman_provincial"),
        ("Greek Imperial", "roman_provincial"),
        ("Roman Imperial", "roman_imperial"),
        ("ROMAN EMPIRE", "roman_imperial"),
        ("Greek", "greek"),
        ("Celtic", "celtic"),
        ("Judaean", "judaean"),
        ("Byzantine", "byzantine"),
        ("Islamic", "islamic"),
        ("other", "other"),
        ("roman_imperial", "roman_imperial"),
    ],
)
def test_known_categories(text, code):
    assert parse_category(text) == code
    assert code in CATEGORIES


@pytest.mark.parametrize("text", ["", None, "Roman", "Coins", "Denarius"])
def test_unknown_category_is_none(text):
    assert parse_category(text) is None


def test_every_category_in_the_spreadsheet(shared):
    values = [v for _, v in column(shared, "Category") if v]
    assert len(values) > 50
    expected = {
        "Roman Imperial": "roman_imperial",
        "Roman Provincial": "roman_provincial",
        "Roman Provincial\xa0": "roman_provincial",
        "Roman Republic": "roman_republican",
    }
    assert set(values) == set(expected)
    for value in values:
        assert parse_category(value) == expected[value]
