"""Small collection files of the three kinds the importer reads, written for tests: a hand-kept CSV, a
Numista-style export and an OpenNumismat database with photos (built with sqlite3 and Pillow)."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from PIL import Image


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def png(colour: str = "silver", size: int = 32) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, "PNG")
    return buffer.getvalue()


ON_COLUMNS = ("id", "title", "value", "unit", "country", "year", "period", "ruler", "mint", "material",
              "weight", "diameter", "thickness", "axis", "grade", "catalognum1", "catalognum2",
              "obversedesign", "reversedesign", "storage", "paydate", "payprice", "saller", "status", "note",
              "obverseimg", "reverseimg", "edgeimg", "photo1", "quality", "barcode", "saledate", "saleprice",
              "totalsaleprice", "buyer", "saleplace")  # fmt: skip


def write_opennumismat(path: Path, coins: list[dict], photos: dict[int, bytes], version: str = "10",
                       tags: dict[int, list[str]] | None = None) -> Path:  # fmt: skip
    """An OpenNumismat-shaped collection: settings, coins (the columns above), photos, tags."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE settings (title CHAR NOT NULL UNIQUE, value CHAR)")
    db.executemany("INSERT INTO settings VALUES (?, ?)", [("Version", version), ("Type", "OpenNumismat")])
    columns = ", ".join(f"{c} INTEGER PRIMARY KEY" if c == "id" else c for c in ON_COLUMNS)
    db.execute(f"CREATE TABLE coins ({columns})")
    for coin in coins:
        names = ", ".join(coin)
        marks = ", ".join("?" for _ in coin)
        db.execute(f"INSERT INTO coins ({names}) VALUES ({marks})", tuple(coin.values()))  # noqa: S608
    db.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, title TEXT, image BLOB)")
    db.executemany("INSERT INTO photos (id, image) VALUES (?, ?)", list(photos.items()))
    db.execute("CREATE TABLE tags (id INTEGER PRIMARY KEY, tag TEXT, parent_id INTEGER)")
    db.execute("CREATE TABLE coins_tags (coin_id INTEGER, tag_id INTEGER)")
    for number, (coin_id, names) in enumerate((tags or {}).items(), start=1):
        for offset, name in enumerate(names):
            tag_id = number * 100 + offset
            db.execute("INSERT INTO tags (id, tag) VALUES (?, ?)", (tag_id, name))
            db.execute("INSERT INTO coins_tags VALUES (?, ?)", (coin_id, tag_id))
    db.commit()
    db.close()
    return path
