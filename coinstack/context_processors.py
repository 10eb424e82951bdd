"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def privacy(request: HttpRequest) -> dict:
    """`show_private`: whether this visitor may see prices paid, sources, storage and notes.

    Templates test this one flag instead of repeating the rule: anonymous visitors (only possible
    with COINSTACK_PUBLIC_BROWSING on) never see what a collector paid or where a coin is kept.
    """
    user = getattr(request, "user", None)
    return {
        "show_private": bool(user and user.is_authenticated),
        "public_browsing": settings.COINSTACK_PUBLIC_BROWSING,
    }
