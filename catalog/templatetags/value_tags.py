"""Values where they are drawn, so the pages' views need no change: `{% coin_valuation coin as v %}`
for the coin page's panel (templates/catalog/_coin_value.html; at most three queries whatever the
number of comparables) with `{% evidence_rows v %}` for its table, and `{% collection_value as v %}`
for /stats/ (templates/catalog/_stats_value.html)."""

from django import template
from django.template.defaultfilters import date
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from catalog.templatetags.coin_tags import money
from catalog.valuation.collection import collection_value as compute_collection_value
from catalog.valuation.comparables import value_coin
from coinstack.reversing import cached_reverse

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


# One row of the evidence table, with the whitespace the template's loop wrote.
EVIDENCE_ROW = (
    "\n          <tr>"
    '\n            <td><a href="{}">{}</a></td>'
    "\n            <td>{}</td>"
    '\n            <td class="num">{}</td>'
    '\n            <td>{} <span class="muted">({})</span> = {}</td>'
    "\n            <td>{}</td>"
    '\n            <td class="num">{}</td>'
    "\n            <td>{}</td>"
    '\n            <td class="num">{}</td>'
    "\n          </tr>\n        "
)


@register.simple_tag
def evidence_rows(valuation) -> str:
    """The rows of the value panel's evidence table, written here rather than in the template: the
    template language spent about 2 ms on a panel's 30 rows (some fifteen variables each) on the
    coin page's path right after a write. The same markup, filters (date, money, percent) and
    number formatting (localize) as the template's cells had; a test compares the two."""
    currency = valuation.currency
    rows = []
    for item in valuation.comparables:
        lot, price = item.lot, item.price
        name = (lot.house.name if lot.house_id else "") or "Unknown house"
        if lot.sale_id:
            name = format_html("{}, {}", name, lot.sale.name or lot.sale.number)
        if lot.lot_number:
            name = format_html("{}, lot {}", name, lot.lot_number)
        rate = "—"
        if not price.rate.is_identity:
            rate = format_html(
                '{} <span class="muted">of {}</span>',
                localize(price.rate.rate.normalize()),
                date(price.rate.on, "j M Y"),
            )
            if price.rate.note:
                rate = format_html('{}<br><span class="rate-note">{}</span>', rate, price.rate.note)
        counted = money(item.adjusted, currency)
        if item.factor != 1:
            counted = format_html("× {} for grade = {}", localize(item.factor.normalize()), counted)
        rows.append(
            format_html(
                EVIDENCE_ROW,
                cached_reverse("auctions:lot_detail", lot.pk),
                name,
                date(price.sale_date, "j M Y"),
                money(price.hammer, price.currency),
                percent(price.premium.percent),
                price.premium.label,
                money(price.with_premium, price.currency),
                rate,
                money(price.amount, currency),
                lot.grade or "—",
                counted,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every piece went through format_html
