"""Restores that cannot half-apply (issue 12 item 6).

PostgreSQL loads the backup into a fresh schema and switches with one COMMIT: pg_restore killed
half-way changes nothing, and the app reads the old data until the switch. On both engines the
database and the media switch together or not at all: a media switch that fails puts the database
back, and a restore whose process dies is finished (or rolled back) by the next run.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection

from catalog.models import Coin
from ops.backups import BackupError, create_backup, finish_interrupted_restore, list_backups, restore_backup
from ops.backups import pg_switch as pg_switch_module
from ops.backups.switch import journal_path, restore_lock
from ops.tests.test_backup import all_rows, jpeg, make_collection, media_files, write_media

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def backup_env(settings, tmp_path) -> Path:
    settings.COINSTACK_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.COINSTACK_BACKUP_DIR


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite restores by renaming a checked copy")


def state(settings) -> tuple:
    return all_rows(), media_files(Path(settings.MEDIA_ROOT))


def change_after_backup(media_root: Path) -> None:
    Coin.objects.filter(inventory_number="1").delete()
    Coin.objects.create(inventory_number="added after the backup")
    write_media(media_root, "coins/ff/after.jpg", jpeg(7))


def leftovers(settings) -> list[str]:
    """Anything a restore may leave behind: staged or old copies, the journal, spare schemas."""
    media_root = Path(settings.MEDIA_ROOT)
    found = [p.name for p in media_root.parent.iterdir() if p.name.startswith(f".{media_root.name}.")]
    if journal_path().exists():
        found.append(journal_path().name)
    if connection.vendor == "sqlite":
        database = Path(connection.settings_dict["NAME"])
        found += [p.name for p in database.parent.glob(f".{database.name}.*")]
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'coinstack%%'")
            found += [row[0] for row in cursor.fetchall()]
    return found


# --- PostgreSQL: a fresh schema, one commit ---------------------------------------------------------


def pg_restore_killed_half_way(bin_dir: Path) -> None:
    """A pg_restore first in PATH that runs the real one and kills it half-way through writing the
    restore script, just after the end of a table's data: everything received so far is complete
    statements, the worst case, where a client that commits at the end of its input would commit a
    database with every table dropped and half of them filled. (Checks that only read a dump run
    the real pg_restore untouched.)"""
    real = shutil.which("pg_restore")
    bin_dir.mkdir()
    script = bin_dir / "pg_restore"
    script.write_text(
        f"""#!{sys.executable}
import os, signal, subprocess, sys
REAL = {real!r}
args = sys.argv[1:]
if "--no-owner" not in args:  # reading a dump to check it, not restoring it
    os.execv(REAL, [REAL, *args])
whole = subprocess.run([REAL, *args], capture_output=True, check=True).stdout
end_of_data = b"\\n\\\\.\\n"
cut = whole.find(end_of_data, len(whole) // 3)
cut = (cut if cut >= 0 else whole.rfind(end_of_data)) + len(end_of_data)
child = subprocess.Popen([REAL, *args], stdout=subprocess.PIPE)
sent = 0
while sent < cut:
    chunk = child.stdout.read(min(8192, cut - sent))
    if not chunk:
        break
    sys.stdout.buffer.write(chunk)
    sent += len(chunk)
sys.stdout.buffer.flush()
child.kill()
child.wait()
os.kill(os.getpid(), signal.SIGKILL)
"""
    )
    script.chmod(0o755)


@pytest.mark.django_db(transaction=True)
def test_pg_restore_killed_half_way_changes_nothing(backup_env, settings, tmp_path, monkeypatch):
    needs_postgresql()
    make_collection(Path(settings.MEDIA_ROOT), coins=4)
    backup = create_backup()
    change_after_backup(Path(settings.MEDIA_ROOT))
    before = state(settings)
    pg_restore_killed_half_way(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")

    with pytest.raises(
        BackupError, match=r"pg_restore stopped half-way \(killed by signal 9\).*nothing was changed"
    ):
        restore_backup(backup.path)

    assert state(settings) == before
    assert leftovers(settings) == []
    # The app's tables are still where they were: the coin search works on the same rows.
    Coin.objects.create(inventory_number="after the failed restore")


@pytest.mark.django_db(transaction=True)
def test_pg_a_statement_failing_after_the_load_changes_nothing(backup_env, settings, monkeypatch):
    """Everything is loaded into the fresh schema when a statement fails: the COMMIT never comes."""
    needs_postgresql()
    make_collection(Path(settings.MEDIA_ROOT), coins=2)
    backup = create_backup()
    change_after_backup(Path(settings.MEDIA_ROOT))
    before = state(settings)

    def failing_rebuild(cursor, schema):
        cursor.execute("SELECT 1 / 0")

    monkeypatch.setattr(pg_switch_module, "postgres_rebuild", failing_rebuild)
    with pytest.raises(BackupError, match=r"division by zero.*nothing was changed"):
        restore_backup(backup.path)

    assert state(settings) == before
    assert leftovers(settings) == []


@pytest.mark.django_db(transaction=True)
def test_pg_the_app_reads_the_old_data_until_the_switch(backup_env, settings, monkeypatch):
    """While the backup loads, another session reads the current rows, not an empty or half-loaded
    schema, and is not kept waiting; after the commit it reads the restored ones."""
    needs_postgresql()
    make_collection(Path(settings.MEDIA_ROOT), coins=2)
    backup = create_backup()
    Coin.objects.create(inventory_number="only before the restore")
    seen = {}
    real_rebuild = pg_switch_module.postgres_rebuild

    def rebuild_and_look(cursor, schema):
        params = {"dbname": connection.settings_dict["NAME"], "host": connection.settings_dict["HOST"]}
        params.update(user=connection.settings_dict["USER"], port=connection.settings_dict["PORT"])
        with psycopg.connect(**params, options="-c lock_timeout=5s") as other:
            seen["during"] = sorted(r[0] for r in other.execute("SELECT inventory_number FROM catalog_coin"))
        return real_rebuild(cursor, schema)

    monkeypatch.setattr(pg_switch_module, "postgres_rebuild", rebuild_and_look)
    restore_backup(backup.path)

    assert seen["during"] == ["1", "2", "only before the restore"]
    assert sorted(Coin.objects.values_list("inventory_number", flat=True)) == ["1", "2"]


def _inventory_numbers_in_dump(dump: Path) -> set[str]:
    script = subprocess.run(
        ["pg_restore", "--data-only", "--table", "catalog_coin", "--file", "-", str(dump)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    header = next(i for i, line in enumerate(script) if line.startswith("COPY "))
    columns = [c.strip().strip('"') for c in script[header].split("(", 1)[1].split(")", 1)[0].split(",")]
    position = columns.index("inventory_number")
    rows = script[header + 1 : script.index("\\.", header)]
    return {row.split("\t")[position] for row in rows}


@pytest.mark.django_db(transaction=True)
def test_pg_no_write_is_lost_between_the_safety_backup_and_the_switch(backup_env, settings):
    """The app keeps writing during the restore: every write it saw committed is either in the
    safety backup (made before the switch) or in the restored data (made after): writes are held
    from before the safety backup until the switch, and then go to the restored tables."""
    needs_postgresql()
    from ops.tests.test_backup_concurrent import Writer, wait_for

    make_collection(Path(settings.MEDIA_ROOT), coins=2)
    backup = create_backup(include_media=False)
    writer = Writer()
    writer.start()
    try:
        wait_for(lambda: writer.written >= 5)
        result = restore_backup(backup.path)
        after = writer.written
        wait_for(lambda: writer.written >= after + 5)  # and it goes on writing afterwards
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert not writer.errors
    committed = {f"W{n}" for n in range(writer.written)}
    live = set(
        Coin.objects.filter(inventory_number__startswith="W").values_list("inventory_number", flat=True)
    )
    kept = _inventory_numbers_in_dump(result.safety.path / result.safety.manifest.database_file)
    assert committed <= live | kept, sorted(committed - live - kept)
    assert kept and live  # writes landed on both sides of the switch


@pytest.mark.django_db(transaction=True)
def test_pg_restore_lands_where_database_url_points(backup_env, settings):
    """The same database and schema, with the schema's owner and grants; no other database or schema."""
    needs_postgresql()

    def catalog_state():
        with connection.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database ORDER BY 1")
            databases = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT nspname, pg_get_userbyid(nspowner), nspacl::text FROM pg_namespace "
                "WHERE nspname NOT LIKE 'pg\\_%%' AND nspname <> 'information_schema' ORDER BY 1"
            )
            return databases, cursor.fetchall(), connection.settings_dict["NAME"]

    make_collection(Path(settings.MEDIA_ROOT), coins=2)
    backup = create_backup()
    Coin.objects.all().delete()
    before = catalog_state()

    restore_backup(backup.path)

    assert catalog_state() == before
    with psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        host=connection.settings_dict["HOST"],
        user=connection.settings_dict["USER"],
        port=connection.settings_dict["PORT"],
    ) as fresh:
        schema = fresh.execute("SELECT current_schema()").fetchone()[0]
        coins = fresh.execute(f'SELECT COUNT(*) FROM "{schema}".catalog_coin').fetchone()[0]  # noqa: S608
    assert coins == 2


@pytest.mark.django_db(transaction=True)
def test_pg_an_extension_installed_in_the_schema_stays_there(backup_env, settings, monkeypatch):
    """An extension a DBA installed in the app's schema is not in the dump (pg_dump leaves extension
    objects out): it moves into the restored schema, and back when the switch is undone."""
    needs_postgresql()

    def extension_schema():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                "WHERE e.extname = 'citext'"
            )
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION citext")
    try:
        make_collection(Path(settings.MEDIA_ROOT), coins=1)
        backup = create_backup()
        live = extension_schema()
        media_root = Path(settings.MEDIA_ROOT)
        real_replace = os.replace

        def replace(src, dst):
            if Path(dst) == media_root and ".restore-" in Path(src).name:
                raise OSError(28, "No space left on device")
            real_replace(src, dst)

        monkeypatch.setattr(os, "replace", replace)
        with pytest.raises(BackupError, match="as they were"):
            restore_backup(backup.path)
        monkeypatch.undo()
        assert extension_schema() == live
        assert leftovers(settings) == []

        restore_backup(backup.path)
        assert extension_schema() == live
        with connection.cursor() as cursor:
            cursor.execute("SELECT 'Denarius'::citext = 'DENARIUS'::citext")
            assert cursor.fetchone()[0] is True
        assert leftovers(settings) == []
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP EXTENSION IF EXISTS citext")


# --- both engines: database and media together -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_failed_media_switch_leaves_database_and_media_as_before(backup_env, settings, monkeypatch):
    make_collection(Path(settings.MEDIA_ROOT), coins=3)
    backup = create_backup()
    change_after_backup(Path(settings.MEDIA_ROOT))
    before = state(settings)
    media_root = Path(settings.MEDIA_ROOT)
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst) == media_root and ".restore-" in Path(src).name:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)

    with pytest.raises(BackupError, match="the database and media are as they were"):
        restore_backup(backup.path)

    monkeypatch.undo()
    assert state(settings) == before
    assert leftovers(settings) == []
    Coin.objects.create(inventory_number="the app still writes")


@pytest.mark.django_db(transaction=True)
def test_a_second_restore_is_refused_while_one_runs(backup_env, settings):
    """While one restore runs (it holds the lock on the backup folder), another is refused at once."""
    make_collection(Path(settings.MEDIA_ROOT), coins=1)
    backup = create_backup()
    before = state(settings)
    with restore_lock(), pytest.raises(BackupError, match="Another restore is running"):
        restore_backup(backup.path)
    assert state(settings) == before


def _child_env(settings) -> dict[str, str]:
    if connection.vendor == "sqlite":
        url = f"sqlite:///{connection.settings_dict['NAME']}"
    else:
        s = connection.settings_dict
        url = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coinstack.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": django_settings.SECRET_KEY,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "COINSTACK_BACKUP_DIR": str(settings.COINSTACK_BACKUP_DIR),
    }


# Where the restoring process dies: right after the journal announces a phase, or half-way through
# the two renames of the media switch.
CRASHES = {
    "before-the-database-switched": "save:staged",
    "after-the-database-switched": "save:database-switched",
    "between-the-media-renames": "media",
    "after-the-media-switched": "save:media-switched",
}
CHILD = """
import os, sys
import django
django.setup()
from ops.backups import media, switch
where = sys.argv[2]
if where.startswith("save:"):
    real_save = switch.Journal.save
    def save(self, phase=None):
        real_save(self, phase)
        if self.phase == where[5:]:
            os._exit(70)
    switch.Journal.save = save
else:
    def switch_half(self):
        os.replace(self.root, self.old)
        os._exit(70)
    media.MediaSwitch.switch = switch_half
from django.core.management import call_command
call_command("restore", sys.argv[1], "--yes")
"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("crash", CRASHES, ids=list(CRASHES))
def test_a_restore_that_died_is_finished_by_the_next_run(backup_env, settings, crash):
    """A process killed at any point of the switch leaves a journal; the next backup (or restore)
    reads it and brings database and media to the same side: the old data if the database had not
    switched, the restored data if it had."""
    media_root = Path(settings.MEDIA_ROOT)
    make_collection(media_root, coins=3)
    backup = create_backup()
    restored = state(settings)
    change_after_backup(media_root)
    before = state(settings)
    connection.close()  # SQLite: a restore needs the database to itself

    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(backup.path), CRASHES[crash]],
        cwd=REPO,
        env=_child_env(settings),
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == 70, child.stderr
    assert journal_path().exists()
    # The process died where it was meant to: the state is mixed, or not yet switched.
    rows, files = state(settings)
    database_switched = crash != "before-the-database-switched"
    assert rows == (restored[0] if database_switched else before[0])
    if crash in ("before-the-database-switched", "after-the-database-switched"):
        assert files == before[1]
    elif crash == "between-the-media-renames":
        assert not media_root.exists()

    message = finish_interrupted_restore()

    expected = before if crash == "before-the-database-switched" else restored
    assert state(settings) == expected
    assert leftovers(settings) == []
    assert backup.path.name in message
    assert finish_interrupted_restore() is None  # nothing left to do
    if expected == restored:
        safety = [
            b for b in list_backups(Path(settings.COINSTACK_BACKUP_DIR)) if b.manifest.reason == "pre-restore"
        ]
        assert len(safety) == 1  # the replaced data is kept


@pytest.mark.django_db(transaction=True)
def test_backup_finishes_an_interrupted_restore_before_copying(backup_env, settings):
    """A backup never holds the restored database with the old media."""
    media_root = Path(settings.MEDIA_ROOT)
    make_collection(media_root, coins=2)
    backup = create_backup()
    restored = state(settings)
    change_after_backup(media_root)
    connection.close()
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(backup.path), "save:database-switched"],
        cwd=REPO,
        env=_child_env(settings),
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == 70, child.stderr

    made = create_backup()

    assert "now complete" in made.finished_restore
    assert state(settings) == restored
    assert {m.path for m in made.manifest.media} == set(restored[1])
