"""Indexes for the lot list's reference filter (`/auctions/?reference=RIC+II+118`,
auctions.reference_lookup): lots with a citation of that system, volume and number whatever their
case, or whose citation's text holds what was typed.

Without them the filter tested every lot's citations, lot by lot, in the list's order: about a
second for the first page of a citation a dozen lots make, at 200,000 lots, on either engine.

- The structured citation: an index on (UPPER(system), UPPER(volume), UPPER(number)), both engines
  (the filter compares upper-cased values, as Django's `iexact` does).
- The text: SQLite an FTS5 table with the trigram tokenizer over auctions_lotreference.raw_text
  (external content: it holds the index, not a copy of the text), kept in step by triggers on every
  insert, delete and change of raw_text; PostgreSQL a GIN trigram index (pg_trgm) on
  UPPER(raw_text), the expression Django's `icontains` compares. Both find the candidates of a
  substring search; the filter still tests each candidate with `icontains` itself, so the answer
  is exactly what it was.

If PostgreSQL refuses to create the pg_trgm extension (a role without the right to), the migration
goes on without the trigram index: the filter gives the same answer, by reading every citation.

The triggers sit on auctions_lotreference: a migration that rebuilds it on SQLite must wrap its
operations in coinstack.schema_ops.KeepingSQLiteTriggers.
"""

from django.db import migrations, models, transaction
from django.db.models.functions import Upper

FTS_TABLE = "auctions_lotref_raw"

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "raw_text, content='auctions_lotreference', content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER lotref_raw_insert AFTER INSERT ON auctions_lotreference BEGIN
        INSERT INTO {FTS_TABLE}(rowid, raw_text) VALUES (new.id, new.raw_text);
    END""",
    f"""CREATE TRIGGER lotref_raw_delete AFTER DELETE ON auctions_lotreference BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, raw_text) VALUES ('delete', old.id, old.raw_text);
    END""",
    f"""CREATE TRIGGER lotref_raw_update AFTER UPDATE OF raw_text ON auctions_lotreference BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, raw_text) VALUES ('delete', old.id, old.raw_text);
        INSERT INTO {FTS_TABLE}(rowid, raw_text) VALUES (new.id, new.raw_text);
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS lotref_raw_insert",
    "DROP TRIGGER IF EXISTS lotref_raw_delete",
    "DROP TRIGGER IF EXISTS lotref_raw_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
PG_TRIGRAM_INDEX = (
    "CREATE INDEX lotref_raw_trgm_idx ON auctions_lotreference USING gin (UPPER(raw_text::text) gin_trgm_ops)"
)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        try:
            with transaction.atomic(using=schema_editor.connection.alias):  # a savepoint
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 - any refusal: go on without the index (see the docstring)
            return
        schema_editor.execute(PG_TRIGRAM_INDEX)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        # The extension stays: other databases' objects on the server may use it.
        schema_editor.execute("DROP INDEX IF EXISTS lotref_raw_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("auctions", "0009_kept_lot_counts"),
        ("vocab", "0002_coin_type"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="lotreference",
            index=models.Index(Upper("system"), Upper("volume"), Upper("number"), name="lotref_citation_upper_idx"),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
