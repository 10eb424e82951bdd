"""The coin list: filters, facet counts, sorting, paging, HTMX partials, privacy, query counts."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from catalog.listing import CARD_FIELDS, _shown_coins, vocabulary_names
from catalog.models import Coin, CoinImage
from catalog.tests.factories import make_coin, make_denomination, make_image, make_issuer, make_mint
from coinstack.tests.list_pages import facet_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection():
    """Four coins that differ on every filter the tests use."""
    augustus = make_issuer("Augustus", nomisma_id="augustus")
    caesar = make_issuer("Julius Caesar", reign_start=-49, reign_end=-44)
    hadrian = make_issuer("Hadrian", reign_start=117, reign_end=138)
    lugdunum = make_mint("Lugdunum")
    rome = make_mint("Rome")
    denarius = make_denomination("Denarius")
    sestertius = make_denomination("Sestertius")
    coins = {
        "augustus": make_coin(
            inventory_number="A-2",
            issuer=augustus,
            mint=lugdunum,
            denomination=denarius,
            year_start=-27,
            year_end=14,
            metal="silver",
            grade="Good VF",
            grade_band=73,
            acquisition_price=Decimal("450"),
            acquisition_currency="USD",
            acquisition_date=date(2021, 3, 1),
            storage_location="Velv2-5-1",
            obverse_legend="CAESAR AVGVSTVS DIVI F PATER PATRIAE",
        ),
        "caesar": make_coin(
            inventory_number="A-10",
            issuer=caesar,
            mint=rome,
            denomination=denarius,
            year_start=-54,
            year_end=-54,
            metal="silver",
            grade="F",
            grade_band=60,
            acquisition_price=Decimal("900"),
            acquisition_currency="EUR",
            acquisition_date=date(2019, 6, 1),
            storage_location="SlabBox1",
        ),
        "hadrian": make_coin(
            inventory_number="A-3",
            issuer=hadrian,
            mint=rome,
            denomination=sestertius,
            year_start=119,
            year_end=122,
            metal="orichalcum",
            grade="EF",
            grade_band=80,
            weight_g=Decimal("25.1"),
            obverse_legend="IMP•CAES•TRAIAN•HADRIANO•AVG",
            notes="Bought from a private seller in Zürich",
        ),
        "undated": make_coin(
            inventory_number="B-1",
            issuer=None,
            metal="bronze",
            year_start=None,
            year_end=None,
            grade="",
            grade_band=None,
            weight_g=None,
        ),
    }
    make_image(coins["augustus"], is_primary=True)
    return coins


def inventory_numbers(response) -> list[str]:
    """Inventory numbers of the coins on the page, in order (each card/row shows "#A-2" or "A-2")."""
    html = response.content.decode()
    results = html[html.index('id="results"') :]
    return re.findall(r'class="coin-card-inv">#([^<]+)<', results) or re.findall(
        r'pos=\d+">([A-Z]-\d+)</a></td>', results
    )


def test_list_shows_the_collection_as_cards(user_client, collection):
    response = user_client.get("/coins/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "27 BC-AD 14" in html  # dates as collectors write them
    assert "54 BC" in html
    assert sorted(inventory_numbers(response)) == ["A-10", "A-2", "A-3", "B-1"]
    # The primary image's thumbnail is shown on its card.
    image = CoinImage.objects.get(coin=collection["augustus"])
    assert image.thumbnail_url in html


def test_each_card_shows_its_own_primary_image_and_no_other(user_client, collection):
    make_image(collection["caesar"], source_url="https://images.example/caesar-reverse.jpg", kind="reverse")
    hadrian = make_image(
        collection["hadrian"], is_primary=True, source_url="https://images.example/hadrian.jpg"
    )
    make_image(collection["hadrian"], source_url="https://images.example/hadrian-2.jpg", kind="reverse")
    html = user_client.get("/coins/").content.decode()
    cards = {
        number: card
        for card in html.split('<article class="coin-card">')[1:]
        for number in re.findall(r'class="coin-card-inv">#([^<]+)<', card)
    }
    augustus = CoinImage.objects.get(coin=collection["augustus"])
    assert augustus.thumbnail_url in cards["A-2"] and hadrian.thumbnail_url not in cards["A-2"]
    assert hadrian.thumbnail_url in cards["A-3"] and "hadrian-2" not in html
    assert "caesar-reverse" not in html and "no image" in cards["A-10"]


def test_inventory_order_counts_like_people(user_client, collection):
    assert inventory_numbers(user_client.get("/coins/")) == ["A-2", "A-3", "A-10", "B-1"]


def test_table_view(user_client, collection):
    response = user_client.get("/coins/?view=table")
    assert '<table class="coin-table">' in response.content.decode()
    assert inventory_numbers(response) == ["A-2", "A-3", "A-10", "B-1"]


def test_metal_filter_uses_stored_codes(user_client, collection):
    response = user_client.get("/coins/?metal=silver")
    assert sorted(inventory_numbers(response)) == ["A-10", "A-2"]


def test_issuer_and_mint_filters_take_ids(user_client, collection):
    rome = collection["caesar"].mint_id
    hadrian = collection["hadrian"].issuer_id
    assert sorted(inventory_numbers(user_client.get(f"/coins/?mint={rome}"))) == ["A-10", "A-3"]
    assert inventory_numbers(user_client.get(f"/coins/?mint={rome}&issuer={hadrian}")) == ["A-3"]
    both = user_client.get(f"/coins/?issuer={hadrian}&issuer={collection['augustus'].issuer_id}")
    assert sorted(inventory_numbers(both)) == ["A-2", "A-3"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year_from=AD+10", ["A-2", "A-3"]),  # 27 BC-AD 14 overlaps AD 10 onwards
        ("year_from=14", ["A-2", "A-3"]),
        ("year_from=AD+15", ["A-3"]),
        ("year_to=27+BC", ["A-10", "A-2"]),  # 27 BC-AD 14 starts in 27 BC: overlap
        ("year_to=-28", ["A-10"]),
        ("year_from=60+BC&year_to=50+BC", ["A-10"]),
        ("year_from=1+BC&year_to=AD+1", ["A-2"]),  # the range straddles the missing year 0
    ],
)
def test_year_filter_means_overlap(user_client, collection, query, expected):
    assert sorted(inventory_numbers(user_client.get(f"/coins/?{query}"))) == sorted(expected)


def test_invalid_filter_value_gives_a_message_not_an_error(user_client, collection):
    response = user_client.get("/coins/?year_from=banana&metal=silver")
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a date we can read" in html
    assert 'aria-invalid="true"' in html
    # The other, valid filters still apply.
    assert sorted(inventory_numbers(response)) == ["A-10", "A-2"]


@pytest.mark.parametrize(
    "query", ["metal=unobtanium", "issuer=abc", "grade_min=splendid", "sort=colour", "page=x"]
)
def test_other_bad_values_never_break_the_page(user_client, collection, query):
    response = user_client.get(f"/coins/?{query}")
    assert response.status_code == 200


def test_grade_band_filter_accepts_grade_words(user_client, collection):
    # VF takes in "Good VF" (73); EF (80) is above a VF maximum.
    assert sorted(inventory_numbers(user_client.get("/coins/?grade_min=VF"))) == ["A-2", "A-3"]
    assert sorted(inventory_numbers(user_client.get("/coins/?grade_max=VF"))) == ["A-10", "A-2"]
    assert inventory_numbers(user_client.get("/coins/?grade_min=61&grade_max=79")) == ["A-2"]


def test_private_filters_for_the_collector(user_client, collection):
    assert inventory_numbers(user_client.get("/coins/?price_min=500")) == ["A-10"]
    assert inventory_numbers(user_client.get("/coins/?acquired_from=2020-01-01")) == ["A-2"]
    assert inventory_numbers(user_client.get("/coins/?storage=Slab")) == ["A-10"]


def test_has_images_and_in_series(user_client, collection):
    from catalog.models import SeriesMembership
    from catalog.tests.factories import make_series

    series = make_series("Twelve Caesars", slots=2)
    SeriesMembership.objects.create(series=series, coin=collection["caesar"], slot=series.slots.first())
    assert inventory_numbers(user_client.get("/coins/?has_images=true")) == ["A-2"]
    assert "A-2" not in inventory_numbers(user_client.get("/coins/?has_images=false"))
    assert inventory_numbers(user_client.get("/coins/?in_series=twelve-caesars")) == ["A-10"]


def test_facet_counts_apply_the_other_filters(user_client, collection):
    rome = str(collection["caesar"].mint_id)
    # A mint is no filter the kept counts serve: right after a write the list's facets endpoint
    # counts its panel (FacetMixin.counts_wait).
    html = user_client.get(f"/coins/facets/?metal=silver&mint={rome}").content.decode()
    # Metal counts ignore the metal filter but apply the mint filter: Rome has one silver and one
    # orichalcum coin.
    assert facet_count(html, "metal", "silver") == 1
    assert facet_count(html, "metal", "orichalcum") == 1
    assert facet_count(html, "metal", "bronze") is None  # no coin of Rome in bronze
    # Mint counts apply the metal filter: silver coins are one from Rome, one from Lugdunum.
    assert facet_count(html, "mint", rome) == 1
    assert facet_count(html, "mint", str(collection["augustus"].mint_id)) == 1
    # The chosen value is shown checked.
    assert re.search(r'name="metal" value="silver" checked', html)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("year", ["A-10", "A-2", "A-3", "B-1"]),
        ("-year", ["A-3", "A-2", "A-10", "B-1"]),  # missing dates last both ways
        ("weight", ["A-2", "A-10", "A-3", "B-1"]),
        ("-grade", ["A-3", "A-2", "A-10", "B-1"]),
        ("issuer", ["A-2", "A-3", "A-10", "B-1"]),
        ("inventory", ["A-2", "A-3", "A-10", "B-1"]),
        ("-inventory", ["B-1", "A-10", "A-3", "A-2"]),
        ("price", ["A-2", "A-10", "A-3", "B-1"]),
    ],
)
def test_sorting_puts_missing_values_last(user_client, collection, sort, expected):
    if sort == "weight":
        Coin.objects.filter(pk=collection["caesar"].pk).update(weight_g=Decimal("3.90"))
    if sort == "price":
        # Ties on a missing price fall back to id order; make the order of the two without a price known.
        expected = [
            "A-2",
            "A-10",
            *sorted(["A-3", "B-1"], key=lambda inv: Coin.objects.get(inventory_number=inv).pk),
        ]
    assert inventory_numbers(user_client.get(f"/coins/?sort={sort}")) == expected


def test_pagination_links_carry_href_and_hx_get(user_client, collection):
    response = user_client.get("/coins/?per_page=2&metal=silver&metal=orichalcum&page=1")
    html = response.content.decode()
    assert inventory_numbers(response) == ["A-2", "A-3"]
    link = re.search(r'<a rel="next" href="([^"]+)" hx-get="([^"]+)"', html)
    assert link, "the pager's next link has both href and hx-get"
    assert link.group(1) == link.group(2)
    assert (
        "page=2" in link.group(1) and "metal=silver" in link.group(1) and "metal=orichalcum" in link.group(1)
    )
    second = user_client.get(link.group(1).replace("&amp;", "&"))
    assert inventory_numbers(second) == ["A-10"]


def test_page_out_of_range_shows_the_last_page(user_client, collection):
    assert inventory_numbers(user_client.get("/coins/?per_page=3&page=99")) == ["B-1"]


def test_htmx_request_gets_the_results_partial_with_counts(user_client, collection):
    response = user_client.get("/coins/?metal=silver&q=", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="results"')
    assert 'id="facets" class="facets" hx-swap-oob="true"' in html
    assert sorted(inventory_numbers(response)) == ["A-10", "A-2"]
    # The pushed URL drops the empty parameters a form sends.
    assert response["HX-Push-Url"] == "/coins/?metal=silver"
    assert "HX-Request" in response["Vary"]


def test_history_restore_request_gets_the_whole_page(user_client, collection):
    response = user_client.get(
        "/coins/?metal=silver", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith("<!doctype html>")
    assert sorted(inventory_numbers(response)) == ["A-10", "A-2"]


def test_pages_carry_no_inline_script_or_style(user_client, collection):
    html = user_client.get("/coins/").content.decode()
    assert "style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert re.search(r"\son[a-z]+=", html) is None
    assert '"includeIndicatorStyles": false' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_download_links_carry_the_current_query(user_client, collection):
    html = user_client.get("/coins/?metal=silver&sort=-year&page=1").content.decode()
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/export/?metal=silver&amp;sort=-year&amp;format={fmt}"' in html


def test_card_links_carry_the_list_state(user_client, collection):
    html = user_client.get("/coins/?metal=silver").content.decode()
    coin = collection["augustus"]
    assert f'href="/coins/{coin.pk}/?from=metal%3Dsilver&amp;pos=0"' in html


@pytest.mark.parametrize("public", [True])
def test_anonymous_visitors_see_no_private_fields_or_filters(client, settings, collection, public):
    settings.COINSTACK_PUBLIC_BROWSING = public
    response = client.get("/coins/?view=table&price_min=500&storage=Slab")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="price_min"' not in html
    assert 'name="storage"' not in html
    assert "450 USD" not in html
    # Private filters are ignored, so they cannot be used to probe prices.
    assert sorted(inventory_numbers(response)) == ["A-10", "A-2", "A-3", "B-1"]
    assert "Price paid" not in html  # no sorting by price either


def test_anonymous_visitors_are_sent_to_login_without_public_browsing(client, settings, collection):
    settings.COINSTACK_PUBLIC_BROWSING = False
    response = client.get("/coins/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- query counts ---------------------------------------------------------------------------------


def add_rows(count: int) -> None:
    """`count` coins, each with its own issuer, mint and denomination and a primary image."""
    for n in range(count):
        coin = make_coin(
            inventory_number=f"Q-{n}",
            issuer=make_issuer(f"Issuer {n}", nomisma_id=""),
            mint=make_mint(f"Mint {n}"),
            denomination=make_denomination(f"Denomination {n}"),
            obverse_legend=f"IMP CAES NERVA TRAIAN AVG {n}",
        )
        make_image(coin, is_primary=True)
        make_image(coin)


# Session + user (2), coins count + the page's ids + its coins with their primary images (3:
# catalog.listing.paginate says why the ids come first), series choices (1), the names of the
# issuer, mint and denomination facet choices (1: catalog.listing.vocabulary_names), and the facet
# counts: unfiltered or filtered by category and metal only, one query of the counts the database
# keeps (catalog.tallies); otherwise one GROUP BY for the facets whose filter is off plus one per
# facet whose filter is on.
# GET requests run outside a transaction (coinstack.middleware.AtomicWritesMiddleware): no savepoints.
BASE_QUERIES = 2 + 3 + 1 + 1
# The search alone: on SQLite its page's ids come from the FTS5 index first and then the held coins
# among them (catalog.search_index.ranked_page_ids), one query more; on PostgreSQL its total and
# its page's ids are one statement (postgres_ranked_page), one query fewer.
SEARCH_ALONE_PAGE = 1 if connection.vendor == "sqlite" else -1


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(
    ("query", "facet_queries"),
    [
        ("", 1),
        ("view=table&sort=-weight", 1),
        ("category=roman_imperial&metal=silver&sort=-year", 1),
        # A metal with a date range: no kept count serves the two together, so right after a write
        # the panel waits for its own request too (FacetMixin.counts_wait): the GROUP BYs (2)
        # and the names of the vocabulary choices (-1) give way to one COUNT (1).
        ("metal=silver&year_from=AD+1&sort=-year", 1 - 1),
        # A text search right after a write leaves its facet counts to a second request
        # (coinstack.listing.facets_later): no GROUP BY (1 or 3 before) and no names of the vocabulary
        # choices shown (-1); instead one count of the matches (1) and the names of the chosen
        # choices alone (the issuer: 1), for the "active filters" line. 11 and 13 queries before.
        ("q=CAES+TRAIAN", 1 - 1 + SEARCH_ALONE_PAGE),
        ("q=CAES&metal=silver&issuer=1&grade_min=F", 1 - 1 + 1),
    ],
)
def test_list_query_count_does_not_grow_with_rows(
    user_client, django_assert_num_queries, rows, query, facet_queries
):
    add_rows(rows)
    if "issuer=1" in query:
        query = query.replace("issuer=1", f"issuer={Coin.objects.first().issuer_id}")
    with django_assert_num_queries(BASE_QUERIES + facet_queries):
        response = user_client.get(f"/coins/?per_page=50&{query}")
    expected = 1 if "issuer=" in query else rows
    assert len(inventory_numbers(response)) == expected


def test_facet_counts_unfiltered_and_with_a_search(user_client, collection):
    html = user_client.get("/coins/").content.decode()
    assert facet_count(html, "metal", "silver") == 2
    assert facet_count(html, "metal", "bronze") == 1
    assert facet_count(html, "category", "roman_imperial") == 4
    assert facet_count(html, "issuer", str(collection["hadrian"].issuer_id)) == 1
    assert facet_count(html, "grading_state", "raw") == 4
    # A search is a filter of its own: every facet counts the coins found. (Right after a write, a
    # search's counts come from the list's facets endpoint: coinstack.listing.facets_later.)
    html = user_client.get("/coins/facets/?q=AVGVSTVS").content.decode()
    assert facet_count(html, "metal", "silver") == 1
    assert facet_count(html, "metal", "orichalcum") is None
    assert facet_count(html, "grading_state", "raw") == 1


@pytest.mark.parametrize(
    "query", ["", "sort=-year", "sort=price", "sort=-weight", "metal=silver&sort=year", "q=AVG"]
)
def test_pages_read_by_their_ids_keep_the_list_order(user_client, collection, query):
    """A page's ids are read first, then those coins (catalog.listing.paginate): page after page,
    the coins come in the order of the whole list, none lost or repeated."""
    whole = inventory_numbers(user_client.get(f"/coins/?per_page=200&{query}"))
    paged = []
    for page in range(1, (len(whole) + 1) // 2 + 1):  # past the last page would repeat it
        paged += inventory_numbers(user_client.get(f"/coins/?per_page=2&page={page}&{query}"))
    assert paged == whole and len(whole) >= 2


@pytest.mark.django_db
def test_facet_counts_of_a_list_that_can_match_nothing_are_empty():
    # A base the ORM knows is empty (EmptyResultSet while compiling): the panel counts nothing,
    # rather than failing on the SQL it cannot write.
    from django.http import QueryDict

    from catalog.filters import CoinFilter

    make_coin(grade_band=60)
    filterset = CoinFilter(QueryDict("grade_min=50"), queryset=Coin.objects.none(), private=True)

    counts = filterset.facet_counts()

    assert all(not values for values in counts.values())
    assert filterset.facet_total == 0


def test_a_pages_coins_are_read_as_the_orm_reads_them(django_assert_num_queries):
    """catalog.listing._shown_coins builds a page's coins from one query's values: the same coins,
    in the order asked, with the same fields, issuer, denomination and primary image as the ORM
    gives them (coins without an issuer, a denomination or an image among them)."""
    nero = make_issuer("Nero", reign_start=54, reign_end=68)
    denarius = make_denomination("Denarius")
    with_all = make_coin(
        inventory_number="N-2",
        issuer=nero,
        denomination=denarius,
        year_start=64,
        year_end=65,
        weight_g=Decimal("3.41"),
    )
    make_image(with_all, kind="reverse", source_url="https://images.example/rev.jpg")
    make_image(with_all, is_primary=True, source_url="https://images.example/obv.jpg")
    bare = make_coin(inventory_number="X-1", date_text="uncertain", acquisition_price=Decimal("12.50"))
    same_issuer = make_coin(inventory_number="N-1", issuer=nero, grade="VF")
    ids = [same_issuer.pk, bare.pk, 999_999, with_all.pk]
    with django_assert_num_queries(1):
        shown = _shown_coins(ids)
        # Everything a card reads is there: no query more.
        labels = [
            (str(coin), coin.dating, [image.thumbnail_url for image in coin.primary_images]) for coin in shown
        ]
    expected = Coin.objects.select_related("issuer", "denomination").with_primary_image().in_bulk(ids)
    assert [coin.pk for coin in shown] == [same_issuer.pk, bare.pk, with_all.pk]
    for coin, label in zip(shown, labels, strict=True):
        orm = expected[coin.pk]
        assert {name: getattr(coin, name) for name in CARD_FIELDS} == {
            name: getattr(orm, name) for name in CARD_FIELDS
        }
        assert (coin.issuer_id, coin.denomination_id) == (orm.issuer_id, orm.denomination_id)
        assert label == (str(orm), orm.dating, [image.thumbnail_url for image in orm.primary_images])
    assert shown[2].primary_images[0].source_url == "https://images.example/obv.jpg"
    assert shown[1].issuer is None and shown[1].primary_images == []


def test_vocabulary_names_are_the_terms_names_in_one_query(django_assert_num_queries):
    """The facet panel's names of issuers, mints and denominations (catalog.listing): each facet's
    own table, ids that name nothing left out, a facet with no ids asked nothing."""
    from vocab.models import Denomination, Issuer, Mint

    issuers = [make_issuer(name) for name in ("Hadrian", "Trajan", "Faustina <II>")]
    mint = make_mint("Roma")
    denomination = make_denomination("Denarius")
    missing = max(
        Issuer.objects.latest("pk").pk, Mint.objects.latest("pk").pk, Denomination.objects.latest("pk").pk
    )
    wanted = {
        "issuer": {issuer.pk for issuer in issuers} | {missing + 1},
        "mint": {mint.pk},
        "denomination": {denomination.pk},
    }
    with django_assert_num_queries(1):
        names = vocabulary_names(wanted)
    assert names == {
        "issuer": {issuer.pk: issuer.name for issuer in issuers},
        "mint": {mint.pk: "Roma"},
        "denomination": {denomination.pk: "Denarius"},
    }
    with django_assert_num_queries(1):
        assert vocabulary_names({"issuer": set(), "mint": {mint.pk}}) == {
            "issuer": {},
            "mint": {mint.pk: "Roma"},
        }
    with django_assert_num_queries(0):
        assert vocabulary_names({"issuer": set()}) == {"issuer": {}}
