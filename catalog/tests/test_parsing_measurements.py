"""Weight, diameter and die axis in every notation DOMAIN.md lists."""

from decimal import Decimal

import pytest

from catalog.parsing.measurements import Measurements, parse_measurements


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
        ("19 x 21 mm", m(None, "19")),
        ("", m()),
    ],
)
def test_parse_measurements(text, expected):
    assert parse_measurements(text) == expected


def test_weight_keeps_its_decimals():
    assert str(parse_measurements("3.820 g").weight_g) == "3.820"
