"""Project-wide pytest fixtures."""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent


def shared_dir() -> Path:
    """Where the shared reference material lives: $COINSTACK_SHARED or ../shared beside the repo."""
    return Path(os.environ.get("COINSTACK_SHARED", REPO_ROOT.parent / "shared"))


@pytest.fixture
def shared():
    """The shared/ folder (real spreadsheet, saved auction pages); skips the test when it is absent.

    A user's fresh clone has no ../shared, so tests that read real data must not fail there.
    """
    path = shared_dir()
    if not path.is_dir():
        pytest.skip(f"shared reference material not found at {path}")
    return path


@pytest.fixture
def user_client(client):
    """The test client logged in as "collector": an account of the installation, not staff (the owner
    of the collection sees its private fields; the admin needs staff)."""
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("collector"))
    return client


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last.

    pytest-django's live server lives until the session ends and keeps the test database open;
    tests that need the database to themselves (restores) must run before it starts.
    """
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
