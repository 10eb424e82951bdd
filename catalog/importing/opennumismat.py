"""Read an OpenNumismat collection (its own SQLite file, `*.db`) as a table of coins with their photos.

OpenNumismat, the desktop program many collectors use, keeps a collection in one SQLite database:
a `coins` table (one row per coin, about 110 columns), its photos as image blobs in `photos`
(obverse, reverse, edge, photo1-6 point there by id), tags in `tags`/`coins_tags`, and a `settings`
table naming the format (`Type` = OpenNumismat) and its `Version`. Supported: database versions
SUPPORTED_VERSIONS (columns are read by name, so what an older version lacks is simply absent);
tested on version 10, the current one.

The file is untrusted: its size is bounded before it is opened; it is opened read-only and immutable
(nothing is written to it, no journal is replayed), with an authorizer that lets only reads and our
own SELECTs run (no view, trigger or function of the file is ever executed) and a progress handler
that stops any query past a budget. Photos are measured before they are fetched and each passes the
image checks every upload passes (catalog.importing.photos).

Each coin becomes a row whose cells are labelled with field keys of catalog.importing.columns, so the
ordinary row reader and importer do the rest; the row number is the coin's OpenNumismat id, which is
also its identity on a re-import ("opennumismat:<id>"). The coin's status and its sale (saledate,
saleprice/totalsaleprice, buyer, saleplace) are cells of their own: a "sold" coin is imported disposed,
a wish-list, ordered, bidding or missing coin with a warning (the rule is in catalog.importing.statuses).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from catalog.choices import ImageKind, ImportSource

from .limits import Limits, size_text
from .reading import Sheet, UnusableFile

SQLITE_MAGIC = b"SQLite format 3\x00"
SUPPORTED_VERSIONS = range(6, 11)  # 6 (OpenNumismat 1.4) .. 10 (1.9 and later)
QUERY_BUDGET = 50_000_000  # SQLite virtual machine steps per query before it is stopped

# OpenNumismat column -> (our header, how the value is written into the cell). Headers are the field
# labels the column mapper recognises, so the mapping screen shows them as any sheet's.
COLUMNS: dict[str, str] = {
    "id": "OpenNumismat id",
    "title": "Title",
    "country": "Country",
    "ruler": "Ruler",
    "period": "Period",
    "mint": "Mint",
    "mintmark": "Mintmark",
    "year": "Year",
    "issuedate": "Issue date",
    "type": "Type",
    "series": "Series",
    "subjectshort": "Subject",
    "status": "Status",
    "material": "Material",
    "fineness": "Fineness",
    "shape": "Shape",
    "diameter": "Diameter",
    "thickness": "Thickness",
    "weight": "Weight",
    "grade": "Grade",
    "edge": "Edge",
    "obversedesign": "Obverse description",
    "reversedesign": "Reverse description",
    "storage": "Storage",
    "paydate": "Purchase date",
    "saller": "Seller",
    "url": "URL",
    "quantity": "Quantity",
    "note": "Note",
}
# Columns read together into one cell.
DENOMINATION = "Denomination"  # value + unit: "2 Euro"
REFERENCES = "References"  # catalognum1-4
PRICE = "Price"  # totalpayprice, else payprice
AXIS = "Die axis"
# The sale, one cell each so a sold coin gets its disposal date, price and buyer (see statuses.py).
SALE_COLUMNS = {"saledate": "Sale date", "buyer": "Buyer", "saleplace": "Place of sale"}
SALE_PRICE = "Sale price"  # totalsaleprice, else saleprice
BOUGHT_AT = "Place of purchase"
TAGS = "Tags"
USED = {*COLUMNS, "value", "unit", "catalognum1", "catalognum2", "catalognum3", "catalognum4", "payprice",
        "totalpayprice", "axis", "saledate", "saleprice", "totalsaleprice", "buyer", "saleplace", "payplace",
        "obverseimg", "reverseimg", "edgeimg", "photo1", "photo2", "photo3", "photo4", "photo5", "photo6",
        "image", "createdat", "updatedat", "sort_id"}  # fmt: skip
# Photo columns, in the order a coin's images are stored; the first found is its primary.
PHOTO_COLUMNS = (
    ("obverseimg", ImageKind.OBVERSE),
    ("reverseimg", ImageKind.REVERSE),
    ("edgeimg", ImageKind.DETAIL),
    *((f"photo{n}", ImageKind.OTHER) for n in range(1, 7)),
)
# What the authorizer lets a statement do: read tables, run our SELECT and the built-in functions
# our queries use. Anything else (a view's or trigger's body, writes, ATTACH, PRAGMA) is refused.
_ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ}
_FUNCTIONS = {"length", "count", "max", "min"}


@dataclass(frozen=True)
class Photo:
    column: str  # "obverseimg", "photo1", ...
    kind: str
    photo_id: int
    size: int


def is_opennumismat(head: bytes) -> bool:
    """True when the first bytes are a SQLite database's (the only kind of .db we read)."""
    return head.startswith(SQLITE_MAGIC)


class OpenNumismatFile:
    """An open, read-only OpenNumismat collection; `close()` when done."""

    def __init__(self, path: str | Path, limits: Limits) -> None:
        path = Path(path)
        self.path = path
        self.limits = limits
        size = path.stat().st_size
        if size > limits.file_bytes:
            raise UnusableFile(f"The file is {size_text(size)}; the limit is {size_text(limits.file_bytes)}.")
        uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
        try:
            self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self.db.set_authorizer(_authorize)
            self.db.set_progress_handler(self._budget, 10_000)
            self._steps = 0
            tables = self._tables()
        except sqlite3.DatabaseError as exc:
            raise UnusableFile(f"This SQLite file cannot be read ({exc}).") from exc
        if not {"coins", "settings"} <= tables:
            raise UnusableFile(
                "This SQLite database is not an OpenNumismat collection (no coins and settings)."
            )
        settings = dict(self._query("SELECT title, value FROM settings"))
        if settings.get("Type") != "OpenNumismat":
            raise UnusableFile(
                "This SQLite database is not an OpenNumismat collection (its settings say so)."
            )
        try:
            self.version = int(settings.get("Version") or 0)
        except ValueError:
            self.version = 0
        if self.version not in SUPPORTED_VERSIONS:
            raise UnusableFile(
                f"This OpenNumismat collection has database version {settings.get('Version')!s:.20}; "
                f"versions {SUPPORTED_VERSIONS.start} to {SUPPORTED_VERSIONS.stop - 1} can be read. Open it "
                "in a current OpenNumismat, which upgrades it, and try again."
            )
        self.axis_in_hours = settings.get("axis_in_hours") == "True"
        self.has_photos = "photos" in tables
        self.has_tags = {"tags", "coins_tags"} <= tables

    def close(self) -> None:
        self.db.close()

    def _budget(self) -> int:
        self._steps += 10_000
        return 1 if self._steps > QUERY_BUDGET else 0

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        self._steps = 0
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise UnusableFile(f"The collection cannot be read ({exc}).") from exc

    def _tables(self) -> set[str]:
        return {name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def columns(self) -> list[str]:
        try:
            cursor = self.db.execute("SELECT * FROM coins LIMIT 0")
        except sqlite3.DatabaseError as exc:
            raise UnusableFile(f"The collection cannot be read ({exc}).") from exc
        return [description[0] for description in cursor.description]

    def read(self) -> Sheet:
        """Every coin as a row of a Sheet (source "opennumismat"), with its photos listed."""
        present = self.columns()
        (count,) = self._query("SELECT count(*) FROM coins")[0]
        if count > self.limits.rows:
            raise UnusableFile(
                f"The collection has {count:,} coins; the limit is {self.limits.rows:,}; split it."
            )
        names = [c for c in present if c.isidentifier()]
        quoted = ", ".join(f'"{c}"' for c in names)
        rows = self._query(f"SELECT {quoted} FROM coins ORDER BY id")  # noqa: S608 - names from the schema
        tags = self._tags()
        headers = [*COLUMNS.values(), DENOMINATION, REFERENCES, PRICE, AXIS, *SALE_COLUMNS.values()]
        headers += [SALE_PRICE, BOUGHT_AT, TAGS]
        unused = [c for c in names if c not in USED]
        filled: set[str] = set()
        sheet_rows = []
        photos: dict[int, list[Photo]] = {}
        for values in rows:
            record = dict(zip(names, values, strict=True))
            for column in unused:
                if record.get(column) not in (None, ""):
                    filled.add(column)
            coin_id = int(record["id"])
            # A modern coin's issuer is its country when the collection names no ruler.
            record["ruler"] = record.get("ruler") or record.get("country")
            cells = [self._cell(record.get(column)) for column in COLUMNS]
            cells += [
                self._denomination(record),
                "; ".join(
                    str(record[c])
                    for c in ("catalognum1", "catalognum2", "catalognum3", "catalognum4")
                    if record.get(c) not in (None, "")
                ),
                self._cell(record.get("totalpayprice") or record.get("payprice")),
                self._axis(record.get("axis")),
                *(self._cell(record.get(column)) for column in SALE_COLUMNS),
                self._cell(record.get("totalsaleprice") or record.get("saleprice")),
                self._cell(record.get("payplace")),
                ", ".join(tags.get(coin_id, [])),
            ]
            sheet_rows.append((coin_id, cells))
            photos[coin_id] = [
                Photo(column, kind, int(record[column]), 0)
                for column, kind in PHOTO_COLUMNS
                if isinstance(record.get(column), int)
            ]
        filled_cells = sum(1 for _, cells in sheet_rows for cell in cells if cell not in (None, ""))
        if filled_cells > self.limits.cells:
            raise UnusableFile(
                f"The collection has more than {self.limits.cells:,} filled values, the limit; split it."
            )
        photos = self._measure(photos)
        sheet = Sheet(headers=headers, rows=sheet_rows, kind="opennumismat")
        sheet.source = ImportSource.OPENNUMISMAT
        sheet.photos = photos
        sheet.photo_reader = self
        # Unknown columns are reported, not guessed (their label names no field: the values go to the
        # notes under it); empty ones are named too.
        for column in (c for c in unused if c in filled):
            sheet.headers.append(f"OpenNumismat {column}")
            position = names.index(column)
            for (_, cells), values in zip(sheet.rows, rows, strict=True):
                cells.append(self._cell(values[position]))
        empty = sorted(c for c in unused if c not in filled)
        if empty:
            sheet.notices.append(
                f"{len(empty)} OpenNumismat columns are empty in every coin and were not read: "
                + ", ".join(empty)
                + "."
            )
        return sheet

    def _measure(self, photos: dict[int, list[Photo]]) -> dict[int, list[Photo]]:
        """The size of each listed photo, read without fetching it; photos that do not exist dropped."""
        if not self.has_photos:
            return {}
        ids = sorted({p.photo_id for listed in photos.values() for p in listed})
        sizes: dict[int, int] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            sql = f"SELECT id, length(image) FROM photos WHERE id IN ({marks})"  # noqa: S608 - placeholders only
            sizes.update({pk: size or 0 for pk, size in self._query(sql, tuple(chunk))})
        return {
            coin: [
                Photo(p.column, p.kind, p.photo_id, sizes[p.photo_id])
                for p in listed
                if sizes.get(p.photo_id)
            ]
            for coin, listed in photos.items()
        }

    def photo(self, photo: Photo, limit: int) -> bytes | None:
        """A photo's bytes, or None when it is larger than `limit` (never fetched then)."""
        if photo.size > limit:
            return None
        found = self._query(
            "SELECT image FROM photos WHERE id = ? AND length(image) <= ?", (photo.photo_id, limit)
        )
        return bytes(found[0][0]) if found and found[0][0] is not None else None

    def _tags(self) -> dict[int, list[str]]:
        if not self.has_tags:
            return {}
        tags: dict[int, list[str]] = {}
        sql = "SELECT coins_tags.coin_id, tags.tag FROM coins_tags JOIN tags ON tags.id = coins_tags.tag_id"
        for coin_id, tag in self._query(sql):
            if isinstance(coin_id, int) and tag:
                tags.setdefault(coin_id, []).append(str(tag)[:100])
        return tags

    def _cell(self, value: object) -> object:
        if isinstance(value, bytes):
            return None  # a blob in a text column is no text
        if isinstance(value, str) and len(value) > self.limits.cell_chars:
            raise UnusableFile(
                f"A coin's text holds {len(value):,} characters; the limit for one value is "
                f"{self.limits.cell_chars:,}."
            )
        return value

    @staticmethod
    def _denomination(record: dict) -> str:
        value, unit = record.get("value"), record.get("unit")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return " ".join(str(v) for v in (value, unit) if v not in (None, ""))

    def _axis(self, value: object) -> str:
        """OpenNumismat stores the axis in degrees unless the collection says hours."""
        if value in (None, ""):
            return ""
        return str(value) if self.axis_in_hours else f"{value}°"


def _authorize(action: int, arg1, arg2, database, source) -> int:
    """Our SELECTs, reading tables, and a few built-in functions: nothing else runs. `source` is set
    when the statement comes from inside a view or trigger of the file: refused."""
    if source is not None:
        return sqlite3.SQLITE_DENY
    if action in _ALLOWED:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _FUNCTIONS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY
