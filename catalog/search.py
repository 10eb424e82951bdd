"""Full-text search over coins: where their index lives, and which of its columns a visitor may search.

The words are cut, quoted and matched by coinstack.search (shared with the auction lots). The index
is built and kept in step by triggers (migrations 0002_coin_fulltext, 0012_search_collectors_words): on
SQLite the FTS5 table catalog_coin_fts, on PostgreSQL catalog_coin_search with a public document and a
private one. The private part holds notes, acquisition source, storage location and the provenance
events that record the owner's own purchase: what coinstack.privacy keeps from visitors.
"""

from django.db.models import FloatField, QuerySet
from django.db.models.expressions import RawSQL

from coinstack.search import FullTextIndex, full_text_search

# Coin columns a visitor without private access may search: everything but `private`.
PUBLIC_COLUMNS = ("issuer", "legends", "designs", "refs", "attribution", "provenance")
# Engines without a full-text index test these fields word by word (no aliases, no provenance: the
# public/private split of provenance is the triggers' work).
_PUBLIC_FIELDS = (
    "issuer__name",
    "obverse_legend",
    "reverse_legend",
    "obverse_description",
    "reverse_description",
    "references__raw_text",
    "denomination__name",
    "mint__name",
    "inventory_number",
)
_PRIVATE_FIELDS = ("notes", "acquisition_source", "storage_location")


def _postgres(include_private: bool):
    def match(queryset: QuerySet, query: str, ranked: bool) -> QuerySet:
        # Only the constant fragments below are put into the SQL text; the user's words travel as
        # query parameters. Signed in, each word may be in either vector ("denarius SlabBox1": the
        # denomination is public, the tray private), so each word is its own pair of tests, each
        # against its vector's GIN index, not one test on (document || private) that no index covers.
        document = "(s.document || s.private_document)" if include_private else "s.document"
        if include_private:
            words = query.split(" & ")  # coinstack.search.tsquery joins the words so
            either = (
                "(s.document @@ to_tsquery('simple', %s) OR s.private_document @@ to_tsquery('simple', %s))"
            )
            condition = " AND ".join([either] * len(words))
            params = [word for word in words for _side in (1, 2)]
        else:
            condition, params = "s.document @@ to_tsquery('simple', %s)", [query]
        matching = RawSQL(  # noqa: S611
            f"SELECT s.coin_id FROM catalog_coin_search s WHERE {condition}",  # noqa: S608
            params,
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
    "catalog_coin", "catalog_coin_fts", _postgres(True), (*_PUBLIC_FIELDS, *_PRIVATE_FIELDS)
)


def apply_search(queryset: QuerySet, text: str | None, *, include_private: bool) -> QuerySet:
    """Coins of `queryset` matching `text`, annotated with `search_rank` (lower is better).

    Without private access the private column is left out, so a search cannot reveal what notes,
    sources or storage say.
    An empty or word-less text leaves the queryset alone (and adds no annotation).
    """
    if include_private:
        return full_text_search(queryset, text, _PRIVATE_INDEX, ranked=True)
    return full_text_search(queryset, text, _PUBLIC_INDEX, columns=PUBLIC_COLUMNS, ranked=True)
