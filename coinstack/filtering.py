"""Filtering plumbing every list page shares: ids, amounts and dates in query strings, facet counts.

The coin list, an issuer's or a mint's coins and the auction lots all validate their GET filters
with a django-filter FilterSet; the pieces here are those that do not depend on what is listed.
"""

import copy
from collections import defaultdict
from collections.abc import Iterable

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection, connections
from django.db.models import Count, QuerySet

from coinstack.querystring import BIGINT_MAX, AmountField, DateField, read_whole_number
from coinstack.search import SearchField, has_words
from coinstack.sqlite_from import reading_index


class IdListField(forms.Field):
    """Repeated ids (`?issuer=3&issuer=5`), each read by coinstack.querystring (ASCII digits within
    the id column's range); unknown ids simply match nothing."""

    widget = forms.SelectMultiple
    # More choices than any facet panel offers; bounds the IN list a query string can ask for.
    max_ids = 100

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        items = [text for text in (str(item).strip() for item in value) if text]
        if len(items) > self.max_ids:
            raise ValidationError(f"Choose at most {self.max_ids} at once.", code="too_many_ids")
        return [read_whole_number(item, minimum=1, maximum=BIGINT_MAX, what="an id") for item in items]


class IdListFilter(django_filters.Filter):
    """`?issuer=3&issuer=5`: coins whose foreign key is any of the ids."""

    field_class = IdListField

    def filter(self, qs: QuerySet, value: list[int]) -> QuerySet:
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


class AmountFilter(django_filters.Filter):
    """`?price_min=120.50`: compared with a decimal column (`lookup_expr`), read by AmountField so
    only amounts that fit the column (`max_digits`, `decimal_places`) reach the database."""

    field_class = AmountField


class DateFilter(django_filters.DateFilter):
    """`?acquired_from=2024-05-01`, dates in ASCII digits (coinstack.querystring.DateField)."""

    field_class = DateField


class SearchFilter(django_filters.CharFilter):
    """A search box (`?q=`), bounded by coinstack.search.bound_search before anything is searched."""

    field_class = SearchField


# (FilterSet class, its filters' names) -> the form class django-filter builds from them.
_FORM_CLASSES: dict[tuple, type] = {}


def instance_filter(declared: django_filters.Filter) -> django_filters.Filter:
    """One FilterSet instance's copy of a declared filter. django-filter gives each instance its own
    filters (it sets their `parent` and `model`) by deep-copying them all, choices and labels
    included: 0.4 ms of every coin list request. A shallow copy is as much an object of its own;
    its `extra` (the form field's arguments) is copied too, the values in it shared, as nothing
    changes them; a filter calling a FilterSet method gets the method's binding anew, to the copy
    (django-filter binds it to the filter it was set on, whose `parent` it then reads)."""
    copied = copy.copy(declared)
    copied.extra = dict(declared.extra)
    if declared.method is not None:
        copied.method = declared.method
    return copied


class InstanceFilters(dict):
    """A FilterSet's `base_filters`, which django-filter deep-copies for every instance: copied
    filter by filter with instance_filter instead."""

    def __deepcopy__(self, memo) -> dict:
        return {name: instance_filter(declared) for name, declared in self.items()}


def narrowing(active: dict) -> dict:
    """`active` (a filter set's active filters) less a search (`q`) without words, which leaves a
    list as it is (coinstack.search.full_text_search): the kept counts serve it as they serve no
    search."""
    if "q" in active and not has_words(active["q"]):
        return {name: value for name, value in active.items() if name != "q"}
    return active


class FacetMixin:
    """Facet counts for a FilterSet: `facet_columns` maps a facet (filter name) to the column its
    counts group by. Each facet's counts apply every OTHER active filter, so a visitor sees how many
    results each choice would give. Never one query per choice; as few table scans as possible:

    - a facet whose own filter is active needs the rows without that filter: one GROUP BY for it;
    - the facets whose filters are inactive all count the same rows (every active filter applied),
      so one GROUP BY over all their columns serves them, summed up per facet in Python (one scan
      of the filtered rows instead of one per facet);
    - on the unfiltered table, grouping by many columns at once would read every row, while one
      column (or an indexed pair, `facet_groups`) is counted from a covering index: those queries
      are used instead;
    - before any of these, counts the database keeps up to date itself (`maintained_counts`, for
      example by triggers) are asked for: no scan at all where they serve, for the whole panel or
      for an active facet whose other filters they are kept by.
    """

    facet_columns: dict[str, str] = {}
    # Facets counted together on the unfiltered table because a covering index holds both columns.
    facet_groups: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def get_filters(cls) -> InstanceFilters:
        """The declared filters, as django-filter collects them into `base_filters`, in a dict that
        each instance copies cheaply (InstanceFilters)."""
        return InstanceFilters(super().get_filters())

    def get_form_class(self):
        """django-filter's form class, built once per FilterSet class and set of filters instead of
        on every request (each filter's form field built, then a class made of them: about a
        millisecond of a list page). Valid because no filter here builds its field from the
        request (no queryset-per-request choice filters); the form still copies its fields per
        instance, as every Django form does."""
        key = (type(self), tuple(self.filters))
        form_class = _FORM_CLASSES.get(key)
        if form_class is None:
            form_class = _FORM_CLASSES.setdefault(key, super().get_form_class())
        return form_class

    def active_filters(self) -> dict:
        """The cleaned values that actually filter (empty ones dropped)."""
        self.errors  # noqa: B018 - validates the form, filling cleaned_data with the valid fields
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", [], ()) and name in self.filters
        }

    def base_is_narrowed(self) -> bool:
        """Whether the base queryset is a part of the table (an issuer's coins), not all of it: the
        one-column counts read from covering indexes only pay off on the whole table."""
        return bool(self.queryset.query.where)

    def queryset_without(self, skip: str | None) -> QuerySet:
        """The base queryset with every active filter applied except `skip`."""
        queryset = self.queryset.all()
        for name, value in self.active_filters().items():
            if name != skip:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    # SQLite: an index holding the facets' columns and the columns `facets_index_filters` test, read
    # instead of the table's rows when every filter applied is one of those (each app's migration
    # making it says why: without statistics SQLite reads rows through whichever index names a
    # filter's column).
    facets_index: str = ""
    facets_index_filters: frozenset[str] = frozenset()

    def counted_rows(self, skip: str | None) -> QuerySet:
        """The rows a filtered panel's counts group: queryset_without(skip), read on SQLite through
        `facets_index` when it holds every filter applied (and the base is the whole table)."""
        queryset = self.queryset_without(skip)
        applied = set(self.active_filters()) - {skip}
        if (
            self.facets_index
            and connection.vendor == "sqlite"
            and not self.base_is_narrowed()
            and applied <= self.facets_index_filters
        ):
            queryset = reading_index(queryset, self.facets_index)
        return queryset

    # The number of rows with every active filter applied, when facet_counts() could add it up
    # from a GROUP BY over exactly those rows (it then saves the list its COUNT(*) query); else None.
    facet_total: int | None = None

    def grouping(self, queryset: QuerySet, names: list[str]) -> QuerySet:
        """The GROUP BY the counts of `names` run over `queryset`: (each facet's column..., n)."""
        columns = [self.facet_columns[name] for name in names]
        return queryset.order_by().values(*columns).annotate(n=Count("pk")).values_list(*columns, "n")

    def _grouped(self, queryset: QuerySet, names: list[str], *, whole: bool = False) -> dict[str, dict]:
        """One GROUP BY over the columns of `names`, summed per facet. `whole`: the queryset is the
        filtered result itself, so the groups add up to its size (kept in facet_total)."""
        grouped = self.grouping(queryset, names)
        # The ORM's SQL, its rows read by the cursor: the columns are ids, codes and a count, which
        # need none of the ORM's per-value converters, and a filtered list's groups (one per
        # combination of the facets' values) run to 18,000 at 100,000 coins, 20 ms of converting.
        try:
            sql, params = grouped.query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing (an empty list of ids): no groups
            rows = []
        else:
            with connections[grouped.db].cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        counts: list[defaultdict] = [defaultdict(int) for _ in names]
        total = 0
        for row in rows:
            n = row[-1]
            total += n
            for counter, value in zip(counts, row[:-1], strict=True):
                if value is not None and value != "":
                    counter[value] += n
        # DISTINCT (a search that joins other tables) would make the groups overlap.
        if whole and not queryset.query.distinct:
            self.facet_total = total
        return {name: dict(counter) for name, counter in zip(names, counts, strict=True)}

    def maintained_counts(self, names: list[str], active: dict) -> tuple[dict[str, dict], int] | None:
        """({facet: {value: count}}, total) from counts the database keeps for the unfiltered base
        table, when they can answer for these active filters; None (the default) to count rows."""
        return None

    def maintained_counts_serve(self, active: dict) -> bool:
        """Whether maintained_counts answers for these active filters, told without reading the
        counts (the default: never)."""
        return False

    def counts_wait(self) -> bool:
        """Whether the facet panel must be counted over the rows listed, which right after a write
        then waits for its own request (coinstack.listing.facets_later): a text search's (every
        match grouped), and on the whole table a panel the counts the database keeps do not serve
        (maintained_counts_serve). A narrowed base (an issuer's coins) groups only its own rows,
        with the page."""
        active = self.active_filters()
        if has_words(active.get("q")):
            return True
        return not self.base_is_narrowed() and not self.maintained_counts_serve(narrowing(active))

    def _counted_without(self, name: str, active: dict) -> dict[str, dict]:
        """The counts of an active facet: the rows every OTHER active filter lets through, from the
        kept counts when those filters are ones they are kept by (an issuer chosen: the issuer
        facet counts every held coin, a scan the kept counts spare), else one GROUP BY."""
        others = {other: value for other, value in active.items() if other != name}
        if not self.base_is_narrowed():
            maintained = self.maintained_counts([name], narrowing(others))
            if maintained is not None:
                return {name: maintained[0][name]}
        return self._grouped(self.counted_rows(name), [name])

    def facet_counts(self, names: Iterable[str] | None = None) -> dict[str, dict]:
        """{facet: {value: count}}: how many rows each choice would give with the other filters."""
        names = list(self.facet_columns if names is None else names)
        active = self.active_filters()
        counts: dict[str, dict] = {}
        self.facet_total = None
        if not self.base_is_narrowed():
            maintained = self.maintained_counts(names, narrowing(active))
            if maintained is not None:
                counts, self.facet_total = maintained
                return counts
        for name in names:
            if name in active:
                counts |= self._counted_without(name, active)
        rest = [name for name in names if name not in active]
        if not rest:
            return counts
        if active or self.base_is_narrowed():
            counts |= self._grouped(self.counted_rows(None), rest, whole=True)
            return counts
        grouped: set[str] = set()
        for group in self.facet_groups:
            if all(name in rest for name in group):
                counts |= self._grouped(self.queryset, list(group), whole=True)
                grouped.update(group)
        for name in rest:
            if name not in grouped:
                counts |= self._grouped(self.queryset, [name], whole=True)
        return counts


def sort_choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    """`?sort=` choices for a list: each order ascending (`year`) and descending (`-year`), labelled
    with an arrow; the coin and lot lists alike."""
    choices = []
    for key, label in labels.items():
        choices.append((key, f"{label} ↑"))
        choices.append((f"-{key}", f"{label} ↓"))
    return choices


def checked_sort(value: str, choices: list[tuple[str, str]]) -> str:
    """The asked-for order when it is one of `choices` ("" for none); else the form's message."""
    if value and value not in dict(choices):
        raise ValidationError(f'"{value[:30]}" is not a sort order we know.')
    return value
