"""Template helpers for the browsing pages: query-string building, money, safe lot descriptions."""

import threading
from collections import OrderedDict
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

from django import template
from django.http import QueryDict
from django.utils.html import format_html

from catalog.cards import coin_cards_markup
from coinstack.jinja2 import render_fragment
from numismatics.years import format_year_range

register = template.Library()


@register.simple_tag
def query_with(query: str, **changes) -> str:
    """`query` (an urlencoded string) with some parameters replaced; a value of None removes one."""
    params = QueryDict(query, mutable=True)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return params.urlencode()


@register.simple_tag
def urlencode_pairs(**pairs) -> str:
    return urlencode({key: value for key, value in pairs.items() if value not in (None, "")})


@register.filter
def money(amount: Decimal | None, currency: str = "") -> str:
    """12500 + "USD" -> "12,500 USD"; cents only when there are any. Empty when unknown."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    text = f"{amount:,.2f}" if amount != amount.to_integral_value() else f"{amount:,.0f}"
    return f"{text} {currency}".strip()


@register.filter
def grams(value: Decimal | None) -> str:
    return "" if value is None else f"{Decimal(value).normalize():f} g"


@register.filter
def millimetres(value: Decimal | None) -> str:
    return "" if value is None else f"{Decimal(value).normalize():f} mm"


@register.filter
def die_axis(value: int | None) -> str:
    return "" if value is None else f"{value}h"


@register.simple_tag
def external_link(url: str, text: str = "") -> str:
    """A link off the site: it opens nothing with our window handle and passes no referrer.

    Only http(s) addresses become links: a scraped or imported "javascript:" URL is shown as text.
    """
    if not url:
        return ""
    if urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        return format_html("{}", text or url)
    return format_html(
        '<a href="{}" rel="noopener noreferrer nofollow" class="external">{}</a>', url, text or url
    )


@register.simple_tag
def year_range(start: int | None, end: int | None, circa: bool = False) -> str:
    """Signed years as collectors write them: (-27, 14) -> "27 BC-AD 14"."""
    return format_year_range(start, end, circa)


@register.filter
def http_url(url: str | None) -> str:
    """`url` when it is an http(s) address (or a path on this site), else "": for href/src of
    scraped or imported addresses, which no form validated."""
    if not url:
        return ""
    url = str(url).strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    return url if urlsplit(url).scheme.lower() in ("http", "https") else ""


@register.filter
@register.simple_tag
def dated(coin) -> str:
    """A coin's date in a list or a card: its striking date as is, or, failing that, its issuer's
    reign marked as such ("reign AD 117-138"), so a reign is never read as a striking date.
    A tag for Django templates ({% dated coin %}) and a filter for the Jinja2 fragments ({{ coin|dated }})."""
    dating = coin.dating
    if dating.kind == "reign":
        return format_html('<span class="dating-reign">reign {}</span>', dating.text)
    return dating.text


@register.simple_tag
def coin_cards(coins) -> str:
    """Cards of coins outside a list (the home page); a list's page renders its own (catalog.listing)."""
    return coin_cards_markup(coins)


@register.simple_tag
def facet_options(facets) -> str:
    """A list's facet fieldsets (the coin list's and the lot list's; a few hundred options)."""
    # The markup is a function of the facets alone (names, labels, counts, checked): rendered once
    # per panel and process. About 1.4 ms for 140 options, a quarter of a list page served from the
    # data-version cache; writing out the panel as a key costs a tenth of that.
    return _facet_markup(repr(facets), facets)


_FACET_PANELS_REMEMBERED = 256
_facet_panels: OrderedDict[str, str] = OrderedDict()
_facet_panels_lock = threading.Lock()  # runserver serves requests in threads


def _facet_markup(key: str, facets) -> str:
    with _facet_panels_lock:
        markup = _facet_panels.get(key)
    if markup is None:
        markup = render_fragment("includes/facet_options.jinja", {"facets": facets})
        with _facet_panels_lock:
            _facet_panels[key] = markup
            if len(_facet_panels) > _FACET_PANELS_REMEMBERED:
                _facet_panels.popitem(last=False)  # the oldest
    return markup


@register.simple_tag
def lot_table_rows(lots, show_role: bool = False) -> str:
    """A lot table's rows (auctions/includes/lot_table.html; a coin page lists up to a few hundred)."""
    return render_fragment("auctions/lot_table_rows.jinja", {"lots": lots, "show_role": bool(show_role)})
