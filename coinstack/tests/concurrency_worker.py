"""One process of the SQLite concurrency test: a writer (importer- or scraper-like) or a browser.

Run as `python -m coinstack.tests.concurrency_worker ROLE INDEX COUNT` with DATABASE_URL pointing at
the shared test file. Prints "ready", waits for a line on stdin (so all workers start together),
then prints one JSON line: what it did and every error it met (it never stops at the first, so the
parent can count).
"""

from __future__ import annotations

import json
import sys
import time
from decimal import Decimal


def _setup() -> None:
    import django

    django.setup()


def prepare_coins(index: int) -> None:
    """The shared counter row; IMMEDIATE transactions make get_or_create safe across processes."""
    from django.db import transaction

    from catalog.models import Coin

    with transaction.atomic():
        Coin.objects.get_or_create(
            inventory_number="COUNTER",
            defaults={"acquisition_price": Decimal(0), "acquisition_currency": "USD"},
        )


def prepare_browser(index: int) -> None:
    from django.contrib.auth.models import User

    User.objects.get_or_create(username=f"browser{index}")


def write_coins(index: int, count: int) -> dict:
    """Many short transactions, as the importer makes: insert one coin and bump a shared counter."""
    from django.db import transaction
    from django.db.models import F

    from catalog.models import Coin

    errors: list[str] = []
    done = 0
    for i in range(count):
        try:
            with transaction.atomic():
                Coin.objects.create(
                    inventory_number=f"W{index}-{i}", storage_location=f"Tray{index}", grade="VF"
                )
                # Every writer updates the same row: a lost update would show in its final value.
                Coin.objects.filter(inventory_number="COUNTER").update(
                    acquisition_price=F("acquisition_price") + Decimal("1")
                )
            done += 1
        except Exception as exc:
            errors.append(repr(exc))
    return {"role": "writer", "index": index, "done": done, "errors": errors}


def write_lots(index: int, count: int) -> dict:
    """Scraper-like upserts: one lot per URL, created then updated in a second transaction."""
    from django.db import transaction

    from auctions.models import AuctionLot, LotStatus

    errors: list[str] = []
    done = 0
    for i in range(count):
        url = f"https://www.numisbids.com/n.php?p=lot&sid={index}&lot={i}"
        try:
            with transaction.atomic():
                AuctionLot.objects.update_or_create(
                    url=url, defaults={"title": f"Lot {i}", "lot_number": str(i)}
                )
            with transaction.atomic():
                AuctionLot.objects.filter(url=url).update(status=LotStatus.SOLD, hammer_price=Decimal(i + 1))
            done += 1
        except Exception as exc:
            errors.append(repr(exc))
    return {"role": "scraper", "index": index, "done": done, "errors": errors}


def browse(index: int, count: int) -> dict:
    """Page views through the whole stack (middleware, ATOMIC_REQUESTS), logged in."""
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=f"browser{index}"))
    errors: list[str] = []
    done = 0
    for _ in range(count):
        for path in ("/", "/coins/?storage=Tray", "/auctions/?status=sold"):
            try:
                response = client.get(path)
                if response.status_code not in (200, 404):
                    errors.append(f"{path}: {response.status_code}")
                else:
                    done += 1
            except Exception as exc:
                errors.append(f"{path}: {exc!r}")
    return {"role": "browser", "index": index, "done": done, "errors": errors}


ROLES = {"coins": write_coins, "lots": write_lots, "browse": browse}
PREPARE = {"coins": prepare_coins, "browse": prepare_browser}


def main(argv: list[str]) -> None:
    role, index, count = argv[0], int(argv[1]), int(argv[2])
    _setup()
    if role in PREPARE:
        PREPARE[role](index)
    # Start together: Django's start-up takes seconds, and the point is to write at the same time.
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.monotonic()
    result = ROLES[role](index, count)
    result["seconds"] = round(time.monotonic() - started, 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
