"""Repeated failed logins are refused for a while, per username and address, with a clear message."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _attempt(client: Client, password: str, username: str = "collector", ip: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail_until_locked(client: Client, ip: str = "203.0.113.7") -> list[int]:
    return [_attempt(client, "wrong guess", ip=ip).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]


def test_five_failures_lock_the_account_for_that_address(client, collector):
    statuses = _fail_until_locked(client)
    # The first failures show the form again (200); the last one is refused.
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    # Now even the right password is refused, with a message saying what to do.
    response = _attempt(client, PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed logins" in text
    assert "15 minutes" in text
    assert "_auth_user_id" not in client.session


def test_lockout_is_stored_in_the_database_for_every_worker(client, collector):
    _fail_until_locked(client)
    attempt = AccessAttempt.objects.get(username="collector", ip_address="203.0.113.7")
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    # A different client object (another worker would read the same table) is refused too.
    assert _attempt(Client(), PASSWORD).status_code == 429


def test_other_addresses_and_other_accounts_are_not_locked(client, collector, django_user_model):
    _fail_until_locked(client)
    django_user_model.objects.create_user("second", password=PASSWORD)
    assert _attempt(Client(), PASSWORD, username="second").status_code == 302
    assert _attempt(Client(), PASSWORD, ip="198.51.100.20").status_code == 302


def test_forwarded_for_header_does_not_dodge_the_lock(client, collector):
    _fail_until_locked(client)
    response = client.post(
        LOGIN,
        {"username": "collector", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429


def test_lock_ends_after_the_cool_off(client, collector):
    _fail_until_locked(client)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert _attempt(client, PASSWORD).status_code == 302


def test_success_before_the_limit_resets_the_count(client, collector):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "wrong guess").status_code == 200
    assert _attempt(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "wrong guess").status_code == 200


def test_admin_login_is_throttled_too(client, curator):
    statuses = [
        client.post(
            reverse("admin:login"), {"username": "curator", "password": "nope"}, REMOTE_ADDR="203.0.113.8"
        ).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
    response = client.post(
        reverse("admin:login"), {"username": "curator", "password": PASSWORD}, REMOTE_ADDR="203.0.113.8"
    )
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


def test_code_without_a_request_can_still_authenticate(collector):
    # Client.login() calls authenticate() without a request; the throttle must not break it.
    assert Client().login(username="collector", password=PASSWORD)
