"""Database connections are kept between requests (settings: CONN_MAX_AGE, 600 s unless the
environment says otherwise), as a deployment's server process meets them: a fresh process,
production settings, requests through Django's WSGI handler, whose request_finished signal is
where Django closes a connection that is not to be kept. (The test client cannot show this: it
disconnects that signal.)"""

from coinstack.tests.fresh_process import run_python

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
    result = run_python(CODE, tmp_path, **extra)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_connection_is_kept_between_requests_by_default(tmp_path):
    # Opening one costs more than most pages (SQLite parses the whole schema at its first statement).
    assert _run(tmp_path) == ["True", "True"]


def test_conn_max_age_zero_closes_the_connection_after_each_request(tmp_path):
    assert _run(tmp_path, CONN_MAX_AGE="0") == ["False", "False"]
