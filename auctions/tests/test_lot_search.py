"""Lot search (`/auctions/?q=`): a full-text index (FTS5 on SQLite, a GIN index on PostgreSQL) that
follows every write, takes words as prefixes, needs all of them, and treats typed operators as text.
"""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from auctions.filters import LotFilter, search_lots
from auctions.models import AuctionLot
from catalog.tests.factories import make_lot, make_sale

pytestmark = pytest.mark.django_db


@pytest.fixture
def lots():
    sale = make_sale("Leu Numismatik", "15")

    def lot(n: int, title: str, description: str) -> AuctionLot:
        return make_lot(
            url=f"https://example.test/search/{n}",
            house=sale.house,
            sale=sale,
            title=title,
            description=description,
            closing_date=datetime(2024, 1, n, tzinfo=UTC),
        )

    return {
        "denarius": lot(1, "Trajan AR Denarius", "Rome mint. Struck AD 103-111. RIC II 118."),
        "aureus": lot(2, "Hadrian AV Aureus", "Rome mint. Ex Münzen und Medaillen 52."),
        "sestertius": lot(3, "Faustina II Æ Sestertius", "Rome mint. Seated figure left. Denarius weight?"),
    }


def found(text: str) -> set[str]:
    return set(search_lots(AuctionLot.objects.all(), text).values_list("title", flat=True))


def test_words_are_prefixes_and_all_are_needed(lots):
    assert found("denar") == {"Trajan AR Denarius", "Faustina II Æ Sestertius"}
    assert found("denarius trajan") == {"Trajan AR Denarius"}
    assert found("rome hadrian") == {"Hadrian AV Aureus"}
    assert found("ric 118") == {"Trajan AR Denarius"}
    assert found("caligula") == set()


def test_accents_fold_on_both_sides(lots):
    assert found("munzen") == {"Hadrian AV Aureus"}
    assert found("MÜNZEN") == {"Hadrian AV Aureus"}


ALL = {"Trajan AR Denarius", "Hadrian AV Aureus", "Faustina II Æ Sestertius"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"', ALL),  # no words: no search
        ("*", ALL),
        ("denarius OR aureus", set()),  # OR is a word like the others, and no lot has all three
        ("NEAR(denarius aureus)", set()),
        ("title:aureus", set()),  # no column filter: "title" is a word to find
        ("') OR 1=1 --", set()),
        ("^den", {"Trajan AR Denarius", "Faustina II Æ Sestertius"}),
    ],
)
def test_hostile_input_is_only_text(lots, text, expected):
    assert found(text) == expected


def test_the_index_follows_updates_and_deletes(lots):
    AuctionLot.objects.filter(pk=lots["aureus"].pk).update(title="Hadrian AV Aureus, Fides reverse")
    assert found("fides") == {"Hadrian AV Aureus, Fides reverse"}
    lot = lots["denarius"]
    lot.description = "Lugdunum mint."
    lot.save()
    assert found("ric 118") == set()
    assert found("lugdunum") == {"Trajan AR Denarius"}
    AuctionLot.objects.filter(pk=lots["sestertius"].pk).delete()
    assert found("denarius") == {"Trajan AR Denarius"}


def test_search_page_lists_newest_first_with_counts(user_client, lots):
    html = user_client.get("/auctions/?q=denarius").content.decode()
    titles = re.findall(r'class="lot-title">([^<]+)</a>', html)
    assert titles == ["Faustina II Æ Sestertius", "Trajan AR Denarius"]
    assert "<strong>2</strong> lots" in html


def test_search_page_queries_do_not_grow_with_rows(user_client, lots):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert user_client.get("/auctions/?q=rome").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    sale = lots["denarius"].sale
    for n in range(30):
        make_lot(url=f"https://example.test/more/{n}", house=sale.house, sale=sale, title=f"Rome {n}")
    assert count() == few


def test_a_repeated_search_page_follows_writes(user_client, lots):
    page = user_client.get("/auctions/?q=rome").content.decode()
    assert len(re.findall(r'class="lot-title">', page)) == 3
    assert user_client.get("/auctions/?q=rome").content.decode().count('class="lot-title">') == 3
    AuctionLot.objects.filter(pk=lots["aureus"].pk).update(description="Antioch mint.")
    html = user_client.get("/auctions/?q=rome").content.decode()
    assert "Hadrian AV Aureus" not in html and "<strong>2</strong> lots" in html


@pytest.fixture
def many_lots():
    """Lots of two houses, some closing on the same day, one without a date, one a purchase."""
    cng, roma = make_sale("CNG", "120"), make_sale("Roma Numismatics", "27")
    made = []
    for n in range(24):
        made.append(
            make_lot(
                url=f"https://example.test/many/{n}",
                house=(cng if n % 3 else roma).house,
                sale=cng if n % 3 else roma,
                title=f"Rome denarius {n}" if n % 4 else f"Antioch tetradrachm {n}",
                status="sold" if n % 2 else "unsold",
                currency="USD" if n % 5 else "CHF",
                hammer_price=Decimal(n * 10) if n % 2 else None,
                closing_date=None if n == 7 else datetime(2024, 1, 1 + n % 6, tzinfo=UTC),
                coin_role="acquisition" if n == 9 else "",
            )
        )
    return made


def listed(client, query: str) -> list[str]:
    return re.findall(r'class="lot-title">([^<]+)</a>', client.get(f"/auctions/?{query}").content.decode())


@pytest.mark.parametrize("sort", ["", "-date", "-hammer", "hammer"])
def test_a_search_finds_the_same_page_by_probing_its_matches(user_client, many_lots, monkeypatch, sort):
    """A search with many matches reads the lots in the list's order and probes the matches
    (auctions.views._probe_pays): the same lots, in the same order, on every page."""
    from auctions import views

    query = f"q=denarius&sort={sort}"
    monkeypatch.setattr(views, "PER_PAGE", 5)
    joined = [listed(user_client, f"{query}&page={page}") for page in (1, 2, 3, 4)]
    monkeypatch.setattr(views, "PROBE_FROM_MATCHES", 1)
    probed = [listed(user_client, f"{query}&page={page}") for page in (1, 2, 3, 4)]
    assert probed == joined
    assert sum(len(page) for page in joined) == 18  # 24 lots, every fourth a tetradrachm


def test_search_facets_count_the_matches(user_client, many_lots, settings):
    """The search's counts (read from lot_search_facets_idx on SQLite) are those of the matches,
    with the other filters applied and the owner's purchase left out for the public."""
    sold = [lot for lot in many_lots if "denarius" in lot.title and lot.status == "sold"]
    html = user_client.get("/auctions/?q=denarius&status=sold").content.decode()
    assert f"<strong>{len(sold)}</strong> lots" in html
    settings.COINSTACK_PUBLIC_BROWSING = True
    public = Client().get("/auctions/?q=denarius&status=sold").content.decode()  # signed out
    assert f"<strong>{len([lot for lot in sold if lot.coin_role != 'acquisition'])}</strong> lots" in public
    filterset = LotFilter(QueryDict("q=denarius&status=sold&currency=USD"), queryset=AuctionLot.objects.all())
    counts = filterset.facet_counts()
    expected_status: dict[str, int] = {}
    for lot in many_lots:
        if "denarius" in lot.title and lot.currency == "USD":
            expected_status[lot.status] = expected_status.get(lot.status, 0) + 1
    assert counts["status"] == expected_status
    assert filterset.facet_total == expected_status["sold"]
