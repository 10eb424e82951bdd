"""Tray labels: /coins/labels/?<the coin list's filters>&paper=a4|letter."""

import re

import pytest
from django.conf import settings
from django.test import Client

from catalog.tests.factories import make_coin, make_denomination, make_issuer, make_reference

pytestmark = pytest.mark.django_db


def labels(html: str) -> list[str]:
    return re.findall(r'<p class="label-inv">([^<]+)</p>', html)


@pytest.fixture
def coins():
    hadrian = make_issuer("Hadrian", reign_start=117, reign_end=138)
    denarius = make_denomination("Denarius")
    first = make_coin(
        inventory_number="H-1",
        issuer=hadrian,
        denomination=denarius,
        year_start=None,
        year_end=None,
        metal="silver",
        storage_location="SlabBox1",
    )
    make_reference(first, "RIC II 241", system="RIC", volume="II", number="241", position=1)
    make_reference(first, "cf. RSC 1", system="RSC", number="1", is_cf=True, position=0)
    make_coin(inventory_number="H-2", issuer=hadrian, metal="bronze", year_start=125, year_end=128)
    return hadrian


def test_labels_follow_the_coin_list_filters_and_say_what_a_tray_needs(user_client, coins):
    html = user_client.get("/coins/labels/?metal=silver").content.decode()
    assert labels(html) == ["#H-1"]
    label = html[html.index('<article class="tray-label">') :]
    label = label[: label.index("</article>")]
    assert "Hadrian" in label
    assert "Denarius · reign AD 117-138" in label
    assert "cf. RSC 1" in label and "RIC II 241" not in label  # the first reference, as cited
    assert "SlabBox1" in label
    # The paper choice keeps the filters.
    assert '<input type="hidden" name="metal" value="silver">' in html
    assert 'class="label-sheet paper-a4"' in html


def test_letter_paper_and_an_unknown_paper(user_client, coins):
    html = user_client.get("/coins/labels/?paper=letter").content.decode()
    assert 'class="label-sheet paper-letter"' in html and labels(html) == ["#H-1", "#H-2"]
    html = user_client.get("/coins/labels/?paper=A3").content.decode()
    assert "&quot;A3&quot; is not a paper size we lay out; A4 is used." in html
    assert 'class="label-sheet paper-a4"' in html


def test_the_stylesheet_sizes_each_paper(coins):
    css = (settings.BASE_DIR / "static" / "css" / "coinstack.css").read_text()
    assert re.search(r"@page a4 \{ size: A4", css) and re.search(r"@page letter \{ size: letter", css)
    assert ".paper-a4 { page: a4; }" in css and ".paper-letter { page: letter; }" in css


def test_labels_are_the_owners_even_with_public_browsing(settings, coins):
    # Labels are for the owner's trays (they show where each coin is kept): not on the public allow-list.
    settings.COINSTACK_PUBLIC_BROWSING = True
    response = Client().get("/coins/labels/?metal=silver")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "Tray labels" not in Client().get("/coins/").content.decode()


def test_the_coin_list_and_term_pages_link_to_their_labels(user_client, coins):
    html = user_client.get("/coins/?metal=silver&sort=year").content.decode()
    assert 'href="/coins/labels/?metal=silver&amp;sort=year">Tray labels</a>' in html
    html = user_client.get(f"/issuers/{coins.pk}/?metal=bronze").content.decode()
    assert f'href="/coins/labels/?metal=bronze&amp;issuer={coins.pk}">Tray labels</a>' in html


@pytest.mark.parametrize("rows", [1, 40])
def test_labels_query_count_does_not_grow_with_coins(user_client, django_assert_num_queries, rows):
    issuer = make_issuer("Trajan")
    for n in range(rows):
        coin = make_coin(inventory_number=f"T-{n}", issuer=issuer, denomination=make_denomination(f"D{n}"))
        make_reference(coin, f"RIC II {n}")
        make_reference(coin, f"RSC {n}", position=1)
    # Session + user (2), the coins with their vocabularies (1), their references (1).
    with django_assert_num_queries(4):
        html = user_client.get(f"/coins/labels/?issuer={issuer.pk}").content.decode()
    assert len(labels(html)) == rows
