"""Migrations 0008 and 0009: references and events recorded before origins were kept become "unknown" (a
re-import adopts them only when its sheet holds exactly the same, and keeps the rest); new rows are
the app's."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("catalog", "0007_reference_type_and_attribution_slot_type")]
AFTER = [("catalog", "0009_reference_provenance_origin")]


@pytest.mark.django_db(transaction=True)
def test_rows_from_before_the_migration_are_of_unknown_origin():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        coin = old.get_model("catalog", "Coin").objects.create(inventory_number="1")
        old.get_model("catalog", "Reference").objects.create(coin_id=coin.pk, raw_text="RIC I 207")
        old.get_model("catalog", "ProvenanceEvent").objects.create(coin_id=coin.pk, raw_text="Ex Leu 38")

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        Reference = new.get_model("catalog", "Reference")
        assert Reference.objects.get().origin == "unknown"
        assert new.get_model("catalog", "ProvenanceEvent").objects.get().origin == "unknown"
        assert new.get_model("catalog", "Coin").objects.get().import_state is None
        assert Reference.objects.create(coin_id=coin.pk, raw_text="RSC 43").origin == "app"
    finally:
        MigrationExecutor(connection).migrate(latest)
