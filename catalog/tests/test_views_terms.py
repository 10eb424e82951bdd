"""Issuer and mint pages: index with counts, a term's page with its coins (the coin list, pre-filtered)."""

import re

import pytest
from django.contrib.auth.models import User

from catalog.tests.factories import make_coin, make_denomination, make_image, make_issuer, make_mint

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client):
    client.force_login(User.objects.create_user("collector"))
    return client


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


def test_issuer_index_lists_terms_with_counts(user_client, terms):
    html = user_client.get("/issuers/").content.decode()
    assert re.search(
        rf'href="/issuers/{terms["hadrian"].pk}/">Hadrian</a> <span class="count">2</span>', html
    )
    assert re.search(r'>Nerva</a> <span class="count">0</span>', html)
    # Most coins first.
    assert html.index(">Hadrian<") < html.index(">Trajan<") < html.index(">Nerva<")


def test_mint_index(user_client, terms):
    html = user_client.get("/mints/").content.decode()
    assert re.search(rf'href="/mints/{terms["rome"].pk}/">Rome</a> <span class="count">2</span>', html)


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
    # total (the list is pre-filtered) and the names of the two vocabulary facets shown (3), the
    # page's ids + its coins + images + series choices (4).
    for url in (f"/issuers/{issuer.pk}/?per_page=50", f"/mints/{mint.pk}/?per_page=50"):
        with django_assert_num_queries(11):
            html = user_client.get(url).content.decode()
        assert len(cards(html)) == rows
    # Index pages: session + user + one grouped query.
    for url in ("/issuers/", "/mints/"):
        with django_assert_num_queries(3):
            user_client.get(url)
