"""Issuer and mint pages: index with counts, a term's page with its coins (the coin list, pre-filtered)."""

import re

import pytest

from catalog.tests.factories import make_coin, make_denomination, make_image, make_issuer, make_mint
from vocab.models import CoinType, Issuer, Mint

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms():
    hadrian = make_issuer("Hadrian", nomisma_id="hadrian", reign_start=117, reign_end=138)
    trajan = make_issuer("Trajan", reign_start=98, reign_end=117)
    make_issuer("Nerva", reign_start=96, reign_end=98)  # no coins
    rome = make_mint("Rome", nomisma_id="rome")
    alexandria = make_mint("Alexandria")
    make_coin(inventory_number="H1", issuer=hadrian, mint=rome, metal="silver")
    make_coin(inventory_number="H2", issuer=hadrian, mint=alexandria, metal="bronze")
    make_coin(inventory_number="T1", issuer=trajan, mint=rome, metal="silver")
    return {"hadrian": hadrian, "trajan": trajan, "rome": rome, "alexandria": alexandria}


def cards(html: str) -> list[str]:
    return sorted(re.findall(r'class="coin-card-inv">#([^<]+)<', html))


def test_issuer_index_lists_terms_with_counts_and_reigns(user_client, terms):
    html = user_client.get("/issuers/").content.decode()
    assert re.search(
        rf'href="/issuers/{terms["hadrian"].pk}/">Hadrian</a> <span class="count">2</span>\s*'
        r'<span class="term-years">AD 117-138</span>',
        html,
    )
    # Issuers without coins are hidden by default, and a link shows them.
    assert ">Nerva<" not in html
    assert '<a href="?all=1">Show all 3</a> (1 without coins)' in html
    html = user_client.get("/issuers/?all=1").content.decode()
    assert re.search(r'>Nerva</a> <span class="count">0</span>', html)
    # In order of reign within their group.
    assert html.index(">Nerva<") < html.index(">Trajan<") < html.index(">Hadrian<")


def test_issuers_are_grouped_by_dynasty_then_kind(user_client, terms):
    make_issuer("Augustus", dynasty="Julio-Claudian", reign_start=-27, reign_end=14)
    make_issuer("Tiberius", dynasty="Julio-Claudian", reign_start=14, reign_end=37)
    make_issuer("Athens", kind="city", reign_start=None, reign_end=None)
    html = user_client.get("/issuers/?all=1").content.decode()
    headings = re.findall(r'<h2>([^<]+?) <span class="count">', html)
    # Groups in order of their first reign; undated ones last.
    assert headings == ["Julio-Claudian", "Emperors", "Cities"]
    assert html.index(">Augustus<") < html.index(">Tiberius<")


def test_mint_index_groups_by_region_with_active_years(user_client, terms):
    Mint.objects.filter(pk=terms["rome"].pk).update(active_start=-289, active_end=476)
    for n, region in enumerate(["italy", "italy", "gallia"]):
        CoinType.objects.create(
            uri=f"http://numismatics.org/ocre/id/test.{n}",
            corpus="ocre",
            label=f"Test {n}",
            catalogue="RIC",
            number=str(n),
            mint=terms["rome"],
            region_nomisma=region,
        )
    html = user_client.get("/mints/").content.decode()
    assert re.search(
        rf'href="/mints/{terms["rome"].pk}/">Rome</a> <span class="count">2</span>\s*'
        r'<span class="term-years">active 289 BC-AD 476</span>',
        html,
    )
    # Rome's types put it in Italy (most of them say so); Alexandria's region is not known.
    headings = re.findall(r'<h2>([^<]+?) <span class="count">', html)
    assert headings == ["Italy", "Region not recorded"]
    assert html.index(">Rome<") < html.index("<h2>Region not recorded") < html.index(">Alexandria<")


def test_issuer_page_shows_its_coins_and_nomisma_link(user_client, terms):
    html = user_client.get(f"/issuers/{terms['hadrian'].pk}/").content.decode()
    assert "<h1>Hadrian" in html
    assert "Reigned AD 117-138" in html
    assert 'href="http://nomisma.org/id/hadrian" rel="noopener noreferrer nofollow"' in html
    assert cards(html) == ["H1", "H2"]
    assert 'name="issuer"' not in html  # its own facet would be pointless here
    assert 'name="mint"' in html


def test_issuer_page_filters_within_its_coins(user_client, terms):
    response = user_client.get(f"/issuers/{terms['hadrian'].pk}/?metal=silver")
    assert cards(response.content.decode()) == ["H1"]
    partial = user_client.get(f"/issuers/{terms['hadrian'].pk}/?metal=bronze", headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html
    assert cards(html) == ["H2"]
    assert partial["HX-Push-Url"] == f"/issuers/{terms['hadrian'].pk}/?metal=bronze"
    assert (
        f'action="/issuers/{terms["hadrian"].pk}/"'
        in user_client.get(f"/issuers/{terms['hadrian'].pk}/").content.decode()
    )


def test_lists_of_different_coins_keep_their_own_cached_pages(user_client, terms):
    # One data version for all of them: the whole collection, two issuers' and a mint's coins, with the
    # same filter, are cached apart (catalog.listing.listing_state names each list's scope).
    path = "?metal=silver"
    assert cards(user_client.get(f"/coins/{path}").content.decode()) == ["H1", "T1"]
    assert cards(user_client.get(f"/issuers/{terms['hadrian'].pk}/{path}").content.decode()) == ["H1"]
    assert cards(user_client.get(f"/issuers/{terms['trajan'].pk}/{path}").content.decode()) == ["T1"]
    assert cards(user_client.get(f"/mints/{terms['alexandria'].pk}/{path}").content.decode()) == []
    assert cards(user_client.get(f"/coins/{path}").content.decode()) == ["H1", "T1"]


def test_mint_page(user_client, terms):
    html = user_client.get(f"/mints/{terms['rome'].pk}/").content.decode()
    assert cards(html) == ["H1", "T1"]
    assert 'href="http://nomisma.org/id/rome"' in html


def test_unknown_terms_are_404(user_client):
    assert user_client.get("/issuers/424242/").status_code == 404
    assert user_client.get("/mints/424242/").status_code == 404


@pytest.mark.parametrize("rows", [1, 50])
def test_term_pages_query_counts(user_client, django_assert_num_queries, rows):
    issuer = make_issuer("Antoninus Pius")
    mint = make_mint("Roma")
    denomination = make_denomination("Aureus")
    for n in range(rows):
        coin = make_coin(inventory_number=f"P{n}", issuer=issuer, mint=mint, denomination=denomination)
        make_image(coin, is_primary=True)
        make_issuer(f"Other {n}")
    # Session + user (2), the term (1), the data version (1), one GROUP BY for all facets and the
    # total (the list is pre-filtered) and the names of the two vocabulary facets shown, in one
    # query (2), the page's ids + its coins with their primary images (2), the series choices (1:
    # then cached with the data version, so the second page does not read them).
    for url, queries in ((f"/issuers/{issuer.pk}/?per_page=50", 9), (f"/mints/{mint.pk}/?per_page=50", 8)):
        with django_assert_num_queries(queries):
            html = user_client.get(url).content.decode()
        assert len(cards(html)) == rows
    # Index pages: session + user + the data version + one grouped query; mints also the types'
    # fingerprint and their regions. Repeated, the body comes from the cache: the grouped query and
    # the regions are not run again.
    for url, queries in (("/issuers/", 4), ("/issuers/?all=1", 4), ("/mints/", 6), ("/mints/?all=1", 6)):
        with django_assert_num_queries(queries):
            html = user_client.get(url).content.decode()
        assert (">Other 0<" in html) == (url == "/issuers/?all=1")
        with django_assert_num_queries(queries - (2 if url.startswith("/mints/") else 1)):
            again = user_client.get(url).content.decode()
        assert again.split("<main", 1)[1] == html.split("<main", 1)[1]  # the page's CSRF token differs


def test_the_cached_indexes_follow_writes_and_loaded_types(user_client):
    make_coin(inventory_number="I-1", issuer=make_issuer("Antoninus Pius"), mint=make_mint("Roma"))
    assert ">Antoninus Pius<" in user_client.get("/issuers/").content.decode()
    make_coin(inventory_number="I-2", issuer=make_issuer("Faustina II"), mint=make_mint("Siscia"))
    assert ">Faustina II<" in user_client.get("/issuers/").content.decode()
    assert ">Siscia<" in user_client.get("/mints/").content.decode()
    Issuer.objects.filter(name="Faustina II").update(name="Faustina Minor")
    html = user_client.get("/issuers/").content.decode()
    assert ">Faustina Minor<" in html and "Faustina II" not in html
