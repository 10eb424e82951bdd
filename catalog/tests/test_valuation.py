"""A coin's value from its comparables: each rule, "not enough sales", the grade adjustment, manual
overrides, normalised prices (premium rules, currencies), the coin page's panel and its query count."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext

from auctions.models import AuctionHouse, AuctionLot, LotReference, Sale
from catalog.models import Coin, ManualValue
from catalog.templatetags.value_tags import evidence_rows
from catalog.tests.factories import (
    make_coin,
    make_denomination,
    make_issuer,
    make_lot,
    make_reference,
    make_sale,
)
from catalog.valuation import estimate as stats
from catalog.valuation.comparables import (
    MIN_COMPARABLES,
    RULE_ISSUER,
    RULE_TYPE_ANY,
    RULE_TYPE_GRADE,
    value_coin,
    value_coins,
)
from catalog.valuation.prices import normalised_price
from catalog.valuation.snapshots import coins_for_valuation
from numismatics.pricing import PremiumRule
from vocab.models import CoinType

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def coin_type():
    return CoinType.objects.create(
        uri="http://numismatics.org/ocre/id/ric.1(2).aug.207",
        corpus="ocre",
        label="RIC I (second edition) Augustus 207",
        catalogue="RIC",
        volume="I²",
        number="207",
    )


@pytest.fixture
def coin(coin_type):
    coin = make_coin(
        issuer=make_issuer("Augustus"),
        denomination=make_denomination("Denarius"),
        metal="silver",
        grade="VF",
        grade_band=70,
    )
    make_reference(coin, "RIC I 207", system="RIC", volume="I", number="207", type=coin_type)
    return coin


def eur_sale(number: str, day: dt.date, house: str = "Künker"):
    return make_sale(house, number, date=day)


def sold(
    n: int,
    *,
    hammer="1000",
    currency="EUR",
    band=70,
    day=dt.date(2025, 3, 3),
    type_=None,
    citation=None,
    premium=None,
    house="Künker",
    **fields,
):
    sale = eur_sale(f"S{n}", day, house)
    lot = make_lot(
        url=f"https://example.test/lot/{n}",
        sale=sale,
        house=sale.house,
        hammer_price=Decimal(hammer),
        currency=currency,
        status="sold",
        grade=f"band {band}",
        grade_band=band,
        buyers_premium_pct=premium,
        lot_number=str(n),
        **fields,
    )
    if type_ is not None or citation is not None:
        system, volume, number = citation or ("RIC", "I", "207")
        LotReference.objects.create(
            lot=lot, raw_text="RIC I 207", system=system, volume=volume, number=number, type=type_
        )
    return lot


def test_rule_one_same_type_similar_grade(coin, coin_type):
    for n, hammer in enumerate(("1000", "1100", "1200")):
        sold(n, hammer=hammer, band=70 + n, type_=coin_type, premium=Decimal("0"))
    sold(9, hammer="9000", band=90, type_=coin_type, premium=Decimal("0"))  # EF+: not similar
    valuation = value_coin(coin, today=TODAY)
    assert valuation.rule == RULE_TYPE_GRADE
    assert len(valuation.comparables) == 3
    assert valuation.estimate.median == Decimal("1100")
    assert valuation.estimate.low == Decimal("1000") and valuation.estimate.high == Decimal("1200")
    assert all(c.factor == 1 for c in valuation.comparables)
    assert valuation.method == "estimate"


def test_the_same_citation_counts_where_no_type_is_known(coin):
    for n in range(3):
        sold(n, citation=("RIC", "I", "207"), premium=Decimal("0"))
    assert value_coin(coin, today=TODAY).rule == RULE_TYPE_GRADE


def test_cf_citations_are_not_the_type(coin, coin_type):
    for n in range(3):
        lot = sold(n, premium=Decimal("0"))
        LotReference.objects.create(lot=lot, raw_text="cf. RIC I 207", type=coin_type, is_cf=True)
    assert value_coin(coin, today=TODAY).rule == ""


def test_rule_two_any_grade_adjusted_by_the_band_difference(coin, coin_type):
    sold(1, hammer="1000", band=80, type_=coin_type, premium=Decimal("0"))  # one grade better: / 1.5
    sold(2, hammer="1000", band=60, type_=coin_type, premium=Decimal("0"))  # one grade worse: * 1.5
    sold(3, hammer="1000", band=70, type_=coin_type, premium=Decimal("0"))
    sold(4, hammer="1000", band=100, type_=coin_type, premium=Decimal("0"))  # capped at two grades
    valuation = value_coin(coin, today=TODAY)
    assert valuation.rule == RULE_TYPE_ANY
    factors = {c.lot.grade_band: c.factor for c in valuation.comparables}
    assert factors[80] == Decimal(str(round(1 / 1.5, 4)))
    assert factors[60] == Decimal("1.5")
    assert factors[100] == Decimal(str(round(1.5**-2, 4)))
    adjusted = sorted(c.adjusted for c in valuation.comparables)
    assert adjusted[0] == Decimal("444.40") and adjusted[-1] == Decimal("1500.00")


def test_rule_three_issuer_denomination_and_metal(coin):
    for n in range(3):
        sold(
            n,
            hammer="300",
            issuer_text="augustus",
            denomination_text="Denarius",
            metal="silver",
            premium=Decimal("0"),
        )
    sold(7, issuer_text="Augustus", denomination_text="Denarius", metal="gold", premium=Decimal("0"))
    sold(8, issuer_text="Tiberius", denomination_text="Denarius", metal="silver", premium=Decimal("0"))
    valuation = value_coin(coin, today=TODAY)
    assert valuation.rule == RULE_ISSUER
    assert {c.lot.lot_number for c in valuation.comparables} == {"0", "1", "2"}
    assert valuation.estimate.median == Decimal("300")


def test_rule_three_reads_the_latest_sales_in_their_index_order(coin):
    """The issuer rule's query (catalog.valuation.comparables._named_lots) reads
    lot_sold_issuer_latest_idx (auctions 0013) in the order it keeps the lots, latest first: no sort
    of every sale of the issuer's denomination to keep the latest few."""
    sold(0, issuer_text="Augustus", denomination_text="Denarius", metal="silver")
    with CaptureQueriesContext(connection) as captured:
        value_coin(coin, today=TODAY)
    (sql,) = [q["sql"] for q in captured.captured_queries if 'LOWER("auctions_auctionlot"' in q["sql"]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # On a test database's few rows PostgreSQL would scan and sort whatever the indexes;
            # with both costed out, only an index in the query's order avoids a Sort node.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "lot_sold_issuer_latest_idx" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_not_enough_sales_gives_no_number(coin, coin_type):
    for n in range(MIN_COMPARABLES - 1):
        sold(n, type_=coin_type)
    sold(5, issuer_text="Augustus", denomination_text="Denarius", metal="silver")
    valuation = value_coin(coin, today=TODAY)
    assert valuation.estimate is None and valuation.method == "none"
    assert valuation.tried == [(RULE_TYPE_GRADE, 2), (RULE_TYPE_ANY, 2), (RULE_ISSUER, 1)]


def test_unsold_lots_and_the_coins_own_lots_do_not_count(coin, coin_type):
    for n in range(2):
        sold(n, type_=coin_type)
    sold(3, type_=coin_type, coin=coin, coin_role="acquisition")
    unsold = make_lot(url="https://example.test/unsold", status="unsold", currency="EUR")
    LotReference.objects.create(lot=unsold, raw_text="RIC I 207", type=coin_type)
    assert value_coin(coin, today=TODAY).estimate is None


def test_recent_sales_weigh_more():
    assert stats.recency_weight(TODAY, TODAY) == 1
    assert stats.recency_weight(TODAY - dt.timedelta(days=round(5 * 365.25)), TODAY) == pytest.approx(
        0.5, abs=1e-3
    )
    values = [(Decimal("100"), 1.0), (Decimal("200"), 0.1), (Decimal("300"), 0.1)]
    assert stats.estimate(values).median == Decimal("100")
    assert stats.estimate([(Decimal("100"), 1.0), (Decimal("200"), 1.0), (Decimal("300"), 1.0)]).median == 200


def test_recency_moves_the_estimate(coin, coin_type):
    sold(1, hammer="1000", day=dt.date(2025, 1, 10), type_=coin_type, premium=Decimal("0"))
    sold(2, hammer="1000", day=dt.date(2024, 1, 10), type_=coin_type, premium=Decimal("0"))
    sold(3, hammer="3000", day=dt.date(2005, 1, 10), type_=coin_type, premium=Decimal("0"))
    sold(4, hammer="3000", day=dt.date(2004, 1, 10), type_=coin_type, premium=Decimal("0"))
    valuation = value_coin(coin, today=TODAY)
    assert valuation.estimate.median == Decimal("1000")  # the two recent sales outweigh the two old
    assert valuation.first_sale == dt.date(2004, 1, 10) and valuation.last_sale == dt.date(2025, 1, 10)


def test_each_premium_rule_on_a_lot(settings):
    settings.COINSTACK_DEFAULT_PREMIUM_PCT = Decimal("18")
    stated = sold(1, premium=Decimal("15"))
    by_house = sold(2, house="CNG")
    AuctionHouse.objects.filter(name="CNG").update(usual_premium_pct=Decimal("20"))
    by_house.house.refresh_from_db()
    default = sold(3, house="Nomos")
    assert normalised_price(stated).premium.rule == PremiumRule.LOT
    assert normalised_price(stated).amount == Decimal("1150.00")
    assert normalised_price(by_house).premium.rule == PremiumRule.HOUSE
    assert normalised_price(by_house).amount == Decimal("1200.00")
    assert normalised_price(default).premium.rule == PremiumRule.DEFAULT
    assert normalised_price(default).amount == Decimal("1180.00")


def test_each_currency_converted_at_the_sale_date(settings):
    settings.COINSTACK_OWNER_CURRENCY = "EUR"
    day = dt.date(2020, 5, 4)
    usd = normalised_price(sold(1, currency="USD", day=day, premium=Decimal("20")))
    chf = normalised_price(sold(2, currency="CHF", day=day, premium=Decimal("20")))
    gbp = normalised_price(sold(3, currency="GBP", day=day, premium=Decimal("20")))
    # 1200 of each at the ECB's rates of 4 May 2020 (EUR 1 = USD 1.0942, CHF 1.0548, GBP 0.87898).
    assert usd.amount == (Decimal("1200") / Decimal("1.0942")).quantize(Decimal("0.01"))
    assert chf.amount == (Decimal("1200") / Decimal("1.0548")).quantize(Decimal("0.01"))
    assert gbp.amount == (Decimal("1200") / Decimal("0.87898")).quantize(Decimal("0.01"))
    assert (usd.hammer, usd.currency, usd.rate.on) == (Decimal("1000"), "USD", day)
    old = normalised_price(sold(4, currency="USD", day=dt.date(1996, 3, 1)))
    assert old.rate.on == dt.date(1999, 1, 4) and "1999" in old.rate.note


def test_the_owner_currency_is_a_setting(settings):
    settings.COINSTACK_OWNER_CURRENCY = "USD"
    price = normalised_price(sold(1, currency="EUR", day=dt.date(2020, 5, 4), premium=Decimal("0")))
    assert price.amount == Decimal("1094.20") and price.owner_currency == "USD"


def test_lots_that_cannot_be_normalised_say_why(coin, coin_type):
    for n in range(3):
        sold(n, type_=coin_type)
    sold(5, currency="", type_=coin_type)
    lot = sold(6, currency="XAU", type_=coin_type)
    valuation = value_coin(coin, today=TODAY)
    assert len(valuation.comparables) == 3
    reasons = {skipped.pk: why for skipped, why in valuation.skipped}
    assert "XAU" in reasons[lot.pk]
    assert any("currency is unknown" in why for _, why in valuation.skipped)


def test_a_manual_value_overrides_and_the_estimate_stays_beside_it(coin, coin_type, user_client):
    for n in range(3):
        sold(n, type_=coin_type, premium=Decimal("0"))
    ManualValue.objects.create(
        coin=coin, amount=Decimal("2500"), currency="CHF", note="Insurance schedule 2026"
    )
    valuation = value_coin(coin, today=TODAY)
    assert valuation.method == "manual"
    assert valuation.in_owner_currency(dt.date(2020, 5, 4))[0] == (
        Decimal("2500") / Decimal("1.0548")
    ).quantize(Decimal("0.01"))
    assert valuation.estimate.median == Decimal("1000")
    html = user_client.get(f"/coins/{coin.pk}/lots/").content.decode()
    assert "2,500 CHF" in html and "manual value" in html and "Insurance schedule 2026" in html
    assert "1,000 EUR" in html


def test_the_coin_page_shows_the_evidence(coin, coin_type, user_client):
    sold(1, currency="USD", hammer="1000", day=dt.date(2020, 5, 1), type_=coin_type, premium=Decimal("20"))
    sold(2, type_=coin_type, house="CNG")
    sold(3, type_=coin_type, premium=Decimal("15"))
    html = user_client.get(f"/coins/{coin.pk}/lots/").content.decode()
    panel = html[html.index('id="value"') :]
    panel = panel[: panel.index("</section>")]
    assert RULE_TYPE_GRADE in panel
    assert "<details" in panel and "The evidence: 3 comparable sales" in panel
    assert "1,000 USD" in panel and "1 May 2020" in panel and "of 30 Apr 2020" in panel
    assert "nearest earlier" in panel
    assert "the default premium" in panel and "the lot&#x27;s stated premium" in panel
    assert "CNG" in panel and "band 70" in panel
    assert len(re.findall(r'href="/auctions/\d+/"', panel)) == 3


def test_not_enough_sales_on_the_page_and_no_panel_for_visitors(coin, user_client, settings):
    html = user_client.get(f"/coins/{coin.pk}/lots/").content.decode()
    assert "Not enough sales" in html
    settings.COINSTACK_PUBLIC_BROWSING = True
    assert 'id="value"' not in Client().get(f"/coins/{coin.pk}/lots/").content.decode()


@pytest.mark.parametrize("lots", [3, 40])
def test_the_value_panel_costs_the_same_queries_whatever_the_comparables(
    coin, coin_type, user_client, django_assert_num_queries, lots
):
    for n in range(lots):
        sold(n, type_=coin_type, issuer_text="Augustus", denomination_text="Denarius", metal="silver")
    # The lots endpoint's pinned count less the lots of the coin's issuer, denomination and metal:
    # its type's sales value it.
    from catalog.tests.test_views_detail import LOTS_QUERIES

    with django_assert_num_queries(LOTS_QUERIES - 1):
        assert user_client.get(f"/coins/{coin.pk}/lots/").status_code == 200


def test_a_curator_sets_a_manual_value_in_the_coins_admin_form(coin, admin_client):
    form = {
        "inventory_number": "", "category": coin.category, "issuer": coin.issuer_id,
        "denomination": coin.denomination_id, "metal": "silver", "grading_state": "raw", "grade": "VF",
        "manual_values-TOTAL_FORMS": "1", "manual_values-INITIAL_FORMS": "0",
        "manual_values-0-amount": "1800", "manual_values-0-currency": "USD",
        "manual_values-0-valued_on": "2026-01-15", "manual_values-0-note": "Appraisal by a dealer",
        "references-TOTAL_FORMS": "0", "references-INITIAL_FORMS": "0",
    }  # fmt: skip
    for prefix in ("images", "provenance", "auction_lots", "series_memberships"):
        form.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = admin_client.post(f"/admin/catalog/coin/{coin.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    manual = ManualValue.objects.get(coin=coin)
    assert (manual.amount, manual.currency, manual.note) == (Decimal("1800"), "USD", "Appraisal by a dealer")
    form["manual_values-0-currency"] = "dollars"
    response = admin_client.post(f"/admin/catalog/coin/{coin.pk}/change/", form)
    assert "is not a three-letter currency code" in response.content.decode()


# --- the lots matched in SQL, the third rule read only when needed ---------------------------------


def test_another_volumes_citation_of_the_same_number_is_not_the_type(coin):
    for n in range(3):
        sold(n, citation=("RIC", "II", "207"), premium=Decimal("0"))  # RIC II 207, not RIC I 207
    assert value_coin(coin, today=TODAY).tried[:2] == [(RULE_TYPE_GRADE, 0), (RULE_TYPE_ANY, 0)]


def test_coins_valued_together_get_what_each_gets_alone(coin, coin_type):
    """A batch (snapshot, dossier) sorts its lots between the coins by their citations; past
    EXACT_CITATIONS_IN_SQL citations the query is a superset matched in Python. Same values."""
    other = make_coin(issuer=coin.issuer, denomination=coin.denomination, metal="silver", grade_band=80)
    make_reference(other, "RSC 43", system="RSC", number="43")
    for n in range(3):
        sold(n, hammer=str(1000 + 100 * n), type_=coin_type, premium=Decimal("0"))
        sold(10 + n, hammer=str(500 + 10 * n), band=80, citation=("RSC", "", "43"), premium=Decimal("0"))
    alone = {c.pk: value_coin(c, today=TODAY) for c in (coin, other)}
    for exact_limit in (64, 0):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("catalog.valuation.comparables.EXACT_CITATIONS_IN_SQL", exact_limit)
            together = value_coins(
                coins_for_valuation(Coin.objects.filter(pk__in=[coin.pk, other.pk])), today=TODAY
            )
        for pk, valuation in alone.items():
            assert together[pk].estimate == valuation.estimate
            assert together[pk].rule == valuation.rule == RULE_TYPE_GRADE
            assert sorted(c.lot.pk for c in together[pk].comparables) == sorted(
                c.lot.pk for c in valuation.comparables
            )


def test_the_issuer_rule_is_read_only_for_coins_the_type_cannot_value(
    coin, coin_type, django_assert_num_queries
):
    for n in range(3):
        sold(n, type_=coin_type, premium=Decimal("0"))
    coin = coins_for_valuation(Coin.objects.filter(pk=coin.pk)).get()
    with django_assert_num_queries(2):  # manual values, the lots of the type
        assert value_coin(coin, today=TODAY).rule == RULE_TYPE_GRADE
    coin.references.all().delete()
    coin = coins_for_valuation(Coin.objects.filter(pk=coin.pk)).get()
    with django_assert_num_queries(2):  # manual values, the lots of its issuer, denomination, metal
        assert value_coin(coin, today=TODAY).rule == ""


def test_lots_left_out_are_named_without_a_query_each(
    coin, coin_type, user_client, django_assert_num_queries
):
    for n in range(3):
        sold(n, type_=coin_type, premium=Decimal("0"))
    for n in range(5, 9):
        sold(n, currency="XAU", type_=coin_type)
    from catalog.tests.test_views_detail import LOTS_QUERIES

    with django_assert_num_queries(LOTS_QUERIES - 1):
        html = user_client.get(f"/coins/{coin.pk}/lots/").content.decode()
    assert html.count("The ECB publishes no reference rate for XAU") == 4


# --- the coin page's lots and value section, cached under the data versions ------------------------


def value_section(html: str) -> str:
    panel = html[html.index('id="value"') :]
    return panel[: panel.index("</section>")]


def test_a_revisit_reads_the_lots_and_value_from_the_cache(
    coin, coin_type, user_client, django_assert_num_queries
):
    for n in range(3):
        sold(n, type_=coin_type, premium=Decimal("0"))
    # The first visit's page leaves the section to the lots endpoint, which renders and caches it.
    assert 'class="coin-lots coin-lots-later"' in user_client.get(f"/coins/{coin.pk}/").content.decode()
    first = user_client.get(f"/coins/{coin.pk}/lots/").content.decode()
    from catalog.tests.test_views_detail import DETAIL_QUERIES, SECTION_QUERIES

    # The page again, with the section from the cache: less the list window and the section's
    # queries, and the images, provenance and series memberships this coin has none of (asked for
    # only when a coin has them: coinstack.prefetching).
    with django_assert_num_queries(DETAIL_QUERIES - 1 - SECTION_QUERIES - 3):
        again = user_client.get(f"/coins/{coin.pk}/").content.decode()
    assert first.lstrip().startswith('<div id="coin-lots" class="coin-lots">') and first.strip() in again
    assert "coin-lots-later" not in again
    assert "csrf" not in first.lower()


def test_the_cached_value_follows_every_write_it_reads(coin, coin_type, user_client):
    lots = [sold(n, hammer="1000", type_=coin_type, premium=Decimal("0")) for n in range(3)]
    assert "1,000 EUR" in value_section(user_client.get(f"/coins/{coin.pk}/lots/").content.decode())
    # A lot's price (the market).
    AuctionLot.objects.filter(pk__in=[lot.pk for lot in lots]).update(hammer_price=Decimal("2000"))
    assert "2,000 EUR" in value_section(user_client.get(f"/coins/{coin.pk}/lots/").content.decode())
    # A sale's date (the market, since catalog 0016).
    Sale.objects.filter(pk=lots[0].sale_id).update(date=dt.date(2019, 7, 1))
    assert "1 Jul 2019" in value_section(user_client.get(f"/coins/{coin.pk}/lots/").content.decode())
    # A manual value (the collection, since catalog 0016).
    ManualValue.objects.create(coin=coin, amount=Decimal("2500"), currency="CHF")
    assert "2,500 CHF" in value_section(user_client.get(f"/coins/{coin.pk}/lots/").content.decode())
    ManualValue.objects.filter(coin=coin).update(amount=Decimal("2600"))
    assert "2,600 CHF" in value_section(user_client.get(f"/coins/{coin.pk}/lots/").content.decode())
    # The coin's grade (the collection): the similar-grade rule no longer finds the sales.
    Coin.objects.filter(pk=coin.pk).update(grade_band=90)
    assert RULE_TYPE_ANY in value_section(user_client.get(f"/coins/{coin.pk}/lots/").content.decode())


def test_the_cached_section_is_not_shared_between_the_owner_and_visitors(
    coin, coin_type, user_client, settings
):
    for n in range(3):
        sold(n, type_=coin_type, premium=Decimal("0"))
    assert 'id="value"' in user_client.get(f"/coins/{coin.pk}/lots/").content.decode()
    settings.COINSTACK_PUBLIC_BROWSING = True
    assert 'id="value"' not in Client().get(f"/coins/{coin.pk}/lots/").content.decode()


def test_the_cached_value_follows_the_owners_currency(coin, coin_type, user_client, settings):
    for n in range(3):
        sold(n, hammer="1000", day=dt.date(2020, 5, 4), type_=coin_type, premium=Decimal("0"))
    assert "1,000 EUR" in value_section(user_client.get(f"/coins/{coin.pk}/lots/").content.decode())
    settings.COINSTACK_OWNER_CURRENCY = "USD"
    assert "1,094 USD" in value_section(user_client.get(f"/coins/{coin.pk}/lots/").content.decode())


# --- the evidence table's rows, written in Python ---------------------------------------------------

# The rows as _coin_value.html wrote them before value_tags.evidence_rows: the reference.
TEMPLATE_ROWS = """{% load coin_tags value_tags %}{% for item in valuation.comparables %}
          <tr>
            <td><a href="{% url 'auctions:lot_detail' item.lot.pk %}">{{ item.lot.house.name|default:"Unknown house" }}{% if item.lot.sale %}, {{ item.lot.sale.name|default:item.lot.sale.number }}{% endif %}{% if item.lot.lot_number %}, lot {{ item.lot.lot_number }}{% endif %}</a></td>
            <td>{{ item.price.sale_date|date:"j M Y" }}</td>
            <td class="num">{{ item.price.hammer|money:item.price.currency }}</td>
            <td>{{ item.price.premium.percent|percent }} <span class="muted">({{ item.price.premium.label }})</span> = {{ item.price.with_premium|money:item.price.currency }}</td>
            <td>{% if item.price.rate.is_identity %}—{% else %}{{ item.price.rate.rate.normalize }} <span class="muted">of {{ item.price.rate.on|date:"j M Y" }}</span>{% if item.price.rate.note %}<br><span class="rate-note">{{ item.price.rate.note }}</span>{% endif %}{% endif %}</td>
            <td class="num">{{ item.price.amount|money:valuation.currency }}</td>
            <td>{{ item.lot.grade|default:"—" }}</td>
            <td class="num">{% if item.factor != 1 %}× {{ item.factor.normalize }} for grade = {% endif %}{{ item.adjusted|money:valuation.currency }}</td>
          </tr>
        {% endfor %}"""  # noqa: E501


def test_the_evidence_rows_are_the_templates_rows(coin, coin_type):
    """Every kind of cell: another currency on a day without a rate (a note), the owner's currency
    (no rate), grade factors, a lot without a house name, sale name or lot number, markup in a grade."""
    sold(
        1, currency="USD", hammer="1234.5", day=dt.date(2020, 5, 2), type_=coin_type, premium=Decimal("17.5")
    )
    sold(2, currency="GBP", band=90, day=dt.date(1996, 3, 1), type_=coin_type, house="CNG")
    sold(3, hammer="20000", band=50, type_=coin_type, premium=Decimal("0"))
    odd = sold(4, band=80, type_=coin_type, premium=Decimal("20"), house="Nomos")
    AuctionLot.objects.filter(pk=odd.pk).update(lot_number="", grade="<b>EF</b> & more")
    Sale.objects.filter(pk=odd.sale_id).update(name="")
    AuctionHouse.objects.filter(pk=odd.house_id).update(name="")
    coin = coins_for_valuation(Coin.objects.filter(pk=coin.pk)).get()
    valuation = value_coin(coin, today=TODAY)
    assert valuation.rule == RULE_TYPE_ANY and len(valuation.comparables) == 4
    expected = Template(TEMPLATE_ROWS).render(Context({"valuation": valuation}))
    assert evidence_rows(valuation) == expected
    assert "&lt;b&gt;EF&lt;/b&gt; &amp; more" in expected and "Unknown house" in expected
    assert "nearest earlier" in expected and "× 2.25 for grade" in expected and "Künker, S3" in expected
