"""Folding a PostgreSQL count journal into its counts once, when the writing transaction commits.

Counts kept by triggers (catalog 0014 `catalog_coincount`, and the other kept counts built the same
way) are not updated in place on PostgreSQL: a row trigger appends each change to a journal, because
updating one count row thousands of times in one transaction makes PostgreSQL walk every earlier
version of it. The journal was folded into the counts by a statement trigger once it held 2,000
rows; but to know that, the trigger counted the journal's rows, and in a long transaction (a bulk
import, the demo generator) the journal's heap holds every row the transaction already folded and
deleted, still there until it commits: each check walked them all, so a write's cost grew with the
number of rows before it (100,000 coins had not been generated after 30 minutes).

Here the fold runs when the transaction commits: a DEFERRABLE INITIALLY DEFERRED constraint trigger
on the journal. Its first event at commit folds everything the transaction can see and notes the
highest journal id it folded in a transaction-local setting; every later event of the same rows is
skipped by comparing ids (no scan). A row journalled after a fold (SET CONSTRAINTS ... IMMEDIATE in
the middle of a transaction) has a higher id and folds again. Readers add the counts and the
journal up, so counts are right at every moment; after each commit the journal is empty again.

Used by migrations (SQL assembled from constant names only). May import nothing from the apps.
"""

# ruff: noqa: S608 - the SQL is assembled from the migrations' constant table and column names.


def fold_statement(table: str, journal: str, key: str, value_columns: str = "n, priced, amount") -> str:
    """One statement moving every visible journal row into the counts: the rows deleted are exactly
    the rows added (a concurrent commit cannot slip a row in between), each count updated once.
    `key`: the columns naming a count; `value_columns`: the numbers added up."""
    key_match = " AND ".join(f"t.{column} = g.{column}" for column in key.split(", "))
    sums = ", ".join(f"SUM({column}) AS {column}" for column in value_columns.split(", "))
    any_change = " OR ".join(f"SUM({column}) <> 0" for column in value_columns.split(", "))
    added = ", ".join(f"{column} = t.{column} + g.{column}" for column in value_columns.split(", "))
    excluded = ", ".join(f"{column} = t.{column} + excluded.{column}" for column in value_columns.split(", "))
    return f"""WITH moved AS (DELETE FROM {journal} RETURNING *),
        g AS (SELECT {key}, {sums} FROM moved GROUP BY {key} HAVING {any_change}),
        updated AS (
            UPDATE {table} AS t SET {added} FROM g WHERE {key_match}
            RETURNING {", ".join(f"t.{column}" for column in key.split(", "))}
        )
        INSERT INTO {table} AS t ({key}, {value_columns})
        SELECT {key}, {value_columns} FROM g
        WHERE NOT EXISTS (SELECT 1 FROM updated AS t WHERE {key_match})
        ON CONFLICT ({key}) DO UPDATE SET {excluded}"""


def fold_at_commit(function: str, trigger: str, journal: str, fold: str, declare: str = "") -> list[str]:
    """The statements that make `journal` fold at commit (module docstring): an id per journal row,
    the function `function` running `fold` (PL/pgSQL moving the journal's rows into the counts, e.g.
    fold_statement's; `declare`: variables it needs) once per transaction, and the deferred
    constraint trigger `trigger`.
    A statement trigger of the same name that folded by row count must be dropped before."""
    setting = f"coinstack.{function}_upto"
    return [
        f"ALTER TABLE {journal} ADD COLUMN id bigserial",
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                upto bigint := COALESCE(NULLIF(current_setting('{setting}', true), ''), '0')::bigint;
                {declare}
            BEGIN
                IF NEW.id <= upto THEN
                    RETURN NULL;  -- folded already, with the rows before it
                END IF;
                -- This session journalled NEW.id, so the sequence's currval is defined: every row
                -- this transaction wrote so far is at or below it.
                PERFORM set_config(
                    '{setting}', currval(pg_get_serial_sequence('{journal}', 'id'))::text, true
                );
                {fold};
                RETURN NULL;
            END
            $$""",
        f"""CREATE CONSTRAINT TRIGGER {trigger} AFTER INSERT ON {journal}
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {function}()""",
    ]


def fold_by_row_count_again(function: str, trigger: str, journal: str) -> list[str]:
    """Undo fold_at_commit (a migration's backward): the caller then recreates its earlier trigger."""
    return [
        f"DROP TRIGGER IF EXISTS {trigger} ON {journal}",
        f"DROP FUNCTION IF EXISTS {function}()",
        f"ALTER TABLE {journal} DROP COLUMN IF EXISTS id",
    ]
