"""manage.py restore: a round trip gives back the same rows and media; anything doubtful is refused
before a single row or file changes."""

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings

from auctions.models import AuctionLot
from catalog.models import Coin
from ops.backups import BackupError, create_backup, list_backups, restore_backup
from ops.backups.manifest import MANIFEST_NAME, read_manifest
from ops.backups.schema import pending_migrations
from ops.tests.test_backup import all_rows, backup_names, jpeg, make_collection, media_files, write_media


@pytest.fixture
def backup_env(settings, tmp_path) -> Path:
    settings.COINSTACK_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.COINSTACK_BACKUP_DIR


def change_everything(media_root: Path) -> None:
    """What happens between a backup and a restore: rows deleted, added and edited; files too."""
    Coin.objects.filter(inventory_number="1").delete()
    Coin.objects.create(inventory_number="99", notes="added after the backup")
    AuctionLot.objects.update(title="edited after the backup")
    (media_root / "coins/02/obverse-2.jpg").write_bytes(jpeg(250))
    (media_root / "coins/03/obverse-3.jpg").unlink()
    write_media(media_root, "coins/ff/new.jpg", jpeg(1))


@pytest.mark.django_db(transaction=True)
def test_round_trip_gives_back_exactly_the_same_rows_and_media(backup_env, settings):
    make_collection(settings.MEDIA_ROOT)
    rows, files = all_rows(), media_files(settings.MEDIA_ROOT)
    backup = create_backup()
    change_everything(settings.MEDIA_ROOT)
    assert all_rows() != rows and media_files(settings.MEDIA_ROOT) != files

    call_command("restore", str(backup.path), "--yes", verbosity=0)

    assert all_rows() == rows
    assert media_files(settings.MEDIA_ROOT) == files
    # The data replaced is kept in a safety backup, which describes the changed state.
    safety = [b for b in list_backups(backup_env) if b.manifest.reason == "pre-restore"]
    assert len(safety) == 1
    assert safety[0].manifest.counts["catalog_coin"] == 3  # one deleted, one added
    assert "coins/ff/new.jpg" in {m.path for m in safety[0].manifest.media}
    # The app keeps working on the restored database: it can write and search it.
    Coin.objects.create(inventory_number="100")
    assert Coin.objects.count() == 4
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.django_db(transaction=True)
def test_restore_by_name_from_the_backup_folder(backup_env, settings, capsys):
    make_collection(settings.MEDIA_ROOT, coins=1)
    backup = create_backup(include_media=False)
    Coin.objects.all().delete()
    call_command("restore", backup.path.name, "--yes")
    assert Coin.objects.count() == 1
    assert f"Restored {backup.path.name}" in capsys.readouterr().out


# --- refusals: each damages a good backup in one way ------------------------------------------------

ANOTHER_SECRET = "the SECRET_KEY of another CoinStack installation, 0123456789"


def _database(path: Path) -> Path:
    return path / json.loads((path / MANIFEST_NAME).read_text())["database_file"]


def _edit_manifest(path: Path, **changes) -> None:
    """Rewrite manifest.json by hand: its signature, made by this installation, no longer fits."""
    data = json.loads((path / MANIFEST_NAME).read_text())
    data.update(changes)
    (path / MANIFEST_NAME).write_text(json.dumps(data))


def forge_manifest(path: Path, **changes) -> None:
    """Rewrite the manifest and sign it with another installation's key: what a backup from elsewhere
    looks like, and all a forger without our SECRET_KEY can do. Only --allow-foreign lets it past the
    signature; the content checks must then catch what is wrong."""
    manifest = read_manifest(path)
    for name, value in changes.items():
        setattr(manifest, name, value)
    with override_settings(SECRET_KEY=ANOTHER_SECRET):
        manifest.write(path)


def corrupt(path: Path) -> None:
    database = _database(path)
    data = bytearray(database.read_bytes())
    middle = len(data) // 2
    for i in range(middle, middle + 64):
        data[i] ^= 0xFF  # flip every bit: zeroing could leave bytes of free space unchanged
    database.write_bytes(bytes(data))


def _checksum_fixed(path: Path) -> dict:
    data = _database(path).read_bytes()
    return {"database_sha256": hashlib.sha256(data).hexdigest(), "database_size": len(data)}


def corrupt_with_matching_checksum(path: Path) -> None:
    """Damage the database file and fix up the manifest: only the content checks can notice.

    On SQLite the damage hits the header of the coin table's root page (bytes in free space would
    go unnoticed by any check); a PostgreSQL dump is compressed, so any damage breaks it.
    """
    database = _database(path)
    if json.loads((path / MANIFEST_NAME).read_text())["engine"] == "sqlite":
        with sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True) as conn:
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            [root] = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'catalog_coin'").fetchone()
        conn.close()
        data = bytearray(database.read_bytes())
        start = (root - 1) * page_size
        for i in range(start, start + 12):
            data[i] ^= 0xFF
        database.write_bytes(bytes(data))
    else:
        corrupt(path)
    forge_manifest(path, **_checksum_fixed(path))


def truncate(path: Path) -> None:
    database = _database(path)
    database.write_bytes(database.read_bytes()[: database.stat().st_size // 2])


def garbage_with_matching_checksum(path: Path) -> None:
    """A file that is not a database at all, with a manifest updated to match it exactly."""
    _database(path).write_bytes(b"this is a spreadsheet, not a database\n" * 500)
    forge_manifest(path, **_checksum_fixed(path))


def foreign_manifest(path: Path) -> None:
    _edit_manifest(path, app="someotherapp")


def no_manifest(path: Path) -> None:
    (path / MANIFEST_NAME).unlink()


def newer_schema(path: Path) -> None:
    manifest = read_manifest(path)
    forge_manifest(
        path,
        applied_migrations=[*manifest.applied_migrations, ["catalog", "9999_from_a_newer_version"]],
        migrations={**manifest.migrations, "catalog": "9999_from_a_newer_version"},
    )


def other_engine(path: Path) -> None:
    engine = read_manifest(path).engine
    forge_manifest(path, engine="postgresql" if engine == "sqlite" else "sqlite")


def damaged_media(path: Path) -> None:
    image = next((path / "media").rglob("*.jpg"))
    image.write_bytes(b"not the picture that was backed up")


def fewer_counts(path: Path) -> None:
    """The manifest leaves tables out, so there is less to compare."""
    forge_manifest(path, counts={"catalog_coin": read_manifest(path).counts["catalog_coin"]})


FOREIGN = "made by another installation"
# damage -> (message without --allow-foreign, message with it)
DAMAGE = {
    "corrupt": (corrupt, "does not match its SHA-256", "does not match its SHA-256"),
    "corrupt-checksum-fixed": (corrupt_with_matching_checksum, FOREIGN, "is refused"),
    "truncated": (truncate, "truncated", "truncated"),
    "not-a-database": (garbage_with_matching_checksum, FOREIGN, "not a"),
    "foreign-app": (foreign_manifest, "not made by CoinStack", "not made by CoinStack"),
    "no-manifest": (no_manifest, "not a CoinStack backup", "not a CoinStack backup"),
    "newer-schema": (newer_schema, FOREIGN, "newer schema"),
    "damaged-media": (damaged_media, "media file", "media file"),
    "other-engine": (other_engine, FOREIGN, "the current database is"),
    "fewer-counts": (fewer_counts, FOREIGN, "the manifest does not count the tables"),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("allow_foreign", [False, True], ids=["signed-only", "allow-foreign"])
@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_doubtful_backup_is_refused_and_nothing_changes(backup_env, settings, damage, allow_foreign):
    """Without --allow-foreign the signature refuses every rewritten manifest before a file is read;
    with it, the checks of the files and their content refuse the same backups."""
    make_collection(settings.MEDIA_ROOT, coins=2)
    backup = create_backup()
    damage_fn, message, message_allowed = DAMAGE[damage]
    damage_fn(backup.path)
    Coin.objects.create(inventory_number="after")  # the current state differs from the backup
    rows, files, folder = all_rows(), media_files(settings.MEDIA_ROOT), backup_names(backup_env)

    with pytest.raises(CommandError, match=message_allowed if allow_foreign else message):
        call_command("restore", str(backup.path), "--yes", *(["--allow-foreign"] if allow_foreign else []))

    assert all_rows() == rows
    assert media_files(settings.MEDIA_ROOT) == files
    assert backup_names(backup_env) == folder  # not even a safety backup: nothing was started
    assert not list(Path(settings.MEDIA_ROOT).parent.glob(".media.restore-*"))


@pytest.mark.django_db(transaction=True)
def test_a_plain_file_is_not_a_backup(backup_env, tmp_path):
    stray = tmp_path / "coinstack.sqlite3"
    stray.write_bytes(b"SQLite format 3\x00" + bytes(100))
    with pytest.raises(CommandError, match="not a CoinStack backup"):
        call_command("restore", str(stray), "--yes")
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", "coinstack_19990101_000000", "--yes")


@pytest.mark.django_db(transaction=True)
def test_restore_asks_first_and_a_no_changes_nothing(backup_env, settings):
    make_collection(settings.MEDIA_ROOT, coins=1)
    backup = create_backup()
    Coin.objects.create(inventory_number="after")
    rows = all_rows()
    # Not on a terminal (as under pytest) and without --yes: refused.
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(backup.path))
    # Answering no.
    seen = []
    with pytest.raises(BackupError, match="cancelled"):
        restore_backup(backup.path, confirm=lambda manifest: seen.append(manifest.name) or False)
    assert seen == [backup.path.name]
    assert all_rows() == rows


def _step_back(app: str) -> tuple[str, str]:
    """An app's latest migration and the one before it (or "zero")."""
    graph = MigrationLoader(None).graph
    leaf = next(node for node in graph.leaf_nodes() if node[0] == app)
    parents = [p for p in graph.node_map[leaf].parents if p.key[0] == app]
    return leaf[1], parents[0].key[1] if parents else "zero"


@pytest.mark.django_db(transaction=True)
def test_an_older_backup_is_migrated_forward_after_restore(backup_env, settings):
    """A backup from before the latest migrations of auctions and catalog (full-text search: its
    tables, triggers and functions) restores over the current schema and is brought up to date."""
    steps = {app: _step_back(app) for app in ("auctions", "catalog")}
    try:
        # Made before stepping back: the model is the current schema's, and a latest migration that
        # adds a coin column (catalog 0011) would leave the ORM no table it can write to.
        Coin.objects.create(inventory_number="old-schema")
        for app, (_latest, previous) in steps.items():
            call_command("migrate", app, previous, skip_backup=True, verbosity=0)
        older = create_backup(include_media=False)
        for app, (latest, _previous) in steps.items():
            assert older.manifest.migrations.get(app) != latest
        call_command("migrate", skip_backup=True, verbosity=0)
        Coin.objects.all().delete()

        result = restore_backup(older.path)

        assert {f"{app}.{latest}" for app, (latest, _) in steps.items()} <= set(result.migrated)
        assert pending_migrations() == []
        assert list(Coin.objects.values_list("inventory_number", flat=True)) == ["old-schema"]
        Coin.objects.create(inventory_number="new-after-restore")  # triggers of the new schema work
    finally:
        call_command("migrate", skip_backup=True, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_sqlite_a_failed_final_rename_leaves_the_current_data_as_it_was(backup_env, settings, monkeypatch):
    """SQLite: the rename that switches the database fails; the live file was never touched."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL switches by a commit (test_restore_atomic.py)")
    from ops.backups import sqlite

    make_collection(settings.MEDIA_ROOT, coins=2)
    backup = create_backup()
    Coin.objects.create(inventory_number="after")
    rows, files = all_rows(), media_files(settings.MEDIA_ROOT)
    database = Path(connection.settings_dict["NAME"])
    real_replace = os.replace

    def failing_replace(src, dst):
        if Path(dst) == database:
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(sqlite.os, "replace", failing_replace)

    with pytest.raises(BackupError, match="nothing was changed"):
        restore_backup(backup.path)

    assert all_rows() == rows
    assert media_files(settings.MEDIA_ROOT) == files
    leftovers = [p.name for p in Path(settings.MEDIA_ROOT).parent.iterdir() if ".restore-" in p.name]
    leftovers += [p.name for p in database.parent.glob(f".{database.name}.*")]
    assert leftovers == []
    assert not (backup_env / ".restore-journal.json").exists()


@pytest.mark.django_db(transaction=True)
def test_sqlite_restore_refuses_while_another_connection_is_open(backup_env, settings, monkeypatch):
    """A server process still connected would keep writing to the replaced file: stop first."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL restores inside one transaction instead")
    from ops.backups import sqlite

    monkeypatch.setattr(sqlite, "SWAP_WAIT_MS", 50)
    make_collection(settings.MEDIA_ROOT, coins=1)
    backup = create_backup()
    Coin.objects.create(inventory_number="after")
    rows, files = all_rows(), media_files(settings.MEDIA_ROOT)
    database = Path(connection.settings_dict["NAME"])
    other = sqlite3.connect(database)  # like a gunicorn worker that has the database open
    try:
        other.execute("SELECT COUNT(*) FROM catalog_coin").fetchone()
        with pytest.raises(BackupError, match="in use by another process"):
            restore_backup(backup.path)
    finally:
        other.close()
    assert all_rows() == rows
    assert media_files(settings.MEDIA_ROOT) == files
