"""The record of a real import: one ImportBatch and the coins it created or changed, so its result page
links to them (`/coins/?import_batch=N`). A dry run (the preview) records nothing."""

from __future__ import annotations

from django.db import transaction

from catalog.models import ImportBatch, ImportedCoin

from .importer import CREATED, UPDATED, ImportReport

RECORDED = (CREATED, UPDATED)


def record_batch(report: ImportReport, file_name: str = "") -> ImportBatch | None:
    """Store what `report` did; sets report.batch_id. None for a dry run."""
    if report.dry_run:
        return None
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            source=report.source,
            file_name=file_name[:255],
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            failed=report.failed,
            summary=report.summary(),
        )
        seen: set[int] = set()
        records = []
        for outcome in report.outcomes:
            if outcome.action in RECORDED and outcome.coin_id and outcome.coin_id not in seen:
                seen.add(outcome.coin_id)
                records.append(
                    ImportedCoin(batch=batch, coin_id=outcome.coin_id, action=outcome.action, row=outcome.row)
                )
        ImportedCoin.objects.bulk_create(records, batch_size=500)
    report.batch_id = batch.pk
    return batch
