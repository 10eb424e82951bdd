"""Full-text search over coins: turn what a visitor typed into a safe query, per database.

The index itself is built and kept in step by triggers (migration 0002_coin_fulltext). User text is
never handed raw to FTS5's MATCH or to to_tsquery(): it is cut into words (letters and digits only),
each word is quoted and made a prefix term, so quotes, NEAR, *, ^, parentheses or SQL fragments are
just characters that separate words. "IMP CAES" and "CAES" both find "IMP•CAES•TRAIAN•HADRIANO".
"""

import re

from django.db import connection
from django.db.models import FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

from catalog.parsing.text import clean, fold

# Letters and digits of any script (Greek legends included); "_" is not a word character here.
_WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 12
MAX_TERM_LENGTH = 40


def search_terms(text: str | None, *, strip_accents: bool = True) -> list[str]:
    """The words to look for: case-folded, de-duplicated, at most MAX_TERMS.

    Accents are stripped for PostgreSQL, whose index is folded the same way in SQL. SQLite's
    unicode61 tokenizer folds Latin accents itself (on both sides) but not Greek ones, so there the
    words keep their accents: "Ἀντωνῖνος" must meet the index token it was stored as.
    """
    folded = fold(text) if strip_accents else clean(text).casefold()
    terms: list[str] = []
    for word in _WORD.findall(folded):
        word = word[:MAX_TERM_LENGTH]
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def fts5_match(terms: list[str], columns: tuple[str, ...] = ()) -> str:
    """An FTS5 MATCH expression: every term must occur, as a word or the start of one, in one of
    `columns` (all columns when empty).

    Terms hold only letters and digits (search_terms), so the double quotes around them cannot be
    broken out of; column names come from code, never from the visitor.
    """
    body = " ".join(f'"{term}"*' for term in terms)
    if not columns:
        return body
    return "{" + " ".join(columns) + "} : (" + body + ")"


# Coin columns a visitor without private access may search: everything but `notes`.
PUBLIC_COLUMNS = ("issuer", "legends", "designs", "refs")


def fts5_query(terms: list[str], include_private: bool) -> str:
    """The coin search's MATCH expression. Without private access the `notes` column is excluded,
    so a search cannot reveal what notes say."""
    return fts5_match(terms, () if include_private else PUBLIC_COLUMNS)


def tsquery(terms: list[str]) -> str:
    """A to_tsquery('simple', ...) expression: every term as a prefix, all required."""
    return " & ".join(f"{term}:*" for term in terms)


def apply_search(queryset: QuerySet, text: str | None, *, include_private: bool) -> QuerySet:
    """Coins of `queryset` matching `text`, annotated with `search_rank` (lower is better).

    An empty or word-less text leaves the queryset alone (and adds no annotation).
    """
    vendor = connection.vendor
    terms = search_terms(text, strip_accents=vendor != "sqlite")
    if not terms:
        return queryset
    if vendor == "sqlite":
        # A join (not a correlated subquery) so FTS5 computes each coin's rank once, while it
        # walks its own index; `rank` is bm25 with the column weights set in the migration.
        return queryset.extra(
            tables=["catalog_coin_fts"],
            where=["catalog_coin_fts.rowid = catalog_coin.id", "catalog_coin_fts MATCH %s"],
            params=[fts5_query(terms, include_private)],
            select={"search_rank": "catalog_coin_fts.rank"},
        )
    if vendor == "postgresql":
        # Only the constant fragments below are put into the SQL text; the user's words travel as
        # query parameters.
        # Signed in, the notes vector is searched too: as its own test (each side has a GIN index,
        # so PostgreSQL ORs two index scans), not as (document || notes) that no index covers.
        document = "(s.document || s.notes_document)" if include_private else "s.document"
        condition = (
            "(s.document @@ to_tsquery('simple', %s) OR s.notes_document @@ to_tsquery('simple', %s))"
            if include_private
            else "s.document @@ to_tsquery('simple', %s)"
        )
        query = tsquery(terms)
        matching = RawSQL(  # noqa: S611
            f"SELECT s.coin_id FROM catalog_coin_search s WHERE {condition}",  # noqa: S608
            [query, query] if include_private else [query],
        )
        # ts_rank is "higher is better"; negate it so both vendors sort ascending.
        rank = RawSQL(  # noqa: S611
            f"SELECT -ts_rank({document}, to_tsquery('simple', %s)) FROM catalog_coin_search s "  # noqa: S608
            "WHERE s.coin_id = catalog_coin.id",
            [query],
            output_field=FloatField(),
        )
        return queryset.filter(pk__in=matching).annotate(search_rank=rank)
    return _fallback(queryset, terms, include_private)


def _fallback(queryset: QuerySet, terms: list[str], include_private: bool) -> QuerySet:
    """Other databases have no index: a plain containment test per word (slow, but correct)."""
    fields = [
        "issuer__name",
        "obverse_legend",
        "reverse_legend",
        "obverse_description",
        "reverse_description",
        "references__raw_text",
    ]
    if include_private:
        fields.append("notes")
    for term in terms:
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": term})
        queryset = queryset.filter(condition)
    return queryset.distinct()
