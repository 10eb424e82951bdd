"""How well real collections come out, field by field, on a part of each file used while writing the
rules and a part that was not (issue 18's measure: >= 95 % of the rows that have a value).

Each field is checked against a plain reading of the cell written here, independent of the importer's
parsers (a weight cell "3.05g" must give 3.050 g; "Ex. A, Ex. B" must give two events named in it).
The parts: josephscoins_imperial.csv, first and second half of its rows; the Numista export, first and
second half; OpenNumismat's demo, whole; collection-v1.xlsx, a hand-kept sheet whose values the rules
of issue 18 were not written from. Run with -s to see the table:

    .venv/bin/python -m pytest catalog/tests/test_import_collection_scores.py -q -s -p no:cacheprovider
"""

from __future__ import annotations

import csv
import re
import sqlite3
from collections import defaultdict
from decimal import Decimal

import openpyxl
import pytest

from catalog.importing import import_file
from catalog.models import Coin, ImportedCoin
from numismatics.text import clean

pytestmark = pytest.mark.django_db
THRESHOLD = 0.95
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_EX = re.compile(r"(?:^|[,;.]\s*)ex\b\.?", re.IGNORECASE)


class Scores:
    """(part, field) -> [right, rows that have a value]."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])

    def check(self, part: str, field: str, right: bool) -> None:
        self.counts[(part, field)][0] += bool(right)
        self.counts[(part, field)][1] += 1

    def table(self) -> str:
        lines = [f"{'part':<40} {'field':<13} {'right':>11}  share"]
        for (part, field), (right, total) in sorted(self.counts.items()):
            lines.append(f"{part:<40} {field:<13} {right:>5}/{total:<5} {right / total:6.1%}")
        return "\n".join(lines)

    def below(self) -> list[str]:
        return [f"{p} {f}: {r}/{t}" for (p, f), (r, t) in self.counts.items() if r / t < THRESHOLD]


def number(text: str, places: str) -> Decimal | None:
    match = _NUMBER.search(text or "")
    return Decimal(match.group().replace(",", ".")).quantize(Decimal(places)) if match else None


def present(text) -> bool:
    return text not in (None, "") and str(text).strip().casefold() not in ("null", "-", "n/a")


def half_name(position: int, half: int, total: int) -> str:
    return f"1-{half}" if position < half else f"{half + 1}-{total}"


def coins_by_row(report) -> dict[int, Coin]:
    records = ImportedCoin.objects.filter(batch_id=report.batch_id).select_related("coin")
    return {record.row: record.coin for record in records}


def provenance_right(coin: Coin, cell: str) -> bool:
    text = re.sub(r"<[^<>]*>", "", cell)
    events = list(coin.provenance.all())
    expected = max(1, len(_EX.findall(text)))
    return len(events) == expected and all(clean(e.name) in clean(text) for e in events)


def score_joseph(scores: Scores, path) -> int:
    report = import_file(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    coins = coins_by_row(report)
    half = len(rows) // 2
    for position, row in enumerate(rows):
        part = f"josephscoins rows {half_name(position, half, len(rows))}"
        coin = coins[position + 2]
        if present(row["year_l"]):
            scores.check(
                part, "dates", (coin.year_start, coin.year_end) == (int(row["year_l"]), int(row["year_h"]))
            )
        for field, column, places in (("weight", "weight_g", "0.001"), ("diameter", "diameter_mm", "0.01")):
            if present(row[field]):
                scores.check(part, field, getattr(coin, column) == number(row[field], places))
        if present(row["axis"]):
            scores.check(part, "axis", coin.die_axis == int(number(row["axis"], "1")))
        for side in ("obverse", "reverse"):
            if present(row[f"{side}_legend"]):
                scores.check(part, "legends", getattr(coin, f"{side}_legend") == clean(row[f"{side}_legend"]))
            if present(row[f"{side}_desc"]):
                scores.check(
                    part, "descriptions", getattr(coin, f"{side}_description") == clean(row[f"{side}_desc"])
                )
        if present(row["provenance"]):
            scores.check(part, "provenance", provenance_right(coin, row["provenance"]))
    return report.created


def score_numista(scores: Scores, path) -> int:
    report = import_file(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    coins = coins_by_row(report)
    half = len(rows) // 2
    for position, row in enumerate(rows):
        part = f"numista rows {half_name(position, half, len(rows))}"
        coin = coins[position + 2]
        if present(row["Gregorian year"]):
            scores.check(part, "dates", coin.year_start == int(row["Gregorian year"]))
        for field, column, places in (("Weight", "weight_g", "0.001"), ("Diameter", "diameter_mm", "0.01")):
            if present(row[field]):
                scores.check(part, field.lower(), getattr(coin, column) == number(row[field], places))
        if present(row["N# number (with link)"]):
            wanted = number(row["N# number (with link)"], "1")
            found = [r for r in coin.references.all() if r.system == "Numista"]
            scores.check(
                part, "references", [str(r.number) for r in found] == [str(wanted)] and found[0].type_uri
            )
        scores.check(part, "category", coin.category == "modern")
    return report.created


def score_opennumismat(scores: Scores, path) -> int:
    report = import_file(path)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    coins = coins_by_row(report)
    part = "opennumismat demo (21 coins)"
    for row in db.execute("SELECT * FROM coins ORDER BY id"):
        coin = coins[row["id"]]
        if row["year"] is not None:
            scores.check(part, "dates", coin.year_start == row["year"])
        for field, column, places in (("weight", "weight_g", "0.001"), ("diameter", "diameter_mm", "0.01")):
            if row[field] is not None:
                scores.check(
                    part, field, getattr(coin, column) == Decimal(str(row[field])).quantize(Decimal(places))
                )
        for side in ("obverse", "reverse"):
            if row[f"{side}design"]:
                scores.check(
                    part, "descriptions", getattr(coin, f"{side}_description") == clean(row[f"{side}design"])
                )
        photos = [row[c] for c in ("obverseimg", "reverseimg", "edgeimg") if row[c] is not None]
        if photos:
            images = list(coin.images.all())
            scores.check(
                part, "photos", len(images) == len(photos) and sum(i.is_primary for i in images) == 1
            )
    db.close()
    return report.created


def score_collection_v1(scores: Scores, path) -> int:
    report = import_file(path)
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    by_number = {c.inventory_number: c for c in Coin.objects.exclude(inventory_number="")}
    part = "collection-v1.xlsx (hand-kept, unseen)"
    for row in rows:
        coin = by_number.get(str(row[0]))
        if coin is None:
            continue
        minted = clean(str(row[8] or ""))
        if minted:
            years = {int(n) for n in re.findall(r"\d+", minted)}
            negative = bool(re.match(r"\D*\d+\s*(?:BC|B\.C)", minted))
            right = coin.year_start is not None and {abs(coin.year_start), abs(coin.year_end)} <= years
            scores.check(part, "dates", right and (coin.year_start < 0) == negative)
        for index, column, places, name in (
            (10, "weight_g", "0.001", "weight"),
            (9, "diameter_mm", "0.01", "diameter"),
        ):
            if row[index] not in (None, ""):
                scores.check(part, name, getattr(coin, column) == number(str(row[index]), places))
        for index, side in ((13, "obverse"), (14, "reverse")):
            cell = clean(str(row[index] or ""))
            if not cell:
                continue
            # The legend is the cell's leading run of words without a lower-case letter ("IMP C M AVR
            # PROBVS AVG. Bust of ..."), its closing punctuation aside.
            words = []
            for word in cell.split():
                if re.search(r"[a-zα-ω]", word):
                    break
                words.append(word)
            legend = " ".join(words).rstrip(" .,:;-/")
            scores.check(part, "legends", getattr(coin, f"{side}_legend").rstrip(" .,:;-/") == legend)
            scores.check(part, "descriptions", bool(getattr(coin, f"{side}_description")))
        if row[21]:
            events = list(coin.provenance.all())
            scores.check(
                part, "provenance", bool(events) and all(clean(e.name) in clean(row[21]) for e in events)
            )
    return report.created


def test_real_collections_come_out_right(shared, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    folder = shared / "data" / "collections"
    scores = Scores()
    created = {
        "josephscoins": score_joseph(scores, folder / "josephscoins_imperial.csv"),
        "numista": score_numista(scores, folder / "numista_export_YaBoiLennyG.csv"),
        "opennumismat": score_opennumismat(scores, folder / "opennumismat_demo_en.db"),
        "collection-v1": score_collection_v1(scores, shared / "data" / "collection-v1.xlsx"),
    }
    print("\n" + scores.table())
    # Every row is its own coin: the three files import whole.
    assert (created["josephscoins"], created["numista"], created["opennumismat"]) == (163, 983, 21)
    assert scores.below() == []
    # A second import changes nothing, whatever the file's kind.
    for path in (folder / "josephscoins_imperial.csv", folder / "numista_export_YaBoiLennyG.csv",
                 folder / "opennumismat_demo_en.db", shared / "data" / "collection-v1.xlsx"):  # fmt: skip
        again = import_file(path)
        assert (again.created, again.updated, again.failed) == (0, 0, 0), path.name
