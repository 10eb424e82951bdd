"""Full-text search over coins, kept in step by database triggers.

Triggers, not Python save hooks: the importer and the data generator use bulk_create and
queryset.update(), which never call save(), and the index must follow them too. What is indexed:
issuer name (and portrait), legends and exergue, obverse/reverse descriptions, catalogue
references, and notes. Notes are private, so they sit in their own column (SQLite) or vector
(PostgreSQL) and the search code leaves them out for visitors who may not see private fields.

SQLite: an FTS5 table `catalog_coin_fts` whose rowid is the coin id. The unicode61 tokenizer folds
case and accents; "•", "·" and "-" are declared separators so "IMP•CAES" is two words; prefix
indexes make the prefix queries the search code writes ("CAES" finds "CAESAR") cheap.

PostgreSQL: a table `catalog_coin_search` (coin id, weighted tsvector, notes tsvector) with GIN
indexes, filled by plpgsql triggers. Text is folded (lower case, common accents removed,
separators to spaces) by an IMMUTABLE SQL function, so no `unaccent` extension is needed.
"""

# ruff: noqa: S608 - the SQL is assembled from constant fragments at import time; no input reaches it.
from django.db import migrations

# --- SQLite -----------------------------------------------------------------------------------------

SQLITE_COLUMNS = "rowid, issuer, legends, designs, refs, notes"


def _sqlite_select(where: str) -> str:
    """SELECT producing one FTS row per coin matching `where` (an expression on c = catalog_coin)."""
    return f"""
        SELECT c.id,
               coalesce(i.name, '') || ' ' || c.portrait,
               c.obverse_legend || ' ' || c.reverse_legend || ' ' || c.exergue,
               c.obverse_description || ' ' || c.reverse_description,
               coalesce((SELECT group_concat(
                             r.raw_text || ' ' || r.system || ' ' || r.volume || ' ' || r.number
                             || r.variant || ' ' || r.number, ' ')
                         FROM catalog_reference r WHERE r.coin_id = c.id), ''),
               c.notes
        FROM catalog_coin c LEFT JOIN vocab_issuer i ON i.id = c.issuer_id
        WHERE {where}"""


def _sqlite_refresh(coin_id: str) -> str:
    return (
        f"DELETE FROM catalog_coin_fts WHERE rowid = {coin_id};\n"
        f"INSERT INTO catalog_coin_fts({SQLITE_COLUMNS}) {_sqlite_select(f'c.id = {coin_id}')};"
    )


SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE catalog_coin_fts USING fts5(
        issuer, legends, designs, refs, notes,
        tokenize = "unicode61 remove_diacritics 2 separators '•·-/'",
        prefix = '2 3 4'
    )""",
    # Issuer and legends weigh most: a search for "HADRIAN" should rank Hadrian's coins above a
    # coin whose description mentions him in passing.
    "INSERT INTO catalog_coin_fts(catalog_coin_fts, rank) VALUES('rank', 'bm25(10.0, 5.0, 2.0, 4.0, 1.0)')",
    f"INSERT INTO catalog_coin_fts({SQLITE_COLUMNS}) {_sqlite_select('1')}",
    f"""CREATE TRIGGER catalog_coin_fts_ai AFTER INSERT ON catalog_coin BEGIN
        {_sqlite_refresh("new.id")}
    END""",
    f"""CREATE TRIGGER catalog_coin_fts_au AFTER UPDATE ON catalog_coin BEGIN
        DELETE FROM catalog_coin_fts WHERE rowid = old.id;
        {_sqlite_refresh("new.id")}
    END""",
    """CREATE TRIGGER catalog_coin_fts_ad AFTER DELETE ON catalog_coin BEGIN
        DELETE FROM catalog_coin_fts WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER catalog_reference_fts_ai AFTER INSERT ON catalog_reference BEGIN
        {_sqlite_refresh("new.coin_id")}
    END""",
    f"""CREATE TRIGGER catalog_reference_fts_au AFTER UPDATE ON catalog_reference BEGIN
        {_sqlite_refresh("old.coin_id")}
        {_sqlite_refresh("new.coin_id")}
    END""",
    f"""CREATE TRIGGER catalog_reference_fts_ad AFTER DELETE ON catalog_reference BEGIN
        {_sqlite_refresh("old.coin_id")}
    END""",
    f"""CREATE TRIGGER vocab_issuer_fts_au AFTER UPDATE OF name ON vocab_issuer BEGIN
        DELETE FROM catalog_coin_fts WHERE rowid IN (SELECT id FROM catalog_coin WHERE issuer_id = new.id);
        INSERT INTO catalog_coin_fts({SQLITE_COLUMNS}) {_sqlite_select("c.issuer_id = new.id")};
    END""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS vocab_issuer_fts_au",
    "DROP TRIGGER IF EXISTS catalog_reference_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_reference_fts_au",
    "DROP TRIGGER IF EXISTS catalog_reference_fts_ai",
    "DROP TRIGGER IF EXISTS catalog_coin_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_coin_fts_au",
    "DROP TRIGGER IF EXISTS catalog_coin_fts_ai",
    "DROP TABLE IF EXISTS catalog_coin_fts",
]

# --- PostgreSQL -------------------------------------------------------------------------------------

# translate() maps one character to one; both strings have the same length (checked in tests).
PG_FOLD_FROM = "áàâäãåéèêëíìîïóòôöõúùûüýÿçñάέήίόύώϊϋΐΰ•·-/"
PG_FOLD_TO = "aaaaaaeeeeiiiiooooouuuuyycnαεηιουωιυιυ    "

PG_FORWARD = [
    f"""CREATE FUNCTION catalog_coin_search_fold(t text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT replace(replace(translate(lower(coalesce(t, '')), '{PG_FOLD_FROM}', '{PG_FOLD_TO}'),
                               'æ', 'ae'), 'œ', 'oe')
    $$""",
    """CREATE TABLE catalog_coin_search (
        coin_id bigint PRIMARY KEY,
        document tsvector NOT NULL,
        notes_document tsvector NOT NULL
    )""",
    "CREATE INDEX catalog_coin_search_doc_idx ON catalog_coin_search USING gin (document)",
    "CREATE INDEX catalog_coin_search_notes_idx ON catalog_coin_search USING gin (notes_document)",
    """CREATE FUNCTION catalog_coin_search_refresh(cid bigint) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM catalog_coin_search WHERE coin_id = cid;
        INSERT INTO catalog_coin_search (coin_id, document, notes_document)
        SELECT c.id,
            setweight(to_tsvector('simple', catalog_coin_search_fold(
                   coalesce(i.name, '') || ' ' || c.portrait)), 'A')
            || setweight(to_tsvector('simple', catalog_coin_search_fold(
                   c.obverse_legend || ' ' || c.reverse_legend || ' ' || c.exergue)), 'B')
            || setweight(to_tsvector('simple', catalog_coin_search_fold(coalesce((
                   SELECT string_agg(r.raw_text || ' ' || r.system || ' ' || r.volume || ' ' || r.number
                                     || r.variant || ' ' || r.number, ' ')
                   FROM catalog_reference r WHERE r.coin_id = c.id), ''))), 'B')
            || setweight(to_tsvector('simple', catalog_coin_search_fold(
                   c.obverse_description || ' ' || c.reverse_description)), 'C'),
            to_tsvector('simple', catalog_coin_search_fold(c.notes))
        FROM catalog_coin c LEFT JOIN vocab_issuer i ON i.id = c.issuer_id
        WHERE c.id = cid;
    END
    $$""",
    """CREATE FUNCTION catalog_coin_search_coin_trg() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM catalog_coin_search WHERE coin_id = OLD.id;
        ELSE
            PERFORM catalog_coin_search_refresh(NEW.id);
        END IF;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER catalog_coin_search_coin AFTER INSERT OR UPDATE OR DELETE ON catalog_coin
        FOR EACH ROW EXECUTE FUNCTION catalog_coin_search_coin_trg()""",
    """CREATE FUNCTION catalog_coin_search_ref_trg() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM catalog_coin_search_refresh(OLD.coin_id);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            PERFORM catalog_coin_search_refresh(NEW.coin_id);
        END IF;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER catalog_coin_search_ref AFTER INSERT OR UPDATE OR DELETE ON catalog_reference
        FOR EACH ROW EXECUTE FUNCTION catalog_coin_search_ref_trg()""",
    """CREATE FUNCTION catalog_coin_search_issuer_trg() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM catalog_coin_search_refresh(c.id) FROM catalog_coin c WHERE c.issuer_id = NEW.id;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER catalog_coin_search_issuer AFTER UPDATE OF name ON vocab_issuer
        FOR EACH ROW EXECUTE FUNCTION catalog_coin_search_issuer_trg()""",
    "SELECT catalog_coin_search_refresh(id) FROM catalog_coin",
]

PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_coin_search_issuer ON vocab_issuer",
    "DROP TRIGGER IF EXISTS catalog_coin_search_ref ON catalog_reference",
    "DROP TRIGGER IF EXISTS catalog_coin_search_coin ON catalog_coin",
    "DROP FUNCTION IF EXISTS catalog_coin_search_issuer_trg()",
    "DROP FUNCTION IF EXISTS catalog_coin_search_ref_trg()",
    "DROP FUNCTION IF EXISTS catalog_coin_search_coin_trg()",
    "DROP FUNCTION IF EXISTS catalog_coin_search_refresh(bigint)",
    "DROP TABLE IF EXISTS catalog_coin_search",
    "DROP FUNCTION IF EXISTS catalog_coin_search_fold(text)",
]


def _run(statements: list[str], schema_editor) -> None:
    for sql in statements:
        schema_editor.execute(sql, params=None)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(SQLITE_FORWARD, schema_editor)
    elif vendor == "postgresql":
        _run(PG_FORWARD, schema_editor)
    # Other databases: no index; catalog.search falls back to LIKE matching.


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(SQLITE_BACKWARD, schema_editor)
    elif vendor == "postgresql":
        _run(PG_BACKWARD, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("vocab", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
