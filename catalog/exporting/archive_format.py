"""The portable collection archive: what it holds and how a value is written, shared by the writer
(catalog.exporting.archive) and the reader (catalog.importing.archive).

One .zip: `coinstack-archive.json` (the document) and `media/<stored name>` for every image file.
The document holds every field of every row, by its column name (`issuer_id`), so a field added to a
model is carried without touching this module; values are JSON-safe and exact (decimals as text,
dates and times in ISO 8601 with their offset):

    {"format": "coinstack-archive", "version": 1, "created_at": ..., "source": {...},
     "vocabulary": {"issuers": [{..., "aliases": [...]}], "mints": [...], "denominations": [...]},
     "types": [...], "houses": [...], "sales": [...],
     "lots": [{..., "references": [...], "images": [...]}],
     "series": [{..., "slots": [...]}],
     "coins": [{..., "images": [...], "references": [...], "provenance": [...], "memberships": [...],
                "manual_values": [...], "value_snapshots": [...]}]}

Every foreign key of an archived model must point at an archived model (`test_archive` checks it), so
a new relation fails a test until it is added here, instead of being dropped. Coin types (vocab.CoinType,
reference data that `load_types` loads) travel like vocabulary terms: only those the collection's
references, lots and series slots point at, matched by their URI on the way in.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import models
from django.db.models.fields.files import FieldFile

from auctions.models import AuctionHouse, AuctionLot, LotImage, LotReference, Sale, ScrapeJob
from catalog.models import (
    Coin,
    CoinImage,
    ColumnMapping,
    ImportBatch,
    ImportedCoin,
    ManualValue,
    ProvenanceEvent,
    Reference,
    Series,
    SeriesMembership,
    SeriesSlot,
    ValueSnapshot,
)
from vocab.models import CoinType, Denomination, DenominationAlias, Issuer, IssuerAlias, Mint, MintAlias

FORMAT = "coinstack-archive"
VERSION = 1
DOCUMENT = "coinstack-archive.json"
MEDIA_PREFIX = "media/"

VOCABULARIES = {"issuers": (Issuer, IssuerAlias), "mints": (Mint, MintAlias),
                "denominations": (Denomination, DenominationAlias)}  # fmt: skip
# Lists nested in a parent's record: key -> (model, the child's foreign key to its parent).
CHILDREN = {
    Coin: {"images": (CoinImage, "coin"), "references": (Reference, "coin"),
           "provenance": (ProvenanceEvent, "coin"), "memberships": (SeriesMembership, "coin"),
           # The curator's value, and the value history (snapshots are history, not derived: an
           # earlier day's value cannot be computed again from today's lots).
           "manual_values": (ManualValue, "coin"), "value_snapshots": (ValueSnapshot, "coin")},
    AuctionLot: {"references": (LotReference, "lot"), "images": (LotImage, "lot")},
    Series: {"slots": (SeriesSlot, "series")},
}  # fmt: skip
# Every model the archive carries, in an order where each row's parents come first.
ARCHIVED = (Issuer, IssuerAlias, Mint, MintAlias, Denomination, DenominationAlias, CoinType,
            AuctionHouse, Sale, Series, SeriesSlot, Coin, CoinImage, Reference, AuctionLot, LotReference,
            LotImage, ProvenanceEvent, SeriesMembership, ManualValue, ValueSnapshot)  # fmt: skip
# Models of these apps an archive leaves out, and why.
NOT_ARCHIVED = {
    ScrapeJob: "the log of the scraping queue's jobs: how lots were fetched, not the collection",
    ImportBatch: "the log of imports into this database: how coins came in, not the collection",
    ImportedCoin: "which coins each logged import created or changed (goes with that log)",
    ColumnMapping: "the column mappings chosen on this installation's import page: a preference",
}
# Tables that must be empty to receive an archive: the collection and its lots arrive whole.
COLLECTION_TABLES = (Coin, CoinImage, Reference, ProvenanceEvent, Series, SeriesSlot, SeriesMembership,
                     AuctionLot, LotReference, LotImage, ManualValue, ValueSnapshot)  # fmt: skip
# Where stored files live, by the first folder of their name (catalog.models.coin_image_path,
# CoinImage.thumbnail, auctions.models.lot_image_path).
MEDIA_FOLDERS = ("coins", "thumbs", "lots")


def encode(field: models.Field, value: object) -> object:
    """A field's value as JSON, exactly."""
    if value is None:
        return None
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def decode(field: models.Field, value: object) -> object:
    """The Python value of a field from its JSON (the field's own parser: exact for decimals, dates)."""
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.FileField):
        return str(value)
    return field.to_python(value)


def columns(model: type[models.Model]) -> dict[str, models.Field]:
    """attname -> field, for every column of the model (the id included)."""
    return {f.attname: f for f in model._meta.concrete_fields}


def record(obj: models.Model) -> dict:
    return {name: encode(f, getattr(obj, name)) for name, f in columns(type(obj)).items()}


def file_fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
