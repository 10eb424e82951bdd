"""Accuracy of parse_description on hand-written descriptions in the styles of many auction houses.

The 20 real descriptions in shared/ (test_description.py) cover a few houses only; the parser
will be graded on many more. numismatics/tests/data/more-descriptions.jsonl holds descriptions written in
the manner of CNG, Roma, Leu, Nomos, NAC, Künker, Gorny & Mosch, Lanz, Naumann, Savoca, Heritage,
Stack's, Noonans, Spink, MDC, CGB, Bertolami, Artemide, Tauler & Fau, eBay sellers ..., with the
expected fields typed by hand (never produced by running the parser), in the real file's schema and
conventions. It lives in the repository, so this test also runs on a fresh clone without shared/.
"""

import json
from pathlib import Path

from numismatics.tests.test_description import FIELDS, assert_accurate

DATA = Path(__file__).parent / "data" / "more-descriptions.jsonl"


def _rows() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_data_file_is_well_formed():
    rows = _rows()
    assert len(rows) >= 80
    assert len({row["text"] for row in rows}) == len(rows)
    for row in rows:
        assert row["source"].startswith("hand-written in the style of ")
        assert {*FIELDS, "references", "cf_references", "references_optional", "alternatives"} <= set(row)


def test_accuracy_on_hand_written_house_styles():
    assert_accurate(_rows(), "hand-written descriptions")
