"""The Jinja2 environment for the few template fragments a page repeats dozens or hundreds of times
(coin cards and table rows, facet options, lot rows, the rows of a coin page's lot tables, the
statistics' charts and spending table).

Why a second engine: a list page at 100,000 coins spent about two thirds of its time in Django's
template engine rendering 48 cards and a facet panel of about 200 options (issue 19's profile:
each variable lookup, filter and include walks the context stack); Jinja2 compiles a template to
Python code and renders the same markup several times faster. Everything else stays in Django
templates; the fragments are rendered through `render_fragment`, by template tags
(catalog.templatetags.coin_tags) or by the views that cache a page's markup (catalog.cards,
auctions.views), so a page's structure, its HTMX partials and its tests do not change.

Escaping: Jinja2 autoescapes, and every `{{ ... }}` first goes through `finalize`, which escapes
it exactly as Django does (`html.escape`: `&#x27;` and `&quot;`, where markupsafe writes `&#39;` and
`&#34;`) and marks it safe, unless it is already safe (Django's SafeString, markupsafe's Markup): the
fragments' markup is byte for byte what Django templates gave.

Filters are the Django templates' own: Django's built-in filters and those of the tag libraries
named in FILTER_LIBRARIES (found by name through the Django engine, so this module imports no app;
a filter is defined once, for both engines). Two of them run in every row of a lot table and are
given a shortcut that returns exactly what they return (`shortcut_filters`). May import Django and
coinstack only.
"""

import datetime
import html
import unicodedata
from functools import cache, lru_cache

from django.template import engines
from django.templatetags.static import static
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language
from jinja2 import Environment
from markupsafe import Markup

from coinstack.reversing import cached_reverse

# The Django template libraries ({% load NAME %}) whose filters the fragments use as well.
FILTER_LIBRARIES = ("coin_tags", "humanize")


def finalize(value) -> Markup:
    """What `{{ value }}` writes: safe markup as it is, anything else escaped as Django escapes."""
    if hasattr(value, "__html__"):
        return Markup(value.__html__())  # noqa: S704 - already safe markup
    if value is None:
        return Markup("None")  # as a Django template writes it
    return Markup(html.escape(str(value)))  # noqa: S704 - escaped here


@cache
def _choice_labels(field) -> dict:
    """A field's choices as Django's get_FOO_display() builds them on every call (the fields and
    their choices are fixed once the models are loaded)."""
    return dict(make_hashable(field.flatchoices))


def display(instance, name: str) -> str:
    """`{{ display(coin, "metal") }}`: what `coin.get_metal_display()` returns, the label of the
    field's value (the value itself when it is not a choice), without rebuilding the field's
    choices for every row of a table (6 us a call, 48 cards a page)."""
    field = instance._meta.get_field(name)
    value = getattr(instance, field.attname)
    return force_str(_choice_labels(field).get(make_hashable(value), value), strings_only=True)


def url(name: str, *args) -> str:
    """`{{ url("catalog:coin_detail", coin.pk) }}`: Django's reverse, remembered
    (coinstack.reversing: 48 cards write 48 addresses on every list page)."""
    return cached_reverse(name, *args)


def django_filters() -> dict:
    """Django's built-in filters and those of FILTER_LIBRARIES, by their Django names. Jinja2's own
    filters of the same names (urlencode, truncate...) escape and quote differently: Django's win."""
    engine = engines["django"].engine
    filters = {}
    for library in engine.template_builtins:
        filters.update(library.filters)
    for name in FILTER_LIBRARIES:
        filters.update(engine.template_libraries[name].filters)
    return filters


# Django's date-format letters that read a time, a time zone or the moment itself (everything but
# the day, month and year letters dDjlNSwzWmFMntLoyYEb); a backslash-escaped one counts too (the
# shortcut then simply does not apply).
TIME_FORMAT_LETTERS = frozenset("aABfgGhHisuvPeIOTUZcr")


def shortcut_filters(filters: dict) -> dict:
    """Django's `date` and `truncatechars`, each returning what Django's returns, faster where a
    lot table's rows call them (50 a page; 4 of a cold lot list's 14 ms went to the two):

    - `date` with a format given (not a setting's name) made of day, month and year letters only (and
      other characters): remembered per (day, format, language), since the same sale days recur on
      every page. Django formats a date or datetime's own fields (in Jinja no conversion to local
      time comes first), so a datetime's day is all such a format reads of it;
    - `truncatechars` of a text no longer than the limit: the text itself, NFC-normalised, which is
      what Django's Truncator returns when nothing needs cutting (it counts only non-combining
      characters, at most the text's length), without building the Truncator."""
    django_date, django_truncatechars = filters["date"], filters["truncatechars"]

    @lru_cache(maxsize=4096)
    def date_of_day(value: datetime.date, arg: str, language: str | None) -> str:
        return django_date(value, arg)

    def date(value, arg=None):
        if arg and not arg.endswith("_FORMAT") and not TIME_FORMAT_LETTERS.intersection(arg):
            if type(value) is datetime.date:
                return date_of_day(value, arg, get_language())
            if type(value) is datetime.datetime:
                return date_of_day(value.date(), arg, get_language())
        return django_date(value, arg)

    def truncatechars(value, arg):
        text = str(value)
        try:
            length = int(arg)
        except (TypeError, ValueError):
            return django_truncatechars(value, arg)
        normalized = unicodedata.normalize("NFC", text)
        if length <= 0 or len(normalized) > length:
            return django_truncatechars(value, arg)
        return mark_safe(normalized) if isinstance(text, SafeData) else normalized  # noqa: S308 - was safe

    return {"date": date, "truncatechars": truncatechars}


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, finalize=finalize, **options)
    env.globals.update({"url": url, "static": static, "display": display})
    filters = django_filters()
    env.filters.update({**filters, **shortcut_filters(filters)})
    return env


def render_fragment(name: str, context: dict) -> SafeString:
    """The Jinja2 template `name` (under templates/jinja2/) rendered with `context`, as markup that a
    Django template outputs unescaped (every value in it was escaped)."""
    return mark_safe(engines["jinja2"].get_template(name).render(context))  # noqa: S308 - escaped by the fragment
