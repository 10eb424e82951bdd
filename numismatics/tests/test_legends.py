"""Legends apart from descriptions, on the spreadsheet's Obverse/Reverse columns and DOMAIN.md forms."""

import re

import pytest

from numismatics.legends import legend_search_text, split_legend
from numismatics.tests.spreadsheet import sheet_rows


@pytest.mark.parametrize(
    ("text", "legend", "description"),
    [
        (
            "CAESAR AVGVSTVS-DIVI F PATER PATRIAE, laureate head of Augustus right",
            "CAESAR AVGVSTVS-DIVI F PATER PATRIAE",
            "laureate head of Augustus right",
        ),
        (
            "A•ALB•S•F-L•METEL, laureate head of Apollo right",
            "A•ALB•S•F-L•METEL",
            "laureate head of Apollo right",
        ),
        ("KOΣΩN, Roman consul walking left", "KOΣΩN", "Roman consul walking left"),
        ("ΛΑΡΙ-ϞΑΙΟ-Ν Sandal of Jason to left", "ΛΑΡΙ-ϞΑΙΟ-Ν", "Sandal of Jason to left"),
        ("C•MAL, Roma seated left", "C•MAL", "Roma seated left"),
        ("Eagle standing left on scepter", "", "Eagle standing left on scepter"),
        ("A laureate head right", "", "A laureate head right"),
        ("No legend, laureate head right", "", "No legend, laureate head right"),
        ("ROMA", "ROMA", ""),
    ],
)
def test_split_legend(text, legend, description):
    assert split_legend(text) == (legend, description)


@pytest.mark.parametrize(
    ("legend", "search"),
    [
        ("IMP•CAES•TRAIAN•HADRIANO", "IMP CAES TRAIAN HADRIANO"),
        ("CAESAR AVGVSTVS-DIVI F", "CAESAR AVGVSTVS DIVI F"),
        ("P • M • TR P • V • COS • IIII • P • P •", "P M TR P V COS IIII P P"),
        ("ΚΕΦΑΛΟΙΔΙ-[ON]", "ΚΕΦΑΛΟΙΔΙ ON"),
        ("SPES PVBLICA.", "SPES PVBLICA"),
        ("", ""),
    ],
)
def test_legend_search_text(legend, search):
    assert legend_search_text(legend) == search


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_every_obverse_and_reverse_in_the_spreadsheet(shared):
    values = sorted({v for row in sheet_rows(shared) for v in (row["Obverse"], row["Reverse"]) if v})
    assert len(values) > 100
    with_legend = 0
    for value in values:
        legend, description = split_legend(value)
        # Nothing is lost or invented: the two parts hold exactly the words of the text.
        assert _words(legend) + _words(description) == _words(value), value
        if legend:
            with_legend += 1
            assert not re.search(r"[a-z]", legend), value  # legends are capitals only
    assert with_legend > 0.8 * len(values)
    assert split_legend("AVGVSTI F COS DESIG PRINC IVVENT, Gaius and Lucius Caesars, togate")[0] == (
        "AVGVSTI F COS DESIG PRINC IVVENT"
    )
