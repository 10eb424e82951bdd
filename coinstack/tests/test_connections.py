"""Database connections are kept between requests (settings: CONN_MAX_AGE, 600 s unless the
environment says otherwise), as a deployment's server process meets them: a fresh process,
production settings, requests through Django's WSGI handler, whose request_finished signal is
where Django closes a connection that is not to be kept. (The test client cannot show this: it
disconnects that signal.)"""

import os
import secrets
import subprocess
import sys

from django.conf import settings

# Two requests through the WSGI handler; after each, whether the connection opened before the first
# is still the process's connection.
CODE = """
import django
django.setup()
from wsgiref.util import setup_testing_defaults
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

connection.ensure_connection()
first = connection.connection
handler = WSGIHandler()
for _ in range(2):
    environ = {"PATH_INFO": "/accounts/login/"}
    setup_testing_defaults(environ)
    response = handler(environ, lambda status, headers: None)
    response.close()
    print(connection.connection is first)
"""


def _run(tmp_path, **extra: str) -> list[str]:
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR", "VIRTUAL_ENV") if k in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="coinstack.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'kept.sqlite3'}",
        COINSTACK_DATA_DIR=str(tmp_path),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        COINSTACK_PLAIN_HTTP="1",
        **extra,
    )
    result = subprocess.run(
        [sys.executable, "-c", CODE],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_connection_is_kept_between_requests_by_default(tmp_path):
    # Opening one costs more than most pages (SQLite parses the whole schema at its first statement).
    assert _run(tmp_path) == ["True", "True"]


def test_conn_max_age_zero_closes_the_connection_after_each_request(tmp_path):
    assert _run(tmp_path, CONN_MAX_AGE="0") == ["False", "False"]
