"""Write the whole collection into one portable .zip (see archive_format for what it holds).

The document is written as a stream (coin after coin) into the zip, then every image file the rows
name; memory stays flat whatever the collection's size. Rows come in id order, so two archives of the
same collection list the same things in the same order. One read transaction (one snapshot, on
PostgreSQL too), so a coin added while exporting is either wholly in or wholly out.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch, Q
from django.utils import timezone

from auctions.models import AuctionHouse, AuctionLot, Sale
from catalog.models import Coin, ProvenanceEvent, Reference, Series, SeriesSlot
from vocab.models import CoinType

from .archive_format import (
    CHILDREN,
    DOCUMENT,
    FORMAT,
    MEDIA_PREFIX,
    VERSION,
    VOCABULARIES,
    file_fields,
    record,
)

CHUNK = 500


@dataclass
class ArchiveReport:
    coins: int = 0
    lots: int = 0
    series: int = 0
    files: int = 0
    missing_files: list[str] = field(default_factory=list)  # named by a row, absent from the media folder

    def summary(self) -> str:
        text = (
            f"Archived {self.coins} coins, {self.lots} auction lots, {self.series} series and "
            f"{self.files} image files."
        )
        if self.missing_files:
            text += (
                f" {len(self.missing_files)} image files named by the database were not in the media "
                f"folder (their rows are kept): {', '.join(self.missing_files[:5])}"
                + ("…" if len(self.missing_files) > 5 else "")
            )
        return text


def write_archive(path: str | Path, *, all_lots: bool = False) -> ArchiveReport:
    """The collection (coins and all they own, series, the vocabulary, the lots linked to coins, or
    every lot with `all_lots`) and its image files, into the zip at `path`."""
    report = ArchiveReport()
    files: list[str] = []
    outermost = not connection.in_atomic_block
    with transaction.atomic(), zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every query (PostgreSQL's default gives each statement its own).
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with archive.open(DOCUMENT, "w", force_zip64=True) as handle:
            for piece in _document(report, files, all_lots):
                handle.write(piece.encode("utf-8"))
        for name in dict.fromkeys(files):
            if not default_storage.exists(name):
                report.missing_files.append(name)
                continue
            # Images are compressed already: stored as they are.
            with (
                default_storage.open(name, "rb") as source,
                archive.open(
                    zipfile.ZipInfo(MEDIA_PREFIX + name, date_time=(1980, 1, 1, 0, 0, 0)),
                    "w",
                    force_zip64=True,
                ) as target,
            ):
                shutil.copyfileobj(source, target, 1024 * 1024)
            report.files += 1
    return report


def _document(report: ArchiveReport, files: list[str], all_lots: bool) -> Iterator[str]:
    head = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "source": {"database": connection.vendor, "migrations": _migrations()},
        "vocabulary": {key: _vocabulary(model) for key, (model, _alias) in VOCABULARIES.items()},
    }
    if all_lots:  # the whole market: every house and sale too, with or without lots
        lots, houses, sales = AuctionLot.objects.all(), AuctionHouse.objects.all(), Sale.objects.all()
    else:
        lots = _linked_lots()
        sales = Sale.objects.filter(lots__in=lots).distinct()
        houses = AuctionHouse.objects.filter(Q(lots__in=lots) | Q(sales__in=sales)).distinct()
    head["types"] = [record(t) for t in _types_used(lots).order_by("id")]
    head["houses"] = [record(h) for h in houses.order_by("id")]
    head["sales"] = [record(s) for s in sales.order_by("id")]
    head["series"] = [_nested(s, files) for s in Series.objects.order_by("id").prefetch_related("slots")]
    report.series = len(head["series"])
    text = json.dumps(head, ensure_ascii=False)
    yield text[:-1]  # the head without its closing brace: the two long lists follow
    yield ', "lots": ['
    for index, lot in enumerate(_chunked(lots.order_by("id"), AuctionLot)):
        yield ("," if index else "") + json.dumps(_nested(lot, files), ensure_ascii=False)
        report.lots += 1
    yield '], "coins": ['
    for index, coin in enumerate(_chunked(Coin.objects.order_by("id"), Coin)):
        yield ("," if index else "") + json.dumps(_nested(coin, files), ensure_ascii=False)
        report.coins += 1
    yield "]}"


def _linked_lots():
    """Lots linked to a coin, and lots a provenance event points at."""
    linked = ProvenanceEvent.objects.exclude(auction_lot=None).values("auction_lot_id")
    return AuctionLot.objects.filter(Q(coin__isnull=False) | Q(pk__in=linked))


def _types_used(lots) -> object:
    """The coin types the archived references, lots and series slots point at."""
    return CoinType.objects.filter(
        Q(pk__in=Reference.objects.exclude(type=None).values("type_id"))
        | Q(pk__in=SeriesSlot.objects.exclude(type=None).values("type_id"))
        | Q(lot_references__lot__in=lots)
    ).distinct()


def _vocabulary(model) -> list[dict]:
    terms = []
    for term in model.objects.order_by("id").prefetch_related("aliases"):
        item = record(term)
        item["aliases"] = [record(alias) for alias in sorted(term.aliases.all(), key=lambda a: a.pk)]
        terms.append(item)
    return terms


_RELATED = {"memberships": "series_memberships"}  # the archive's key -> the model's related name


def _chunked(queryset, model) -> Iterator:
    """The queryset with its children prefetched, CHUNK rows at a time (bounded memory)."""
    prefetches = [
        Prefetch(_RELATED.get(key, key), queryset=child.objects.order_by("id"))
        for key, (child, _parent) in CHILDREN[model].items()
    ]
    return queryset.prefetch_related(*prefetches).iterator(chunk_size=CHUNK)


def _nested(obj, files: list[str]) -> dict:
    item = record(obj)
    _collect_files(obj, item, files)
    for key in CHILDREN.get(type(obj), {}):
        children = getattr(obj, _RELATED.get(key, key)).all()
        item[key] = []
        for child in children:
            child_item = record(child)
            _collect_files(child, child_item, files)
            item[key].append(child_item)
    return item


def _collect_files(obj, item: dict, files: list[str]) -> None:
    for name in file_fields(type(obj)):
        if item.get(name):
            files.append(item[name])


def _migrations() -> dict[str, str]:
    """The latest applied migration of each of our apps: a reader refuses an archive from a newer
    schema than its own."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.filter(
        app__in=["vocab", "catalog", "auctions"]
    ).values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return latest
