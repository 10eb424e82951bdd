"""Fixtures for the security tests: named users and a coin whose private fields are recognisable."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User

from catalog.models import Coin

PASSWORD = "correct horse battery staple 1907"


@pytest.fixture
def collector(db) -> User:
    """An ordinary logged-in user: sees everything, edits nothing."""
    return User.objects.create_user("collector", "collector@example.org", PASSWORD)


@pytest.fixture
def curator(db) -> User:
    """Staff with the permission to change coins (as the admin asks for editing)."""
    user = User.objects.create_user("curator", "curator@example.org", PASSWORD, is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="change_coin"), Permission.objects.get(codename="view_coin")
    )
    return user


@pytest.fixture
def private_coin(db) -> Coin:
    """A denarius with a price, source, storage place and notes nobody outside may see."""
    return Coin.objects.create(
        inventory_number="SEC-1",
        weight_g=Decimal("3.82"),
        year_start=-2,
        year_end=4,
        grade="Good VF",
        acquisition_price=Decimal("4321.77"),
        acquisition_currency="CHF",
        acquisition_source="Dealer Ptolemaios Privatus",
        storage_location="Velv9-7-3",
        notes="Insurance rider Zeta-884, keep quiet",
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Throttle tests log in dozens of times; the production hasher costs ~0.3 s each on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
