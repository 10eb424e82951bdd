"""Full-text search over coins: where their index lives, and which of its columns a visitor may search.

The words are cut, quoted and matched by coinstack.search (shared with the auction lots). The index
is built and kept in step by triggers (migration 0002_coin_fulltext): on SQLite the FTS5 table
catalog_coin_fts, on PostgreSQL catalog_coin_search with a public document and a notes document.
"""

from django.db.models import FloatField, QuerySet
from django.db.models.expressions import RawSQL

from coinstack.search import FullTextIndex, full_text_search

# Coin columns a visitor without private access may search: everything but `notes`.
PUBLIC_COLUMNS = ("issuer", "legends", "designs", "refs")
_PUBLIC_FIELDS = (
    "issuer__name",
    "obverse_legend",
    "reverse_legend",
    "obverse_description",
    "reverse_description",
    "references__raw_text",
)


def _postgres(include_private: bool):
    def match(queryset: QuerySet, query: str, ranked: bool) -> QuerySet:
        # Only the constant fragments below are put into the SQL text; the user's words travel as
        # query parameters. Signed in, the notes vector is searched too: as its own test (each side
        # has a GIN index, so PostgreSQL ORs two index scans), not as (document || notes) that no
        # index covers.
        document = "(s.document || s.notes_document)" if include_private else "s.document"
        condition = (
            "(s.document @@ to_tsquery('simple', %s) OR s.notes_document @@ to_tsquery('simple', %s))"
            if include_private
            else "s.document @@ to_tsquery('simple', %s)"
        )
        matching = RawSQL(  # noqa: S611
            f"SELECT s.coin_id FROM catalog_coin_search s WHERE {condition}",  # noqa: S608
            [query, query] if include_private else [query],
        )
        queryset = queryset.filter(pk__in=matching)
        if not ranked:
            return queryset
        # ts_rank is "higher is better"; negated so both engines sort ascending.
        rank = RawSQL(  # noqa: S611
            f"SELECT -ts_rank({document}, to_tsquery('simple', %s)) FROM catalog_coin_search s "  # noqa: S608
            "WHERE s.coin_id = catalog_coin.id",
            [query],
            output_field=FloatField(),
        )
        return queryset.annotate(search_rank=rank)

    return match


_PUBLIC_INDEX = FullTextIndex("catalog_coin", "catalog_coin_fts", _postgres(False), _PUBLIC_FIELDS)
_PRIVATE_INDEX = FullTextIndex(
    "catalog_coin", "catalog_coin_fts", _postgres(True), (*_PUBLIC_FIELDS, "notes")
)


def apply_search(queryset: QuerySet, text: str | None, *, include_private: bool) -> QuerySet:
    """Coins of `queryset` matching `text`, annotated with `search_rank` (lower is better).

    Without private access the `notes` column is left out, so a search cannot reveal what notes say.
    An empty or word-less text leaves the queryset alone (and adds no annotation).
    """
    if include_private:
        return full_text_search(queryset, text, _PRIVATE_INDEX, ranked=True)
    return full_text_search(queryset, text, _PUBLIC_INDEX, columns=PUBLIC_COLUMNS, ranked=True)
