"""gunicorn's settings for CoinStack, read from the directory gunicorn starts in (its default config
file); the command line's options override them.

preload_app: the application is imported, and warmed (coinstack.warmup: the ECB's rate history, the
statistics' converted spending), once in the master process; the workers are forked from it and
share those pages of memory until they write to them. Without it every worker loaded and warmed its
own copy, and a worker restarted after a crash or a timeout paid that again. New code needs gunicorn
restarted: a HUP forks new workers from the master's code as it was loaded.
"""

preload_app = True
