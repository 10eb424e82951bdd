"""A backup taken while the app keeps writing is one consistent moment of the database.

A writer thread inserts coins, each with exactly three references, in one transaction per coin.
A torn copy would hold a coin without all its references, or counts that differ from the
manifest; the restored database must hold neither.
"""

import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction
from django.db.models import Count

from catalog.models import Coin, Reference
from ops.backups import create_backup, restore_backup

REFS_PER_COIN = 3


class Writer(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.written = 0
        self.errors: list[BaseException] = []

    def run(self):
        try:
            while not self.stop.is_set():
                with transaction.atomic():
                    coin = Coin.objects.create(inventory_number=f"W{self.written}")
                    Reference.objects.bulk_create(
                        Reference(coin=coin, system="RIC", number=str(n), raw_text=f"RIC {n}", position=n)
                        for n in range(REFS_PER_COIN)
                    )
                self.written += 1
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.errors.append(exc)
        finally:
            connection.close()  # this thread's own connection; a restore needs none left open


def wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the writer thread did not get going")
        time.sleep(0.01)


@pytest.mark.django_db(transaction=True)
def test_backup_while_another_thread_writes_restores_to_a_consistent_state(settings, tmp_path):
    settings.COINSTACK_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    writer = Writer()
    writer.start()
    try:
        wait_for(lambda: writer.written >= 20)
        before = writer.written
        backups = [create_backup(include_media=False) for _ in range(3)]
        during = writer.written
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert not writer.errors
    assert during > before, "the writer was blocked by the backup"
    close_old_connections()

    for backup in backups:
        counts = backup.manifest.counts
        assert counts["catalog_coin"] >= before
        assert counts["catalog_reference"] == REFS_PER_COIN * counts["catalog_coin"]
    assert Coin.objects.count() > backups[0].manifest.counts["catalog_coin"]

    middle = backups[1]
    restore_backup(middle.path)

    assert Coin.objects.count() == middle.manifest.counts["catalog_coin"]
    assert Reference.objects.count() == middle.manifest.counts["catalog_reference"]
    torn = Coin.objects.annotate(n=Count("references")).exclude(n=REFS_PER_COIN)
    assert list(torn.values_list("inventory_number", flat=True)) == []
    # The coins are the first N the writer made: a snapshot, not a sample.
    numbers = sorted(int(n[1:]) for n in Coin.objects.values_list("inventory_number", flat=True))
    assert numbers == list(range(len(numbers)))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert cursor.execute("PRAGMA foreign_key_check").fetchall() == []
