"""Grades: bands, slab scores, and every Condition / NGC Grade value of the spreadsheet."""

import pytest

from numismatics.grades import parse_grade
from numismatics.tests.spreadsheet import sheet_rows


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("Poor", 10), ("Fair", 20), ("AG", 30), ("About Good", 30), ("G", 40), ("Good", 40), ("VG", 50),
        ("F", 60), ("Fine", 60), ("VF", 70), ("Very fine", 70), ("EF", 80), ("XF", 80),
        ("Extremely Fine", 80), ("AU", 90), ("MS", 100), ("FDC", 100), ("Fleur De Coin", 100),
        ("Near Fine", 57), ("Nearly extremely fine", 77), ("aEF", 77), ("about VF", 67), ("VF-", 68),
        ("VF+", 72), ("Good VF", 73), ("good extremely fi ne", 83), ("Choice AU", 95), ("Ch XF", 85),
        ("Choice F", 65), ("VF/EF", 75), ("F-VF", 65), ("FV", 70), ("XF?", 80),
        # German, Italian, French
        ("s", 60), ("ss", 70), ("vz", 80), ("St", 100), ("ss-vz", 75), ("f. vz", 77), ("vz-St", 90),
        ("MB", 60), ("BB", 70), ("SPL", 80), ("qFDC", 97), ("BB+", 72),
        ("TB", 60), ("TTB", 70), ("SUP", 80), ("TTB+", 72),
    ],
)  # fmt: skip
def test_band(text, band):
    assert parse_grade(text).band == band


def test_grade_text_is_kept_as_written_and_nothing_is_none():
    grade = parse_grade("  Choice AU  Strike: 5/5 Surface: 4/5")
    assert grade.text == "Choice AU Strike: 5/5 Surface: 4/5"
    assert parse_grade("").band is None
    assert parse_grade(None).band is None
    assert parse_grade("toned, scratches").band is None


def test_ngc_label_with_star_and_fine_style():
    grade = parse_grade("Ch AU ★ Strike: 5/5 Surface: 4/5 Fine Style")
    assert (grade.band, grade.service, grade.strike, grade.surface) == (95, "ngc", 5, 4)
    assert grade.star and grade.fine_style
    plain = parse_grade("VF")
    assert not plain.star and not plain.fine_style and plain.service is None


@pytest.mark.parametrize(
    ("text", "band", "service", "strike", "surface"),
    [
        ("NGC Ch XF", 85, "ngc", None, None),
        ("NGC Choice AU 5/5 – 2/5", 95, "ngc", 5, 2),
        ("NGC graded Ch AU★, 5/5, 5/5, Fine Style", 95, "ngc", 5, 5),
        ("ANACS VF 35, tooled", 70, "anacs", None, None),
        ("PCGS MS", 100, "pcgs", None, None),
    ],
)
def test_slab_labels(text, band, service, strike, surface):
    grade = parse_grade(text)
    assert (grade.band, grade.service, grade.strike, grade.surface) == (band, service, strike, surface)


def test_uncertain_grade():
    assert parse_grade("XF?").uncertain
    assert not parse_grade("XF").uncertain


EXPECTED_CONDITION = {
    "AU": 90, "Choice AU": 95, "Choice F": 65, "Choice VF": 75, "Choice XF": 85, "MS": 100, "VF": 70,
    "VF+": 72, "XF": 80, "XF?": 80,
}  # fmt: skip


def test_every_condition_value_in_the_spreadsheet(shared):
    rows = sheet_rows(shared)
    values = {row["Condition"] for row in rows if row.get("Condition")}
    assert values == set(EXPECTED_CONDITION)
    for value in values:
        assert parse_grade(value).band == EXPECTED_CONDITION[value], value


def test_every_ngc_grade_value_in_the_spreadsheet(shared):
    rows = sheet_rows(shared)
    values = {row["NGC Grade"] for row in rows if row.get("NGC Grade")}
    assert len(values) == 12
    for value in values:
        grade = parse_grade(value)
        assert grade.band is not None, value
        has_scores = "Strike" in value
        assert (grade.strike is not None) == has_scores, value
        assert grade.service == ("ngc" if has_scores else None), value
    # Real rows: inventory 13 and the "FV" typo.
    by_inventory = {row["inventory"]: row for row in rows}
    grade = parse_grade(by_inventory[13]["NGC Grade"])
    assert by_inventory[13]["NGC Grade"] == "XF  Strike: 4/5 Surface: 3/5"
    assert (grade.band, grade.strike, grade.surface) == (80, 4, 3)
    assert parse_grade("FV  Strike: 4/5 Surface: 3/5").band == 70
    assert parse_grade("Choice XF Strike: 5/5 Surface: 2/5").surface == 2
