"""Full-text search over coins: where their index lives, and which of its columns a visitor may search.

The words are cut, quoted and matched by coinstack.search (shared with the auction lots). The index
is built and kept in step by triggers (migrations 0002_coin_fulltext, 0012_search_collectors_words): on
SQLite the FTS5 table catalog_coin_fts, on PostgreSQL catalog_coin_search with a public document and a
private one. The private part holds notes, acquisition source, storage location and the provenance
events that record the owner's own purchase: what coinstack.privacy keeps from visitors.
"""

from django.db.models import QuerySet
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


SEARCH_TABLE = "catalog_coin_search"


def postgres_condition(table: str, words: list[str], include_private: bool) -> tuple[str, list[str]]:
    """The WHERE test of `table` (the search table or its alias) for the words of a to_tsquery text.

    Only constant fragments are put into the SQL text; the user's words travel as query parameters.
    Signed in, each word may be in either vector ("denarius SlabBox1": the denomination is public,
    the tray private), so each word is its own pair of tests, each against its vector's GIN index,
    not one test on (document || private) that no index covers.
    """
    if not include_private:
        return f"{table}.document @@ to_tsquery('simple', %s)", [" & ".join(words)]
    either = (
        f"({table}.document @@ to_tsquery('simple', %s)"
        f" OR {table}.private_document @@ to_tsquery('simple', %s))"
    )
    return " AND ".join([either] * len(words)), [word for word in words for _side in (1, 2)]


def postgres_rank(words: list[str], include_private: bool) -> tuple[str, list[str]]:
    """-ts_rank of a matching row (ts_rank is "higher is better"; negated so both engines sort
    ascending), as SQL over SEARCH_TABLE with its parameters.

    Signed in, the rank is that of (document || private_document). Concatenating the two vectors
    for every match cost more than the rest of the search (16,000 matches of "CAES" at 100,000
    coins: 30 of 50 ms), and when the private vector holds none of the words it changes nothing:
    ts_rank (normalization 0) reads only the lexemes the query matches, their positions and
    weights, and the concatenation keeps the document's lexemes and positions as they are (it
    shifts the private ones). So the concatenation is ranked only for rows whose private vector
    matches a word, the others by their document alone: the same number, hence the same order.
    """
    query = " & ".join(words)
    t = SEARCH_TABLE
    if not include_private:
        return f"-ts_rank({t}.document, to_tsquery('simple', %s))", [query]
    return (
        f"CASE WHEN {t}.private_document @@ to_tsquery('simple', %s)"
        f" THEN -ts_rank({t}.document || {t}.private_document, to_tsquery('simple', %s))"
        f" ELSE -ts_rank({t}.document, to_tsquery('simple', %s)) END",
        [" | ".join(words), query, query],
    )


def _postgres(include_private: bool):
    def match(queryset: QuerySet, query: str, ranked: bool) -> QuerySet:
        words = query.split(" & ")  # coinstack.search.tsquery joins the words so
        if not ranked:
            condition, params = postgres_condition("s", words, include_private)
            matching = RawSQL(f"SELECT s.coin_id FROM {SEARCH_TABLE} s WHERE {condition}", params)  # noqa: S608, S611
            return queryset.filter(pk__in=matching)
        # Ranked: the search table joined (as SQLite joins its FTS5 table), so each match's rank is
        # computed from the row the match read, not looked up again by a correlated subquery per
        # coin (16,000 index probes for "CAES"). The triggers keep exactly one row per coin, so
        # the join neither repeats nor loses a coin. Table names are constants.
        condition, params = postgres_condition(SEARCH_TABLE, words, include_private)
        rank, rank_params = postgres_rank(words, include_private)
        return queryset.extra(  # noqa: S610
            tables=[SEARCH_TABLE],
            where=[f"{SEARCH_TABLE}.coin_id = catalog_coin.id", condition],
            params=params,
            select={"search_rank": rank},
            select_params=rank_params,
        )

    return match


# bm25's weights of catalog_coin_fts's columns (issuer, legends, designs, refs, attribution,
# provenance, private), as catalog 0012 set them: issuer and legends weigh most, so that a search
# for "HADRIAN" ranks Hadrian's coins above a coin whose description mentions him in passing.
FTS5_WEIGHTS = (10.0, 5.0, 2.0, 4.0, 4.0, 1.0, 1.0)
_PUBLIC_INDEX = FullTextIndex(
    "catalog_coin", "catalog_coin_fts", _postgres(False), _PUBLIC_FIELDS, FTS5_WEIGHTS
)
_PRIVATE_INDEX = FullTextIndex(
    "catalog_coin", "catalog_coin_fts", _postgres(True), (*_PUBLIC_FIELDS, *_PRIVATE_FIELDS), FTS5_WEIGHTS
)
# A matching coin's rank on SQLite, lower is better (FullTextIndex.fts5_rank).
FTS5_RANK = _PUBLIC_INDEX.fts5_rank


def apply_search(queryset: QuerySet, text: str | None, *, include_private: bool) -> QuerySet:
    """Coins of `queryset` matching `text`, annotated with `search_rank` (lower is better).

    Without private access the private column is left out, so a search cannot reveal what notes,
    sources or storage say.
    An empty or word-less text leaves the queryset alone (and adds no annotation).
    """
    if include_private:
        return full_text_search(queryset, text, _PRIVATE_INDEX, ranked=True)
    return full_text_search(queryset, text, _PUBLIC_INDEX, columns=PUBLIC_COLUMNS, ranked=True)
