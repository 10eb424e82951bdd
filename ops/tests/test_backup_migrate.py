"""`migrate` takes a backup first when it will change a database that holds coins."""

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.db.migrations.loader import MigrationLoader

from catalog.models import Coin
from ops.backups import list_backups
from ops.management.commands.migrate import Command as CoinStackMigrate


def test_ops_migrate_replaces_djangos_own():
    """Apps are searched before django.core, so manage.py and call_command both get ours."""
    assert get_commands()["migrate"] == "ops"
    assert isinstance(load_command_class(get_commands()["migrate"], "migrate"), CoinStackMigrate)


def _auctions_step() -> tuple[str, str]:
    """The latest auctions migration and the one before it (or "zero")."""
    graph = MigrationLoader(None).graph
    leaf = next(node for node in graph.leaf_nodes() if node[0] == "auctions")
    parents = [p.key for p in graph.node_map[leaf].parents if p.key[0] == "auctions"]
    return leaf[1], parents[0][1] if parents else "zero"


@pytest.mark.django_db(transaction=True)
def test_backup_before_migrating_a_database_with_coins_only(settings, tmp_path):
    settings.COINSTACK_BACKUP_DIR = dest = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    latest, previous = _auctions_step()
    try:
        # No coins: unapplying a migration takes no backup.
        call_command("migrate", "auctions", previous, verbosity=0)
        assert list_backups(dest) == []

        # A plan that changes a database holding coins: a backup first, of the state before it.
        Coin.objects.create(inventory_number="1")
        call_command("migrate", verbosity=0)
        [first] = list_backups(dest)
        assert first.manifest.reason == "pre-migrate"
        assert first.manifest.counts["catalog_coin"] == 1
        assert first.manifest.migrations.get("auctions") != latest  # taken before the re-apply

        # Nothing to apply, or only showing the plan: no backup.
        call_command("migrate", verbosity=0)
        call_command("migrate", "auctions", previous, plan=True, verbosity=0)
        assert len(list_backups(dest)) == 1

        call_command("migrate", "auctions", previous, verbosity=0)
        second = list_backups(dest)[0]
        assert second.name != first.name
        assert second.manifest.migrations["auctions"] == latest  # taken before the unapply

        # --skip-backup is the way out when no backup can be made.
        call_command("migrate", skip_backup=True, verbosity=0)
        assert len(list_backups(dest)) == 2
    finally:
        call_command("migrate", skip_backup=True, verbosity=0)
