"""Django's ModelBackend, with the signed-in user read by SQL compiled once (coinstack.prepared).

Every request of a signed-in visitor loads the user by its primary key. Django's backend does that
with the ORM's `get()`, which builds and compiles the same query anew each time (with the session,
the two loads were about a tenth of a cached page). Authenticating, permissions and which users may
sign in stay Django's. Sessions written while Django's own backend was configured name that
backend; coinstack.sessions reads them as naming this one, which behaves the same.

May import Django and coinstack.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from coinstack.prepared import Prepared

_USER = Prepared(lambda pk: get_user_model()._default_manager.filter(pk=pk))


class PreparedModelBackend(ModelBackend):
    def get_user(self, user_id):
        """The active user with primary key `user_id` (as the session holds it), or None."""
        try:
            key = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = _USER.first(key)
        return user if user is not None and self.user_can_authenticate(user) else None
