"""manage.py backup: what one backup holds, how it is named, listed and pruned.

Runs on the configured engine (SQLite file or PostgreSQL); backups and media live in tmp_path.
The helpers at the top are shared by the other backup and restore test modules.
"""

import hashlib
import io
import json
import shutil
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from PIL import Image

from auctions.models import AuctionHouse, AuctionLot, LotImage, LotReference, Sale
from catalog.models import Coin, CoinImage, Reference, Series, SeriesMembership
from ops.backups import create_backup, list_backups
from ops.backups.manifest import MANIFEST_NAME, NAME_RE, backup_name, read_manifest
from vocab.models import Issuer, Mint

APPS = ("vocab", "catalog", "auctions")


@pytest.fixture
def backup_env(settings, tmp_path) -> Path:
    """Backups and media in a temporary folder; returns the backup folder."""
    settings.COINSTACK_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.COINSTACK_BACKUP_DIR


def jpeg(shade: int) -> bytes:
    """A real (tiny) JPEG: saving an image row opens the file to make its thumbnail."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (shade % 256, 90, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def write_media(media_root: Path, relative: str, content: bytes) -> str:
    path = media_root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return relative


def make_collection(media_root: Path, coins: int = 3) -> None:
    """A small collection touching every kind of row a backup must carry, with image files."""
    augustus = Issuer.objects.create(name="Augustus", nomisma_id="augustus")
    lugdunum = Mint.objects.create(name="Lugdunum")
    series = Series.objects.create(name="Twelve Caesars", slug="twelve-caesars")
    house = AuctionHouse.objects.create(name="Classical Numismatic Group", slug="cng")
    sale = Sale.objects.create(house=house, number="115", name="Triton XXV", date=date(2022, 1, 11))
    for n in range(1, coins + 1):
        coin = Coin.objects.create(
            inventory_number=str(n),
            issuer=augustus,
            mint=lugdunum,
            year_start=-2,
            year_end=4,
            metal="silver",
            weight_g=Decimal("3.82"),
            obverse_legend="CAESAR AVGVSTVS DIVI F PATER PATRIAE",
            notes=f"Bought at a show, line one\nline two {n}",
        )
        Reference.objects.create(coin=coin, system="RIC", volume="I", number="207", raw_text="RIC I 207")
        Reference.objects.create(coin=coin, system="RSC", number="43", raw_text="RSC 43", position=1)
        image = write_media(media_root, f"coins/{n:02d}/obverse-{n}.jpg", jpeg(n * 40))
        CoinImage.objects.create(coin=coin, image=image, kind="obverse", is_primary=True)
        SeriesMembership.objects.create(series=series, coin=coin)
        lot = AuctionLot.objects.create(
            url=f"https://auctions.cngcoins.com/lots/view/4-{n}",
            house=house,
            sale=sale,
            lot_number=str(100 + n),
            title="Augustus AR Denarius",
            hammer_price=Decimal("1200.00"),
            currency="USD",
            status="sold",
            coin=coin,
        )
        LotReference.objects.create(lot=lot, system="RIC", volume="I", number="207", raw_text="RIC I 207")
        lot_file = write_media(media_root, f"lots/aa/{n:064d}.jpg", jpeg(n * 40 + 7))
        LotImage.objects.create(
            lot=lot, url=f"https://images.example/{n}.jpg", image=lot_file, sha256="a" * 64
        )


def all_rows() -> dict[str, list[dict]]:
    """Every row of the project's own apps, in primary-key order: what a round trip must give back."""
    rows = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def media_files(media_root: Path) -> dict[str, bytes]:
    if not media_root.exists():
        return {}
    return {
        p.relative_to(media_root).as_posix(): p.read_bytes() for p in media_root.rglob("*") if p.is_file()
    }


def backup_names(dest: Path) -> set[str]:
    return {p.name for p in dest.iterdir()} if dest.exists() else set()


@pytest.mark.django_db(transaction=True)
def test_backup_holds_database_media_and_a_manifest_that_describes_them(backup_env, settings):
    make_collection(settings.MEDIA_ROOT)
    result = create_backup()

    manifest = json.loads((result.path / MANIFEST_NAME).read_text())
    assert manifest["app"] == "coinstack"
    assert manifest["format_version"] == 2
    assert manifest["engine"] in ("sqlite", "postgresql")
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    # Row counts of every model, equal to the database's.
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            assert manifest["counts"][model._meta.db_table] == model.objects.count(), model._meta.label
    assert manifest["counts"]["catalog_coin"] == 3
    # The latest applied migration per app is the code's leaf (the test database is fully migrated).
    leaves = dict(MigrationLoader(None).graph.leaf_nodes())
    for app in APPS:
        assert manifest["migrations"][app] == leaves[app]
    # Media: every file, with the SHA-256 of the original.
    originals = media_files(settings.MEDIA_ROOT)
    assert {item["path"] for item in manifest["media"]} == set(originals)
    for item in manifest["media"]:
        assert item["sha256"] == hashlib.sha256(originals[item["path"]]).hexdigest()
        assert (result.path / "media" / item["path"]).read_bytes() == originals[item["path"]]
    database = result.path / manifest["database_file"]
    assert hashlib.sha256(database.read_bytes()).hexdigest() == manifest["database_sha256"]
    assert result.size > database.stat().st_size


@pytest.mark.django_db(transaction=True)
def test_backup_names_carry_utc_time_and_never_clash(backup_env):
    first = create_backup(include_media=False)
    second = create_backup(include_media=False)
    assert first.path != second.path
    for result in (first, second):
        assert NAME_RE.match(result.path.name)
        stamp = datetime.strptime(result.path.name[len("coinstack_") :][:22], "%Y%m%d_%H%M%S_%f")
        assert abs(stamp.replace(tzinfo=UTC) - result.manifest.created) < timedelta(seconds=1)
    assert backup_name(datetime(2026, 1, 25, 0, 26, 14, 5, tzinfo=UTC)) == "coinstack_20260125_002614_000005"
    # Nothing half-made is left behind.
    assert all(not p.name.startswith(".") for p in backup_env.iterdir())


@pytest.mark.django_db(transaction=True)
def test_no_media_leaves_images_out(backup_env, settings):
    make_collection(settings.MEDIA_ROOT, coins=1)
    result = create_backup(include_media=False)
    assert result.manifest.media_included is False
    assert result.manifest.media == []
    assert not (result.path / "media").exists()
    assert read_manifest(result.path).counts["catalog_coinimage"] == 1


@pytest.mark.django_db(transaction=True)
def test_keep_deletes_the_oldest_beyond_n(backup_env):
    made = [create_backup(include_media=False).path for _ in range(4)]
    newest = create_backup(include_media=False, keep=2)
    remaining = sorted(p.name for p in backup_env.iterdir())
    assert remaining == sorted([made[-1].name, newest.path.name])
    assert sorted(p.name for p in newest.deleted) == sorted(p.name for p in made[:3])


@pytest.mark.django_db(transaction=True)
def test_keep_never_deletes_the_backup_just_made(backup_env):
    """Even when a backup with a later date sits in the folder (a clock set wrong), the new one stays."""
    old = create_backup(include_media=False)
    future = backup_env / "coinstack_20991231_235959_000000"
    shutil.copytree(old.path, future)
    data = json.loads((future / MANIFEST_NAME).read_text())
    data["created_at"] = "2099-12-31T23:59:59+00:00"
    (future / MANIFEST_NAME).write_text(json.dumps(data))

    new = create_backup(include_media=False, keep=1)
    assert backup_names(backup_env) == {future.name, new.path.name}


@pytest.mark.django_db(transaction=True)
def test_backup_command_reports_and_lists(backup_env, settings, capsys):
    make_collection(settings.MEDIA_ROOT, coins=2)
    call_command("backup")
    out = capsys.readouterr().out
    [made] = list_backups(backup_env)
    assert f"Backup verified: {made.path}" in out
    assert "2 coins, 2 lots" in out

    call_command("backup", "--list")
    listing = capsys.readouterr().out
    assert made.name in listing
    assert made.manifest.created.strftime("%Y-%m-%d %H:%M:%S") in listing
    assert "2 coins, 2 lots" in listing
    assert "1 backups in" in listing

    call_command("list_backups")
    assert made.name in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_list_marks_a_damaged_backup_instead_of_hiding_it(backup_env):
    good = create_backup(include_media=False)
    damaged = backup_env / "coinstack_20200101_000000_000000"
    damaged.mkdir()
    (damaged / MANIFEST_NAME).write_text("{not json")
    listed = {info.name: info for info in list_backups(backup_env)}
    assert listed[good.path.name].manifest is not None
    assert listed[damaged.name].manifest is None
    assert "damaged" in listed[damaged.name].problem


@pytest.mark.django_db(transaction=True)
def test_a_backup_folder_inside_media_root_is_not_backed_up_into_itself(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COINSTACK_BACKUP_DIR = tmp_path / "media" / "backups"
    write_media(settings.MEDIA_ROOT, "coins/aa/one.jpg", jpeg(3))
    create_backup()
    second = create_backup()
    assert [m.path for m in second.manifest.media] == ["coins/aa/one.jpg"]
