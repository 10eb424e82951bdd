"""The portable archive: export then import is the same collection, field by field and file by file,
on either backend and from SQLite into PostgreSQL; a hostile or foreign archive is refused whole."""

import datetime as dt
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from auctions.models import AuctionLot, LotImage, LotReference
from catalog.choices import Origin
from catalog.exporting.archive import write_archive
from catalog.exporting.archive_format import ARCHIVED, DOCUMENT, MEDIA_PREFIX, NOT_ARCHIVED
from catalog.importing import UnusableFile
from catalog.importing.archive import import_archive
from catalog.models import Coin, CoinImage, ManualValue, Reference, SeriesSlot
from catalog.tests.archive_snapshot import archived_models, differences, snapshot
from catalog.valuation.snapshots import take_snapshot
from ops.demo.generate import generate_collection
from ops.demo.images import coin_jpeg
from vocab.models import CoinType

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def jpeg(seed: int = 1) -> bytes:
    import random

    return coin_jpeg(random.Random(seed), "silver", "AV", reverse=False)


def curated_extras() -> None:
    """What the generator does not make: a thumbnail, lot images, origins and import state."""
    coin = Coin.objects.order_by("id").first()
    image = CoinImage(coin=coin, kind="detail", position=5)
    image.image.save("detail.jpg", ContentFile(jpeg(2)), save=False)
    image.save()  # makes the thumbnail
    lot = AuctionLot.objects.exclude(coin=None).order_by("id").first()
    picture = LotImage(lot=lot, url="https://images.example/lot.jpg", sha256="ab" * 32, position=1)
    picture.image.save("lot.jpg", ContentFile(jpeg(3)), save=False)
    picture.save()
    Reference.objects.filter(pk=coin.references.first().pk).update(origin=Origin.IMPORT)
    # A coin type (reference data of load_types) that a coin's reference, a lot's and a slot point at.
    coin_type = CoinType.objects.create(
        uri="http://numismatics.org/ocre/id/ric.2.tr.128", corpus="ocre", label="RIC II Trajan 128",
        catalogue="RIC", volume="II", section="Trajan", number="128", obverse_legend="IMP TRAIANO AVG",
    )  # fmt: skip
    Reference.objects.filter(pk=coin.references.first().pk).update(type=coin_type, is_attribution=True)
    LotReference.objects.create(lot=lot, system="RIC", volume="II", number="128", raw_text="RIC II 128",
                                type=coin_type)  # fmt: skip
    SeriesSlot.objects.filter(pk=SeriesSlot.objects.order_by("id").first().pk).update(type=coin_type)
    Coin.objects.filter(pk=coin.pk).update(import_state={"references": "0123456789abcdef0123"})
    # A curator's value and the value history (every coin's snapshot of one day).
    ManualValue.objects.create(
        coin=coin, amount=Decimal("1250.50"), currency="CHF", note="Appraisal", valued_on=dt.date(2025, 1, 2)
    )
    take_snapshot(dt.date(2026, 1, 31))


def wipe(media_root: Path) -> None:
    for model in reversed(ARCHIVED):
        model.objects.all().delete()
    shutil.rmtree(media_root, ignore_errors=True)


def test_every_model_and_link_is_carried():
    """A new model or relation in these apps must be added to the archive (or named, with the reason,
    among those it leaves out), not silently dropped."""
    assert set(archived_models()) == set(ARCHIVED) | set(NOT_ARCHIVED)
    for model in ARCHIVED:
        for field in model._meta.concrete_fields:
            if field.many_to_one:
                assert field.related_model in ARCHIVED, f"{model.__name__}.{field.name}"


@pytest.mark.slow
def test_a_generated_collection_comes_back_field_by_field(media, tmp_path, settings):
    generate_collection(coins=500, lots=600, seed=7, images=True)
    curated_extras()
    before = snapshot()
    assert len(before["catalog.Coin"]) == 500 and len(before["catalog.CoinImage"]) == 1001
    archive = tmp_path / "collection.zip"
    written = write_archive(archive, all_lots=True)  # every row, so every row can be compared
    assert (written.coins, written.lots, written.files, written.missing_files) == (500, 600, 1003, [])

    wipe(media)
    report = import_archive(archive)
    assert report.files == 1003 and report.warnings == []
    after = snapshot()
    assert after == before, differences(before, after)
    assert Coin.objects.get(pk=Coin.objects.order_by("id").first().pk).references.filter(origin="import")


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads a SQLite database into PostgreSQL")
def test_a_sqlite_collection_moves_into_postgresql(media, tmp_path):
    """The documented move: a collection made on SQLite (in another process) into this PostgreSQL."""
    source = tmp_path / "source"
    source.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{source / 'db.sqlite3'}",
        "MEDIA_ROOT": str(source / "media"),
    }

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=REPO, env=env, check=True, capture_output=True
        )

    manage("migrate", "--skip-backup", "-v0")
    manage("generate_collection", "--coins", "500", "--lots", "600", "--seed", "11")
    manage("export_collection", "--format", "archive", "--all-lots", "--output", str(tmp_path / "move.zip"))
    subprocess.run(
        [sys.executable, "-m", "catalog.tests.archive_snapshot", str(tmp_path / "before.pickle")],
        cwd=REPO, env=env, check=True, capture_output=True,
    )  # fmt: skip
    before = pickle.loads((tmp_path / "before.pickle").read_bytes())  # noqa: S301 - our own subprocess

    call_command("import_collection", str(tmp_path / "move.zip"), stdout=StringIO())
    after = snapshot()
    assert len(after["catalog.Coin"]) == 500
    assert after == before, differences(before, after)


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads a PostgreSQL database into SQLite")
def test_a_postgresql_collection_moves_into_sqlite(media, tmp_path):
    generate_collection(coins=120, lots=150, seed=5, images=True)
    before = snapshot()
    write_archive(tmp_path / "back.zip", all_lots=True)
    target = tmp_path / "target"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{target / 'db.sqlite3'}",
        "MEDIA_ROOT": str(target / "media"),
    }
    target.mkdir()
    for args in (
        ["manage.py", "migrate", "--skip-backup", "-v0"],
        ["manage.py", "import_collection", str(tmp_path / "back.zip")],
        ["-m", "catalog.tests.archive_snapshot", str(tmp_path / "after.pickle")],
    ):
        subprocess.run([sys.executable, *args], cwd=REPO, env=env, check=True, capture_output=True)
    after = pickle.loads((tmp_path / "after.pickle").read_bytes())  # noqa: S301 - our own subprocess
    assert after == before, differences(before, after)


def test_by_default_the_archive_carries_the_lots_linked_to_coins(media, tmp_path):
    generate_collection(coins=40, lots=80, seed=4, images=False)
    linked = set(AuctionLot.objects.exclude(coin=None).values_list("url", flat=True))
    assert 0 < len(linked) < AuctionLot.objects.count()
    before = {label: rows for label, rows in snapshot().items() if label.startswith(("catalog.", "vocab."))}
    write_archive(tmp_path / "linked.zip")
    wipe(media)
    import_archive(tmp_path / "linked.zip")
    assert set(AuctionLot.objects.values_list("url", flat=True)) == linked
    after = {label: rows for label, rows in snapshot().items() if label.startswith(("catalog.", "vocab."))}
    assert after == before, differences(before, after)


# --- refusals -------------------------------------------------------------------------------------


@pytest.fixture
def small_archive(media, tmp_path):
    generate_collection(coins=3, lots=4, seed=2, images=True)
    path = tmp_path / "small.zip"
    write_archive(path)
    wipe(media)
    return path


def rebuilt(path: Path, target: Path, *, document=None, extra: dict | None = None, drop=()) -> Path:
    """A copy of the archive with its document changed (document(dict) -> dict) or members added."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            if info.filename in drop:
                continue
            data = source.read(info)
            if info.filename == DOCUMENT and document is not None:
                data = json.dumps(document(json.loads(data))).encode()
            out.writestr(info, data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return target


def refused(path: Path, *messages: str, media_root: Path | None = None) -> str:
    with pytest.raises(UnusableFile) as caught:
        import_archive(path)
    for message in messages:
        assert message in str(caught.value)
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_collection", str(path), stdout=StringIO())
    for model in ARCHIVED[8:]:
        assert not model.objects.exists(), model
    if media_root is not None:
        assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))
    return str(caught.value)


@pytest.mark.parametrize(
    "name",
    ["../../outside.jpg", "/etc/cron.d/x", "media/coins/../../../x.jpg", "media\\coins\\x.jpg", "notes.txt"],
)
def test_members_outside_the_media_folders_are_refused(small_archive, tmp_path, media, name):
    hostile = rebuilt(small_archive, tmp_path / "hostile.zip", extra={name: b"x"})
    refused(hostile, "neither its document nor an image", media_root=media)


def test_an_image_that_is_not_one_is_refused_and_no_file_stays(small_archive, tmp_path, media):
    with zipfile.ZipFile(small_archive) as source:
        first = next(n for n in source.namelist() if n.startswith(MEDIA_PREFIX + "coins/"))
    fake = rebuilt(
        small_archive, tmp_path / "fake.zip", drop=(first,), extra={first: b"<?php system($_GET[1]);"}
    )
    message = refused(fake, "images of the archive were refused", "not an image", media_root=media)
    assert first[len(MEDIA_PREFIX) :] in message


def test_limits_are_checked_before_reading(small_archive, settings):
    settings.COINSTACK_ARCHIVE_MAX_MEMBERS = 3
    refused(small_archive, "the limit is 3")
    settings.COINSTACK_ARCHIVE_MAX_MEMBERS = 1_000_000
    settings.COINSTACK_ARCHIVE_MAX_BYTES = 1000
    refused(small_archive, "unpacks to", "the limit is 1,000 bytes")
    settings.COINSTACK_ARCHIVE_MAX_BYTES = 10**12
    settings.COINSTACK_ARCHIVE_MAX_DOCUMENT_BYTES = 100
    refused(small_archive, "document is", "the limit is 100 bytes")


def test_a_newer_or_foreign_or_inconsistent_document_is_refused(small_archive, tmp_path):
    def newer(doc):
        doc["source"]["migrations"]["catalog"] = "0099_from_the_future"
        return doc

    refused(
        rebuilt(small_archive, tmp_path / "a.zip", document=newer), "newer CoinStack", "0099_from_the_future"
    )

    def unknown_field(doc):
        doc["coins"][0]["aura"] = "strong"
        return doc

    refused(rebuilt(small_archive, tmp_path / "b.zip", document=unknown_field), "does not know (aura)")

    def dangling(doc):
        doc["coins"][0]["issuer_id"] = 999_999
        return doc

    refused(rebuilt(small_archive, tmp_path / "c.zip", document=dangling), "issuer 999999, which is not in")

    def bad_value(doc):
        doc["coins"][0]["weight_g"] = "heavy"
        return doc

    refused(rebuilt(small_archive, tmp_path / "d.zip", document=bad_value), "weight_g holds 'heavy'")
    refused(
        rebuilt(small_archive, tmp_path / "e.zip", document=lambda d: {"format": "other"}), "not a CoinStack"
    )


def test_an_archive_goes_only_into_an_empty_collection(small_archive):
    import_archive(small_archive)
    count = Coin.objects.count()
    with pytest.raises(UnusableFile, match=f"holds {count} coins"):
        import_archive(small_archive)
    assert Coin.objects.count() == count


def test_dry_run_writes_nothing(small_archive, media):
    report = import_archive(small_archive, dry_run=True)
    assert report.counts["coins"] == 3 and report.summary().startswith("Would bring back")
    assert not Coin.objects.exists() and not any(p.is_file() for p in media.rglob("*"))


def test_the_command_writes_an_archive_with_a_default_name(media, tmp_path, monkeypatch):
    generate_collection(coins=2, lots=2, seed=1, images=False)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    call_command("export_collection", "--format", "archive", stdout=out)
    (made,) = tmp_path.glob("coinstack-archive-*.zip")
    assert "Archived 2 coins" in out.getvalue() and zipfile.ZipFile(made).namelist() == [DOCUMENT]


def test_a_failure_half_way_leaves_database_and_media_as_they_were(small_archive, media, monkeypatch):
    from catalog.importing import archive as reader

    original = reader._Reader._insert

    def fail_at_references(self, model, rows):
        if model is Reference:
            raise RuntimeError("disk full")  # after the images were stored and the coins written
        return original(self, model, rows)

    monkeypatch.setattr(reader._Reader, "_insert", fail_at_references)
    with pytest.raises(RuntimeError, match="disk full"):
        import_archive(small_archive)
    assert not Coin.objects.exists() and not CoinImage.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))
