"""Does a database hold what its manifest says, and is it a CoinStack database at all?

Both engines read the same facts from their copy (tables, row counts, the django_migrations rows)
and ask these questions, so a manifest rewritten to match another application's database, or one
that simply leaves tables out, is refused even when its checksums agree (as they do for a backup
restored with --allow-foreign, whose signature cannot vouch for it).
"""

from dataclasses import dataclass

from .snapshot import model_tables

# Every CoinStack database has applied these; another Django project's database has not.
OWN_MIGRATIONS = (("vocab", "0001_initial"), ("catalog", "0001_initial"), ("auctions", "0001_initial"))
CORE_TABLE = "catalog_coin"


@dataclass
class Contents:
    """What a database copy holds, read from the copy itself."""

    tables: set[str]
    counts: dict[str, int]  # rows of every table in `tables` that the checks asked about
    applied: list[list[str]]  # django_migrations (app, name), sorted


def tables_to_count(tables: set[str], expected_counts: dict[str, int]) -> list[str]:
    """The tables whose rows are compared: those the manifest counts and every model table present."""
    return sorted((set(expected_counts) | set(model_tables())) & tables)


def content_problems(
    contents: Contents, expected_counts: dict[str, int], expected_applied: list[list[str]]
) -> list[str]:
    applied = {tuple(row) for row in contents.applied}
    missing_own = [f"{app}.{name}" for app, name in OWN_MIGRATIONS if (app, name) not in applied]
    if CORE_TABLE not in contents.tables or missing_own:
        return [
            "it is not a CoinStack database (no "
            + (f"{CORE_TABLE} table" if CORE_TABLE not in contents.tables else ", ".join(missing_own))
            + ")"
        ]
    problems = []
    if applied != {tuple(row) for row in expected_applied}:
        problems.append("its django_migrations table does not match the migrations the manifest lists")
    missing = sorted(set(expected_counts) - contents.tables)
    if missing:
        problems.append(f"tables missing: {', '.join(missing)}")
    uncounted = sorted((set(model_tables()) & contents.tables) - set(expected_counts))
    if uncounted:
        problems.append(f"the manifest does not count the tables {', '.join(uncounted[:5])}")
    for table, rows in expected_counts.items():
        if table in contents.counts and contents.counts[table] != rows:
            problems.append(f"{table} holds {contents.counts[table]} rows, the manifest says {rows}")
    return problems
