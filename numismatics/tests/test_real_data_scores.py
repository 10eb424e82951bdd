"""Per-field accuracy on the real data in ../shared: the tuning part and the held-out part apart.

The held-out part (data/holdout.json, drawn before the parsers were tuned for issue 17) says how the
parsers do on text nobody fitted them to; only its figures are printed, never its misses, so reading
the output does not turn it into tuning data. Each threshold sits just under the figure reached on
that part when this test was written (see the report of issue 17), so a regression fails it and the
claim in the README stays true.
"""

from datetime import date
from decimal import Decimal

from numismatics.description import parse_description
from numismatics.lotpage import read_lot_page
from numismatics.tests.real_data import PARTS, description_rows, page_rows
from numismatics.tests.test_description import FIELDS, score

# Just under the figures reached when this test was written (issue 17's report gives them): the
# held-out part of 21 descriptions and 7 pages was scored once, after the tuning, and its misses were
# not looked at. The targets for text never seen are 98 % for weight, diameter and axis, 90 %
# for the reference list and the years, 90 % for page fields.
DESCRIPTION_THRESHOLDS = {
    "tuning": {**{field: 0.97 for field in [*FIELDS, "references"]}, "denomination": 0.97},
    "held-out": {
        "weight_g": 0.95,  # 100 %
        "diameter_mm": 0.95,  # 95.2 %
        "die_axis": 0.95,  # 100 %
        "metal": 0.9,  # 90.5 %
        "denomination": 0.95,  # 100 %
        "grade": 0.85,  # 85.7 %
        "year_start": 0.9,  # 90.5 %
        "year_end": 0.85,  # 85.7 %
        "mint": 0.9,  # 90.5 % (85.7 % before the second pass of issue 17)
        "references": 0.9,  # 90.5 %
    },
}
PAGE_FIELDS = (
    "house",
    "sale",
    "lot",
    "date",
    "estimate",
    "hammer",
    "starting_price",
    "currency",
    "description",
)
PAGE_THRESHOLDS = {
    "tuning": dict.fromkeys(PAGE_FIELDS, 0.99),  # 100 % each
    "held-out": {**dict.fromkeys(PAGE_FIELDS, 0.99), "sale": 0.85},  # 100 % each, the sale 85.7 %
}


def _print(kind: str, part: str, count: int, figures: dict[str, float]) -> None:
    print(f"\n{kind}, {part} part ({count}):")
    for name, share in figures.items():
        print(f"  {name:15} {share:6.1%}")


def test_descriptions_per_field_on_each_part(shared):
    parts = description_rows(shared)
    assert {part: len(rows) for part, rows in parts.items()} == {"tuning": 42, "held-out": 21}
    for part in PARTS:
        figures, misses = score(parts[part])
        _print("descriptions", part, len(parts[part]), figures)
        if part == "tuning":
            print("\n".join(misses))
        for name, threshold in DESCRIPTION_THRESHOLDS[part].items():
            assert figures[name] >= threshold, (part, name, figures[name])


def _accepted(label: dict, key: str) -> list:
    return [label[key], *label.get("alternatives", {}).get(key, [])]


def _same(text: str | None, accepted: list) -> bool:
    folded = " ".join((text or "").split()).casefold() or None
    return folded in [" ".join(a.split()).casefold() if a else None for a in accepted]


def _decimal(value):
    return None if value is None else Decimal(str(value))


def page_checks(label: dict, page) -> dict[str, bool]:
    """Each page field right or not, against the hand-checked label and its accepted alternatives."""
    currencies = {label[k] for k in ("estimate_currency", "hammer_currency", "starting_price_currency")} - {
        None
    }
    return {
        "house": _same(page.house, _accepted(label, "house")),
        "sale": _same(page.sale_name, _accepted(label, "sale_name")),
        "lot": (page.lot_number or None) in _accepted(label, "lot_number"),
        "date": page.sale_date in [d and date.fromisoformat(d) for d in _accepted(label, "sale_date")],
        "estimate": (page.estimate_low, page.estimate_high)
        == (_decimal(label["estimate"]), _decimal(label["estimate_high"])),
        "hammer": page.hammer_price in [_decimal(h) for h in _accepted(label, "hammer")],
        "starting_price": page.starting_price == _decimal(label["starting_price"]),
        "currency": (page.currency or None) == (currencies.pop() if len(currencies) == 1 else None),
        # Not refused, and the lot's own text found (its first words, as the label gives them).
        "description": page.description.startswith(label["description"].split("\n")[0][:40]),
    }


def test_page_reader_per_field_on_each_part(shared):
    parts = page_rows(shared)
    assert {part: len(rows) for part, rows in parts.items()} == {"tuning": 13, "held-out": 7}
    for part in PARTS:
        right = dict.fromkeys(PAGE_FIELDS, 0)
        for label in parts[part]:
            page = read_lot_page(label["path"].read_text(encoding="utf-8"), label["source"])
            for name, ok in page_checks(label, page).items():
                right[name] += ok
                if part == "tuning" and not ok:
                    print(f"{label['id']} {name}")
        figures = {name: count / len(parts[part]) for name, count in right.items()}
        _print("page fields (page reader)", part, len(parts[part]), figures)
        for name, threshold in PAGE_THRESHOLDS[part].items():
            assert figures[name] >= threshold, (part, name, figures[name])


def test_coin_fields_of_the_real_pages(shared):
    """The description the page reader finds gives the coin's fields the page labels give."""
    for part, labels in page_rows(shared).items():
        rows = []
        for label in labels:
            text = read_lot_page(label["path"].read_text(encoding="utf-8"), label["source"]).lot_text
            rows.append(label | {"text": text, "line": label["id"]})
        figures, _misses = score(rows)
        _print("coin fields of the pages", part, len(rows), figures)
        # 100 % on both parts when written (the held-out pages share some descriptions with the tuning
        # descriptions, so these figures are no measure of generality).
        assert figures["weight_g"] >= 0.95 and figures["references"] >= 0.95, (part, figures)


def test_description_of_a_real_page_is_read_apart_from_its_essay():
    lot = (
        "Augustus (27 BC-AD 14). AE sestertius (32mm, 25.67 gm, 7h). Lugdunum, ca. AD 10-14. RIC I 231a.\n\n"
        "Ex Lexington Collection (Heritage Auction 3032, CICF, 10 April 2014), lot 23882.\n\n"
        "Late in his reign the mint of Lugdunum struck sestertii in orichalcum, copying the silver denarii; "
        "the altar was built by Drusus in 12 BC and the type was struck in large numbers for many years."
    )
    found = parse_description(lot)
    assert (found.year_start, found.year_end, found.metal) == (10, 14, "bronze")
    assert found.provenance == [
        "Ex Lexington Collection (Heritage Auction 3032, CICF, 10 April 2014), lot 23882."
    ]
