"""The data-version cache: figures that summarise many rows, cached until the data they came from changes.

Not a model of any app: a plain table (`catalog_dataversion`, one row per scope) that database
triggers rewrite on every write to the tables of its scope (migrations catalog 0006 and auctions
0004 create the table and the triggers). Pages read the token first and cache under it.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

T = TypeVar("T")


class DataVersion:
    """A token per scope of data that database triggers replace on every write to its tables.

    Pages that summarise many rows (facet counts, /stats/) cache their figures under the token they
    read first, so a cached figure can never outlive the data it was computed from: any insert,
    update or delete (bulk_create and queryset.update() included; raw SQL too) gives a new token.
    Tokens are random, never counters: a rolled-back write restores the old token together with the
    old data, and no later write can reuse the token of a state that was never committed.
    The table and its triggers are made by migrations catalog 0006 (collection) and auctions 0004
    (market); catalog 0016 adds manual values to the collection and sales to the market. It is a
    plain table, not a model: nothing but the triggers writes it, and a test database flush must not
    empty it.
    """

    # coins, their images, references, provenance, series, vocabularies, manual values
    COLLECTION = "collection"
    MARKET = "market"  # auction lots, their references, houses, sales

    @staticmethod
    def current(scope: str) -> str | None:
        """The scope's token now (one primary-key lookup); None when the database keeps none
        (an engine without the triggers), which turns caching off."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT token FROM catalog_dataversion WHERE scope = %s", [scope])
            row = cursor.fetchone()
        return row[0] if row else None

    @staticmethod
    def current_of(*scopes: str) -> str | None:
        """The tokens of several scopes as one (one query): for figures that read both the
        collection and the market. None when any of them is not kept."""
        placeholders = ", ".join(["%s"] * len(scopes))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT scope, token FROM catalog_dataversion WHERE scope IN ({placeholders})",  # noqa: S608 - placeholders only
                list(scopes),
            )
            tokens = dict(cursor.fetchall())
        if any(scope not in tokens for scope in scopes):
            return None
        return ":".join(tokens[scope] for scope in scopes)


def cached_on_version(token: str | None, key: str, compute: Callable[[], T], timeout: int = 3600) -> T:
    """`compute()`, cached under (token, key) in Django's default cache.

    The caller reads `token` (DataVersion.current) BEFORE running any query whose result goes into
    the cache: a write committed in between then files the figures under an already-dead token.
    With the default LocMemCache each worker process keeps its own copy.
    """
    if token is None:
        return compute()
    cache_key = _cache_key(token, key)
    value = cache.get(cache_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(cache_key, value, timeout)
    return value


def is_cached_on_version(token: str | None, key: str) -> bool:
    """Whether cached_on_version(token, key, ...) would answer from the cache now, without
    computing anything (never, with no token: caching is then off)."""
    if token is None:
        return False
    return cache.get(_cache_key(token, key), _MISSING) is not _MISSING


def _cache_key(token: str, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"coinstack:v1:{token}:{digest}"


_MISSING = object()
