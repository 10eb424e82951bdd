"""Which SQLite library the process uses (coinstack.sqlite_library): the bundled current one where
requirements.txt installs it, one library per process, and the standard one kept when it came first."""

import platform
import subprocess
import sys
from importlib.util import find_spec

import pytest
from django.conf import settings
from django.db import connection

BUNDLED_PLATFORM = sys.platform == "linux" and platform.machine() == "x86_64"


def _run(code: str) -> list[str]:
    """What `code` prints, run by a fresh interpreter in the project (nothing imported yet)."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    )
    return done.stdout.split()


def test_the_bundled_sqlite_is_installed_where_requirements_ask_for_it():
    # requirements.txt installs pysqlite3-binary on Linux x86-64 (its only wheels): a missing install
    # step fails here.
    assert (find_spec("pysqlite3") is not None) == BUNDLED_PLATFORM


@pytest.mark.django_db
def test_django_and_every_import_use_the_library_the_settings_chose():
    import sqlite3

    assert sqlite3.sqlite_version == settings.SQLITE_VERSION
    if find_spec("pysqlite3") is not None:
        import pysqlite3

        assert sqlite3 is pysqlite3
    if connection.vendor == "sqlite":
        assert connection.Database is sqlite3.dbapi2
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()")
            assert cursor.fetchone()[0] == settings.SQLITE_VERSION


def test_with_nothing_loaded_the_bundled_library_is_chosen_when_installed():
    name, same = _run(
        "from coinstack.sqlite_library import use_current_sqlite; version = use_current_sqlite();"
        "import sqlite3; print(sqlite3.__name__, version == sqlite3.sqlite_version)"
    )
    assert (name, same) == ("pysqlite3" if find_spec("pysqlite3") is not None else "sqlite3", "True")


def test_a_sqlite_module_loaded_first_stays_the_only_one():
    # Two SQLite libraries opening one file would each keep their own locks: never swap then.
    name, same = _run(
        "import sqlite3, sys; from coinstack.sqlite_library import use_current_sqlite;"
        "version = use_current_sqlite();"
        "print(sys.modules['sqlite3'].__name__, version == sqlite3.sqlite_version)"
    )
    assert (name, same) == ("sqlite3", "True")
