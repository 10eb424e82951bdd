"""Exporting the collection: spreadsheets and JSON of the coins a list shows (`sheets`), and the
portable archive of the whole collection with its images (`archive`, read back by
catalog.importing.archive)."""

from .sheets import (
    CONTENT_TYPES,
    FIELDS,
    FORMATS,
    coin_record,
    export,
    export_queryset,
    neutralise,
    records,
    to_csv,
    to_json,
    to_xlsx,
)

__all__ = [
    "CONTENT_TYPES",
    "FIELDS",
    "FORMATS",
    "coin_record",
    "export",
    "export_queryset",
    "neutralise",
    "records",
    "to_csv",
    "to_json",
    "to_xlsx",
]
