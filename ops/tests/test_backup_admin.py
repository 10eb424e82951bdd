"""The admin index says how old the backup of record is, and warns when it is too old.

After a restore that is the backup restored, not the safety copy the restore took first."""

import json
import shutil

import pytest
from django.contrib.auth.models import User

from ops.backups import create_backup, restore_backup
from ops.backups.manifest import MANIFEST_NAME
from ops.backups.switch import journal_path


@pytest.fixture
def admin_client_in(client, settings, tmp_path, db):
    settings.COINSTACK_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    user = User.objects.create_superuser("curator", "curator@example.org", "a long enough password 1907")
    client.force_login(user)
    return client


def backup_status(response) -> str:
    html = response.content.decode()
    start = html.index('id="backup-status"')
    return html[start : html.index("</ul>", start)]


def test_no_backup_is_a_warning(admin_client_in):
    status = backup_status(admin_client_in.get("/admin/"))
    assert 'class="warning"' in status
    assert "No backup found" in status


def test_a_fresh_backup_shows_its_name_and_age(admin_client_in):
    made = create_backup(include_media=False)
    response = admin_client_in.get("/admin/")
    status = backup_status(response)
    assert made.path.name in status
    assert "just now" in status or "minute" in status
    assert 'class="success"' in status
    # The stock admin index is still there below it.
    assert "Site administration" in response.content.decode()


def test_a_backup_older_than_seven_days_is_a_warning(admin_client_in):
    made = create_backup(include_media=False)
    manifest = json.loads((made.path / MANIFEST_NAME).read_text())
    manifest["created_at"] = "2020-01-01T00:00:00+00:00"
    (made.path / MANIFEST_NAME).write_text(json.dumps(manifest))
    status = backup_status(admin_client_in.get("/admin/"))
    assert 'class="warning"' in status
    assert "older than 7 days" in status
    assert "2020-01-01" in status


# --- after a restore: the backup of record ----------------------------------------------------------


@pytest.fixture
def admin_client_tx(client, settings, tmp_path, transactional_db):
    """Logged in before any backup is made, so the restored data holds the user and the session."""
    settings.COINSTACK_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    user = User.objects.create_superuser("curator", "curator@example.org", "a long enough password 1907")
    client.force_login(user)
    return client


def _restore_older_of_two():
    older = create_backup(include_media=False)
    newer = create_backup(include_media=False)
    result = restore_backup(older.path)
    return older, newer, result


def test_after_a_restore_it_shows_the_backup_restored_not_the_safety_copy(admin_client_tx):
    older, newer, result = _restore_older_of_two()
    assert result.safety is not None

    status = backup_status(admin_client_tx.get("/admin/"))

    assert f"Latest backup: <strong>{older.path.name}</strong>" in status
    assert result.safety.path.name not in status.split("the data it replaced is in")[0]
    assert newer.path.name not in status  # a backup of data the restore replaced
    assert "The data was restored from it on" in status
    assert f"the data it replaced is in {result.safety.path.name}" in status


def test_a_backup_made_after_the_restore_is_the_latest_again(admin_client_tx):
    _restore_older_of_two()
    made = create_backup(include_media=False)
    status = backup_status(admin_client_tx.get("/admin/"))
    assert f"Latest backup: <strong>{made.path.name}</strong>" in status
    assert "restored from it" not in status


def test_the_restored_backup_deleted_since_is_a_warning(admin_client_tx):
    older, _newer, _result = _restore_older_of_two()
    shutil.rmtree(older.path)
    status = backup_status(admin_client_tx.get("/admin/"))
    assert 'class="warning"' in status
    assert f"restored from {older.path.name}" in status
    assert "no longer in its folder" in status


def test_a_restore_that_stopped_half_way_is_an_error_line(admin_client_in, settings):
    create_backup(include_media=False)
    journal_path().write_text("{}")
    status = backup_status(admin_client_in.get("/admin/"))
    assert 'class="error"' in status
    assert "A restore stopped half-way" in status
