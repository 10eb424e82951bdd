"""coinstack.auth_backends: the signed-in user is Django's, read by SQL compiled once; sessions
signed in under Django's own ModelBackend still sign their users in."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coinstack.auth_backends import PreparedModelBackend
from coinstack.sessions import SessionStore

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "curator@example.test", "pw-for-tests-only")


def signed_in(user, backend: str) -> Client:
    """A client whose session says `user` signed in through `backend`, as login() writes it."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    return client


def fields(user) -> dict:
    return {f.attname: getattr(user, f.attname) for f in user._meta.concrete_fields}


def test_the_same_user_as_djangos_backend(curator, django_user_model):
    ours, theirs = PreparedModelBackend().get_user(str(curator.pk)), ModelBackend().get_user(str(curator.pk))
    assert fields(ours) == fields(theirs)
    assert ours.get_session_auth_hash() == theirs.get_session_auth_hash()
    assert ours.has_perm("catalog.change_coin")
    for missing in (str(curator.pk + 1000), "not-a-key"):
        assert PreparedModelBackend().get_user(missing) is None
    django_user_model.objects.filter(pk=curator.pk).update(is_active=False)
    assert PreparedModelBackend().get_user(str(curator.pk)) is None
    assert ModelBackend().get_user(str(curator.pk)) is None


@pytest.mark.parametrize(
    "backend", ["coinstack.auth_backends.PreparedModelBackend", "django.contrib.auth.backends.ModelBackend"]
)
def test_a_session_signs_its_user_in_whichever_backend_it_names(curator, backend):
    client = signed_in(curator, backend)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    # The user is read once, by the configured backend's query.
    assert sum('FROM "auth_user" WHERE' in q["sql"] for q in queries) == 1


def test_a_changed_password_still_ends_the_session(curator):
    client = signed_in(curator, "django.contrib.auth.backends.ModelBackend")
    curator.set_password("a-new-password-for-tests")
    curator.save()
    assert client.get("/admin/").status_code == 302
