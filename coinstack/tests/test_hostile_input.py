"""Filters and search never fail on hostile input: every answer is a page (200) or a clear 400.

Hypothesis throws random and malicious query strings at every list and search URL, with the filter
names of the contract (catalog/filters.py, auctions' filters). A 500 raises inside the test client,
so the failing example is printed with its traceback.
"""

import os
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from auctions.models import AuctionHouse, AuctionLot, LotStatus, Sale
from catalog.models import Coin

COIN_FILTERS = [
    "q", "category", "metal", "issuer", "mint", "denomination", "year_from", "year_to", "grade_min",
    "grade_max", "grading_state", "grade_service", "price_min", "price_max", "acquired_from",
    "acquired_to", "storage", "has_images", "in_series", "sort", "page", "view", "per_page",
]  # fmt: skip
LOT_FILTERS = [
    "q", "house", "sale", "status", "currency", "price_min", "price_max", "date_from", "date_to",
    "linked", "reference", "sort", "page",
]  # fmt: skip
LIST_URLS = {
    "/coins/": COIN_FILTERS,
    "/auctions/": LOT_FILTERS,
    "/issuers/": ["q", "page", "sort"],
    "/mints/": ["q", "page", "sort"],
}

MALICIOUS = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "9" * 400,
    "-" + "9" * 40,
    "18446744073709551616",
    "9223372036854775808",
    "-9223372036854775809",
    "3.14159",
    "1,5",
    "0x1F",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "-0044-03-15",
    "' OR '1'='1",
    "1; DROP TABLE catalog_coin;--",
    '" OR 1=1 --',
    "UNION SELECT password FROM auth_user",
    "augustus AND NOT",
    "NEAR(a b",
    '"unbalanced',
    "''''",
    "a* OR b*",
    "*",
    "^start",
    "col:value",
    "(((",
    ")",
    "-",
    "+",
    "AND",
    "OR NOT",
    "%",
    "_",
    "\\",
    "\x00",
    "a\x00b",
    "ΑΥΓΟΥΣΤΟΣ",
    "Æ",
    "🪙",
    "\u202e",
    "\ud7ff",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "${jndi:ldap://x}",
    "{{7*7}}",
    "true",
    "false",
    "None",
    "null",
    "[]",
    "{}",
]
# Real values too, so the combinations also exercise the paths that do filter something.
PLAUSIBLE = ["1", "2", "10", "-27", "14", "AR", "AV", "ae", "raw", "slabbed", "NGC", "sold", "USD", "CHF",
             "year", "-year", "price", "grade", "grid", "table", "list", "25", "100", "augustus",
             "RIC I 207"]  # fmt: skip

values = st.one_of(
    st.sampled_from(MALICIOUS),
    st.sampled_from(PLAUSIBLE),
    st.text(max_size=60),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(str),
)


def _params(names: list[str]):
    # Known names mostly, a few unknown ones, each possibly repeated (?a=1&a=2 is a list to Django).
    keys = st.one_of(st.sampled_from(names), st.text(max_size=12))
    return st.lists(st.tuples(keys, values), max_size=6)


@pytest.fixture
def browsing_data(db, django_user_model):
    """A handful of coins and lots, so filters have rows to match or miss."""
    user = django_user_model.objects.create_user("hostile-tester", password="x" * 20)
    for i, (metal, start, end) in enumerate([("AR", -27, 14), ("AV", 98, 117), ("AE", -150, -100)]):
        Coin.objects.create(
            inventory_number=f"H-{i}",
            metal=metal,
            year_start=start,
            year_end=end,
            acquisition_price=Decimal("100.50") * (i + 1),
            acquisition_currency="USD",
            storage_location=f"SlabBox{i}",
            grade="VF",
            grade_band=70,
        )
    house = AuctionHouse.objects.create(name="Savoca", slug="savoca")
    sale = Sale.objects.create(house=house, name="Blue 123", number="123")
    for i in range(3):
        AuctionLot.objects.create(
            url=f"https://www.biddr.com/auctions/savoca/browse?a=6341&l={7813191 + i}",
            house=house,
            sale=sale,
            lot_number=str(i + 1),
            title=f"Augustus denarius {i}",
            hammer_price=Decimal("250.00") * (i + 1),
            currency="EUR",
            status=LotStatus.SOLD,
            references_text="RIC I 207",
        )
    return user


def _check(client: Client, url: str, pairs: list[tuple[str, str]]) -> None:
    query = urlencode(pairs)
    try:
        response = client.get(f"{url}?{query}")
    except Exception as exc:  # a 500: name the request that caused it, for the report to the lead
        raise AssertionError(f"GET {url}?{query} raised {exc!r}") from exc
    assert response.status_code in (200, 400), f"{url}?{query} answered {response.status_code}"
    if response.status_code == 400:
        assert response.content.strip(), f"{url}?{query}: a 400 must say what was wrong"


HYPOTHESIS = settings(
    # 60 keeps the suite fast; COINSTACK_HYPOTHESIS_EXAMPLES=1000 digs deeper before a release.
    max_examples=int(os.environ.get("COINSTACK_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


# The values most likely to break a filter of each kind (number, date, choice, text), tried on every
# filter one at a time so a failure names its filter.
CORE = ["-1", "1e309", "NaN", "9" * 400, "18446744073709551616", "9999-12-31", "2026-02-30",
        "' OR '1'='1", '"unbalanced', "NEAR(a b", "\x00", "ΑΥΓΟΥΣΤΟΣ", "%", "[]"]  # fmt: skip


@pytest.mark.parametrize("url", list(LIST_URLS))
@pytest.mark.django_db
def test_every_known_filter_with_malicious_values(browsing_data, url):
    client = Client()
    client.force_login(browsing_data)
    assert client.get(url).status_code == 200, f"{url} is a page every installation has"
    failures = []

    def attempt(pairs):
        try:
            _check(client, url, pairs)
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])

    # Every malicious value in every filter at once (one request per value)...
    for value in MALICIOUS:
        attempt([(name, value) for name in LIST_URLS[url]])
    # ...and the core ones filter by filter, so the report names the filter that breaks.
    for name in LIST_URLS[url]:
        for value in CORE:
            attempt([(name, value)])
    assert failures == []


@pytest.mark.parametrize("url", list(LIST_URLS))
@pytest.mark.django_db
def test_random_filter_combinations(browsing_data, url):
    client = Client()
    client.force_login(browsing_data)
    assert client.get(url).status_code == 200, f"{url} is a page every installation has"

    @HYPOTHESIS
    @given(pairs=_params(LIST_URLS[url]))
    @example(pairs=[("page", "99999999999999999999")])
    @example(pairs=[("year_from", "14"), ("year_to", "-27")])
    @example(pairs=[("q", '"'), ("sort", "-nonexistent_field")])
    @example(pairs=[("per_page", "-1"), ("page", "0")])
    def run(pairs):
        _check(client, url, pairs)

    run()


@pytest.mark.django_db
def test_htmx_fragments_survive_hostile_input_too(browsing_data):
    client = Client(headers={"HX-Request": "true"})
    client.force_login(browsing_data)
    for url in LIST_URLS:
        for value in ["\x00", "9" * 400, '"unbalanced', "' OR '1'='1", "NEAR(a b"]:
            _check(client, url, [("q", value), ("page", value), ("sort", value)])
