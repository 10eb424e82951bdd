"""Which SQLite library the process uses: the current release that pysqlite3-binary bundles, where
it is installed (requirements.txt asks for it on Linux x86-64, the only platform it has wheels
for), otherwise the one Python was built with.

Why: Debian 12's Python links SQLite 3.40.1 (2022). On a 100,000-coin database the bundled 3.51
ranks the 16,000 matches of a coin search ("CAES", FTS5's bm25) in 10 ms instead of 15, and counts
a search's or a filter's facets 9-15 % faster (bench/HISTORY.md). Django's SQLite backend does
`from sqlite3 import dbapi2`, so the settings call `use_current_sqlite()` before Django loads it:
the bundled module is put in sys.modules under the standard library's names, and Django, the
backups, the benchmark and every later `import sqlite3` get the same library.

One library per process, never two: two copies of SQLite that open the same database file each
keep their own POSIX locks, and closing one's file descriptor drops the other's locks (a way to
corrupt a database: sqlite.org/howtocorrupt.html, 2.2.1). So nothing is swapped when a SQLite
module was imported before; that one stays.

Imports nothing of Django (it runs before Django's settings exist).
"""

import sys


def use_current_sqlite() -> str:
    """Make `import sqlite3` give pysqlite3 when it is installed and no SQLite module is loaded yet;
    the version of SQLite the process then uses."""
    if "sqlite3" not in sys.modules and "_sqlite3" not in sys.modules:
        try:
            import pysqlite3
            import pysqlite3.dbapi2
        except ImportError:
            pass
        else:
            sys.modules["sqlite3"] = pysqlite3
            sys.modules["sqlite3.dbapi2"] = pysqlite3.dbapi2
    import sqlite3  # whichever the lines above left in place

    return sqlite3.sqlite_version
