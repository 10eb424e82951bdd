"""A backup's migrations against the code's: a restore never loads a schema the code does not know."""

from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from .manifest import Manifest


def unknown_migrations(manifest: Manifest) -> list[str]:
    """Migrations the backup has applied that this code does not have: the backup is from a newer (or
    another) version, and its tables may hold columns this code would silently drop or misread."""
    # disk_migrations includes migrations replaced by a squash, which older backups may have applied.
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in manifest.applied_migrations if (app, name) not in known]


def pending_migrations(using: str = "default") -> list[str]:
    """Migrations the code has and the database has not applied yet (after restoring an older backup)."""
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
