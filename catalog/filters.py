"""The coin list's filters (`/coins/?metal=silver&year_from=27+BC&q=CAES`) and their facet counts.

Names and values are a public contract: bookmarks, exports (`/export/?<same query>`) and the
prev/next links of the coin page all re-read them. Facet counts are computed with every OTHER
filter applied, one GROUP BY query per facet, never one query per choice.
"""

import sys

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from catalog import tallies
from catalog.choices import Category, GradeService, GradingState, Metal
from catalog.forms import GradeField, YearField
from catalog.models import CoinImage, ImportedCoin, SeriesMembership
from catalog.search import apply_search
from coinstack.filtering import (
    AmountFilter,
    DateFilter,
    FacetMixin,
    IdListFilter,
    SearchFilter,
    checked_sort,
    sort_choices,
)
from coinstack.querystring import WholeNumberField

# Filters on what a collector paid, when and where a coin is kept: hidden from visitors who may
# not see private fields, so filtering cannot be used to probe them either.
PRIVATE_FILTERS = ("price_min", "price_max", "acquired_from", "acquired_to", "storage", "import_batch")

# facet name -> the column its counts group by.
FACETS = {
    "category": "category",
    "metal": "metal",
    "issuer": "issuer_id",
    "mint": "mint_id",
    "denomination": "denomination_id",
    "grading_state": "grading_state",
    "grade_service": "grade_service",
}
# The facets whose values are ids of vocabulary terms.
ID_FACETS = {name for name, column in FACETS.items() if column.endswith("_id")}


# SQLite: the index of the held coins holding the facets' columns and the columns these filters test
# (catalog 0023), named in a filtered list's count queries when every active filter is one of them:
# the counts then read no coin row. Not among them: asking for the disposed coins too, and the
# filters an index of their own serves better (a vocabulary term's: issuer, mint, denomination, a
# few coins each, found by seeking; the storage prefix's; the search's).
FACETS_INDEX = "coin_facets_idx"
FACETS_INDEX_FILTERS = frozenset(
    {
        "category",
        "metal",
        "grading_state",
        "grade_service",
        "grade_min",
        "grade_max",
        "price_min",
        "price_max",
        "acquired_from",
        "acquired_to",
        "year_from",
        "year_to",
        # Tested by a subquery per coin (images, series memberships, imports), which any reading of
        # the coins serves alike: the index is the cheapest.
        "has_images",
        "in_series",
        "import_batch",
    }
)

# ?disposed=: without it the lists show only the coins still held.
DISPOSED_CHOICES = [("only", "Only disposed coins"), ("all", "Held and disposed")]


class YearFilter(django_filters.Filter):
    field_class = YearField


class GradeFilter(django_filters.Filter):
    field_class = GradeField


class WholeNumberFilter(django_filters.Filter):
    field_class = WholeNumberField


class CoinFilter(FacetMixin, django_filters.FilterSet):
    facet_columns = FACETS
    facets_index, facets_index_filters = FACETS_INDEX, FACETS_INDEX_FILTERS  # catalog 0023
    # coin_category_metal_year_idx and coin_grading_idx cover these pairs.
    facet_groups = (("category", "metal"), ("grading_state", "grade_service"))

    q = SearchFilter(method="filter_q", label="Search")
    # distinct=False: these filter the coin table itself, so no join can repeat a row.
    category = django_filters.MultipleChoiceFilter(choices=Category.choices, distinct=False)
    metal = django_filters.MultipleChoiceFilter(choices=Metal.choices, distinct=False)
    issuer = IdListFilter(field_name="issuer_id")
    mint = IdListFilter(field_name="mint_id")
    denomination = IdListFilter(field_name="denomination_id")
    year_from = YearFilter(method="filter_year_from", label="From year")
    year_to = YearFilter(method="filter_year_to", label="To year")
    grade_min = GradeFilter(field_name="grade_band", lookup_expr="gte", label="Grade from", slack=-3)
    grade_max = GradeFilter(field_name="grade_band", lookup_expr="lte", label="Grade to", slack=3)
    grading_state = django_filters.MultipleChoiceFilter(
        choices=GradingState.choices, label="Holder", distinct=False
    )
    grade_service = django_filters.MultipleChoiceFilter(
        choices=GradeService.choices, label="Service", distinct=False
    )
    # Amounts that fit Coin.acquisition_price (max_digits=12, decimal_places=2).
    price_min = AmountFilter(
        field_name="acquisition_price", lookup_expr="gte", label="Price from", max_digits=12, decimal_places=2
    )
    price_max = AmountFilter(
        field_name="acquisition_price", lookup_expr="lte", label="Price to", max_digits=12, decimal_places=2
    )
    acquired_from = DateFilter(field_name="acquisition_date", lookup_expr="gte", label="Acquired from")
    acquired_to = DateFilter(field_name="acquisition_date", lookup_expr="lte", label="Acquired to")
    storage = django_filters.CharFilter(method="filter_storage", max_length=100)
    has_images = django_filters.BooleanFilter(method="filter_has_images", label="Has images")
    in_series = django_filters.CharFilter(method="filter_in_series", label="In series", max_length=200)
    # The coins one import created or changed (the import result links here).
    import_batch = WholeNumberFilter(
        method="filter_import_batch", label="Import", minimum=1, what="the number of an import"
    )
    # Coins sold, traded or given away are left out unless asked for (Coin.objects.held()).
    disposed = django_filters.ChoiceFilter(
        choices=DISPOSED_CHOICES, method="filter_disposed", label="Disposed coins", empty_label="Not shown"
    )

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, private: bool = False):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.private = private
        # The base, as given, before the default "held coins only" narrowing below.
        self._given_base_narrowed = bool(self.queryset.query.where)
        # Whether the list is of held coins alone (disposed ones not asked for).
        self.held_only = (data or {}).get("disposed") not in dict(DISPOSED_CHOICES)
        if self.held_only:
            self.queryset = self.queryset.held()
        if not private:
            for name in PRIVATE_FILTERS:
                self.filters.pop(name, None)

    def base_is_narrowed(self) -> bool:
        # Leaving the disposed coins out (a few, usually none) does not make the whole-table
        # facet counts any less the right plan.
        return self._given_base_narrowed

    def maintained_counts(self, names: list[str], active: dict) -> tuple[dict[str, dict], int] | None:
        # Kept by triggers per category and metal, and per year for a date range (catalog.tallies):
        # no scan after a write.
        return tallies.facet_counts(names, active, id_facets=ID_FACETS) or tallies.facet_counts_in_years(
            names, active, id_facets=ID_FACETS
        )

    def maintained_counts_serve(self, active: dict) -> bool:
        return tallies.serves(active)

    # --- filter methods -----------------------------------------------------------------------
    def filter_disposed(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.exclude(disposal="") if value == "only" else queryset

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search(queryset, value, include_private=self.private)

    def filter_year_from(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        # Overlap: the coin's range ends at or after the start of the asked range. A coin with
        # only a start year is taken as struck in that year.
        if value is None:
            return queryset
        return queryset.filter(Q(year_end__gte=value) | Q(year_end__isnull=True, year_start__gte=value))

    def filter_year_to(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(Q(year_start__lte=value) | Q(year_start__isnull=True, year_end__lte=value))

    def filter_storage(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Locations starting with `value` ("SlabBox" finds SlabBox1, SlabBox2), case-sensitively
        # on both engines, through coin_storage_idx. SQLite's LIKE ignores case and so cannot use
        # a plain index: ask for the range of strings with that prefix instead (its BINARY
        # collation orders by code point, so the range holds exactly them). PostgreSQL's
        # LIKE 'x%' is read from the index's varchar_pattern_ops.
        if not value:
            return queryset
        if connection.vendor == "sqlite" and ord(value[-1]) < sys.maxunicode:
            following = ord(value[-1]) + 1
            if 0xD800 <= following <= 0xDFFF:
                following = 0xE000  # surrogates are no characters: the next one after U+D7FF
            after = value[:-1] + chr(following)
            return queryset.filter(storage_location__gte=value, storage_location__lt=after)
        return queryset.filter(storage_location__startswith=value)

    def filter_has_images(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        images = Exists(CoinImage.objects.filter(coin_id=OuterRef("pk")))
        return queryset.filter(images if value else ~images)

    def filter_in_series(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        member = SeriesMembership.objects.filter(coin_id=OuterRef("pk"), series__slug=value)
        return queryset.filter(Exists(member))

    def filter_import_batch(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        if value is None:
            return queryset
        imported = ImportedCoin.objects.filter(coin_id=OuterRef("pk"), batch_id=value)
        return queryset.filter(Exists(imported))


class ListOptionsForm(forms.Form):
    """How the list is shown: order, grid or table, page size. Bad values fall back, with a note."""

    SORTS = {
        "year": "Date",
        "issuer": "Issuer",
        "price": "Price paid",
        "acquired": "Acquired",
        "weight": "Weight",
        "grade": "Grade",
        "inventory": "Inventory number",
    }
    PRIVATE_SORTS = ("price", "acquired")

    sort = forms.CharField(required=False, max_length=30)
    view = forms.ChoiceField(required=False, choices=[("grid", "Grid"), ("table", "Table")])
    per_page = WholeNumberField(minimum=1, maximum=200, what="a number of coins per page")

    def __init__(self, *args, private: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.private = private

    def sort_choices(self) -> list[tuple[str, str]]:
        visible = {k: v for k, v in self.SORTS.items() if self.private or k not in self.PRIVATE_SORTS}
        return sort_choices(visible)

    def clean_sort(self) -> str:
        return checked_sort(self.cleaned_data.get("sort") or "", self.sort_choices())
