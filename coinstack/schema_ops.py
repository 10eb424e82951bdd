"""Migration helpers for a schema that carries SQLite triggers.

SQLite cannot alter most columns in place, so Django rebuilds a table (create new, copy, drop,
rename). Triggers live on these tables: full-text search (catalog 0002 and 0012: coin, reference,
provenance, issuer, mint, denomination, their alias tables and the lot table; auctions 0004) and the
data-version tokens that keep caches honest (catalog 0006, auctions 0004) — on every collection
table (coin, image, reference, provenance, series, slot, membership, issuer, mint, denomination,
manual value) and every market table (lot, lot reference, house, sale: catalog 0016); and the lot
references' trigram index of their text (auctions 0010). A rebuild
either fails (a trigger refers to the table being replaced) or silently drops the table's own
triggers. So any migration that alters
one of these tables on SQLite must wrap its operations in `KeepingSQLiteTriggers`: it saves every
trigger's SQL, drops them, runs the operations, and creates them again, all inside the migration's
transaction. (catalog/tests/test_data_version.py checks that every such table keeps its trigger.)

`sql_on_vendor` runs a statement on one database engine only (an index one engine's plans need).
"""

from django.db import migrations
from django.db.migrations.operations.base import Operation


def sql_on_vendor(vendor: str, forward: str, backward: str) -> migrations.RunPython:
    """A migration operation running `forward` (and `backward` when unapplied) on `vendor`
    ("sqlite", "postgresql") and nothing elsewhere."""

    def run(sql: str):
        def on_vendor(apps, schema_editor):
            if schema_editor.connection.vendor == vendor:
                schema_editor.execute(sql)

        return on_vendor

    return migrations.RunPython(run(forward), run(backward), elidable=False)


class KeepingSQLiteTriggers(Operation):
    reversible = True

    def __init__(self, operations):
        self.operations = operations

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.operations], {})

    def state_forwards(self, app_label, state):
        for operation in self.operations:
            operation.state_forwards(app_label, state)

    def _around_triggers(self, schema_editor, run):
        if schema_editor.connection.vendor != "sqlite":
            run()
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        run()
        with schema_editor.connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        def run():
            state = from_state
            for operation in self.operations:
                new_state = state.clone()
                operation.state_forwards(app_label, new_state)
                operation.database_forwards(app_label, schema_editor, state, new_state)
                state = new_state

        self._around_triggers(schema_editor, run)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        def run():
            states = [to_state]
            for operation in self.operations[:-1]:
                state = states[-1].clone()
                operation.state_forwards(app_label, state)
                states.append(state)
            for operation, state in zip(reversed(self.operations), reversed(states), strict=True):
                after = state.clone()
                operation.state_forwards(app_label, after)
                operation.database_backwards(app_label, schema_editor, after, state)

        self._around_triggers(schema_editor, run)

    def describe(self):
        return "Keeping SQLite triggers: " + "; ".join(op.describe() for op in self.operations)
