"""WSGI entry point for production servers (gunicorn coinstack.wsgi).

The apps warm what each process keeps before it serves (coinstack.warmup); gunicorn.conf.py preloads
this module, so that happens once, before the workers are forked.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coinstack.settings")

application = get_wsgi_application()

from coinstack.warmup import warm_process  # noqa: E402 - needs the apps get_wsgi_application loads

warm_process()
