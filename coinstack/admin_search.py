"""The admin's search boxes, bounded like the public ones: at most MAX_TERMS words and
MAX_SEARCH_CHARS characters, the rest left out with a message that says so.

Django's admin turns each word of a changelist search into one OR of `icontains` tests over every
search field, all of them ANDed: 1,000 words gave SQLite a 500 ("Expression tree is too large"),
5,000 made one PostgreSQL backend grow to 22.9 GB until the kernel killed it (and with it every
other connection). So no staff request can ask for more than a bounded search.

The bound is put on the admin site itself (CoinStackAdminConfig makes BoundedSearchAdminSite the
default `admin.site`): every ModelAdmin registered there, ours and those of Django's auth or axes
alike, searches through BoundedSearchMixin, and so does the autocomplete of related fields.
"""

from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.utils.text import smart_split_re

from coinstack.search import MAX_SEARCH_CHARS, MAX_TERMS, bound_search


class BoundedSearchMixin:
    """get_search_results on at most `search_max_terms` words (Django's own splitting: a quoted
    phrase is one word) and `search_max_chars` characters; the changelist says what was left out."""

    search_max_terms = MAX_TERMS
    search_max_chars = MAX_SEARCH_CHARS

    def get_search_results(self, request, queryset, search_term):
        search = bound_search(
            search_term, word=smart_split_re, max_terms=self.search_max_terms, max_chars=self.search_max_chars
        )
        match = getattr(request, "resolver_match", None)
        # The autocomplete answers JSON to a widget: a message would wait for the next page instead.
        if search.shortened and not (match and match.url_name == "autocomplete"):
            messages.warning(request, search.note)
        return super().get_search_results(request, queryset, search.text)


class BoundedSearchAdminSite(admin.AdminSite):
    """The admin site whose every ModelAdmin searches through BoundedSearchMixin."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, BoundedSearchMixin):
            namespace = {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__}
            admin_class = type(admin_class.__name__, (BoundedSearchMixin, admin_class), namespace)
        super().register(model_or_iterable, admin_class, **options)


class CoinStackAdminConfig(AdminConfig):
    """django.contrib.admin with BoundedSearchAdminSite as `admin.site` (INSTALLED_APPS names this)."""

    default_site = "coinstack.admin_search.BoundedSearchAdminSite"
