"""Values where they are drawn, so the pages' views need no change: `{% coin_valuation coin as v %}`
for the coin page's panel (templates/catalog/_coin_value.html; four queries whatever the number of
comparables) and `{% collection_value as v %}` for /stats/ (templates/catalog/_stats_value.html)."""

from django import template

from catalog.valuation.collection import collection_value as compute_collection_value
from catalog.valuation.comparables import value_coin

register = template.Library()


@register.simple_tag
def coin_valuation(coin):
    return value_coin(coin)


@register.simple_tag
def collection_value():
    return compute_collection_value()


@register.filter
def percent(value) -> str:
    """Decimal("17.50") -> "17.5 %"."""
    if value is None:
        return ""
    return f"{value.normalize():f} %"
