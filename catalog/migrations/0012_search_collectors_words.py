"""The coin search document holds what collectors type, and PostgreSQL refreshes it once per statement.

What a coin's document holds now (catalog 0002 held issuer, legends, designs, references and notes):
- issuer: the issuer's name and every alias of it, and the portrait subject;
- legends and designs, as before;
- refs: each reference as written, its normalised citation and its parts ("RIC IV.2 254c");
- attribution: denomination and mint with all their aliases ("denar", "Rom", "Lyon"), the words a
  collector writes for the coin's metal (numismatics.metals.words_for: "AR", "argent", ...), and the
  inventory number;
- provenance: earlier owners and sales (name, sale, the event as written);
- private: notes, acquisition source, storage location, and the provenance events that record the
  owner's own purchase (catalog.privacy.public_provenance's rule: an event pointing at a purchase lot,
  or at the coin's acquisition URL). Visitors without private access never search this part.

The same triggers keep it on both engines, now also when an alias is added, changed or removed, when
an issuer, mint or denomination is renamed or merged (vocab.merge moves coins, then aliases), when a
provenance event changes, and when a lot becomes or stops being where the owner bought a coin.

SQLite: `catalog_coin_fts` is made again with the columns above (FTS5 cannot add columns), kept by
row triggers as before (SQLite has no statement triggers); a coin's UPDATE refreshes it only when a
column the document reads is in the statement.

PostgreSQL: `catalog_coin_search` keeps `document` and renames `notes_document` to
`private_document`. Catalog 0002 refreshed a coin's document once per row written, a reference
insert rewriting its coin's whole document in two GIN indexes: a bulk write of N references did N
refreshes. Now every trigger is FOR EACH STATEMENT with transition tables and hands the coins the
statement touched, once each, to `catalog_coin_search_refresh_many(ids)`, which builds all their
documents in one INSERT ... ON CONFLICT that leaves a document alone when it did not change.
`catalog_coin_search_refresh(id)` stays, for one coin (the restore's check of older backups calls it).
Transition tables cannot be combined with column lists or several events in one trigger, so there is
one trigger per event, and UPDATE triggers compare the old and new rows themselves.
"""

# ruff: noqa: S608 - the SQL is assembled from constant fragments at import time; no input reaches it.
import importlib

from django.db import migrations

from numismatics.metals import METALS, words_for

previous = importlib.import_module("catalog.migrations.0002_coin_fulltext")

# The coin columns the document reads: an UPDATE touching none of them leaves it alone.
COIN_COLUMNS = (
    "issuer_id", "mint_id", "denomination_id", "portrait", "obverse_legend", "reverse_legend", "exergue",
    "obverse_description", "reverse_description", "metal", "inventory_number", "acquisition_source",
    "storage_location", "notes", "acquisition_url",
)  # fmt: skip

# The metal words are those numismatics.metals reads when this migration runs (the parser's one table):
# a word added there later reaches existing indexes only with a later migration. "other" is no word a
# collector types for a metal.
_METAL_CASE = (
    "CASE c.metal "
    + " ".join(f"WHEN '{metal}' THEN '{' '.join(words_for(metal))}'" for metal in METALS if metal != "other")
    + " ELSE '' END"
)

# The owner's own purchase (catalog.privacy.public_provenance; auctions.models.bought_by_owner).
_PURCHASE = """((p.url <> '' AND p.url = c.acquisition_url)
    OR EXISTS (SELECT 1 FROM auctions_auctionlot l WHERE l.id = p.auction_lot_id
               AND (l.coin_role = 'acquisition' OR (l.coin_id IS NOT NULL AND l.coin_role = ''))))"""


def _parts(agg: str) -> dict[str, str]:
    """{column: SQL text} of a coin's document, on c = catalog_coin joined to its issuer i, mint m and
    denomination d. `agg` is the engine's text aggregate, a format string for the expression."""

    def joined(expression: str, table: str, where: str) -> str:
        return f"coalesce((SELECT {agg.format(expression)} FROM {table} WHERE {where}), '')"

    def aliases(vocab: str, column: str) -> str:
        return joined("a.name", f"vocab_{vocab}alias a", f"a.target_id = c.{column}")

    event = "p.name || ' ' || p.sale || ' ' || p.raw_text"
    return {
        "issuer": f"coalesce(i.name, '') || ' ' || {aliases('issuer', 'issuer_id')} || ' ' || c.portrait",
        "legends": "c.obverse_legend || ' ' || c.reverse_legend || ' ' || c.exergue",
        "designs": "c.obverse_description || ' ' || c.reverse_description",
        "refs": joined(
            "r.raw_text || ' ' || r.citation_text || ' ' || r.system || ' ' || r.volume || ' ' || r.number"
            " || r.variant || ' ' || r.number",
            "catalog_reference r",
            "r.coin_id = c.id",
        ),
        "attribution": (
            f"coalesce(d.name, '') || ' ' || {aliases('denomination', 'denomination_id')} || ' ' || "
            f"coalesce(m.name, '') || ' ' || {aliases('mint', 'mint_id')} || ' ' || "
            f"{_METAL_CASE} || ' ' || c.inventory_number"
        ),
        "provenance": joined(event, "catalog_provenanceevent p", f"p.coin_id = c.id AND NOT {_PURCHASE}"),
        "private": (
            "c.notes || ' ' || c.acquisition_source || ' ' || c.storage_location || ' ' || "
            + joined(event, "catalog_provenanceevent p", f"p.coin_id = c.id AND {_PURCHASE}")
        ),
    }


_FROM = """FROM catalog_coin c
        LEFT JOIN vocab_issuer i ON i.id = c.issuer_id
        LEFT JOIN vocab_mint m ON m.id = c.mint_id
        LEFT JOIN vocab_denomination d ON d.id = c.denomination_id"""

# vocabulary table -> the coin column pointing at it
VOCABULARIES = {"issuer": "issuer_id", "mint": "mint_id", "denomination": "denomination_id"}

# --- SQLite -----------------------------------------------------------------------------------------

SQLITE_PARTS = _parts("group_concat({}, ' ')")
SQLITE_COLUMNS = "rowid, " + ", ".join(SQLITE_PARTS)
# Visitors without private access search these (catalog.search.PUBLIC_COLUMNS).
PUBLIC_COLUMNS = tuple(name for name in SQLITE_PARTS if name != "private")


def _sqlite_select(where: str) -> str:
    """SELECT producing one FTS row per coin matching `where` (an expression on c = catalog_coin)."""
    return f"SELECT c.id, {', '.join(SQLITE_PARTS.values())} {_FROM} WHERE {where}"


def _sqlite_refresh(where: str) -> str:
    """Statements that index again the coins matching `where` (an expression on c = catalog_coin)."""
    return (
        f"DELETE FROM catalog_coin_fts WHERE rowid IN (SELECT c.id FROM catalog_coin c WHERE {where});\n"
        f"INSERT INTO catalog_coin_fts({SQLITE_COLUMNS}) {_sqlite_select(where)};"
    )


def _sqlite_trigger(name: str, event: str, table: str, body: str) -> str:
    return f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN\n{body}\nEND"


def _sqlite_triggers() -> list[tuple[str, str, str, str]]:
    """(name, event, table, body) of every trigger that keeps catalog_coin_fts."""
    triggers = [
        ("catalog_coin_fts_ai", "INSERT", "catalog_coin", _sqlite_refresh("c.id = new.id")),
        (
            "catalog_coin_fts_au",
            f"UPDATE OF id, {', '.join(COIN_COLUMNS)}",
            "catalog_coin",
            "DELETE FROM catalog_coin_fts WHERE rowid = old.id;\n" + _sqlite_refresh("c.id = new.id"),
        ),
        ("catalog_coin_fts_ad", "DELETE", "catalog_coin", "DELETE FROM catalog_coin_fts WHERE rowid = old.id;"),
    ]
    # A reference or provenance event: its coin (both coins when one moves to another).
    for table in ("catalog_reference", "catalog_provenanceevent"):
        triggers += [
            (f"{table}_fts_ai", "INSERT", table, _sqlite_refresh("c.id = new.coin_id")),
            (f"{table}_fts_au", "UPDATE", table, _sqlite_refresh("c.id IN (old.coin_id, new.coin_id)")),
            (f"{table}_fts_ad", "DELETE", table, _sqlite_refresh("c.id = old.coin_id")),
        ]
    for vocab, column in VOCABULARIES.items():
        triggers += [
            (f"vocab_{vocab}_fts_au", "UPDATE OF name", f"vocab_{vocab}", _sqlite_refresh(f"c.{column} = new.id")),
            (
                f"vocab_{vocab}alias_fts_ai",
                "INSERT",
                f"vocab_{vocab}alias",
                _sqlite_refresh(f"c.{column} = new.target_id"),
            ),
            (
                f"vocab_{vocab}alias_fts_au",
                "UPDATE",
                f"vocab_{vocab}alias",
                _sqlite_refresh(f"c.{column} IN (old.target_id, new.target_id)"),
            ),
            (
                f"vocab_{vocab}alias_fts_ad",
                "DELETE",
                f"vocab_{vocab}alias",
                _sqlite_refresh(f"c.{column} = old.target_id"),
            ),
        ]
    # A lot that becomes (or stops being) where the owner bought a coin moves its provenance events'
    # words between the public and the private part.
    triggers.append(
        (
            "auctions_auctionlot_coin_fts_au",
            "UPDATE OF coin_id, coin_role",
            "auctions_auctionlot",
            _sqlite_refresh(
                "c.id IN (SELECT p.coin_id FROM catalog_provenanceevent p WHERE p.auction_lot_id = new.id)"
            ),
        )
    )
    return triggers


SQLITE_TRIGGERS = _sqlite_triggers()

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE catalog_coin_fts USING fts5(
        {", ".join(SQLITE_PARTS)},
        tokenize = "unicode61 remove_diacritics 2 separators '•·-/'",
        prefix = '2 3 4'
    )""",
    # Issuer and legends weigh most, then references and attribution: a search for "HADRIAN" should
    # rank Hadrian's coins above a coin whose description or pedigree mentions him in passing.
    "INSERT INTO catalog_coin_fts(catalog_coin_fts, rank) VALUES('rank', 'bm25(10.0, 5.0, 2.0, 4.0, 4.0, 1.0, 1.0)')",
    f"INSERT INTO catalog_coin_fts({SQLITE_COLUMNS}) {_sqlite_select('1')}",
    *(_sqlite_trigger(name, event, table, body) for name, event, table, body in SQLITE_TRIGGERS),
]

SQLITE_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name, _event, _table, _body in reversed(SQLITE_TRIGGERS)),
    "DROP TABLE IF EXISTS catalog_coin_fts",
]

# --- PostgreSQL -------------------------------------------------------------------------------------

PG_PARTS = _parts("string_agg({}, ' ')")


def _pg_vector(*names: str, weight: str = "") -> str:
    text = " || ' ' || ".join(PG_PARTS[name] for name in names)
    vector = f"to_tsvector('simple', catalog_coin_search_fold({text}))"
    return f"setweight({vector}, '{weight}')" if weight else vector


PG_DOCUMENT = " || ".join(
    (
        _pg_vector("issuer", weight="A"),
        _pg_vector("legends", "refs", "attribution", weight="B"),
        _pg_vector("designs", weight="C"),
        _pg_vector("provenance", weight="D"),
    )
)

_OLD_AND_NEW = "(SELECT coin_id FROM new_rows UNION SELECT coin_id FROM old_rows)"


def _changed(key: str, columns: tuple[str, ...]) -> str:
    """Ids (`key`) of the rows an UPDATE statement changed in any of `columns` (transition tables)."""
    old = ", ".join(f"o.{c}" for c in columns)
    new = ", ".join(f"n.{c}" for c in columns)
    return f"SELECT n.{key} FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ({old}) IS DISTINCT FROM ({new})"


PG_FUNCTIONS = [
    f"""CREATE FUNCTION catalog_coin_search_refresh_many(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM catalog_coin_search s WHERE s.coin_id = ANY(ids)
            AND NOT EXISTS (SELECT 1 FROM catalog_coin c WHERE c.id = s.coin_id);
        INSERT INTO catalog_coin_search AS s (coin_id, document, private_document)
        SELECT c.id, {PG_DOCUMENT}, {_pg_vector("private")}
        {_FROM}
        WHERE c.id = ANY(ids)
        ON CONFLICT (coin_id) DO UPDATE
            SET document = excluded.document, private_document = excluded.private_document
            -- An unchanged document is not written again: no dead row, no GIN entries to redo.
            WHERE s.document IS DISTINCT FROM excluded.document
               OR s.private_document IS DISTINCT FROM excluded.private_document;
    END
    $$""",
    """CREATE FUNCTION catalog_coin_search_refresh(cid bigint) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM catalog_coin_search_refresh_many(ARRAY[cid]);
    END
    $$""",
    f"""CREATE FUNCTION catalog_coin_search_coin_trg() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM catalog_coin_search_refresh_many(ARRAY(SELECT id FROM new_rows));
        ELSIF TG_OP = 'UPDATE' THEN
            PERFORM catalog_coin_search_refresh_many(ARRAY({_changed("id", ("id", *COIN_COLUMNS))}));
        ELSIF TG_OP = 'DELETE' THEN
            DELETE FROM catalog_coin_search WHERE coin_id IN (SELECT id FROM old_rows);
        ELSE
            TRUNCATE catalog_coin_search;
        END IF;
        RETURN NULL;
    END
    $$""",
    # A reference or provenance event: the coins it belonged to and belongs to, each once.
    f"""CREATE FUNCTION catalog_coin_search_child_trg() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM catalog_coin_search_refresh_many(ARRAY(SELECT DISTINCT coin_id FROM new_rows));
        ELSIF TG_OP = 'UPDATE' THEN
            PERFORM catalog_coin_search_refresh_many(ARRAY{_OLD_AND_NEW});
        ELSE
            PERFORM catalog_coin_search_refresh_many(ARRAY(SELECT DISTINCT coin_id FROM old_rows));
        END IF;
        RETURN NULL;
    END
    $$""",
    # A vocabulary term renamed, or an alias added, changed or removed: the coins using those terms.
    # TG_ARGV[0] is the coin column naming the term, TG_ARGV[1] the rows' column holding the term's id
    # ("id" for the term itself, "target_id" for an alias).
    f"""CREATE FUNCTION catalog_coin_search_vocab_trg() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        terms bigint[];
    BEGIN
        IF TG_TABLE_NAME IN ('vocab_issuer', 'vocab_mint', 'vocab_denomination') THEN
            terms := ARRAY({_changed("id", ("name",))});
        ELSIF TG_OP = 'INSERT' THEN
            terms := ARRAY(SELECT DISTINCT target_id FROM new_rows);
        ELSIF TG_OP = 'UPDATE' THEN
            terms := ARRAY(SELECT target_id FROM new_rows UNION SELECT target_id FROM old_rows);
        ELSE
            terms := ARRAY(SELECT DISTINCT target_id FROM old_rows);
        END IF;
        IF cardinality(terms) > 0 THEN
            EXECUTE format(
                'SELECT catalog_coin_search_refresh_many(ARRAY(SELECT id FROM catalog_coin WHERE %I = ANY($1)))',
                TG_ARGV[0]
            ) USING terms;
        END IF;
        RETURN NULL;
    END
    $$""",
    # A lot that becomes (or stops being) where the owner bought a coin: its provenance events'
    # words move between the public and the private document.
    f"""CREATE FUNCTION catalog_coin_search_lot_trg() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM catalog_coin_search_refresh_many(ARRAY(
            SELECT DISTINCT p.coin_id FROM catalog_provenanceevent p
            WHERE p.auction_lot_id IN ({_changed("id", ("coin_id", "coin_role"))})));
        RETURN NULL;
    END
    $$""",
]


def _pg_trigger(name: str, event: str, table: str, function: str, args: str = "") -> str:
    transition = {
        "INSERT": "REFERENCING NEW TABLE AS new_rows",
        "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "REFERENCING OLD TABLE AS old_rows",
        "TRUNCATE": "",
    }[event]
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} {transition} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}({args})"
    )


def _pg_triggers() -> list[tuple[str, str]]:
    """(trigger name, table) with its CREATE statement, for every trigger keeping catalog_coin_search."""
    triggers = []

    def add(name, event, table, function, args=""):
        triggers.append((name, table, _pg_trigger(name, event, table, function, args)))

    for event in ("INSERT", "UPDATE", "DELETE", "TRUNCATE"):
        add(f"catalog_coin_search_{event.lower()}", event, "catalog_coin", "catalog_coin_search_coin_trg")
    for table in ("catalog_reference", "catalog_provenanceevent"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            add(f"catalog_coin_search_{event.lower()}", event, table, "catalog_coin_search_child_trg")
    for vocab, column in VOCABULARIES.items():
        add("catalog_coin_search_update", "UPDATE", f"vocab_{vocab}", "catalog_coin_search_vocab_trg", f"'{column}'")
        for event in ("INSERT", "UPDATE", "DELETE"):
            add(
                f"catalog_coin_search_{event.lower()}",
                event,
                f"vocab_{vocab}alias",
                "catalog_coin_search_vocab_trg",
                f"'{column}'",
            )
    add("catalog_coin_search_update", "UPDATE", "auctions_auctionlot", "catalog_coin_search_lot_trg")
    return triggers


PG_TRIGGERS = _pg_triggers()

# Catalog 0002's objects, except the fold function (which the lot index of auctions 0004 uses too).
PG_DROP_PREVIOUS = [sql for sql in previous.PG_BACKWARD if "catalog_coin_search_fold" not in sql]
PG_CREATE_PREVIOUS = [sql for sql in previous.PG_FORWARD if "FUNCTION catalog_coin_search_fold" not in sql]

PG_FORWARD = [
    *(sql for sql in PG_DROP_PREVIOUS if "TABLE" not in sql),
    "ALTER TABLE catalog_coin_search RENAME COLUMN notes_document TO private_document",
    "ALTER INDEX catalog_coin_search_notes_idx RENAME TO catalog_coin_search_private_idx",
    *PG_FUNCTIONS,
    *(sql for _name, _table, sql in PG_TRIGGERS),
    "SELECT catalog_coin_search_refresh_many(ARRAY(SELECT id FROM catalog_coin))",
]

PG_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table, _sql in reversed(PG_TRIGGERS)),
    "DROP FUNCTION IF EXISTS catalog_coin_search_lot_trg()",
    "DROP FUNCTION IF EXISTS catalog_coin_search_vocab_trg()",
    "DROP FUNCTION IF EXISTS catalog_coin_search_child_trg()",
    "DROP FUNCTION IF EXISTS catalog_coin_search_coin_trg()",
    "DROP FUNCTION IF EXISTS catalog_coin_search_refresh(bigint)",
    "DROP FUNCTION IF EXISTS catalog_coin_search_refresh_many(bigint[])",
    "DROP TABLE IF EXISTS catalog_coin_search",
    *PG_CREATE_PREVIOUS,
]


def _run(statements, schema_editor) -> None:
    for sql in statements:
        schema_editor.execute(sql, params=None)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run([*previous.SQLITE_BACKWARD, *SQLITE_FORWARD], schema_editor)
    elif vendor == "postgresql":
        _run(PG_FORWARD, schema_editor)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run([*SQLITE_BACKWARD, *previous.SQLITE_FORWARD], schema_editor)
    elif vendor == "postgresql":
        _run(PG_BACKWARD, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0011_disposal_and_demo_flag"),
        ("vocab", "0001_initial"),
        # The lot trigger reads auctions_auctionlot.coin_id (auctions 0002); not the latest auctions
        # migration, or unapplying that would unapply this.
        ("auctions", "0002_initial"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
