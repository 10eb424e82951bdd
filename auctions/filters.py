"""The auction-lot list's filters (`/auctions/?house=2&currency=CHF&reference=RIC+I+207`).

Same contract as the coin list: GET parameters validated by the FilterSet's form, invalid values
reported in the form (never a 500), facet counts per house, currency and status.
"""

import datetime
import re

import django_filters
from django import forms
from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone

from coinstack.filtering import (
    AmountFilter,
    DateFilter,
    FacetMixin,
    IdListFilter,
    SearchFilter,
    checked_sort,
    sort_choices,
)
from coinstack.search import FullTextIndex, fts5_match, full_text_search, search_terms
from coinstack.sqlite_from import reading_index

from . import lot_counts
from .models import LotStatus
from .reference_lookup import filter_citing

_CURRENCY = re.compile(r"[A-Za-z]{3}")


class CurrencyListField(forms.Field):
    widget = forms.SelectMultiple

    def to_python(self, value):
        if not value:
            return []
        values = [value] if isinstance(value, str) else value
        codes = []
        for item in values:
            item = str(item).strip()
            if not item:
                continue
            if not _CURRENCY.fullmatch(item):
                raise forms.ValidationError(f'"{item[:20]}" is not a three-letter currency code.')
            codes.append(item.upper())
        return codes


class CurrencyFilter(django_filters.Filter):
    field_class = CurrencyListField

    def filter(self, qs: QuerySet, value: list[str]) -> QuerySet:
        return qs.filter(currency__in=value) if value else qs


# The lot's folded text as PostgreSQL indexes it (GIN expression index lot_search_idx, migration
# auctions 0004): the planner uses the index only for this very expression.
LOT_DOCUMENT = (
    "to_tsvector('simple', catalog_coin_search_fold(coalesce(\"auctions_auctionlot\".\"title\", '') || ' ' "
    '|| coalesce("auctions_auctionlot"."description", \'\')))'
)


def _postgres_match(queryset: QuerySet, query: str, ranked: bool) -> QuerySet:
    # A constant fragment in the SQL text; the visitor's words travel as the parameter.
    return queryset.extra(where=[f"{LOT_DOCUMENT} @@ to_tsquery('simple', %s)"], params=[query])  # noqa: S610


# SQLite answers from the FTS5 table auctions_lot_fts, PostgreSQL from lot_search_idx (both kept in
# step with every write).
# bm25's weights of auctions_lot_fts's columns (title, description), as auctions 0004 set them.
LOT_INDEX = FullTextIndex(
    "auctions_auctionlot", "auctions_lot_fts", _postgres_match, ("title", "description"), (4.0, 1.0)
)


def search_lots(queryset: QuerySet, text: str, *, probe: bool = False) -> QuerySet:
    """Lots whose title or description holds every word of `text` (as a word or a word's start),
    matched as coins are (coinstack.search), in the list's own order.

    `probe` (SQLite): the matches are looked up while the lots are read in the list's order (an
    index), instead of each match being joined to its row and all of them sorted. For a search
    matching many lots, a page of the newest is then found after reading about 50 x (lots /
    matches) index entries: "denarius", 38,000 of 200,000 lots, 35 ms of CPU joined and sorted,
    4 ms probed. For few matches the join is the better plan (the view chooses).
    """
    if probe and connection.vendor == "sqlite":
        terms = search_terms(text, strip_accents=False)
        if terms:
            fts = LOT_INDEX.fts5_table
            # `+` keeps SQLite from reading the matches as the lots to fetch by id (the join's plan).
            # Table names are constants; the visitor's words travel as the parameter.
            return queryset.extra(  # noqa: S610
                where=[f"+{LOT_INDEX.table}.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"],  # noqa: S608
                params=[fts5_match(terms)],
            )
    return full_text_search(queryset, text, LOT_INDEX)


# SQLite: the index a search's facet counts read each match's facet columns from (auctions 0009
# says why); named in the query, since SQLite without statistics prefers the lot's row.
SEARCH_FACETS_INDEX = "lot_search_facets_idx"
# The filters whose columns that index holds (besides the search itself).
SEARCH_FACETS_COLUMNS_FILTERS = {"q", "house", "currency", "status", "linked"}

# SQLite: the index holding the facets' columns and the columns these filters test (auctions 0011),
# named in a filtered list's count queries when every filter applied is one of them: the counts then
# read no lot row (a lot's row holds its description). Not among them: the filters an index of their
# own serves better (a house's or a sale's lots, a reference's citing lots, a search's matches).
FACETS_INDEX = "lot_facets_idx"
FACETS_INDEX_FILTERS = frozenset(
    {"status", "currency", "date_from", "date_to", "price_min", "price_max", "linked"}
)


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), datetime.UTC)


class LotFilter(FacetMixin, django_filters.FilterSet):
    facet_columns = {"house": "house_id", "currency": "currency", "status": "status"}
    # Unfiltered, all three facets are one GROUP BY read from lot_status_house_currency_idx.
    facet_groups = (("status", "house", "currency"),)
    facets_index, facets_index_filters = FACETS_INDEX, FACETS_INDEX_FILTERS  # auctions 0011

    q = SearchFilter(method="filter_q", label="Search")
    house = IdListFilter(field_name="house_id")
    sale = IdListFilter(field_name="sale_id")
    date_from = DateFilter(method="filter_date_from", label="Closing from")
    date_to = DateFilter(method="filter_date_to", label="Closing to")
    # Amounts that fit AuctionLot.hammer_price (max_digits=14, decimal_places=2).
    price_min = AmountFilter(
        field_name="hammer_price", lookup_expr="gte", label="Hammer from", max_digits=14, decimal_places=2
    )
    price_max = AmountFilter(
        field_name="hammer_price", lookup_expr="lte", label="Hammer to", max_digits=14, decimal_places=2
    )
    currency = CurrencyFilter(label="Currency")
    status = django_filters.MultipleChoiceFilter(choices=LotStatus.choices, distinct=False)
    linked = django_filters.ChoiceFilter(
        method="filter_linked", choices=[("yes", "Linked to a coin"), ("no", "Not linked")], label="Linked"
    )
    reference = django_filters.CharFilter(method="filter_reference", label="Reference", max_length=100)

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, private: bool = True):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.private = private
        # The base as given, before leaving out the owner's purchases for a visitor without private
        # access: that narrowing is one the kept counts know (they count purchases apart).
        self._given_base_narrowed = bool(self.queryset.query.where)
        if not private:
            self.queryset = self.queryset.public()

    def base_is_narrowed(self) -> bool:
        return self._given_base_narrowed

    def maintained_counts(self, names: list[str], active: dict) -> tuple[dict[str, dict], int] | None:
        # Kept by triggers per status, house, currency and purchase (auctions.lot_counts).
        return lot_counts.facet_counts(names, active, include_purchases=self.private)

    def maintained_counts_serve(self, active: dict) -> bool:
        return lot_counts.serves(active)

    # Set by the view before it reads a page of a search that matches many lots (search_lots).
    probe_search = False

    def _grouped(self, queryset: QuerySet, names: list[str], *, whole: bool = False) -> dict[str, dict]:
        # A search's counts read the matches' facet columns from SEARCH_FACETS_INDEX on SQLite,
        # when every active filter is on a column it holds.
        active = set(self.active_filters())
        if connection.vendor == "sqlite" and "q" in active and active <= SEARCH_FACETS_COLUMNS_FILTERS:
            queryset = reading_index(queryset, SEARCH_FACETS_INDEX)
        return super()._grouped(queryset, names, whole=whole)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_lots(queryset, value, probe=self.probe_search)

    def filter_date_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        # A datetime bound (not __date) keeps the closing_date index usable.
        return queryset.filter(closing_date__gte=_start_of_day(value))

    def filter_date_to(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        if value >= datetime.date.max:
            return queryset  # "until the end of time": no day after it to bound by
        return queryset.filter(closing_date__lt=_start_of_day(value + datetime.timedelta(days=1)))

    def filter_linked(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(coin__isnull=(value == "no"))

    def filter_reference(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return filter_citing(queryset, value)


# sort key -> the columns it orders by. Prices are compared as numbers whatever their currency: the
# list is for finding the big and the small lots of a search, not for converting money.
LOT_SORT_COLUMNS = {
    "date": ("closing_date",),
    "hammer": ("hammer_price",),
    "estimate": ("estimate_low", "estimate_high"),
}
LOT_SORT_LABELS = {"date": "Closing date", "hammer": "Hammer price", "estimate": "Estimate"}


class LotSortForm(forms.Form):
    """`?sort=hammer` / `?sort=-estimate`: the lot list's order, like the coin list's; without one,
    the newest lots first. An unknown order is reported and the default used."""

    sort = forms.CharField(required=False, max_length=30)

    @staticmethod
    def sort_choices() -> list[tuple[str, str]]:
        return sort_choices(LOT_SORT_LABELS)

    def clean_sort(self) -> str:
        return checked_sort(self.cleaned_data.get("sort") or "", self.sort_choices())

    @property
    def chosen(self) -> str:
        """The valid order asked for, else "" (the default)."""
        return (self.cleaned_data.get("sort") or "") if self.is_valid() else ""


def sort_columns(sort: str) -> tuple[tuple[str, ...], bool]:
    """The columns `sort` orders by ("hammer", "-estimate", ...) and whether it descends; without a
    sort, newest first."""
    if not sort:
        return ("closing_date",), True
    return LOT_SORT_COLUMNS[sort.lstrip("-")], sort.startswith("-")


def ordered_lots(queryset: QuerySet, sort: str) -> QuerySet:
    """The lots in the order `sort` asks (sort_columns), lots missing the value last either way,
    ties by id in the same direction."""
    columns, descending = sort_columns(sort)
    order = [
        F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
        for column in columns
    ]
    return queryset.order_by(*order, "-id" if descending else "id")
