"""The admin index says how old the latest backup is, and warns when it is too old."""

import json

import pytest
from django.contrib.auth.models import User

from ops.backups import create_backup
from ops.backups.manifest import MANIFEST_NAME


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
