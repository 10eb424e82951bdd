"""Auction-lot pages: filters, facets, HTMX partial, safe descriptions, query counts."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from auctions.models import ROW_VALUES, AuctionLot, LotImage, LotReference, lots_of_rows
from catalog.tests.factories import make_coin, make_issuer, make_lot, make_sale

pytestmark = pytest.mark.django_db


@pytest.fixture
def lots():
    heritage = make_sale("Heritage", "3011", name="Heritage 3011", date=datetime(2023, 3, 1).date())
    roma = make_sale("Roma Numismatics", "27", name="Auction XXVII")
    coin = make_coin(inventory_number="A-1", issuer=make_issuer("Augustus"))
    result = {
        "gaius": make_lot(
            url="https://example.test/lots/1",
            house=heritage.house,
            sale=heritage,
            lot_number="173",
            title="Augustus AR Denarius, Gaius and Lucius",
            description="Lugdunum mint. RIC I 207.",
            hammer_price=Decimal("2700"),
            currency="USD",
            status="sold",
            coin=coin,
            coin_role="acquisition",
            closing_date=datetime(2023, 3, 2, 18, tzinfo=UTC),
            estimate_low=Decimal("1000"),
        ),
        "tiberius": make_lot(
            url="https://example.test/lots/2",
            house=roma.house,
            sale=roma,
            lot_number="12",
            title="Tiberius AR Denarius, tribute penny",
            description="Pax seated right.",
            hammer_price=Decimal("900"),
            currency="GBP",
            status="sold",
            closing_date=datetime(2024, 5, 2, 12, tzinfo=UTC),
        ),
        "unsold": make_lot(
            url="https://example.test/lots/3",
            house=roma.house,
            sale=roma,
            lot_number="13",
            title="Caligula AE As",
            description="Vesta seated left.",
            currency="GBP",
            status="unsold",
            closing_date=datetime(2024, 5, 2, 12, tzinfo=UTC),
        ),
    }
    LotReference.objects.create(
        lot=result["gaius"], raw_text="RIC I 207", system="RIC", volume="I", number="207"
    )
    LotReference.objects.create(
        lot=result["tiberius"], raw_text="RIC I 30", system="RIC", volume="I", number="30"
    )
    return result


def titles(response) -> list[str]:
    return re.findall(r'class="lot-title">([^<]+)</a>', response.content.decode())


def thumbnails(response) -> dict[str, str]:
    """Each row's title -> its thumbnail's src, or "" for a row without an image."""
    rows = response.content.decode().split('<li class="lot-row">')[1:]
    found = {}
    for row in rows:
        title = re.search(r'class="lot-title">([^<]+)</a>', row)[1]
        image = re.search(r'class="lot-thumb"><img src="([^"]+)"', row)
        found[title] = image[1] if image else ""
    return found


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("", ["gaius", "tiberius", "unsold"]),
        ("?q=denarius", ["gaius", "tiberius"]),
        ("?q=denarius&sort=-hammer", ["gaius", "tiberius"]),
    ],
)
def test_each_row_shows_the_first_of_its_own_images(user_client, lots, query, names):
    # The plain list reads its page's lots in order; a search reads its page's ids first (both
    # attach the rows' images the same way).
    LotImage.objects.create(lot=lots["gaius"], url="https://images.example/gaius-2.jpg", position=2)
    LotImage.objects.create(lot=lots["gaius"], url="https://images.example/gaius-1.jpg", position=1)
    LotImage.objects.create(lot=lots["tiberius"], url="https://images.example/tiberius.jpg", position=0)
    expected = {
        "gaius": "https://images.example/gaius-1.jpg",
        "tiberius": "https://images.example/tiberius.jpg",
        "unsold": "",
    }
    shown = thumbnails(user_client.get(f"/auctions/{query}"))
    assert shown == {lots[name].title: expected[name] for name in names}


def test_lot_list_newest_first(user_client, lots):
    assert titles(user_client.get("/auctions/")) == [
        "Caligula AE As",
        "Tiberius AR Denarius, tribute penny",
        "Augustus AR Denarius, Gaius and Lucius",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("currency=usd", ["gaius"]),
        ("status=unsold", ["unsold"]),
        ("linked=yes", ["gaius"]),
        ("linked=no", ["unsold", "tiberius"]),
        ("reference=RIC+I+207", ["gaius"]),
        ("reference=ric+i+30", ["tiberius"]),
        ("q=denarius+penny", ["tiberius"]),
        ("q=seated", ["unsold", "tiberius"]),
        ("date_from=2024-05-02&date_to=2024-05-02", ["unsold", "tiberius"]),
        ("date_to=2023-03-02", ["gaius"]),
        ("price_min=1000", ["gaius"]),
        ("price_max=1000", ["tiberius"]),
    ],
)
def test_lot_filters(user_client, lots, query, expected):
    assert titles(user_client.get(f"/auctions/?{query}")) == [lots[key].title for key in expected]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("date", ["gaius", "tiberius", "unsold"]),
        ("-date", ["unsold", "tiberius", "gaius"]),
        # The unsold lot has no hammer price: last whichever way.
        ("hammer", ["tiberius", "gaius", "unsold"]),
        ("-hammer", ["gaius", "tiberius", "unsold"]),
        ("estimate", ["gaius", "tiberius", "unsold"]),
        ("-estimate", ["gaius", "unsold", "tiberius"]),
    ],
)
def test_lots_sort_with_missing_values_last(user_client, lots, sort, expected):
    assert titles(user_client.get(f"/auctions/?sort={sort}")) == [lots[key].title for key in expected]
    # A search keeps the order asked for (its pages are fetched by id).
    searched = titles(user_client.get(f"/auctions/?sort={sort}&q=a"))
    assert searched == [lots[key].title for key in expected if "a" in lots[key].title.lower()]


def test_an_unknown_sort_is_reported_and_the_default_used(user_client, lots):
    response = user_client.get("/auctions/?sort=price'--")
    assert response.status_code == 200
    assert "Sort: &quot;price&#x27;--&quot; is not a sort order we know." in response.content.decode()
    assert titles(response)[0] == lots["unsold"].title


def test_house_filter_and_facet_counts(user_client, lots):
    roma = lots["tiberius"].house
    html = user_client.get(f"/auctions/?house={roma.pk}&currency=GBP").content.decode()
    assert len(re.findall(r'class="lot-title"', html)) == 2
    # House counts apply the currency filter, not the house filter: Heritage sold in USD only.
    assert re.search(
        rf'name="house" value="{roma.pk}" checked> <span class="facet-label">Roma Numismatics</span> '
        r'<span class="count">2</span>',
        html,
    )
    assert 'class="facet-label">Heritage</span>' not in html
    # Currency counts apply the house filter.
    assert re.search(
        r'name="currency" value="GBP" checked> <span class="facet-label">GBP</span> '
        r'<span class="count">2</span>',
        html,
    )


def test_invalid_values_give_messages(user_client, lots):
    response = user_client.get("/auctions/?date_from=yesterday&currency=dollars&price_min=-5")
    assert response.status_code == 200
    html = response.content.decode()
    assert "could not be read" in html
    assert "three-letter currency code" in html


def test_htmx_gets_the_partial(user_client, lots):
    response = user_client.get("/auctions/?status=sold&q=", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert 'id="lot-facets" class="facets" hx-swap-oob="true"' in html
    assert response["HX-Push-Url"] == "/auctions/?status=sold"


def test_lot_detail_shows_prices_data_and_coin(user_client, lots):
    lot = lots["gaius"]
    LotImage.objects.create(lot=lot, url="https://images.example/lot-1a.jpg", position=0)
    LotImage.objects.create(lot=lot, url="https://images.example/lot-1b.jpg", position=1)
    html = user_client.get(f"/auctions/{lot.pk}/").content.decode()
    assert "2,700 USD" in html and "1,000 USD" in html
    assert "RIC I 207" in html
    assert f'href="/coins/{lot.coin_id}/"' in html
    assert (
        'src="https://images.example/lot-1a.jpg"' in html
        and 'src="https://images.example/lot-1b.jpg"' in html
    )
    assert f'href="{lot.url}" rel="noopener noreferrer nofollow"' in html


def test_untrusted_descriptions_are_made_safe(user_client, lots):
    lot = lots["tiberius"]
    lot.description = '<script>alert("x")</script> Fine & rare'
    lot.save()
    html = user_client.get(f"/auctions/{lot.pk}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html and "Fine &amp; rare" in html

    lot.description_html = (
        '<p onclick="steal()">Struck <b>well</b><script>alert(1)</script><img src=x onerror=alert(1)>'
        '<a href="javascript:alert(1)">link</a><ul><li>one</li></ul></p>'
    )
    lot.save()
    html = user_client.get(f"/auctions/{lot.pk}/").content.decode()
    description = html[html.index('class="lot-description"') :]
    description = description[: description.index("</section>")]
    assert "<b>well</b>" in description and "<li>one</li>" in description
    for bad in ("<script", "onclick", "onerror", "<img", "javascript:"):
        assert bad not in description
    # Links survive only as inert text-bearing anchors: no unsafe href, and never followed as ours.
    assert '<a rel="noopener noreferrer nofollow">link</a>' in description


@pytest.mark.parametrize("rows", [1, 50])
def test_lot_pages_query_counts(user_client, django_assert_num_queries, rows):
    sale = make_sale("CNG", "120")
    for n in range(rows):
        coin = make_coin(inventory_number=f"C{n}")
        lot = make_lot(
            url=f"https://example.test/q/{n}",
            house=sale.house,
            sale=sale,
            coin=coin,
            title=f"Lot {n}",
            currency="USD",
            hammer_price=Decimal(n + 1),
            status="sold",
        )
        LotImage.objects.create(lot=lot, url=f"https://images.example/{n}.jpg")
        LotReference.objects.create(lot=lot, raw_text=f"Sear {n}", system="Sear", number=str(n))
    # Session + user (2), the market's data version + page (2), images (1), house names (1), and the
    # facets with the total: one read of the counts the database keeps (auctions 0009; two GROUP
    # BYs over the lots before).
    with django_assert_num_queries(7):
        response = user_client.get("/auctions/?status=sold")
    assert len(titles(response)) == rows
    # Session + user (2), the lot with house, sale and its linked coin (1), images and references (2).
    assert lot.coin_id is not None
    with django_assert_num_queries(5):
        user_client.get(f"/auctions/{lot.pk}/")


def test_extreme_dates_do_not_overflow(user_client, lots):
    response = user_client.get("/auctions/?date_from=0001-01-01&date_to=9999-12-31")
    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_only_http_links_leave_the_site(user_client, lots):
    from auctions.models import AuctionLot

    AuctionLot.objects.filter(pk=lots["tiberius"].pk).update(url="javascript:alert(1)")
    html = user_client.get(f"/auctions/{lots['tiberius'].pk}/").content.decode()
    assert 'href="javascript:' not in html
    assert "original listing" in html


def test_a_pages_lots_are_read_as_the_orm_reads_them(django_assert_num_queries):
    """auctions.models.lots_of_rows builds a page's lots from one query's values: the same lots with
    the same fields, house, sale and sale's house as the ORM's rows (AuctionLotQuerySet.as_rows),
    lots without a house or a sale among them, and one house shared by two lots and a sale."""
    sale = make_sale("Roma Numismatics", "27", name="Auction XXVII")
    made = [
        make_lot(
            url="https://example.test/a",
            house=sale.house,
            sale=sale,
            title="Hadrian denarius",
            hammer_price=Decimal("420"),
            currency="GBP",
            closing_date=datetime(2024, 3, 2, tzinfo=UTC),
            status="sold",
        ),
        make_lot(
            url="https://example.test/b", house=sale.house, lot_number="17", estimate_low=Decimal("100")
        ),
        make_lot(url="https://example.test/c", title="No house, no sale"),
    ]
    ids = [lot.pk for lot in made]
    with django_assert_num_queries(1):
        lots = lots_of_rows(AuctionLot.objects.filter(pk__in=ids).order_by("id").values_list(*ROW_VALUES))
        # What a row reads costs no query more.
        shown = [(str(lot.sale or lot.house or ""), lot.get_status_display()) for lot in lots]
    expected = AuctionLot.objects.as_rows().order_by("id")
    for lot, label, orm in zip(lots, shown, expected, strict=True):
        for name in ("pk", "url", "lot_number", "title", "hammer_price", "estimate_low", "currency"):
            assert getattr(lot, name) == getattr(orm, name)
        assert (lot.closing_date, lot.status, lot.coin_id, lot.house_id, lot.sale_id) == (
            orm.closing_date,
            orm.status,
            orm.coin_id,
            orm.house_id,
            orm.sale_id,
        )
        assert label == (str(orm.sale or orm.house or ""), orm.get_status_display())
    assert lots[0].house is lots[1].house is lots[0].sale.house
    assert lots[2].house is None and lots[2].sale is None


@pytest.mark.parametrize("rows", [1, 20])
def test_lot_detail_reads_a_fixed_number_of_queries(user_client, django_assert_num_queries, lots, rows):
    """Session and user (2), the lot with its house, sale and coin (1), its images (1), its
    references (1): whatever the number of images and references."""
    lot = lots["gaius"]
    for n in range(rows):
        LotImage.objects.create(lot=lot, url=f"https://images.example/extra-{n}.jpg", position=n + 5)
        LotReference.objects.create(
            lot=lot, raw_text=f"Sear {n}", system="Sear", number=str(n), position=n + 5
        )
    with django_assert_num_queries(5):
        html = user_client.get(f"/auctions/{lot.pk}/").content.decode()
    assert html.count('src="https://images.example/extra-') == rows and f"Sear {rows - 1}" in html


def test_a_lot_that_does_not_exist_or_is_the_owners_purchase_is_404_for_a_visitor(client, settings, lots):
    settings.COINSTACK_PUBLIC_BROWSING = True
    bought = lots["gaius"]
    bought.coin_role = "acquisition"
    bought.save()
    assert client.get(f"/auctions/{bought.pk}/").status_code == 404
    assert client.get(f"/auctions/{lots['tiberius'].pk}/").status_code == 200
    for missing in (bought.pk + 10_000, 2**63, 10**30):
        assert client.get(f"/auctions/{missing}/").status_code == 404
