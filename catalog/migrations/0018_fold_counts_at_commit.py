"""PostgreSQL: the coin counts' journal folded into the counts once, at commit (coinstack.journal_fold
says why: the fold every 2,000 rows scanned the rows the transaction had already folded, so a bulk
write's cost grew with its size). SQLite keeps no journal: nothing to do there."""

import importlib

from django.db import migrations

from coinstack.journal_fold import fold_at_commit, fold_by_row_count_again, fold_statement

counts = importlib.import_module("catalog.migrations.0014_maintained_counts")

FUNCTION, TRIGGER = "catalog_coincount_fold", "coincount_fold"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {counts.JOURNAL}", params=None)
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()", params=None)
    fold = fold_statement(counts.TABLE, counts.JOURNAL, counts.KEY)
    for sql in fold_at_commit(FUNCTION, TRIGGER, counts.JOURNAL, fold):
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in fold_by_row_count_again(FUNCTION, TRIGGER, counts.JOURNAL):
        schema_editor.execute(sql, params=None)
    schema_editor.execute(counts.PG_FOLD, params=None)
    schema_editor.execute(
        f"""CREATE TRIGGER {TRIGGER} AFTER INSERT ON {counts.JOURNAL}
            FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()""",
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0017_held_coin_order_indexes")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
