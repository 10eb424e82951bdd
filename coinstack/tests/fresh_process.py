"""A fresh Python process with production settings (DEBUG off, its own SQLite file in a temporary
directory), for what only a new process shows: connections kept between requests, the WSGI
application loading and warming."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def run_python(code: str, tmp_path: Path, **extra: str) -> subprocess.CompletedProcess:
    """Run `code` in a new interpreter from the project's directory; `extra` adds to the environment."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR", "VIRTUAL_ENV") if k in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="coinstack.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        COINSTACK_DATA_DIR=str(tmp_path),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        COINSTACK_PLAIN_HTTP="1",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )
