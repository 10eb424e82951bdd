"""Coins as list markup: cards (the grid, the home page) and table rows, rendered by the Jinja2
fragments (coinstack/jinja2.py says why). One place for both, used by the listing engine (which
caches a page's markup under the data version) and by the `coin_cards` template tag."""

from django.utils.safestring import SafeString

from coinstack.jinja2 import render_fragment


def coin_cards_markup(coins, from_query: str | None = None, start: int = 0) -> SafeString:
    """The cards of `coins`. In a list, `from_query` and `start` (the first coin's position) let
    each coin page step to its neighbours; outside one (from_query None) the links are plain."""
    return render_fragment(
        "catalog/coin_cards.jinja", {"coins": coins, "from_query": from_query, "start": start}
    )


def coin_rows_markup(coins, from_query: str, start: int = 0, *, show_private: bool = False) -> SafeString:
    """The coin table's rows; the owner's columns (price paid) when `show_private`."""
    return render_fragment(
        "catalog/coin_rows.jinja",
        {"coins": coins, "from_query": from_query, "start": start, "show_private": show_private},
    )
