"""Full-text search, shared by the coin list and the auction lots: what a visitor typed, made safe,
asked of each database's own index.

User text is never handed raw to FTS5's MATCH or to to_tsquery(): it is cut into words (letters and
digits only), each word is quoted and made a prefix term, so quotes, NEAR, *, ^, parentheses or SQL
fragments are just characters that separate words. "IMP CAES" and "CAES" both find
"IMP•CAES•TRAIAN•HADRIANO". The indexes themselves are kept in step by database triggers (catalog
0002, auctions 0004); a `FullTextIndex` says where a model's index lives on each engine.

Every search box is bounded before any work is done on what was typed (`bound_search`): at most
MAX_SEARCH_CHARS characters and MAX_TERMS words, the rest left out with a note that says so. The
database's work grows with the number of words (one MATCH term, tsquery operand or LIKE test each):
unbounded, 1,000 words made SQLite refuse the query ("Expression tree is too large") and 5,000 made
one PostgreSQL backend grow to 22.9 GB. The admin's search boxes use the same bound
(coinstack.admin_search).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db import connection
from django.db.models import Q, QuerySet

from coinstack.sqlite_from import matches_first
from numismatics.text import clean, fold

# Letters and digits of any script (Greek legends included); "_" is not a word character here.
_WORD = re.compile(r"[^\W_]+")
# A legend with its reference is about a dozen words; each more word is one more test per row.
MAX_TERMS = 16
MAX_TERM_LENGTH = 40
# What a search box takes: a long legend with its reference fits; a pasted page does not.
MAX_SEARCH_CHARS = 200


@dataclass(frozen=True)
class BoundedSearch:
    """What is searched (`text`), and `note`: what was left out, in words for the visitor ("" when
    nothing was)."""

    text: str
    note: str = ""

    @property
    def shortened(self) -> bool:
        return bool(self.note)


def bound_search(
    text: str | None,
    *,
    word: re.Pattern[str] = _WORD,
    max_terms: int = MAX_TERMS,
    max_chars: int = MAX_SEARCH_CHARS,
) -> BoundedSearch:
    """`text` cut to at most `max_chars` characters (at a space when there is one) and then to its
    first `max_terms` words, as `word` finds them (the admin passes its own splitter, which keeps
    quoted phrases together). Only a text at most `max_chars` long is ever looked at word by word.
    """
    text = (text or "").strip()
    limit = ""
    if len(text) > max_chars:
        head = text[: max_chars + 1]
        space = head.rfind(" ")
        text = (head[:space] if space > 0 else head[:max_chars]).strip()
        limit = f"{max_chars} characters"
    end = 0
    for count, match in enumerate(word.finditer(text), start=1):
        if count > max_terms:
            text = text[:end].strip()
            limit = f"{max_terms} words"
            break
        end = match.end()
    if not limit:
        return BoundedSearch(text)
    return BoundedSearch(text, f"The search was too long: only its first {limit} were searched, “{text}”.")


class SearchField(forms.CharField):
    """A search box: the text bounded by bound_search (never refused for its length)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.pop("max_length", None)  # the bound is bound_search's, with a note instead of an error
        super().__init__(**kwargs)

    def to_python(self, value):
        return bound_search(super().to_python(value)).text


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


def has_words(text: str | None) -> bool:
    """Whether `text` searches anything: a text without words (punctuation alone) leaves a list as
    it is (full_text_search), so it is no text search."""
    return bool(search_terms(text, strip_accents=connection.vendor != "sqlite"))


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


def tsquery(terms: list[str]) -> str:
    """A to_tsquery('simple', ...) expression: every term as a prefix, all required."""
    return " & ".join(f"{term}:*" for term in terms)


@dataclass(frozen=True)
class FullTextIndex:
    """Where one model's full-text index lives.

    `fts5_table`: SQLite's FTS5 table, whose rowid is the model's id. `postgres(queryset, query)`:
    the rows matching a to_tsquery text on PostgreSQL (each model keeps its index its own way), with
    `search_rank` annotated when asked to rank. `fallback_fields`: the fields other engines test word
    by word. `fts5_weights`: the FTS5 columns' weights in bm25, as the migration that made the table
    stored them in its `rank` setting (a test holds the two together).
    """

    table: str
    fts5_table: str
    postgres: Callable[[QuerySet, str, bool], QuerySet]
    fallback_fields: tuple[str, ...]
    fts5_weights: tuple[float, ...] = ()

    @property
    def fts5_rank(self) -> str:
        """bm25 of a matching row with the column weights, lower is better: FTS5's `rank` column.

        Called by name, not read as `rank`: ordered by `rank`, FTS5 sorts every match itself before
        SQLite's LIMIT applies, where ordered by the call SQLite keeps only the best while it reads
        (the best 112 of the 16,000 coins matching "CAES" at 100,000 coins: 28 -> 20 ms).
        """
        weights = ", ".join(repr(float(weight)) for weight in self.fts5_weights)
        return f"bm25({self.fts5_table}, {weights})" if weights else f"bm25({self.fts5_table})"


def full_text_search(
    queryset: QuerySet,
    text: str | None,
    index: FullTextIndex,
    *,
    columns: tuple[str, ...] = (),
    ranked: bool = False,
    fallback_fields: tuple[str, ...] | None = None,
) -> QuerySet:
    """The rows of `queryset` holding every word of `text` (as a word or a word's start).

    `columns` limits SQLite's match to those FTS5 columns (PostgreSQL's `postgres` function decides
    its own); `ranked` annotates `search_rank`, lower is better on both engines. A text without words
    leaves the queryset alone, with no annotation.
    """
    vendor = connection.vendor
    terms = search_terms(text, strip_accents=vendor != "sqlite")
    if not terms:
        return queryset
    if vendor == "sqlite":
        # A join (not a correlated subquery) so FTS5 computes each row's rank once, while it walks
        # its own index (bm25 with the column weights, FullTextIndex.fts5_rank). The FTS5 table
        # leads the join (_MatchesFirst). Table names come from code (a FullTextIndex), never
        # from the visitor; the terms are a parameter.
        fts = index.fts5_table
        return matches_first(queryset, fts).extra(  # noqa: S610
            where=[f"{fts}.rowid = {index.table}.id", f"{fts} MATCH %s"],
            params=[fts5_match(terms, columns)],
            select={"search_rank": index.fts5_rank} if ranked else None,
        )
    if vendor == "postgresql":
        return index.postgres(queryset, tsquery(terms), ranked)
    # Other databases have no index: a plain containment test per word (slow, but correct).
    fields = index.fallback_fields if fallback_fields is None else fallback_fields
    for term in terms:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(condition)
    return queryset.distinct()
