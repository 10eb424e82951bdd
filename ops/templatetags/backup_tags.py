"""The admin index's backup line: the backup of record and how old it is, in warning style when too
old, when the restored backup is gone, or when a restore stopped half-way."""

from datetime import UTC, datetime, timedelta

from django import template
from django.conf import settings

from ops.backups import backup_of_record
from ops.backups.paths import backup_dir
from ops.backups.report import age, describe_counts
from ops.backups.switch import journal_path

register = template.Library()

# A collection changes a little every week; a backup older than this is worth a warning.
DEFAULT_MAX_AGE_DAYS = 7


@register.simple_tag
def latest_backup_status() -> dict:
    max_days = int(getattr(settings, "COINSTACK_BACKUP_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS))
    folder = backup_dir()
    status = {"exists": False, "stale": True, "max_days": max_days, "folder": str(folder)}
    try:
        status["interrupted"] = journal_path().exists()
        found = backup_of_record(folder)
    except OSError:  # an unreadable backup folder must not take the admin down with it
        return status
    if found is None:
        return status
    if found.restore is not None:
        restore = found.restore
        status["restore"] = {"name": restore.restored, "at": restore.at, "safety": restore.safety}
    if found.manifest is None:  # the backup the data was restored from has been deleted since
        return status
    now = datetime.now(UTC)
    manifest = found.manifest
    status.update(
        exists=True,
        name=manifest.name,
        created=manifest.created,
        age=age(manifest, now),
        stale=now - manifest.created > timedelta(days=max_days),
        summary=describe_counts(manifest),
        folder=str(found.info.path.parent),
    )
    return status
