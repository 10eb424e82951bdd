"""What a server process would otherwise compute on its first requests, computed before it serves.

Each app may say what its pages keep per process (tables read from files, conversions remembered) by
a `warm()` method on its AppConfig; `warm_process` calls them once the apps are ready, from
coinstack/wsgi.py. Under gunicorn with `preload_app` (gunicorn.conf.py) that is once, in the master
process, and every worker it forks starts with the result; without it, each worker before it
accepts a request. Either way no visitor waits for it: the first coin page of a fresh worker read
the ECB's rate history (0.2 s) and the first /stats/ converted every purchase day (0.4 s at
100,000 coins), in each of the workers.

Warming is a convenience, never a condition: a database not yet migrated, or any other failure, is
logged and the server starts as it would have. The database connections it opened are closed, so a
forked worker never shares its parent's.
"""

import logging

from django.apps import apps
from django.db import connections

logger = logging.getLogger(__name__)


def warm_process() -> None:
    """Call every installed app's AppConfig.warm(), then close the connections they opened."""
    try:
        for config in apps.get_app_configs():
            warm = getattr(config, "warm", None)
            if warm is None:
                continue
            try:
                warm()
            except Exception:
                # Whatever went wrong is what the first request would meet, and report, itself.
                logger.warning(
                    "Warming %s failed; its pages compute it on first use.", config.label, exc_info=True
                )
    finally:
        connections.close_all()
