"""A server process warms what its pages keep before it serves (coinstack.warmup, called from
coinstack/wsgi.py): the ECB's rate history and the statistics' converted spending; a failure to warm
is logged and never stops the server."""

import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.apps import apps

from catalog.tests.factories import make_coin
from catalog.valuation import rates, spending
from coinstack.tests.fresh_process import run_python
from coinstack.warmup import warm_process


@pytest.mark.django_db(transaction=True)  # warming closes the connection
def test_warming_reads_the_rate_history_and_converts_the_spending(monkeypatch):
    for price, currency, day in (
        ("120.00", "USD", dt.date(2019, 5, 3)),
        ("80.00", "EUR", dt.date(2021, 1, 9)),
    ):
        make_coin(acquisition_price=Decimal(price), acquisition_currency=currency, acquisition_date=day)
    monkeypatch.setattr(spending, "_kept", ((), {}))
    rates._converter.cache_clear()

    warm_process()

    assert rates._converter.cache_info().currsize == 1
    # One converted subtotal per (year, currency) bought in, kept for the first /stats/.
    converted = sorted(fingerprint.split("|")[:2] for fingerprint in spending._kept[1])
    assert converted == [["2019", "USD"], ["2021", "EUR"]]


@pytest.mark.django_db(transaction=True)  # warming closes the connection
def test_an_app_that_fails_to_warm_is_logged_and_the_others_still_warm(monkeypatch, caplog):
    def broken():
        raise RuntimeError("no such table")

    monkeypatch.setattr(apps.get_app_config("auctions"), "warm", broken, raising=False)
    rates._converter.cache_clear()

    with caplog.at_level(logging.WARNING, logger="coinstack.warmup"):
        warm_process()

    assert "Warming auctions failed" in caplog.text
    assert rates._converter.cache_info().currsize == 1


# A production process loading the WSGI application over a database not yet migrated.
CODE = """
import coinstack.wsgi
from django.db import connection
print(callable(coinstack.wsgi.application), connection.connection is None)
"""


def test_the_wsgi_application_loads_over_a_database_not_yet_migrated(tmp_path):
    result = run_python(CODE, tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]  # served, with the warming's connection closed
    assert "Warming catalog failed" in result.stderr
