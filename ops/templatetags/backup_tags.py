"""The admin index's backup line: how old the latest backup is, in warning style when too old."""

from datetime import UTC, datetime, timedelta

from django import template
from django.conf import settings

from ops.backups import latest_backup
from ops.backups.create import backup_dir
from ops.backups.report import age, describe_counts

register = template.Library()

# A collection changes a little every week; a backup older than this is worth a warning.
DEFAULT_MAX_AGE_DAYS = 7


@register.simple_tag
def latest_backup_status() -> dict:
    max_days = int(getattr(settings, "COINSTACK_BACKUP_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS))
    try:
        info = latest_backup(backup_dir())
    except OSError:  # an unreadable backup folder must not take the admin down with it
        info = None
    if info is None:
        return {"exists": False, "stale": True, "max_days": max_days, "folder": str(backup_dir())}
    now = datetime.now(UTC)
    manifest = info.manifest
    return {
        "exists": True,
        "name": manifest.name,
        "created": manifest.created,
        "age": age(manifest, now),
        "stale": now - manifest.created > timedelta(days=max_days),
        "max_days": max_days,
        "summary": describe_counts(manifest),
        "folder": str(info.path.parent),
    }
