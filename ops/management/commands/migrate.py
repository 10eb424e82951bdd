"""manage.py migrate, with a backup first when it will change a database that holds coins.

Django looks up commands in INSTALLED_APPS before its own, so this subclass replaces the stock
migrate everywhere (manage.py, call_command, the test runner's database setup).
"""

from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from ops.backups import BackupError, create_backup


def migration_plan(using: str, app_label: str | None, migration_name: str | None) -> list:
    """The plan stock migrate would run for these arguments (same target rules, simplified)."""
    executor = MigrationExecutor(connections[using])
    graph = executor.loader.graph
    if app_label and migration_name:
        if migration_name == "zero":
            targets = [(app_label, None)]
        else:
            migration = executor.loader.get_migration_by_prefix(app_label, migration_name)
            targets = [(app_label, migration.name)]
    elif app_label:
        targets = [key for key in graph.leaf_nodes() if key[0] == app_label]
    else:
        targets = graph.leaf_nodes()
    return executor.migration_plan(targets)


def holds_coins(using: str) -> bool:
    from catalog.models import Coin

    connection = connections[using]
    try:
        if Coin._meta.db_table not in connection.introspection.table_names():
            return False
        return Coin.objects.using(using).exists()
    except DatabaseError:
        return False


class Command(migrate.Command):
    help = (
        migrate.Command.help + " Takes a backup first when migrations will change a database holding coins."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--skip-backup", action="store_true", help="Do not take the automatic pre-migrate backup."
        )

    def handle(self, *args, **options):
        if self.wants_backup(options):
            try:
                result = create_backup(reason="pre-migrate", using=options["database"])
            except BackupError as exc:
                raise CommandError(
                    f"Not migrating: the pre-migrate backup failed ({exc}). Fix it, or pass --skip-backup."
                ) from exc
            if options["verbosity"] >= 1:
                self.stdout.write(f"Pre-migrate backup: {result.path}")
        return super().handle(*args, **options)

    def wants_backup(self, options) -> bool:
        if options["skip_backup"] or options["plan"] or options["check_unapplied"] or options["fake"]:
            return False
        try:
            plan = migration_plan(options["database"], options["app_label"], options["migration_name"])
        except Exception:  # bad arguments: stock migrate reports them its own way below
            return False
        return bool(plan) and holds_coins(options["database"])
