"""The Jinja2 fragments (coinstack/jinja2.py): escaped exactly as Django escapes, through every card,
table row and facet option, and the same markup a Django template gives for the same values."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.utils.safestring import SafeData, mark_safe

from auctions.models import AuctionLot
from catalog.models import Coin
from catalog.tests.factories import make_coin, make_denomination, make_image, make_issuer
from coinstack.jinja2 import display, finalize, render_fragment

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & \"Sons\""
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Sons&quot;"


@pytest.fixture
def owner_client(client):
    client.force_login(User.objects.create_superuser("owner", password="not-used-here"))
    return client


@pytest.fixture
def hostile_coin():
    coin = make_coin(
        inventory_number="<b>7</b>",
        issuer=make_issuer(HOSTILE),
        denomination=make_denomination("Den'arius"),
        grade='Choice VF "toned" <i>',
        acquisition_price=Decimal("1200"),
        acquisition_currency="EUR",
    )
    make_image(coin, is_primary=True, source_url='https://images.example/a.jpg?x=1&y="2"')
    return coin


def test_finalize_escapes_as_django_and_keeps_safe_markup():
    assert finalize(HOSTILE) == Template("{{ value }}").render(Context({"value": HOSTILE}))
    assert finalize(HOSTILE) == ESCAPED
    assert finalize(mark_safe("<em>kept</em>")) == "<em>kept</em>"
    assert finalize(None) == Template("{{ value }}").render(Context({"value": None}))
    assert finalize(12) == "12"


@pytest.mark.parametrize("view", ["grid", "table"])
def test_cards_and_rows_escape_every_value(owner_client, hostile_coin, view):
    html = owner_client.get(f"/coins/?view={view}&q=").content.decode()
    assert "<script>alert" not in html
    assert ESCAPED in html
    assert "<b>7</b>" not in html and "&lt;b&gt;7&lt;/b&gt;" in html
    assert "Den&#x27;arius" in html
    assert "a.jpg?x=1&amp;y=&quot;2&quot;" in html
    if view == "table":
        assert "1,200 EUR" in html  # the owner's column, through the money filter


def test_facet_options_escape_labels(owner_client, hostile_coin):
    html = owner_client.get("/coins/").content.decode()
    assert f'<span class="facet-label">{ESCAPED}</span>' in html


# The facet loop as the coin list's Django template wrote it before it moved to the fragment.
DJANGO_FACETS = (
    "{% for facet in facets %}{% if facet.options %}\n"
    '    <fieldset class="facet facet-{{ facet.name }}">\n'
    "      <legend>{{ facet.label }}</legend>\n"
    "      <ul>\n"
    "        {% for option in facet.options %}\n"
    '          <li><label><input type="checkbox" name="{{ facet.name }}" value="{{ option.value }}"'
    "{% if option.checked %} checked{% endif %}> "
    '<span class="facet-label">{{ option.label }}</span> <span class="count">{{ option.count }}</span>'
    "</label></li>\n"
    "        {% endfor %}\n"
    "      </ul>\n"
    '      {% if facet.more %}<p class="facet-more">and {{ facet.more }} more: use the search box</p>'
    "{% endif %}\n"
    "    </fieldset>\n"
    "  {% endif %}{% endfor %}"
)


def _markup(html: str) -> str:
    """Markup without the layout whitespace between tags."""
    return re.sub(r">\s+<", "><", html.strip())


def test_a_fragment_writes_what_the_django_template_wrote():
    facets = [
        {
            "name": "issuer",
            "label": "Issuer",
            "options": [
                {"value": "3", "label": HOSTILE, "count": 12, "checked": True},
                {"value": "4", "label": "Hadrian", "count": 1234, "checked": False},
            ],
            "more": 2,
        },
        {"name": "mint", "label": "Mint", "options": [], "more": 0},
    ]
    django_markup = Template(DJANGO_FACETS).render(Context({"facets": facets}))
    fragment = render_fragment("includes/facet_options.jinja", {"facets": facets})
    assert _markup(fragment) == _markup(django_markup)


def test_lot_rows_escape_every_value_and_follow_a_write(owner_client):
    from auctions.models import AuctionLot
    from catalog.tests.factories import make_lot, make_sale

    sale = make_sale("Roma & <Sons>", "27")
    lot = make_lot(title=HOSTILE, sale=sale, house=sale.house, hammer_price=Decimal("1500"), currency="GBP")
    html = owner_client.get("/auctions/").content.decode()
    assert "<script>alert" not in html and ESCAPED in html
    assert "Roma &amp; &lt;Sons&gt;" in html and "1,500 GBP" in html
    assert f'href="/auctions/{lot.pk}/"' in html
    # The rows are cached under the market's data version: a title changed by update() shows at once.
    AuctionLot.objects.filter(pk=lot.pk).update(title="Hadrian denarius")
    assert ">Hadrian denarius</a>" in owner_client.get("/auctions/").content.decode()


# The lot table's row loop as the Django template wrote it before it moved to the fragment.
DJANGO_LOT_ROWS = (
    "{% load coin_tags %}{% for lot in lots %}<tr>"
    '<td>{{ lot.closing_date|date:"Y-m-d"|default:"—" }}</td>'
    '<td>{{ lot.sale|default:lot.house|default:"" }}</td>'
    "<td>{{ lot.lot_number }}</td>"
    '<td><a href="{% url "auctions:lot_detail" lot.pk %}">'
    "{{ lot.title|default:lot.url|truncatechars:90 }}</a></td>"
    "{% if show_role %}<td>{{ lot.get_coin_role_display }}</td>{% endif %}"
    '<td class="num">{% if lot.estimate_low is not None %}{{ lot.estimate_low|money:lot.currency }}'
    "{% if lot.estimate_high is not None and lot.estimate_high != lot.estimate_low %} – "
    "{{ lot.estimate_high|money:lot.currency }}{% endif %}{% endif %}</td>"
    '<td class="num">{% if lot.hammer_price is not None %}{{ lot.hammer_price|money:lot.currency }}'
    '{% else %}<span class="muted">{{ lot.get_status_display }}</span>{% endif %}</td>'
    "</tr>{% endfor %}"
)


@pytest.mark.parametrize("show_role", [True, False])
def test_lot_table_rows_write_what_the_django_template_wrote(show_role):
    from datetime import UTC, datetime

    from catalog.tests.factories import make_lot, make_sale

    sale = make_sale("Leu & <Co>", "90")
    lots = [
        make_lot(url="https://example.test/a", title=HOSTILE, sale=sale, house=sale.house, lot_number="12",
                 closing_date=datetime(2024, 5, 2, 12, tzinfo=UTC), estimate_low=Decimal("800"),
                 estimate_high=Decimal("1200"), currency="CHF", status="unsold"),
        make_lot(url="https://example.test/b", title="", hammer_price=Decimal("75.5"), currency="EUR",
                 estimate_low=Decimal("100"), estimate_high=Decimal("100"), status="sold"),
    ]  # fmt: skip
    context = {"lots": lots, "show_role": show_role}
    django_markup = Template(DJANGO_LOT_ROWS).render(Context(context))
    fragment = render_fragment("auctions/lot_table_rows.jinja", context)
    assert _markup(fragment) == _markup(django_markup)
    assert ESCAPED in fragment and "800 CHF – 1,200 CHF" in fragment and "—" in fragment


def test_a_facet_panel_is_rendered_once_per_content(monkeypatch):
    """facet_options remembers a panel's markup by the panel's whole content: the same panel again
    is not rendered again, a changed count or checkbox is, and only so many panels are kept."""
    from catalog.templatetags import coin_tags

    rendered = []

    def counting(name, context):
        rendered.append(name)
        return render_fragment(name, context)

    monkeypatch.setattr(coin_tags, "render_fragment", counting)
    monkeypatch.setattr(coin_tags, "_facet_panels", type(coin_tags._facet_panels)())

    def panel(count: int, checked: bool = False) -> list[dict]:
        option = {"value": "3", "label": "Trajan", "count": count, "checked": checked}
        return [{"name": "issuer", "label": "Issuer", "options": [option], "more": 0}]

    first = coin_tags.facet_options(panel(12))
    assert coin_tags.facet_options(panel(12)) == first and len(rendered) == 1
    assert ">13<" in coin_tags.facet_options(panel(13)) and len(rendered) == 2
    assert " checked" in coin_tags.facet_options(panel(12, checked=True)) and " checked" not in first
    for count in range(coin_tags._FACET_PANELS_REMEMBERED + 10):
        coin_tags.facet_options(panel(1000 + count))
    assert len(coin_tags._facet_panels) == coin_tags._FACET_PANELS_REMEMBERED


TEXTS = [
    "",
    "Hadrian",
    "x" * 140,
    "x" * 141,
    "e\u0301" * 100,  # decomposed accents: 200 code points, 100 characters as Django counts them
    "é" * 140 + "e\u0301",
    "Ἀντωνῖνος Σεβαστός " * 9,
    mark_safe("<b>safe</b> text"),
    mark_safe("<b>safe</b> text " * 20),  # noqa: S308 - a constant
    12345,
    None,
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("limit", [140, 18, 1, 0, -3, "x", "40"])
def test_the_truncatechars_shortcut_returns_what_django_returns(text, limit):
    from django.template.defaultfilters import truncatechars

    from coinstack.jinja2 import django_filters, shortcut_filters

    fast = shortcut_filters(django_filters())["truncatechars"](text, limit)
    slow = truncatechars(text, limit)
    assert fast == slow
    assert isinstance(fast, SafeData) == isinstance(slow, SafeData)


@pytest.mark.parametrize("language", ["en-us", "de", "fr"])
def test_the_date_shortcut_returns_what_django_returns(language):
    import datetime

    from django.template.defaultfilters import date as django_date
    from django.utils import timezone, translation

    from coinstack.jinja2 import django_filters, shortcut_filters

    fast = shortcut_filters(django_filters())["date"]
    moment = timezone.make_aware(datetime.datetime(2024, 3, 9, 23, 30))
    elsewhere = datetime.datetime(2024, 3, 9, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=5)))
    naive = datetime.datetime(2020, 2, 29, 0, 5)
    values = [datetime.date(2021, 1, 31), datetime.date(1999, 12, 1), moment, elsewhere, naive, None, ""]
    formats = (
        "j M Y",
        "Y-m-d",
        "DATE_FORMAT",
        None,
        "N j, Y",
        "D, d F Y l W o L t",
        "j M Y H:i",
        "c",
        "e T O",
    )

    def outcome(date_filter, value, arg):
        try:
            return date_filter(value, arg)
        except TypeError as error:  # Django refuses a time letter for a date: both must
            return repr(error)

    with translation.override(language):
        for value in values:
            for arg in formats:
                expected = outcome(django_date, value, arg)
                assert outcome(fast, value, arg) == expected, (value, arg)
                assert outcome(fast, value, arg) == expected  # remembered: the same again


# /stats/'s counts and spending as the Django templates wrote them before they moved to fragments
# (a bar chart, the completeness chart, and the spending table), for values a collection gives.
DJANGO_BAR_CHART = (
    '{% load humanize %}{% if bars %}<figure class="chart"><figcaption>{{ title }}</figcaption>'
    '<ul class="bar-list">{% for bar in bars %}<li><span class="bar-label">'
    '{% if link_base and bar.query %}<a href="{{ link_base }}?{{ bar.query }}">{{ bar.label }}</a>'
    "{% else %}{{ bar.label }}{% endif %}</span>"
    '<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
    'aria-label="{{ bar.label }}: {{ bar.value }}"><rect x="0" y="0" '
    'width="{{ bar.percent|stringformat:\'.1f\' }}" height="10" class="bar-fill"></rect></svg>'
    '<span class="bar-value">{{ bar.value|intcomma }}</span></li>{% endfor %}</ul></figure>{% endif %}'
)
DJANGO_SPENDING_ROWS = (
    '{% load coin_tags %}{% for row in spending %}<tr><th scope="row">{{ row.year }}</th>'
    '<td class="num">{{ row.count }}</td><td class="chart-col"><svg class="bar" viewBox="0 0 100 10" '
    'preserveAspectRatio="none" role="img" aria-label="{{ row.count }} coins"><rect x="0" y="0" '
    'width="{{ row.percent|stringformat:\'.1f\' }}" height="10" class="bar-fill"></rect></svg></td>'
    '<td>{% for item in row.currencies %}<span class="per-currency">{% if item.spent is not None %}'
    "{{ item.spent|money:item.currency }}{% else %}no price{% endif %}"
    "{% if not item.currency and item.spent is not None %} (currency unknown){% endif %} "
    '<span class="muted">· {{ item.count }} coin{{ item.count|pluralize }}</span></span>{% endfor %}'
    "</td></tr>{% endfor %}"
)


def test_the_stats_fragments_write_what_the_django_templates_wrote():
    bars = [
        {"label": HOSTILE, "value": 12345, "percent": 100.0, "query": "issuer=3&metal=silver"},
        {"label": "Hadrian", "value": 7, "percent": 0.05, "query": ""},
    ]
    spending = [
        {
            "year": 2021,
            "count": 3,
            "percent": 33.333,
            "currencies": [
                {"currency": "EUR", "spent": Decimal("1234.50"), "count": 2},
                {"currency": "", "spent": Decimal("10"), "count": 1},
                {"currency": "USD", "spent": None, "count": 1},
            ],
        }
    ]
    context = {
        "by_category": [],
        "by_metal": [],
        "by_issuer": bars,
        "by_mint": [],
        "by_century": [],
        "completeness": {"total": 0, "items": []},
        "spending": spending,
    }
    counts = _markup(render_fragment("catalog/stats_counts.jinja", context))
    chart = Template(DJANGO_BAR_CHART).render(
        Context({"bars": bars, "title": "Top issuers", "link_base": "/coins/"})
    )
    assert _markup(chart) in counts
    assert ESCAPED in counts and "<script>alert" not in counts
    rows = Template(DJANGO_SPENDING_ROWS).render(Context({"spending": spending}))
    assert _markup(rows) in _markup(render_fragment("catalog/stats_spending.jinja", context))
    assert "1,234.50 EUR" in rows and "(currency unknown)" in rows and "no price" in rows
    # A visitor's statistics carry no spending: no section at all.
    del context["spending"]
    assert render_fragment("catalog/stats_spending.jinja", context).strip() == ""


def test_display_is_the_fields_own_label_for_every_value():
    """display(instance, name) returns what get_<name>_display() returns: every choice's label, an
    empty value, and a value that is not among the choices (kept as it is)."""
    fields = ((Coin, "metal"), (Coin, "category"), (AuctionLot, "status"), (AuctionLot, "coin_role"))
    for model, name in fields:
        field = model._meta.get_field(name)
        for value in [value for value, _label in field.flatchoices] + ["", "not-a-choice"]:
            instance = model(**{field.attname: value})
            assert display(instance, name) == getattr(instance, f"get_{name}_display")(), (model, name, value)
