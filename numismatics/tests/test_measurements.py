"""Weight, diameter and die axis in every notation DOMAIN.md lists."""

from decimal import Decimal

import pytest

from numismatics.measurements import Measurements, parse_measurements


def m(weight=None, diameter=None, axis=None) -> Measurements:
    return Measurements(Decimal(weight) if weight else None, Decimal(diameter) if diameter else None, axis)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(19mm, 3.47 g, 6h)", m("3.47", "19", 6)),
        ("(Silver, 23.5 mm, 17.16 g, 9 h)", m("17.16", "23.5", 9)),
        ("22.05g, 33mm, 6h", m("22.05", "33", 6)),
        ("3.65g/6h", m("3.65", None, 6)),
        ("Weight: 3,25 g", m("3.25")),
        ("8,4 g - 19,5 mm - 12 h", m("8.4", "19.5", 12)),
        ("(3.22 gm)", m("3.22")),
        ("3.82 gr.", m("3.82")),
        ("19mm, 3.43 gms", m("3.43", "19")),
        ("Ø 19 mm", m(None, "19")),
        ("Diameter: 19 mm.", m(None, "19")),
        ("5.32g, 15-17mm", m("5.32", "15")),
        ("die axis 6 o'clock", m(None, None, 6)),
        ("12:00", m(None, None, 12)),
        ("0h", m(None, None, 12)),
        ("(Silver, 5.11 g 4)", m("5.11")),  # a bare 4 is not said to be hours
        ("0 g, 0 mm", m()),  # zero is not a measurement
        ("RIC I 207; RSC 43", m()),
        ("AE (g 25,12; mm 31)", m("25.12", "31")),  # Italian: the unit first
        ("K&G 32.348; Emmett 841", m()),  # a catalogue number is not a weight
        ("(3.45 g, ↑)", m("3.45", None, 12)),
        ("19 x 21 mm", m(None, "19")),  # an oval flan keeps its first dimension, like "15-17mm"
        # Degrees (0 and 360 are 12h) and Forum Ancient Coins' "180o"
        ("Weight 4.61 gm, diameter 23 mm, die axis 180°.", m("4.61", "23", 6)),
        ("die axis 0°", m(None, None, 12)),
        ("2.312g, 17.4mm, 180o.", m("2.312", "17.4", 6)),
        ("2.312g, 17.4mm, 100o.", m("2.312", "17.4")),  # not a multiple of 15: not a degree
        ("n° 88", m()),
        # Arrows, diagonals to the nearer later hour
        ("(Silver, 9 mm, 0.66 g, ↗)", m("0.66", "9", 2)),
        ("Tetradrachme (14,12g). 158-149 v. Chr. ↓.", m("14.12", None, 6)),
        # The unit first (Italian houses), also after a full stop, and "h 12"
        ("(g 7,34; mm 22; h 12)", m("7.34", "22", 12)),
        ("AR. g 3,89. mm 19,00. BB+.", m("3.89", "19.00")),
        ("Denario AR g. 3,85 mm 19", m("3.85", "19")),
        ("AR 19 mm 3,21 g", m("3.21", "19")),
        ("Peso g 3,45. Diametro mm 18.", m("3.45", "18")),
        # Labels in French and German, "Uhr", Italian "grammi"
        ("Poids : 7,21 g. Diamètre : 21 mm. Axe des coins : 9 h.", m("7.21", "21", 9)),
        ("Gewicht 3,21g, Durchmesser 18 mm, Stempelstellung 7h.", m("3.21", "18", 7)),
        ("Stempelstellung 6 Uhr", m(None, None, 6)),
        ("3,45 grammi", m("3.45")),
        ("Weight: 3.42g | Diameter: 18mm | Die axis: 6h", m("3.42", "18", 6)),
        ("3.2g / 19mm / 6h", m("3.2", "19", 6)),
        # A catalogue number with a variant letter h is not an axis
        ("DOC 9h; MIB 7. 13.91g, 26mm, 12h.", m("13.91", "26", 12)),
        ("", m()),
    ],
)
def test_parse_measurements(text, expected):
    assert parse_measurements(text) == expected


def test_weight_keeps_its_decimals():
    assert str(parse_measurements("3.820 g").weight_g) == "3.820"
