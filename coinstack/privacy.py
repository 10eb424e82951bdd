"""Who may see a collector's private fields: prices paid, sources, storage, notes, and purchases.

One rule for templates (the `show_private` context flag) and for views that must filter data
themselves (a search that must not look into notes, filters and sorts on prices): anonymous
visitors, possible only with COINSTACK_PUBLIC_BROWSING on, see none of it.
"""

from django.http import HttpRequest


def can_see_private(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)
