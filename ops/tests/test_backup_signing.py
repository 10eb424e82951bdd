"""Backups that authenticate themselves (issue 13 item 8).

The manifest is signed with a key derived from SECRET_KEY; a restore refuses a backup whose data or
manifest was changed, or that another installation made, unless told --allow-foreign, which still
checks everything else: that the files match the manifest, that the database is a CoinStack one and
holds what the manifest says, and that its full-text indexes are sound.
"""

import hashlib
import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from catalog.models import Coin
from catalog.search import apply_search
from ops.backups import BackupError, create_backup
from ops.backups.manifest import MANIFEST_NAME, read_manifest
from ops.backups.signing import key_id, signature_problem
from ops.tests.test_backup import all_rows, backup_names, make_collection, media_files
from ops.tests.test_restore import ANOTHER_SECRET, forge_manifest

ALLOW = ["--allow-foreign"]


@pytest.fixture
def backup_env(settings, tmp_path) -> Path:
    settings.COINSTACK_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.COINSTACK_BACKUP_DIR


def restore(path: Path, *extra: str) -> None:
    call_command("restore", str(path), "--yes", *extra, verbosity=0)


def state(settings) -> tuple:
    return all_rows(), media_files(Path(settings.MEDIA_ROOT))


def database_file(path: Path) -> Path:
    return path / read_manifest(path).database_file


def refit_checksum(path: Path) -> dict:
    data = database_file(path).read_bytes()
    return {"database_sha256": hashlib.sha256(data).hexdigest(), "database_size": len(data)}


@pytest.mark.django_db(transaction=True)
def test_the_manifest_is_signed_with_this_installations_key(backup_env):
    made = create_backup(include_media=False)
    data = json.loads((made.path / MANIFEST_NAME).read_text())
    assert data["format_version"] == 2
    assert data["signed_by"] == key_id()
    assert len(data["signature"]) == 64
    assert signature_problem(read_manifest(made.path)) is None
    # Any field changed by hand breaks it, the row counts as much as a checksum.
    data["counts"]["catalog_coin"] += 1
    (made.path / MANIFEST_NAME).write_text(json.dumps(data))
    assert "changed after it was made" in signature_problem(read_manifest(made.path))


@pytest.mark.django_db(transaction=True)
def test_a_backup_from_another_installation_needs_allow_foreign(backup_env, settings, capsys):
    make_collection(Path(settings.MEDIA_ROOT), coins=2)
    settings.SECRET_KEY = ANOTHER_SECRET
    theirs = create_backup()
    wanted = state(settings)
    settings.SECRET_KEY = "this installation's own secret key, long enough 0123456789"
    Coin.objects.create(inventory_number="ours")
    ours = state(settings)

    with pytest.raises(CommandError, match=r"made by another installation.*--allow-foreign"):
        restore(theirs.path)
    assert state(settings) == ours
    assert backup_names(backup_env) == {theirs.path.name}
    call_command("list_backups")
    assert "NOT SIGNED HERE (restore needs --allow-foreign)" in capsys.readouterr().out

    restore(theirs.path, *ALLOW)
    assert state(settings) == wanted


@pytest.mark.django_db(transaction=True)
def test_after_a_secret_key_change_older_backups_restore_under_its_fallback(backup_env, settings):
    make_collection(Path(settings.MEDIA_ROOT), coins=1)
    old_key = settings.SECRET_KEY
    older = create_backup()
    wanted = state(settings)
    Coin.objects.all().delete()
    settings.SECRET_KEY = "the new secret key after a rotation, long enough 0123456789"
    with pytest.raises(CommandError, match="another installation, or before SECRET_KEY changed"):
        restore(older.path)
    settings.SECRET_KEY_FALLBACKS = [old_key]
    restore(older.path)
    assert state(settings) == wanted


def _tamper_rows(path: Path) -> None:
    """Change a coin inside the backup's database (or, PostgreSQL, swap in another dump), then
    rewrite the manifest so every checksum and count agrees: the attack the issue describes."""
    database = database_file(path)
    if read_manifest(path).engine == "sqlite":
        with sqlite3.connect(database) as conn:
            conn.execute("UPDATE catalog_coin SET notes = 'rewritten by someone else'")
        conn.close()
    else:
        settings_dict = connection.settings_dict
        Coin.objects.update(notes="rewritten by someone else")
        subprocess.run(
            ["pg_dump", "-Fc", "-n", "public", "-f", str(database), "-h", settings_dict["HOST"], "-U",
             settings_dict["USER"], "-p", str(settings_dict["PORT"]), settings_dict["NAME"]],
            check=True,
        )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_manifest_rewritten_to_match_tampered_data_is_refused_even_with_allow_foreign(backup_env, settings):
    make_collection(Path(settings.MEDIA_ROOT), coins=2)
    made = create_backup()
    _tamper_rows(made.path)
    data = json.loads((made.path / MANIFEST_NAME).read_text())
    data.update(refit_checksum(made.path))  # the signature is left as it was: it names our key
    (made.path / MANIFEST_NAME).write_text(json.dumps(data))
    Coin.objects.update(notes="the current notes")
    before = state(settings)

    for extra in ([], ALLOW):
        with pytest.raises(CommandError, match="changed after it was made"):
            restore(made.path, *extra)
        assert state(settings) == before
    assert backup_names(backup_env) == {made.path.name}


def _foreign_application_database(path: Path) -> None:
    """Replace the backup's database with another (Django) application's, and rewrite the manifest to
    match it: checksums and the counts of its tables (what the issue's forged backup did)."""
    manifest = read_manifest(path)
    database = database_file(path)
    if manifest.engine == "sqlite":
        database.unlink()
        with sqlite3.connect(database) as conn:
            conn.executescript(
                """CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT, applied TEXT);
                INSERT INTO django_migrations (app, name, applied)
                    VALUES ('blog', '0001_initial', '2024-01-01 00:00:00');
                CREATE TABLE blog_post (id INTEGER PRIMARY KEY, title TEXT);
                INSERT INTO blog_post (title) VALUES ('Hello'), ('World');"""
            )
        conn.close()
        counts = {"blog_post": 2}
    else:
        # Tables of another Django project that shares auth with ours: users, groups, permissions.
        settings_dict = connection.settings_dict
        subprocess.run(
            ["pg_dump", "-Fc", "-n", "public", "-t", "public.auth_*", "-f", str(database), "-h",
             settings_dict["HOST"], "-U", settings_dict["USER"], "-p", str(settings_dict["PORT"]),
             settings_dict["NAME"]],
            check=True,
        )  # fmt: skip
        counts = {table: manifest.counts[table] for table in manifest.counts if table.startswith("auth_")}
    # The migrations listed stay CoinStack's: the manifest claims to be ours in every way it can.
    forge_manifest(path, counts=counts, **refit_checksum(path))


@pytest.mark.django_db(transaction=True)
def test_another_applications_database_is_refused_even_with_allow_foreign(backup_env, settings):
    make_collection(Path(settings.MEDIA_ROOT), coins=2)
    made = create_backup()
    _foreign_application_database(made.path)
    before = state(settings)

    with pytest.raises(CommandError, match="made by another installation"):
        restore(made.path)
    with pytest.raises(CommandError, match="not a CoinStack database"):
        restore(made.path, *ALLOW)
    assert state(settings) == before
    assert backup_names(backup_env) == {made.path.name}


@pytest.mark.django_db(transaction=True)
def test_a_backup_made_before_signing_restores_only_with_allow_foreign(backup_env, settings):
    """Format 1 had no signature: refused by default, and with --allow-foreign every other check holds."""
    make_collection(Path(settings.MEDIA_ROOT), coins=2)
    made = create_backup()
    wanted = state(settings)
    data = json.loads((made.path / MANIFEST_NAME).read_text())
    for name in ("signed_by", "signature"):
        del data[name]
    data["format_version"] = 1
    (made.path / MANIFEST_NAME).write_text(json.dumps(data))
    Coin.objects.all().delete()
    before = state(settings)

    with pytest.raises(CommandError, match="not signed"):
        restore(made.path)
    assert state(settings) == before
    restore(made.path, *ALLOW)
    assert state(settings) == wanted


# --- full-text indexes -------------------------------------------------------------------------------


def _first_id(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT MIN(id) FROM {table}").fetchone()[0]  # noqa: S608


FTS_DAMAGE = {
    # the text the coin index keeps is not the text it was indexed with
    "coin-index-content": lambda c: c.execute(
        "UPDATE catalog_coin_fts_content SET c1 = 'NOTHING LIKE IT' WHERE id = ?",
        [_first_id(c, "catalog_coin")],
    ),
    # index pages zeroed: what disk damage inside the index looks like
    "coin-index-pages": lambda c: c.execute(
        "UPDATE catalog_coin_fts_data SET block = zeroblob(length(block)) "
        "WHERE id = (SELECT MAX(id) FROM catalog_coin_fts_data)"
    ),
    # the lot index (external content) out of step with the lots it indexes
    "lot-index-out-of-step": lambda c: c.execute(
        "INSERT INTO auctions_lot_fts(auctions_lot_fts, rowid, title, description) "
        "SELECT 'delete', id, 'words never indexed', '' FROM auctions_auctionlot ORDER BY id LIMIT 1"
    ),
    # a coin missing from the coin index: its own integrity-check cannot see that
    "coin-not-indexed": lambda c: c.execute(
        "DELETE FROM catalog_coin_fts WHERE rowid = ?", [_first_id(c, "catalog_coin")]
    ),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damage", FTS_DAMAGE, ids=list(FTS_DAMAGE))
def test_sqlite_a_damaged_full_text_index_is_refused(backup_env, settings, damage):
    """Before SQLite 3.44 PRAGMA integrity_check passes all of these, and from 3.44 on it still
    passes some (the lot index out of step, a coin not indexed); the restore must refuse them all,
    naming the index."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite keeps FTS5 indexes in its file; PostgreSQL rebuilds (test below)")
    make_collection(Path(settings.MEDIA_ROOT), coins=3)
    made = create_backup()
    with sqlite3.connect(database_file(made.path)) as conn:
        FTS_DAMAGE[damage](conn)
        if sqlite3.sqlite_version_info < (3, 44):
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    # As if the index had been damaged before the backup was made: the signature is valid.
    manifest = read_manifest(made.path)
    for name, value in refit_checksum(made.path).items():
        setattr(manifest, name, value)
    manifest.write(made.path)
    Coin.objects.create(inventory_number="after")
    before = state(settings)

    # From SQLite 3.44 PRAGMA integrity_check finds a damaged coin index first, in its own words.
    with pytest.raises(CommandError, match=r"(catalog_coin|auctions_lot)_fts"):
        restore(made.path)
    assert state(settings) == before
    assert backup_names(backup_env) == {made.path.name}  # refused before the safety backup


@pytest.mark.django_db(transaction=True)
def test_sqlite_a_backup_of_a_damaged_full_text_index_fails_its_verification(backup_env, settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite keeps FTS5 indexes in its file; PostgreSQL rebuilds (test below)")
    make_collection(Path(settings.MEDIA_ROOT), coins=2)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_coin_fts WHERE rowid = (SELECT MIN(id) FROM catalog_coin)")
    with pytest.raises(BackupError, match=r"full-text index catalog_coin_fts does not match catalog_coin"):
        create_backup()
    assert backup_names(backup_env) == set()


@pytest.mark.django_db(transaction=True)
def test_postgresql_the_coin_search_index_is_rebuilt_from_the_restored_coins(backup_env, settings, capsys):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL keeps its coin index as derived rows; SQLite checks FTS5 (tests above)")
    make_collection(Path(settings.MEDIA_ROOT), coins=3)
    first = Coin.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        # The test database is emptied by TRUNCATE between tests, which fires no trigger: entries of
        # earlier tests' coins are still here. Start from an index that matches its coins...
        cursor.execute("DELETE FROM catalog_coin_search WHERE coin_id NOT IN (SELECT id FROM catalog_coin)")
        # ...then put one entry out of step with its coin.
        cursor.execute(
            "UPDATE catalog_coin_search SET document = to_tsvector('simple', 'stale') WHERE coin_id = %s",
            [first.pk],
        )
    made = create_backup()

    call_command("restore", str(made.path), "--yes")

    assert "Rebuilt the coin search index: 1 entries did not match their coins" in capsys.readouterr().out
    found = apply_search(Coin.objects.all(), "CAESAR AVGVSTVS", include_private=False)
    assert sorted(found.values_list("pk", flat=True)) == sorted(Coin.objects.values_list("pk", flat=True))
    assert not apply_search(Coin.objects.all(), "stale", include_private=False).exists()
