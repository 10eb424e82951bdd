#!/usr/bin/env python3
"""Build the type tables the project ships (numismatics/data/types/*.tsv.xz) from ../shared/data/types/.

The shared tables (OCRE and CRRO as published by the American Numismatic Society through nomisma.org,
ODbL 1.0) are read as they are and written back tab-separated and xz-compressed, with the same columns
in the same order, each row checked: a URI of the corpus' form, a label, a known column count, and
years that are whole numbers. Rows that fail are reported and left out. Run it again when the shared
tables change; `manage.py load_types` then brings the database in step.

    python scripts/build_type_tables.py [--shared ../shared] [--out numismatics/data/types]
"""

from __future__ import annotations

import argparse
import csv
import lzma
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = {
    "ocre": [
        "uri", "label", "denomination", "material", "authority", "mint", "region",
        "obverse_legend", "reverse_legend",
    ],
    "crro": [
        "uri", "label", "denomination", "material", "authority", "mint", "region",
        "obverse_legend", "reverse_legend", "year_start", "year_end",
    ],
}  # fmt: skip
URI_RE = {
    "ocre": re.compile(r"^http://numismatics\.org/ocre/id/ric\.[^.\s]+\.[^.\s]+\.\S+$"),
    "crro": re.compile(r"^http://numismatics\.org/crro/id/rrc-\S+$"),
}


def build(shared: Path, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    problems = 0
    for corpus, columns in COLUMNS.items():
        source = shared / "data" / "types" / f"{corpus}-types.tsv"
        with source.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader)
            if header != columns:
                sys.exit(f"{source}: unexpected columns {header}")
            rows: dict[str, list[str]] = {}
            for line, row in enumerate(reader, start=2):
                why = _problem(corpus, row, columns)
                if why:
                    problems += 1
                    print(f"{source.name} line {line}: {why}; left out", file=sys.stderr)
                    continue
                if row[0] in rows:
                    # The source repeats a few ids with a corrected value (ric.1(2).aug.53B: an aureus
                    # first given as silver): the later row is the correction.
                    problems += 1
                    print(f"{source.name} line {line}: {row[0]} again; this later row kept", file=sys.stderr)
                rows[row[0]] = row
        # No field holds a tab or a line break (the reader split on them), so plain joins are exact.
        text = "".join("\t".join(row) + "\n" for row in [columns, *rows.values()])
        target = out / f"{corpus}.tsv.xz"
        target.write_bytes(lzma.compress(text.encode("utf-8"), preset=9 | lzma.PRESET_EXTREME))
        print(f"{target.relative_to(ROOT)}: {len(rows)} types, {target.stat().st_size:,} bytes")
    return problems


def _problem(corpus: str, row: list[str], columns: list[str]) -> str:
    if len(row) != len(columns):
        return f"{len(row)} columns, expected {len(columns)}"
    if not URI_RE[corpus].match(row[0]):
        return f"not a {corpus.upper()} URI: {row[0]!r}"
    if not row[1].strip():
        return "no label"
    if corpus == "crro" and not all(re.fullmatch(r"-?\d+|", value) for value in row[-2:]):
        return f"years are not whole numbers: {row[-2:]}"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "numismatics" / "data" / "types")
    args = parser.parse_args()
    problems = build(args.shared, args.out)
    print(f"{problems} row(s) reported")


if __name__ == "__main__":
    main()
