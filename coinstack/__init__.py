"""Project plumbing: settings (with the SQLite library the process uses, `sqlite_library`), URLs,
security (login, CSP, uploads, sanitising), middleware, sessions (`sessions`, Django's database
store loaded by one fixed SELECT), remembered URL addresses
(`reversing`, and `template_urls`, the `{% url %}` tag built on it), a server process's warming
before it serves (`warmup`, calling each app's AppConfig.warm()), and what
every list page shares: query strings and listing (`listing`), facets (`filtering`), full-text search
(`search`), the data-version cache (`dataversion`), the privacy rule (`privacy`), a query's FROM
clause steering SQLite's planner (`sqlite_from`: INDEXED BY, an FTS5 table leading its join), and
the helper that keeps SQLite triggers through migrations, and one engine's own statements in a
migration (`schema_ops`), a detail page's prefetching that skips the relations a row lacks
(`prefetching`), and a list page's rows built from one query's values (`rows`).

May import: numismatics and third-party libraries; never an app (coinstack/urls.py names the
apps' URL modules as strings).
"""
