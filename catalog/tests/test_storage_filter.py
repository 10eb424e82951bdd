"""?storage=: locations starting with the text, read through coin_storage_idx on both engines."""

import pytest
from django.contrib.auth.models import User

from catalog.listing import build_listing
from catalog.models import Coin
from catalog.tests.factories import make_coin

pytestmark = pytest.mark.django_db

LOCATIONS = [
    "SlabBox1",
    "SlabBox2",
    "Slac",
    "slabbox3",
    "Velv2-5-1",
    "Velv2.1",
    "Velv2ü",
    "Tray\ud7ff1",
    "Tray\ue000",
]


@pytest.fixture
def coins():
    for n, location in enumerate(LOCATIONS):
        make_coin(inventory_number=f"S-{n}", storage_location=location)


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("SlabBox", ["SlabBox1", "SlabBox2"]),
        ("Slab", ["SlabBox1", "SlabBox2"]),  # not "Slac", the first string after the prefix range
        ("slab", ["slabbox3"]),  # the same on SQLite as on PostgreSQL: case counts
        ("Velv2-", ["Velv2-5-1"]),
        ("Velv2", ["Velv2-5-1", "Velv2.1", "Velv2ü"]),
        ("SlabBox1", ["SlabBox1"]),
        ("Nowhere", []),
        # The character after U+D7FF is U+E000 (surrogates are not characters): no crash, exact range.
        ("Tray\ud7ff", ["Tray\ud7ff1"]),
    ],
)
def test_storage_is_a_prefix(rf, coins, prefix, expected):
    request = rf.get("/coins/", {"storage": prefix})
    request.user = User.objects.create_user("owner", password="not-used-here")
    listing = build_listing(request)
    assert sorted(listing.queryset.values_list("storage_location", flat=True)) == sorted(expected)
    assert Coin.objects.count() == len(LOCATIONS)
