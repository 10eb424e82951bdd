"""The real descriptions and lot pages in ../shared, split into a tuning part and a held-out part.

The split was drawn once, before the parsers were tuned for issue 17 (data/holdout.json says how);
rules are written against the tuning part only, and the held-out part is read only to be scored, so
its figures say how the parsers do on text they were not fitted to.
"""

from __future__ import annotations

import json
from pathlib import Path

HOLDOUT = json.loads((Path(__file__).parent / "data" / "holdout.json").read_text(encoding="utf-8"))
DESCRIPTION_FILES = ("real-descriptions.jsonl", "more-real-descriptions.jsonl")
PAGE_FOLDERS = ("lot-page-text", "lot-page-text-2")
PARTS = ("tuning", "held-out")


def description_rows(shared: Path) -> dict[str, list[dict]]:
    """{"tuning": rows, "held-out": rows}; each row carries its id ("file:line") under "id"."""
    held_out = set(HOLDOUT["descriptions"])
    parts: dict[str, list[dict]] = {part: [] for part in PARTS}
    for name in DESCRIPTION_FILES:
        path = shared / "fixtures" / "lot-descriptions" / name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line) | {"id": f"{name}:{number}"}
            parts["held-out" if row["id"] in held_out else "tuning"].append(row)
    return parts


def page_rows(shared: Path) -> dict[str, list[dict]]:
    """{"tuning": labels, "held-out": labels}; each label carries "id" ("folder/file") and "path"."""
    held_out = set(HOLDOUT["pages"])
    parts: dict[str, list[dict]] = {part: [] for part in PARTS}
    for folder in PAGE_FOLDERS:
        labels = shared / "fixtures" / folder / "labels.jsonl"
        for line in labels.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            label = json.loads(line)
            label |= {"id": f"{folder}/{label['file']}", "path": labels.parent / label["file"]}
            parts["held-out" if label["id"] in held_out else "tuning"].append(label)
    return parts
