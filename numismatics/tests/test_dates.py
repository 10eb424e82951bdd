"""Years and ranges: every form in DOMAIN.md and in the spreadsheet's Ruled/Minted columns."""

import pytest

from numismatics.dates import DateParseError, YearRange, parse_year, parse_year_range
from numismatics.tests.spreadsheet import sheet_rows
from numismatics.years import format_year_range


def sheet(shared) -> list[dict]:
    return sheet_rows(shared)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27 BC-AD 14", YearRange(-27, 14, False)),
        ("27 BC–14 AD", YearRange(-27, 14, False)),
        ("54 BC", YearRange(-54, -54, False)),
        ("AD 014-37", YearRange(14, 37, False)),
        ("AD 159-60 ", YearRange(159, 160, False)),
        ("AD 140/141", YearRange(140, 141, False)),
        ("AD 58/9", YearRange(58, 59, False)),
        ("before April AD 340", YearRange(340, 340, False, "before")),
        ("after 54 BC", YearRange(-54, -54, False, "after")),
        ("c. 150-100 BC", YearRange(-150, -100, True)),
        ("circa 240 BC", YearRange(-240, -240, True)),
        ("ca. AD 200", YearRange(200, 200, True)),
        ("c.42 B.C.", YearRange(-42, -42, True)),
        ("2 BC-AD 4", YearRange(-2, 4, False)),
        ("260-268", YearRange(260, 268, False)),
        ("AD 222 - 235", YearRange(222, 235, False)),
        ("356-345 BCE", YearRange(-356, -345, False)),
        ("14 CE", YearRange(14, 14, False)),
        ("autumn 32 - spring 31 BC", YearRange(-32, -31, False)),
        ("3rd century AD", YearRange(201, 300, True)),
        # German, French and Italian eras
        ("161-169 n. Chr.", YearRange(161, 169, False)),
        ("44 v. Chr.", YearRange(-44, -44, False)),
        ("241-243 ap. J.-C.", YearRange(241, 243, False)),
        ("av. J.-C. 200", YearRange(-200, -200, False)),
        ("172-173 d.C.", YearRange(172, 173, False)),
        ("Late 3rd - 2nd centuries BC", YearRange(-300, -101, True)),
    ],
)
def test_parse_year_range_forms(text, expected):
    assert parse_year_range(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("38/7 BC", YearRange(-38, -37, False)),  # two BC years, the second written short
        ("323/2 BC", YearRange(-323, -322, False)),
        ("100/99 BC", YearRange(-100, -99, False)),  # already whole: not "199"
        ("AD 58/9", YearRange(58, 59, False)),
    ],
)
def test_slash_years(text, expected):
    assert parse_year_range(text) == expected


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("27 BC", -27),
        ("-27", -27),
        ("AD 14", 14),
        ("14", 14),
        ("14 AD", 14),
        ("14 CE", 14),
        ("100 BCE", -100),
    ],
)
def test_parse_year(text, year):
    assert parse_year(text) == year


@pytest.mark.parametrize("text", ["hello", "AD 0", "0", "AD 14-5 BC", "100-150 BC", "Rome"])
def test_not_a_date_raises_a_plain_words_error(text):
    with pytest.raises(DateParseError, match="not a date"):
        parse_year_range(text)


def test_parse_year_refuses_a_range_and_empty_text_is_none():
    with pytest.raises(DateParseError):
        parse_year("27 BC-AD 14")
    assert parse_year_range("") is None
    assert parse_year_range(None) is None


@pytest.mark.parametrize(
    "text", ["27 BC-AD 14", "54 BC", "AD 159-160", "c. 150-100 BC", "AD 14-37", "c. AD 200"]
)
def test_round_trip_with_the_collectors_format(text):
    found = parse_year_range(text)
    assert format_year_range(found.start, found.end, found.circa) == text


def test_every_ruled_and_minted_value_in_the_spreadsheet_parses(shared):
    rows = sheet(shared)
    values = {row[column] for row in rows for column in ("Ruled", "Minted") if row.get(column)}
    assert len(values) > 80  # 48 Ruled + 47 Minted distinct values, a few shared
    for value in values:
        found = parse_year_range(value)
        assert found.start <= found.end, value
        assert 0 not in (found.start, found.end), value
        # Formatting and reading back gives the same years: no value is silently misread.
        again = parse_year_range(format_year_range(found.start, found.end, found.circa))
        assert (again.start, again.end) == (found.start, found.end), value


def test_real_rows(shared):
    rows = {row["inventory"]: row for row in sheet(shared)}
    ruled = parse_year_range(rows[7]["Ruled"])
    minted = parse_year_range(rows[7]["Minted"])
    assert (ruled.start, ruled.end) == (-27, 14)
    assert (minted.start, minted.end) == (-2, 4)
    assert parse_year_range(rows[4]["Minted"]) == YearRange(-54, -54, False)
    minted = {row["Minted"] for row in rows.values() if row.get("Minted")}
    assert "AD 159-60 " in minted  # the abbreviated end, with the sheet's trailing space
    assert parse_year_range("AD 159-60 ") == YearRange(159, 160, False)
    assert "before April AD 340" in minted
    assert parse_year_range("before April AD 340").qualifier == "before"
