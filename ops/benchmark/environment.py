"""The environment a child process runs with: its own database, production-like settings.

Each database is used by a fresh child process so settings load once, cleanly, for that database
(DATABASE_URL is read at import time). DEBUG stays off, as in production: with DEBUG on, Django
records every query and templates keep debug information, and both cost time on every request.
DEBUG off needs a SECRET_KEY and ALLOWED_HOSTS. STATIC_MANIFEST=0 serves static files unhashed, so
no collectstatic is needed per run; it changes nothing measured (a `{% static %}` URL is a string
join either way, and no static file is requested).
"""

import os
import secrets
import sys
from pathlib import Path

from django.conf import settings

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"


def sqlite_url(path: Path) -> str:
    """A DATABASE_URL for an absolute SQLite file path (four slashes: scheme + absolute path)."""
    return f"sqlite:///{Path(path).resolve()}"


def database_url(target: Path | str) -> str:
    """The DATABASE_URL of a benchmark database: an SQLite file (a Path) or a server URL (a str)."""
    return target if isinstance(target, str) else sqlite_url(target)


def child_env(db_path: Path | str, workdir: Path) -> dict[str, str]:
    """Environment variables for a child process working on `db_path` (an SQLite file, or the URL
    of a PostgreSQL database).

    Everything a child could write (static files, media, backups, scraper state) goes under
    `workdir`, so a benchmark never touches the developer's data/ or media/ folders.
    """
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "coinstack.settings",
            "DATABASE_URL": database_url(db_path),
            "DEBUG": "0",
            # A throwaway key: sessions made by the benchmark's login die with the run.
            "SECRET_KEY": env.get("COINSTACK_BENCH_SECRET_KEY") or secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "STATIC_MANIFEST": "0",
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "COINSTACK_DATA_DIR": str(workdir / "data"),
            "COINSTACK_BACKUP_DIR": str(workdir / "backups"),
            "LOG_LEVEL": "ERROR",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def manage_cmd(*args: str) -> list[str]:
    """`python manage.py <args>` with the interpreter running us (the project's venv)."""
    return [sys.executable, str(MANAGE_PY), *args]


class ChildFailed(RuntimeError):
    """A child command exited non-zero; the message carries the end of its stderr."""


def run_child(cmd: list[str], env: dict[str, str], timeout: float | None = None) -> tuple[float, str]:
    """Run `cmd` to completion; return (wall seconds, stdout). Raise ChildFailed on a non-zero exit.

    Wall time includes interpreter and Django start-up (about half a second): that is what a user
    running the command waits for, and the same for every size, so comparisons stay fair.
    """
    import subprocess
    import time

    started = time.perf_counter()
    proc = subprocess.run(  # noqa: S603 - our own interpreter and manage.py, no shell
        cmd,
        env=env,
        cwd=MANAGE_PY.parent,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-15:]
        raise ChildFailed(f"{' '.join(cmd[1:])} exited {proc.returncode}:\n" + "\n".join(tail))
    return elapsed, proc.stdout
