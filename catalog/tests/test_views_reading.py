"""Pages that read well: a coin dated by its striking date or, failing that, by its issuer's reign;
grade lines without a stray separator; lots linked as comparable shown as comparable."""

import re

import pytest
from django.conf import settings

from catalog.tests.factories import make_coin, make_denomination, make_issuer, make_lot

pytestmark = pytest.mark.django_db


@pytest.fixture
def hadrian():
    return make_issuer("Hadrian", reign_start=117, reign_end=138)


def test_a_coin_with_a_striking_date_shows_it_and_the_reign_apart(user_client, hadrian):
    coin = make_coin(issuer=hadrian, year_start=134, year_end=138)
    html = user_client.get(f"/coins/{coin.pk}/").content.decode()
    assert "<dt>Struck</dt><dd>AD 134-138" in html
    assert re.search(r"<dt>Reign</dt><dd>AD 117-138</dd>", html)


def test_a_coin_without_a_striking_date_shows_its_reign(user_client, hadrian):
    coin = make_coin(issuer=hadrian, year_start=None, year_end=None, denomination=make_denomination("As"))
    html = user_client.get(f"/coins/{coin.pk}/").content.decode()
    assert "<dt>Reign</dt><dd>AD 117-138" in html
    attribution = html[html.index("<h2>Attribution</h2>") : html.index("<h2>Physical</h2>")]
    assert "<dt>Date</dt>" not in attribution
    # In lists the reign is marked as a reign, never passed off as the striking date.
    for url in ("/coins/", "/coins/?view=table", "/"):
        page = user_client.get(url).content.decode()
        assert '<span class="dating-reign">reign AD 117-138</span>' in page, url


def test_the_date_as_written_counts_as_the_striking_date(user_client, hadrian):
    coin = make_coin(issuer=hadrian, year_start=None, year_end=None, date_text="after 134")
    assert coin.dating.kind == "struck" and coin.dating.text == "after 134"


def test_a_coin_with_no_date_and_no_reign(user_client):
    coin = make_coin(
        issuer=make_issuer("Uncertain", reign_start=None, reign_end=None), year_start=None, year_end=None
    )
    html = user_client.get(f"/coins/{coin.pk}/").content.decode()
    attribution = html[html.index("<h2>Attribution</h2>") : html.index("<h2>Physical</h2>")]
    assert "<dt>Date</dt><dd>—</dd>" in attribution


def test_the_grade_line_starts_with_no_separator_without_a_metal(user_client, hadrian):
    make_coin(issuer=hadrian, metal="", grade="VF")
    css = (settings.BASE_DIR / "static" / "css" / "coinstack.css").read_text()
    assert ".metal + .grade::before" in css
    html = user_client.get("/").content.decode()
    # The separator comes from the stylesheet, only after a metal.
    assert '<span class="grade" title="VF">VF</span>' in html
    assert ".grade::before" not in css.replace(".metal + .grade::before", "")


def test_a_lot_linked_as_comparable_is_listed_as_comparable(user_client, hadrian):
    coin = make_coin(issuer=hadrian)
    bought = make_lot(
        url="https://example.test/c/1", coin=coin, coin_role="acquisition", title="The purchase"
    )
    compared = make_lot(
        url="https://example.test/c/2", coin=coin, coin_role="comparable", title="A sister coin"
    )
    html = user_client.get(f"/coins/{coin.pk}/lots/").content.decode()
    own = html[html.index("Auction lots of this coin") : html.index("<h2>Comparable lots")]
    comparable = html[html.index("<h2>Comparable lots") :]
    assert bought.title in own and compared.title not in own
    assert compared.title in comparable
