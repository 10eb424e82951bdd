"""coinstack.sessions: the session store loads what Django's database store loads, from the same rows."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coinstack.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved(data: dict) -> str:
    store = DjangoStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_session_saved_by_either_store_loads_the_same_in_both():
    for writer in (DjangoStore, SessionStore):
        store = writer()
        store.update({"who": "curator", "n": 3, "accents": "Göbl, Ⅳ"})
        store.save()
        key = store.session_key
        ours, theirs = SessionStore(key), DjangoStore(key)
        assert ours.load() == theirs.load() == {"who": "curator", "n": 3, "accents": "Göbl, Ⅳ"}
        assert ours.session_key == theirs.session_key == key


def test_an_expired_or_unknown_session_loads_empty_and_drops_its_key():
    expired = saved({"who": "curator"})
    Session.objects.filter(session_key=expired).update(expire_date=timezone.now() - timedelta(seconds=1))
    for key in (expired, "x" * 32, "no-such-session-key-at-all"):
        ours, theirs = SessionStore(key), DjangoStore(key)
        assert ours.load() == theirs.load() == {}
        assert ours.session_key is None and theirs.session_key is None
    # A key too short to be one is not looked up at all.
    store = SessionStore("short")
    with CaptureQueriesContext(connection) as queries:
        assert store.load() == {}
    assert len(queries) == 0


def test_a_session_just_before_its_expiry_still_loads():
    key = saved({"who": "curator"})
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=30))
    assert SessionStore(key).load() == {"who": "curator"}


def test_logged_in_pages_load_the_session_with_one_query(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw-for-tests-only")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/coins/").status_code == 200
    session_reads = [q["sql"] for q in queries if "django_session" in q["sql"]]
    assert len(session_reads) == 1
    assert session_reads[0].startswith('SELECT "session_data" FROM "django_session"')
