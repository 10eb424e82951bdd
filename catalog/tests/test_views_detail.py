"""A coin's page, home, series and statistics: content, privacy, navigation, query counts."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from auctions.models import LotReference
from catalog.models import ProvenanceEvent, SeriesMembership
from catalog.tests.factories import (
    make_coin,
    make_denomination,
    make_image,
    make_issuer,
    make_lot,
    make_mint,
    make_reference,
    make_sale,
    make_series,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coin():
    augustus = make_issuer("Augustus", nomisma_id="augustus")
    coin = make_coin(
        inventory_number="A-1",
        issuer=augustus,
        mint=make_mint("Lugdunum", nomisma_id="lugdunum"),
        denomination=make_denomination("Denarius"),
        year_start=-2,
        year_end=4,
        obverse_legend="CAESAR AVGVSTVS DIVI F PATER PATRIAE",
        obverse_description="Laureate head right",
        reverse_legend="AVGVSTI F COS DESIG PRINC IVVENT",
        reverse_description="Gaius and Lucius standing facing",
        grade="Good VF",
        acquisition_price=Decimal("1250.00"),
        acquisition_currency="USD",
        acquisition_source="Heritage",
        acquisition_date=date(2022, 5, 4),
        storage_location="Velv2-5-1",
        notes="Secret note about the seller",
    )
    make_image(coin, is_primary=True, source_url="https://images.example/primary.jpg")
    make_image(coin, kind="reverse", source_url="https://images.example/reverse.jpg")
    make_reference(
        coin,
        raw_text="RIC I 207",
        system="RIC",
        volume="I",
        number="207",
        type_uri="http://numismatics.org/ocre/id/ric.1(2).aug.207",
    )
    make_reference(coin, raw_text="RSC 43", system="RSC", number="43", position=1)
    ProvenanceEvent.objects.create(coin=coin, kind="collection", name="Peh Family Collection", order=0)
    ProvenanceEvent.objects.create(
        coin=coin,
        kind="auction",
        name="Heritage",
        sale="3011",
        lot="173",
        order=1,
        hammer=Decimal("900"),
        currency="USD",
    )
    return coin


def test_detail_groups_every_field(user_client, coin):
    html = user_client.get(f"/coins/{coin.pk}/").content.decode()
    for heading in (
        "Attribution",
        "Physical",
        "Design",
        "References",
        "Condition",
        "Acquisition",
        "Custody",
        "Provenance",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "2 BC-AD 4" in html
    assert "CAESAR AVGVSTVS DIVI F PATER PATRIAE" in html
    assert "3.82 g" in html and "6h" in html
    assert 'href="http://nomisma.org/id/augustus" rel="noopener noreferrer nofollow"' in html
    # The reference links to its type URI; the primary image is large, the other links to full size.
    assert 'href="http://numismatics.org/ocre/id/ric.1(2).aug.207" rel="noopener noreferrer nofollow"' in html
    assert '<img src="https://images.example/primary.jpg"' in html
    assert '<a href="https://images.example/reverse.jpg">' in html
    # Provenance is a timeline in its order.
    assert html.index("Peh Family Collection") < html.index("Heritage, 3011, lot 173")


def test_private_fields_only_for_the_collector(user_client, settings, coin):
    private_bits = ("1,250 USD", "Velv2-5-1", "Secret note", "900 USD")
    html = user_client.get(f"/coins/{coin.pk}/").content.decode()
    assert all(bit in html for bit in private_bits)
    settings.COINSTACK_PUBLIC_BROWSING = True
    html = Client().get(f"/coins/{coin.pk}/").content.decode()
    assert "CAESAR AVGVSTVS" in html
    for bit in private_bits:
        assert bit not in html


def test_linked_and_comparable_lots(user_client, coin):
    sale = make_sale("Roma Numismatics", "27", name="Auction XXVII")
    bought = make_lot(
        url="https://example.test/lot/1",
        coin=coin,
        coin_role="acquisition",
        sale=sale,
        house=sale.house,
        title="Augustus denarius, the one bought",
        hammer_price=Decimal("1000"),
        currency="USD",
        status="sold",
    )
    same_type = make_lot(
        url="https://example.test/lot/2",
        title="Another Augustus, Gaius and Lucius",
        hammer_price=Decimal("820"),
        currency="CHF",
        status="sold",
        closing_date=datetime(2023, 1, 5, tzinfo=UTC),
    )
    LotReference.objects.create(lot=same_type, raw_text="RIC I 207", system="RIC", volume="I", number="207")
    other_type = make_lot(url="https://example.test/lot/3", title="Augustus, a different type")
    LotReference.objects.create(lot=other_type, raw_text="RIC I 208", system="RIC", volume="I", number="208")
    near = make_lot(url="https://example.test/lot/4", title="Near match only")
    LotReference.objects.create(
        lot=near, raw_text="cf. RIC I 207", system="RIC", volume="I", number="207", is_cf=True
    )

    html = user_client.get(f"/coins/{coin.pk}/lots/").content.decode()
    linked = html[html.index("Auction lots of this coin") : html.index("Comparable lots")]
    comparable = html[html.index("Comparable lots") :]
    assert bought.title in linked and "Where it was bought" in linked
    assert same_type.title in comparable
    assert "820 CHF" in comparable  # in its own currency
    assert other_type.title not in html
    assert near.title not in html
    assert bought.title not in comparable


def test_provenance_links_its_lot_or_its_source(user_client, coin):
    lot = make_lot(url="https://example.test/lots/77", coin=coin, coin_role="provenance")
    ProvenanceEvent.objects.create(coin=coin, kind="auction", name="CNG", auction_lot=lot, order=2)
    ProvenanceEvent.objects.create(
        coin=coin, kind="auction", name="Roma", url="https://example.test/roma/5", order=3
    )
    html = user_client.get(f"/coins/{coin.pk}/").content.decode()
    timeline = html[html.index('<ol class="timeline">') : html.index("</ol>")]
    assert f'<a href="/auctions/{lot.pk}/">the lot</a>' in timeline
    assert 'href="https://example.test/roma/5"' in timeline
    assert timeline.count("the lot</a>") == 1


def test_previous_and_next_within_the_filtered_list(user_client, coin):
    second = make_coin(inventory_number="A-2", metal="silver")
    make_coin(inventory_number="A-3", metal="bronze")  # filtered out
    fourth = make_coin(inventory_number="A-4", metal="silver")
    list_query = "metal=silver"
    html = user_client.get(f"/coins/{second.pk}/?from={quote(list_query)}&pos=1").content.decode()
    assert f'href="/coins/{coin.pk}/?from=metal%3Dsilver&amp;pos=0"' in html
    assert f'href="/coins/{fourth.pk}/?from=metal%3Dsilver&amp;pos=2"' in html
    assert 'href="/coins/?metal=silver"' in html  # back to the list
    # A stale position (the list changed) still finds the neighbours.
    html = user_client.get(f"/coins/{second.pk}/?from={quote(list_query)}&pos=7").content.decode()
    assert f'href="/coins/{fourth.pk}/?from=metal%3Dsilver&amp;pos=2"' in html


def test_unknown_coin_is_404(user_client):
    assert user_client.get("/coins/999999/").status_code == 404


def test_series_memberships_on_the_coin_page(user_client, coin):
    series = make_series("Twelve Caesars", slots=3)
    SeriesMembership.objects.create(
        series=series, coin=coin, slot=series.slots.get(number=2), needs_upgrade=True
    )
    html = user_client.get(f"/coins/{coin.pk}/").content.decode()
    assert 'href="/series/twelve-caesars/"' in html
    assert "upgrade wanted" in html


# --- query counts ---------------------------------------------------------------------------------


def add_related(coin, count: int) -> None:
    sale = make_sale("CNG", f"S{count}")
    for n in range(count):
        make_image(coin, source_url=f"https://images.example/extra-{n}.jpg", position=n + 2)
        make_reference(coin, raw_text=f"Sear {n}", system="Sear", number=str(n), position=n + 2)
        ProvenanceEvent.objects.create(coin=coin, name=f"Collection {n}", order=n + 2)
        make_lot(url=f"https://example.test/linked/{n}", coin=coin, coin_role="provenance", sale=sale)
        comparable = make_lot(url=f"https://example.test/cmp/{n}", sale=sale, house=sale.house)
        LotReference.objects.create(lot=comparable, raw_text=f"Sear {n}", system="Sear", number=str(n))
        series = make_series(f"Series {count}-{n}", slots=1)
        SeriesMembership.objects.create(series=series, coin=coin, slot=series.slots.get())


# The lots and value section (catalog.coin_lots): linked lots (1), comparable lots (1), and the value
# panel (3: the manual value, the lots of the coin's type, the lots of its issuer, denomination and
# metal; this last only when the type's sales cannot value the coin, as here). One coin's lots of
# its type are matched exactly in SQL, so no query sorts them between coins.
SECTION_QUERIES = 5
# The page with its section (asked inline, or cached): session + user (2), the data versions the
# section is cached under (1), coin with vocabularies (1), images, references, provenance, series
# memberships (4), the list window for prev/next (1), and the section.
DETAIL_QUERIES = 9 + SECTION_QUERIES
# The coin's lots endpoint: session + user (2), the data versions (1), coin with vocabularies (1),
# references (1), and the section.
LOTS_QUERIES = 5 + SECTION_QUERIES


def test_relations_a_coin_lacks_are_not_asked_for(user_client):
    """A coin without images, provenance or series memberships: the three queries that would fetch
    them are not run (coinstack.prefetching); once it has them, they are, and shown."""
    bare = make_coin(inventory_number="B-1", issuer=make_issuer("Nero"))
    make_reference(bare, raw_text="RIC I 60", system="RIC", volume="I", number="60")

    def page() -> tuple[int, str]:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            html = user_client.get(f"/coins/{bare.pk}/?lots=1").content.decode()
        return len(queries), html

    without, html = page()
    assert "RIC I 60" in html
    make_image(bare, source_url="https://images.example/nero.jpg")
    ProvenanceEvent.objects.create(coin=bare, kind="collection", name="Nero Collection", order=0)
    series = make_series("Julio-Claudians", slots=1)
    SeriesMembership.objects.create(series=series, coin=bare, slot=series.slots.get())
    with_them, html = page()
    assert with_them == without + 3
    assert "Nero Collection" in html
    assert 'href="/series/julio-claudians/"' in html


def test_a_visitor_sees_no_purchase_though_the_coin_has_provenance(settings, coin):
    """The coin has provenance rows, so they are asked for; a visitor's prefetch still leaves out
    the event that records the owner's purchase."""
    coin.acquisition_url = "https://dealer.example/lot/7"
    coin.save()
    ProvenanceEvent.objects.create(coin=coin, name="Bought at a dealer", url=coin.acquisition_url, order=5)
    settings.COINSTACK_PUBLIC_BROWSING = True
    html = Client().get(f"/coins/{coin.pk}/").content.decode()
    assert "Peh Family Collection" in html
    assert "Bought at a dealer" not in html


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_query_count_does_not_grow_with_rows(user_client, django_assert_num_queries, coin, rows):
    add_related(coin, rows)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = user_client.get(f"/coins/{coin.pk}/?from=&pos=0&lots=1")
    html = response.content.decode()
    assert html.count("https://example.test/linked/") == rows
    assert len(re.findall(r'href="/auctions/\d+/">', html)) >= rows
    # Without its section (not cached, not asked inline), and the section from its endpoint.
    cache.clear()
    with django_assert_num_queries(DETAIL_QUERIES - SECTION_QUERIES):
        assert user_client.get(f"/coins/{coin.pk}/?from=&pos=0").status_code == 200
    with django_assert_num_queries(LOTS_QUERIES):
        html = user_client.get(f"/coins/{coin.pk}/lots/").content.decode()
    assert html.count("https://example.test/linked/") == rows


# --- home, series, stats --------------------------------------------------------------------------


def test_home_summarises_and_searches(user_client, coin):
    html = user_client.get("/").content.decode()
    assert "<strong>1</strong> coin</a>" in html
    assert 'action="/coins/"' in html and 'name="q"' in html
    assert f'href="/coins/{coin.pk}/"' in html  # a recent acquisition
    for url in ("/coins/", "/issuers/", "/mints/", "/series/", "/auctions/", "/stats/"):
        assert f'href="{url}"' in html


def test_series_pages_show_progress_and_slots(user_client, coin):
    series = make_series("Twelve Caesars", slots=3)
    slots = list(series.slots.order_by("number"))
    SeriesMembership.objects.create(series=series, coin=coin, slot=slots[0])
    slots[1].wanted = True
    slots[1].save()
    html = user_client.get("/series/").content.decode()
    assert "1 of 3 slots filled" in html
    assert '<progress max="3" value="1">' in html
    html = user_client.get("/series/twelve-caesars/").content.decode()
    assert 'class="slot slot-filled"' in html
    assert 'class="slot slot-wanted"' in html
    assert 'class="slot slot-empty"' in html
    assert html.count(">missing<") == 2
    assert f'href="/coins/{coin.pk}/"' in html


def test_stats_group_spending_by_currency(user_client, coin):
    make_coin(acquisition_price=Decimal("100"), acquisition_currency="EUR", acquisition_date=date(2022, 1, 1))
    make_coin(acquisition_price=Decimal("50"), acquisition_currency="EUR", acquisition_date=date(2022, 2, 1))
    make_coin(year_start=-300, year_end=-280, metal="bronze")
    html = user_client.get("/stats/").content.decode()
    row = html[html.index('<th scope="row">2022</th>') :]
    row = row[: row.index("</tr>")]
    assert "1,250 USD" in row and "150 EUR" in row
    assert "1,400" not in row  # never summed across currencies
    assert "3rd c. BC" in html and "1st c. BC" in html
    assert "<svg" in html and "style=" not in html


def test_stats_hide_spending_from_visitors(client, settings, coin):
    settings.COINSTACK_PUBLIC_BROWSING = True
    html = client.get("/stats/").content.decode()
    assert "1,250 USD" not in html
    assert "Completeness" in html


@pytest.mark.parametrize("rows", [1, 50])
def test_home_series_stats_query_counts(user_client, django_assert_num_queries, rows):
    issuer = make_issuer("Trajan")
    series = make_series("Five Good Emperors", slots=rows)
    for n, slot in enumerate(series.slots.all()):
        coin = make_coin(
            inventory_number=f"T{n}",
            issuer=issuer,
            acquisition_date=date(2020 + n % 3, 1, 1),
            acquisition_price=Decimal("10"),
            acquisition_currency="USD" if n % 2 else "EUR",
        )
        make_image(coin, is_primary=True)
        SeriesMembership.objects.create(series=series, coin=coin, slot=slot)
    # Session + user (2) and then: home 6 (coins, issuers and mints from the kept counts in one query,
    # demo coins counted, recent coins and their images, series and lots counted), series list 1,
    # series detail 5, stats 4 (the data version,
    # the counts the database keeps (catalog.tallies, coins with images and references included),
    # the issuers' names, the coins with provenance, the disposed coins' images and references taken off
    # the kept 'has' counts; no mint names: these coins have no mint) and its
    # value section 3 without a snapshot (the latest snapshot's day, the coins counted, spending converted).
    for url, queries in (("/", 8), ("/series/", 3), ("/series/five-good-emperors/", 7), ("/stats/", 11)):
        with django_assert_num_queries(queries):
            assert user_client.get(url).status_code == 200


def test_no_page_carries_inline_script_style_or_handlers(user_client, coin):
    """A Content-Security-Policy without 'unsafe-inline' would block them (and the e2e test would
    see console errors); check every browsing page's HTML."""
    series = make_series("Twelve Caesars", slots=2)
    SeriesMembership.objects.create(series=series, coin=coin, slot=series.slots.first())
    lot = make_lot(url="https://example.test/lots/csp", coin=coin, description_html="<p onclick='x()'>Hi</p>")
    pages = [
        "/", "/coins/", "/coins/?view=table&q=AVGVSTVS", f"/coins/{coin.pk}/", "/series/",
        "/series/twelve-caesars/", "/stats/", "/issuers/", f"/issuers/{coin.issuer_id}/", "/mints/",
        f"/mints/{coin.mint_id}/", "/auctions/", f"/auctions/{lot.pk}/", "/accounts/login/",
    ]  # fmt: skip
    for url in pages:
        response = user_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert " style=" not in html, url
        assert "<style" not in html, url
        assert re.search(r"<script(?![^>]*\bsrc=)", html) is None, url
        assert re.search(r"\son[a-z]+\s*=", html) is None, url
        assert "javascript:" not in html, url


def test_image_addresses_that_are_not_http_are_not_linked(user_client, coin):
    make_image(coin, kind="detail", source_url="javascript:alert(1)", position=9)
    html = user_client.get(f"/coins/{coin.pk}/").content.decode()
    assert "javascript:" not in html
