"""Django's database sessions, read by one fixed SELECT (settings.SESSION_ENGINE).

Every request of a logged-in visitor loads its session. Django's store does that with the ORM's
`get()`, which builds and compiles the same query anew each time: under the load test that was
3.6 % of the server's CPU, for one row read by its primary key. This store reads the row with SQL
written once per database; saving, creating, expiring and deleting sessions stay Django's, in the
same table, so sessions written before the switch still load.
"""

from functools import cache

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


@cache
def _select(alias: str, model) -> str:
    """The SELECT of a session's data by its key, unexpired, for `model` on database `alias`."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    key, data, expiry = (
        quote(meta.get_field(name).column) for name in ("session_key", "session_data", "expire_date")
    )
    return f"SELECT {data} FROM {quote(meta.db_table)} WHERE {key} = %s AND {expiry} > %s"  # noqa: S608 - names from the model


# Sessions signed in while Django's own ModelBackend was configured name it; its subclass
# coinstack.auth_backends.PreparedModelBackend, configured in its place, loads their users the same
# way (its settings.AUTHENTICATION_BACKENDS entry says why).
_RENAMED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "coinstack.auth_backends.PreparedModelBackend",
}


class SessionStore(db.SessionStore):
    def load(self):
        """The session's data, a backend since renamed read as its new name (the stored row is left
        as it is: it is rewritten, as Django rewrites it, only when the session changes)."""
        data = super().load()
        backend = data.get(BACKEND_SESSION_KEY)
        if backend in _RENAMED_BACKENDS:
            data[BACKEND_SESSION_KEY] = _RENAMED_BACKENDS[backend]
        return data

    def _get_session_from_db(self):
        """The session's row (its key and data) when it exists and has not expired, as Django's
        store returns it; otherwise None, and the key is dropped, as Django's store does."""
        key = self.session_key
        if key is None:
            return None
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        now = model._meta.get_field("expire_date").get_db_prep_value(timezone.now(), connection)
        with connection.cursor() as cursor:
            cursor.execute(_select(alias, model), [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0])
