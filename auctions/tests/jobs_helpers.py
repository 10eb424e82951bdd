"""Running queued scrape jobs in tests with the task library's own worker.

`run_queued_jobs()` runs django-tasks-db's Worker in this process, in batch mode (every ready task,
then return), on the test's database connection: the same code `manage.py db_worker` runs, without
its signal handlers (which would outlive the test) and without its between-tasks connection
recycling (it would close the connection that holds the test's transaction). One test in
test_scrape_jobs.py also starts `manage.py db_worker` as a real process.
"""

from pathlib import Path
from unittest import mock

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker


def run_queued_jobs() -> None:
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        _worker().run()


def _worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=get_random_string(12),
        excluded_queue_names=[],
    )


def page_without_images() -> bytes:
    """The generic lot page of the fixtures without its og:image, for tests whose worker has no
    stand-in DNS: its image's host (smallhouse.example) must not be looked up."""
    page = (Path(__file__).parent / "fixtures" / "generic-opengraph.html").read_text()
    return "\n".join(line for line in page.splitlines() if "og:image" not in line).encode()
